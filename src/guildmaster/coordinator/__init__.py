"""guildmaster.coordinator: the team coordinator, above the character agents.

:class:`Coordinator` is the thin advisor the agents ask; it asks its desks in turn
(:class:`PartyDesk`, :class:`DisposalDesk`, :class:`ErrandDesk`, :class:`StageDesk`), which
all read one :class:`TeamView` and draw on the bank through :class:`BankAccess`. The team plan
lives in :class:`PlanLifecycle`, the roles in :class:`TeamRoles`, everything persistent in a
:class:`TeamStore`; :class:`CoordinatorSettings` tunes every desk. The other modules are pure
functions and value objects (plans, stage assignment, bank crafts, disposals, quotas, parties).
"""

from __future__ import annotations

from guildmaster.coordinator.access import (
    AccessPolicy,
    BankAccess,
    BankSettings,
    ClaimsPolicy,
    SharesPolicy,
)
from guildmaster.coordinator.assign import (
    STICKY_BONUS,
    assign_stages,
    stage_capacity,
    stage_gain,
    stage_subject,
)
from guildmaster.coordinator.bankcraft import (
    CRAFT_SECONDS,
    TRIP_SECONDS,
    BankCraft,
    best_bank_craft,
    craft_value,
)
from guildmaster.coordinator.bankview import BankViews
from guildmaster.coordinator.coordinator import Coordinator, Desk
from guildmaster.coordinator.disposal import (
    DISPOSAL_NEAR_BANK_SECONDS,
    NEED_GOLD,
    Disposal,
    choose_disposal,
    disposal_venues,
    recycle_yield,
)
from guildmaster.coordinator.disposaldesk import DisposalDesk, DisposalSettings
from guildmaster.coordinator.erranddesk import ErrandDesk, ErrandSettings
from guildmaster.coordinator.ledger import RESERVATION_GAME_SECONDS, ReservationLedger
from guildmaster.coordinator.lifecycle import PlanLifecycle
from guildmaster.coordinator.pace import SoloPace, progress
from guildmaster.coordinator.party import (
    MAX_LEVELS_BELOW,
    PARTY_SIZE,
    PARTY_TIMEOUT_GAME_SECONDS,
    BossParty,
    PartyCandidate,
    PartyPhase,
    boss_chances,
    find_boss_party,
    highest_winnable,
)
from guildmaster.coordinator.partydesk import PartyDesk, PartySettings
from guildmaster.coordinator.pipeline import (
    holdings,
    remaining,
    stage_needs,
    stage_runs,
    starved_inputs,
)
from guildmaster.coordinator.plan import (
    BATCH_CARRY,
    STAGE_ORDER,
    ActivePlan,
    FightCheck,
    Material,
    MaterialSource,
    SourceKind,
    Stage,
    StageKind,
    bill_of_materials,
    bottleneck_skill,
    choose_plan,
    has_shifted,
    plan_for_recipe,
    plan_gathering,
    rate_recipe,
    solo_rate,
    team_levels,
)
from guildmaster.coordinator.quotas import (
    COMBAT_SETS,
    COMBAT_SLOT_COUNTS,
    GATHERING_SETS,
    Surplus,
    SurplusAction,
    gear_quota,
    gear_surplus,
    tier_of,
)
from guildmaster.coordinator.roles import RoleSettings, TeamRoles, choose_fighters
from guildmaster.coordinator.settings import CoordinatorSettings
from guildmaster.coordinator.stagedesk import (
    DEPOSIT_THRESHOLD,
    GOAL_CHUNK,
    ROOM_MARGIN,
    PlanSettings,
    StageDesk,
)
from guildmaster.coordinator.store import CharacterName, StoredReservation, TeamStore
from guildmaster.coordinator.teamview import DEFAULT_BAG, TeamView

__all__ = [
    "BATCH_CARRY",
    "COMBAT_SETS",
    "COMBAT_SLOT_COUNTS",
    "CRAFT_SECONDS",
    "DEFAULT_BAG",
    "DEPOSIT_THRESHOLD",
    "DISPOSAL_NEAR_BANK_SECONDS",
    "GATHERING_SETS",
    "GOAL_CHUNK",
    "MAX_LEVELS_BELOW",
    "NEED_GOLD",
    "PARTY_SIZE",
    "PARTY_TIMEOUT_GAME_SECONDS",
    "RESERVATION_GAME_SECONDS",
    "ROOM_MARGIN",
    "STAGE_ORDER",
    "STICKY_BONUS",
    "TRIP_SECONDS",
    "AccessPolicy",
    "ActivePlan",
    "BankAccess",
    "BankCraft",
    "BankSettings",
    "BankViews",
    "BossParty",
    "CharacterName",
    "ClaimsPolicy",
    "Coordinator",
    "CoordinatorSettings",
    "Desk",
    "Disposal",
    "DisposalDesk",
    "DisposalSettings",
    "ErrandDesk",
    "ErrandSettings",
    "FightCheck",
    "Material",
    "MaterialSource",
    "PartyCandidate",
    "PartyDesk",
    "PartyPhase",
    "PartySettings",
    "PlanLifecycle",
    "PlanSettings",
    "ReservationLedger",
    "RoleSettings",
    "SharesPolicy",
    "SoloPace",
    "SourceKind",
    "Stage",
    "StageDesk",
    "StageKind",
    "StoredReservation",
    "Surplus",
    "SurplusAction",
    "TeamRoles",
    "TeamStore",
    "TeamView",
    "assign_stages",
    "best_bank_craft",
    "bill_of_materials",
    "boss_chances",
    "bottleneck_skill",
    "choose_disposal",
    "choose_fighters",
    "choose_plan",
    "craft_value",
    "disposal_venues",
    "find_boss_party",
    "gear_quota",
    "gear_surplus",
    "has_shifted",
    "highest_winnable",
    "holdings",
    "plan_for_recipe",
    "plan_gathering",
    "progress",
    "rate_recipe",
    "recycle_yield",
    "remaining",
    "solo_rate",
    "stage_capacity",
    "stage_gain",
    "stage_needs",
    "stage_runs",
    "stage_subject",
    "starved_inputs",
    "team_levels",
    "tier_of",
]
