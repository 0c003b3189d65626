"""guildmaster.agent.coordinator: the team coordinator (plans, stages, bank, parties, quotas)."""

from __future__ import annotations

from guildmaster.agent.coordinator.assign import (
    STICKY_BONUS,
    assign_stages,
    stage_capacity,
    stage_gain,
    stage_subject,
)
from guildmaster.agent.coordinator.coordinator import (
    DEPOSIT_THRESHOLD,
    GOAL_CHUNK,
    Coordinator,
)
from guildmaster.agent.coordinator.goals import BossPartyGoal, DepositItems, PartyRole
from guildmaster.agent.coordinator.ledger import RESERVATION_GAME_SECONDS, ReservationLedger
from guildmaster.agent.coordinator.party import (
    PARTY_SIZE,
    PARTY_TIMEOUT_GAME_SECONDS,
    BossParty,
    PartyCandidate,
    PartyPhase,
    find_boss_party,
)
from guildmaster.agent.coordinator.pipeline import (
    holdings,
    remaining,
    stage_needs,
    stage_runs,
    starved_inputs,
)
from guildmaster.agent.coordinator.plan import (
    BATCH_CARRY,
    STAGE_ORDER,
    ActivePlan,
    Material,
    MaterialSource,
    SourceKind,
    Stage,
    StageKind,
    bill_of_materials,
    bottleneck_skill,
    choose_plan,
    plan_for_recipe,
    plan_gathering,
    rate_recipe,
    team_levels,
)
from guildmaster.agent.coordinator.quotas import (
    COMBAT_SETS,
    COMBAT_SLOT_COUNTS,
    GATHERING_SETS,
    Surplus,
    SurplusAction,
    gear_quota,
    gear_surplus,
    tier_of,
)
from guildmaster.agent.coordinator.store import CharacterName, StoredReservation, TeamStore

__all__ = [
    "BATCH_CARRY",
    "COMBAT_SETS",
    "COMBAT_SLOT_COUNTS",
    "DEPOSIT_THRESHOLD",
    "GATHERING_SETS",
    "GOAL_CHUNK",
    "PARTY_SIZE",
    "PARTY_TIMEOUT_GAME_SECONDS",
    "RESERVATION_GAME_SECONDS",
    "STAGE_ORDER",
    "STICKY_BONUS",
    "ActivePlan",
    "BossParty",
    "BossPartyGoal",
    "CharacterName",
    "Coordinator",
    "DepositItems",
    "Material",
    "MaterialSource",
    "PartyCandidate",
    "PartyPhase",
    "PartyRole",
    "ReservationLedger",
    "SourceKind",
    "Stage",
    "StageKind",
    "StoredReservation",
    "Surplus",
    "SurplusAction",
    "TeamStore",
    "assign_stages",
    "bill_of_materials",
    "bottleneck_skill",
    "choose_plan",
    "find_boss_party",
    "gear_quota",
    "gear_surplus",
    "holdings",
    "plan_for_recipe",
    "plan_gathering",
    "rate_recipe",
    "remaining",
    "stage_capacity",
    "stage_gain",
    "stage_needs",
    "stage_runs",
    "stage_subject",
    "starved_inputs",
    "team_levels",
    "tier_of",
]
