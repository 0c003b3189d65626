"""The team coordinator: "the coordinator is the player".

:class:`Coordinator` implements :class:`~guildmaster.agent.advisor.Advisor`. Every time a
character is about to choose a goal it asks :meth:`Coordinator.advise`; the coordinator forms
boss parties, sends characters on bank-craft errands (:mod:`.bankcraft`), shares the bank among
the characters playing on their own and (when plans are on) keeps
the team plan on the bottleneck skill (:mod:`.plan`), assigns characters to its stages
(:mod:`.assign`), reserves banked inputs for crafters (:mod:`.ledger`), sends carriers to the
bank when they hold what the pipeline needs (deposit orchestration), forms boss parties
(:mod:`.party`) and counts production against the plan's needs (over-production). Everything
is persisted in a :class:`~.store.TeamStore`, so a restarted player resumes.

With ``enabled`` off, :meth:`advise` returns ``None`` and each character plans alone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from guildmaster.agent.advisor import Advice
from guildmaster.clock import Clock
from guildmaster.coordinator.access import BankAccess, BankSettings, ClaimsPolicy, SharesPolicy
from guildmaster.coordinator.disposaldesk import DisposalDesk, DisposalSettings
from guildmaster.coordinator.erranddesk import ErrandDesk, ErrandSettings
from guildmaster.coordinator.ledger import ReservationLedger
from guildmaster.coordinator.lifecycle import PlanLifecycle
from guildmaster.coordinator.party import (
    PARTY_SIZE,
    PARTY_TIMEOUT_GAME_SECONDS,
    BossParty,
    PartyCandidate,
)
from guildmaster.coordinator.partydesk import PartyDesk, PartySettings
from guildmaster.coordinator.plan import (
    ActivePlan,
)
from guildmaster.coordinator.quotas import Surplus
from guildmaster.coordinator.roles import RoleSettings, TeamRoles
from guildmaster.coordinator.stagedesk import DEPOSIT_THRESHOLD, GOAL_CHUNK, PlanSettings, StageDesk
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView
from guildmaster.knowledge import CombatPredictor, GameData
from guildmaster.planning.domains import (
    GameContext,
    GameState,
)

__all__ = ["Coordinator"]

logger = logging.getLogger(__name__)


class Coordinator:
    """Steers a team of character agents through one shared plan (an ``Advisor``).

    ``characters`` names the team (batches are sized for it; otherwise for the characters
    seen so far). ``context`` should be the planning context the agents use (goals carry it);
    by default one is built from ``gamedata``. A character joins a stage only when the stage
    (its own XP there plus its share of the plan's) is worth at least ``solo_margin`` times
    what it would earn alone, in levels per second (0 sends everyone the plan needs).
    ``parties`` switches boss parties on (off by default; the
    :class:`~guildmaster.agent.character.CharacterAgent` acts on every :class:`BossPartyGoal`
    role and answers :meth:`summoned`); the party search runs at most every ``party_interval``
    game seconds.

    ``claims`` (on by default): a character on its own plans on the whole bank (only other
    characters' reservations and the plan's inputs are hidden) and
    asks :meth:`claim` right before each withdraw; the coordinator hands out each unit of the
    true bank once (less reservations and other claims), so no withdraw is refused by the
    server (478) and nobody re-gathers what the bank holds. With ``claims`` off, ``shares``
    below decide what each character sees instead. "Alone" is measured as well
    (:class:`~.pace.SoloPace`): errands and stages must beat what the character was seen to
    earn on its own.

    Roles (:mod:`.roles`): with more than ``fighters`` characters (default: a boss party's
    size), only that many carry the team's combat; the others weigh combat XP by
    ``producer_combat_weight`` (1: like any skill) instead of their own ``combat_weight``,
    so they gather and craft, and cook the food the fighters eat. ``fighters=None`` lets
    everyone fight. The roles are chosen once every named character was seen (the strongest
    fight) and kept in the store.

    What pays on a bench (generated worlds and the real snapshot, 5 characters, 24 h):

    - ``bank_crafting``: errands that craft out of the team's banked by-products
      (:mod:`.bankcraft`) for the character whose skill gains most, when they beat
      ``craft_margin`` times what it earns alone; ``earmark`` keeps their inputs for errands
      for good (default: only without ``claims``, which refuse a withdrawal racing one);
      ``product_cap`` (``None``: none) stops making a product the bank holds that many of;
    - ``shares``: a character on its own sees the bank it may really use (plentiful items
      open to all, the rest as shares that never overdraw it) instead of one character per
      item, so nobody re-gathers what the bank holds;
    - ``plans``: the pipeline on the bottleneck skill (:mod:`.plan`); stages only take
      characters they pay more than playing alone, and bank-craft errands never touch the
      plan's materials (crafting them away had the plan ask for them again).

    ``disposals`` sends a character with nothing urgent to sell or recycle gear above the
    quotas (:mod:`.disposal`), at most one errand per character every ``disposal_interval``
    game seconds.
    """

    def __init__(
        self,
        gamedata: GameData,
        store: TeamStore,
        *,
        clock: Clock,
        context: GameContext | None = None,
        predictor: CombatPredictor | None = None,
        enabled: bool = True,
        parties: bool = False,
        party_timeout: float = PARTY_TIMEOUT_GAME_SECONDS,
        party_interval: float = 900.0,
        min_party_win: float = 0.9,
        deposit_threshold: int = DEPOSIT_THRESHOLD,
        goal_chunk: int = GOAL_CHUNK,
        characters: Sequence[str] = (),
        solo_margin: float = 1.0,
        bank_crafting: bool = True,
        craft_margin: float = 1.0,
        plans: bool = True,
        claims: bool = True,
        product_cap: int | None = 100,
        disposals: bool = True,
        disposal_interval: float = 1800.0,
        fighters: int | None = PARTY_SIZE,
        producer_combat_weight: float = 1.0,
    ) -> None:
        self.gamedata = gamedata
        self.store = store
        self.clock = clock
        self.team = TeamView(gamedata, characters=characters, predictor=predictor, context=context)
        self.facts = self.team.facts
        self.context = self.team.context
        self.ledger = ReservationLedger(store, clock)
        self.lifecycle = PlanLifecycle(self.team, store, self.ledger)
        policy = ClaimsPolicy() if claims else SharesPolicy()
        self.bank_access = BankAccess(
            self.team, self.ledger, store, self.lifecycle, settings=BankSettings(policy=policy)
        )
        self.party_desk = PartyDesk(
            self.team,
            store,
            self.bank_access,
            clock=clock,
            settings=PartySettings(
                enabled=parties,
                timeout=party_timeout,
                interval=party_interval,
                min_win=min_party_win,
            ),
        )
        self.stage_desk = StageDesk(
            self.team,
            self.bank_access,
            self.lifecycle,
            store,
            settings=PlanSettings(
                enabled=plans,
                solo_margin=solo_margin,
                deposit_threshold=deposit_threshold,
                goal_chunk=goal_chunk,
            ),
        )
        self.errand_desk = ErrandDesk(
            self.team,
            self.bank_access,
            clock=clock,
            settings=ErrandSettings(
                enabled=bank_crafting, craft_margin=craft_margin, product_cap=product_cap
            ),
        )
        self.disposal_desk = DisposalDesk(
            self.team,
            self.bank_access,
            self.lifecycle,
            clock=clock,
            settings=DisposalSettings(enabled=disposals, interval=disposal_interval),
        )
        self.team_roles = TeamRoles(
            self.team,
            store,
            settings=RoleSettings(fighters=fighters, producer_combat_weight=producer_combat_weight),
        )
        self._enabled = bool(store.get("enabled", enabled))
        self.views = self.team.views

    # ----------------------------------------------------------------- switches

    @property
    def enabled(self) -> bool:
        """Whether the coordinator advises (off: every character plans alone)."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = bool(value)
        self.store.put("enabled", self._enabled)
        logger.info("coordinator %s", "on" if value else "off")

    @property
    def plan(self) -> ActivePlan | None:
        """The active plan (``None`` until a character asked, or when nothing is feasible)."""
        return self.lifecycle.plan

    def set_manual(self, skill: str, recipe: str | None = None) -> ActivePlan | None:
        """Fix the plan on ``skill`` (and ``recipe`` when given) until :meth:`set_auto`.

        Raises:
            ValueError: the team cannot run the recipe's pipeline.
        """
        return self.lifecycle.set_manual(skill, recipe)

    def set_auto(self) -> None:
        """Return to automatic plans on the bottleneck skill (the current plan completes)."""
        self.lifecycle.set_auto()

    # ----------------------------------------------------------------- Advisor

    def advise(self, name: str, state: GameState) -> Advice | None:
        """Return the advice for ``name`` (``None`` when the coordinator is off)."""
        if not self._enabled:
            return None
        self.lifecycle.credit(name, state)
        self.bank_access.drop_claims(name)  # a new decision: what it claimed was taken or not
        self.team.observe(name, state, self.clock.game_seconds())
        party_advice = self.party_desk.advise(name, state)
        if party_advice is not None:
            return self._finish(name, state, party_advice)
        disposal = self.disposal_desk.advise(name, state)
        if disposal is not None:
            return self._finish(name, state, disposal)
        errand = self.errand_desk.advise(name, state)
        if errand is not None:
            return self._finish(name, state, errand)
        return self._finish(name, state, self.stage_desk.advise(name, state))

    def claim(self, name: str, code: str, quantity: int) -> bool:
        """Whether ``name`` may withdraw ``quantity`` of ``code`` now: the true bank less the
        other characters' reservations and claims holds them (then they are claimed until
        its next bank change). Always yes when the coordinator is off or its bank access
        policy claims nothing."""
        return not self._enabled or self.bank_access.claim(name, code, quantity)

    def claimable(self, name: str, code: str) -> int:
        """Units of ``code`` ``name`` could claim now: the true bank less the others'
        reservations and claims, and less its own earlier claims."""
        return self.bank_access.claimable(name, code)

    def team_bank(self) -> dict[str, int] | None:
        """The true bank as the characters' bank actions last showed it (``None`` before
        any character was seen, and when the coordinator is off or its policy claims
        nothing: each character then plans on its own view)."""
        return self.bank_access.team_bank() if self._enabled else None

    def _finish(self, name: str, state: GameState, advice: Advice) -> Advice:
        """Complete ``advice`` for ``name``: the share of the banked food it counts as its own,
        its role's combat weight, and the bank side (by the bank access policy)."""
        self.team.mark(name, alone=advice.goal is None)
        # The banked food and potions feed every fighter of the team, not this one alone.
        advice = replace(advice, bank_share=1.0 / self.team.team_size)
        weight = self.team_roles.combat_weight(name)
        if weight is not None:
            advice = replace(advice, combat_weight=weight)
        return self.bank_access.finish(name, state, advice)

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        """Take an event from character ``name`` (see :mod:`guildmaster.agent.advisor`)."""
        if event == "bank" and isinstance(data.get("items"), Mapping):
            now = self.clock.game_seconds()
            solo = not self.errand_desk.is_running(name)
            self.bank_access.observe(name, data["items"], now=now, demand=solo)
        elif event in ("goal_reached", "goal_failed"):
            reached = event == "goal_reached"
            self.disposal_desk.goal_over(name, data.get("goal"), reached=reached)
            self.errand_desk.goal_over(name, data.get("goal"))
            self.lifecycle.goal_over(name, data.get("goal"), reached=reached)
            if data.get("party"):
                won = bool(data.get("win", reached))
                self.party_desk.finish(str(data["party"]), won=won)
        elif event == "death":
            self.party_desk.leave(name)

    def production(self) -> dict[str, tuple[int, int]]:
        """Return ``code -> (needed by the plans, produced)`` since the store was created."""
        return self.lifecycle.production()

    def max_overproduction(self) -> float:
        """Return the largest ``produced / needed`` over materials with a need (0.0 if none)."""
        return self.lifecycle.max_overproduction()

    # ----------------------------------------------------------------- stages

    def _avoid(self, name: str) -> frozenset[str]:
        return self.bank_access.avoid(name)

    # ----------------------------------------------------------------- disposals

    # ----------------------------------------------------------------- boss parties

    def summoned(self, name: str) -> bool:
        """Whether ``name`` should leave its goal now: a forming party is waiting for it."""
        return self._enabled and self.party_desk.summoned(name)

    def parties(self) -> tuple[BossParty, ...]:
        """Return every known party (active ones and the history)."""
        return self.party_desk.parties()

    # ----------------------------------------------------------------- reports

    def surplus(self) -> tuple[Surplus, ...]:
        """Return the gear above quota in the bank and the inventories (sell or recycle)."""
        return self.disposal_desk.surplus()

    @property
    def errand_counts(self) -> dict[str, int]:
        """Why bank-craft errands were given or not (outcome -> count)."""
        return self.errand_desk.counts

    @property
    def disposal_counts(self) -> dict[str, int]:
        """Disposal errands by outcome (``npc``, ``recycle``, ``reached``, ``failed``)."""
        return self.disposal_desk.counts

    def status(self) -> dict[str, Any]:
        """Return a JSON-ready summary for the dashboard and the bench note."""
        plan = self.lifecycle.plan
        return {
            "enabled": self._enabled,
            "plan": None if plan is None else plan.to_json(),
            "assignments": self.store.assignments(),
            "reservations": self.ledger.owners(),
            "parties": [p.to_json() for p in self.party_desk.parties() if p.is_active],
            "best_boss_chance": _chance_json(self.party_desk.best_chance),
            "max_overproduction": self.max_overproduction(),
            "bank_crafting": dict(self.errand_desk.counts),
            "disposals": dict(self.disposal_desk.counts),
            "claims": dict(self.bank_access.claim_counts),
            "roles": self.roles(),
        }

    def roles(self) -> dict[CharacterName, str]:
        """Each character's role, ``"fighter"`` or ``"producer"`` (empty while everyone
        fights: roles off, a team no larger than its fighters, or not chosen yet)."""
        return self.team_roles.roles()


def _chance_json(chance: PartyCandidate | None) -> dict[str, Any] | None:
    if chance is None:
        return None
    return {
        "monster": chance.monster,
        "members": list(chance.members),
        "win_probability": round(chance.win_probability, 3),
    }
