"""The team coordinator: "the coordinator is the player".

:class:`Coordinator` implements :class:`~guildmaster.agent.advisor.Advisor`. Every time a
character is about to choose a goal it asks :meth:`Coordinator.advise`, and the coordinator
asks its desks in turn, each owning its own data:

1. the :class:`~.partydesk.PartyDesk`: boss parties (forming, gathering, fighting);
2. the :class:`~.disposaldesk.DisposalDesk`: selling or recycling gear above the quotas;
3. the :class:`~.erranddesk.ErrandDesk`: crafting out of the team's banked by-products;
4. the :class:`~.stagedesk.StageDesk`: the team plan on the bottleneck skill (its
   :class:`~.lifecycle.PlanLifecycle`), its stages and their goals, or nothing: the
   character plays on its own.

The first advice given wins. Every desk reads the same :class:`~.teamview.TeamView` (the
characters, the bank as each believes it, what each earns alone), and every piece of advice
is completed by :class:`~.access.BankAccess` (reservations, claims, shares, under one access
policy) and the team's roles (:class:`~.roles.TeamRoles`). Everything is persisted in a
:class:`~.store.TeamStore`, so a restarted player resumes.

With ``enabled`` off, :meth:`Coordinator.advise` returns ``None`` and each character plans
alone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from guildmaster.agent.advisor import Advice
from guildmaster.clock import Clock
from guildmaster.coordinator.access import BankAccess
from guildmaster.coordinator.disposaldesk import DisposalDesk
from guildmaster.coordinator.erranddesk import ErrandDesk
from guildmaster.coordinator.ledger import ReservationLedger
from guildmaster.coordinator.lifecycle import PlanLifecycle
from guildmaster.coordinator.party import BossParty, PartyCandidate
from guildmaster.coordinator.partydesk import PartyDesk
from guildmaster.coordinator.plan import ActivePlan
from guildmaster.coordinator.quotas import Surplus
from guildmaster.coordinator.roles import TeamRoles
from guildmaster.coordinator.settings import CoordinatorSettings
from guildmaster.coordinator.stagedesk import StageDesk
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView
from guildmaster.knowledge import CombatPredictor, GameData
from guildmaster.planning.domains import GameContext, GameState

__all__ = ["Coordinator", "Desk"]

logger = logging.getLogger(__name__)


class Desk(Protocol):
    """A part of the coordinator that may advise a character (the first to answer wins)."""

    def advise(self, name: CharacterName, state: GameState) -> Advice | None:
        """Return advice for ``name`` in ``state``, or ``None`` to leave it to the next."""


class Coordinator:
    """Steers a team of character agents (an ``Advisor``): asks its desks in turn.

    ``characters`` names the team (plans and shares are sized for it; otherwise for the
    characters seen so far). ``context`` should be the planning context the agents use (the
    goals carry it); by default one is built from ``gamedata``. ``settings`` tunes every desk
    (:class:`~.settings.CoordinatorSettings`); each desk keeps its part as its ``settings``.
    """

    def __init__(
        self,
        gamedata: GameData,
        store: TeamStore,
        *,
        clock: Clock,
        context: GameContext | None = None,
        predictor: CombatPredictor | None = None,
        settings: CoordinatorSettings | None = None,
        characters: Sequence[CharacterName] = (),
    ) -> None:
        settings = settings or CoordinatorSettings()
        self.store = store
        self.clock = clock
        self.team = TeamView(gamedata, characters=characters, predictor=predictor, context=context)
        self.ledger = ReservationLedger(store, clock)
        self.lifecycle = PlanLifecycle(self.team, store, self.ledger)
        self.bank_access = BankAccess(
            self.team, self.ledger, store, self.lifecycle, settings=settings.bank
        )
        team, access = self.team, self.bank_access
        self.party_desk = PartyDesk(team, store, access, clock=clock, settings=settings.parties)
        self.disposal_desk = DisposalDesk(
            team, access, self.lifecycle, clock=clock, settings=settings.disposals
        )
        self.errand_desk = ErrandDesk(team, access, clock=clock, settings=settings.errands)
        self.stage_desk = StageDesk(team, access, self.lifecycle, store, settings=settings.plans)
        self.team_roles = TeamRoles(team, store, settings=settings.roles)
        #: The desks asked in turn before the stage desk (which always answers).
        self.desks: tuple[Desk, ...] = (self.party_desk, self.disposal_desk, self.errand_desk)
        self._enabled = bool(store.get("enabled", settings.enabled))

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
        """Return the advice for ``name`` (``None`` when the coordinator is off): the first
        desk's that has one (parties, disposals, bank errands), else the stage desk's."""
        if not self._enabled:
            return None
        self.lifecycle.credit(name, state)
        self.bank_access.drop_claims(name)  # a new decision: what it claimed was taken or not
        self.team.observe(name, state, self.clock.game_seconds())
        for desk in self.desks:
            advice = desk.advise(name, state)
            if advice is not None:
                return self._finish(name, state, advice)
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
