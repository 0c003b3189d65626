"""``DisposalDesk``: sends a character with nothing urgent to sell or recycle surplus gear.

The gear above the quotas (:mod:`.quotas`) in the bank and the bags becomes gold or materials:
the desk offers one :class:`~guildmaster.planning.domains.DisposeItems` errand at a time per
character (at most one every ``interval`` game seconds, never to a hurt character or one with a
task to hand in), choosing the item and venue with :func:`~.disposal.choose_disposal`, and
reserves the banked units the errand takes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from guildmaster.agent.advisor import Advice
from guildmaster.clock import Clock
from guildmaster.coordinator.access import BankAccess
from guildmaster.coordinator.disposal import DISPOSAL_NEAR_BANK_SECONDS, Disposal, choose_disposal
from guildmaster.coordinator.lifecycle import PlanLifecycle
from guildmaster.coordinator.quotas import Surplus, gear_surplus
from guildmaster.coordinator.store import CharacterName
from guildmaster.coordinator.teamview import TeamView
from guildmaster.planning.domains import BANK, DisposeItems, GameState

__all__ = ["DisposalDesk", "DisposalSettings"]

logger = logging.getLogger(__name__)

#: Inventory units kept free beyond what a disposal errand carries.
_ROOM_MARGIN = 5


@dataclass(frozen=True)
class DisposalSettings:
    """Tuning of the :class:`DisposalDesk`: ``enabled`` at all, and at most one errand per
    character every ``interval`` game seconds."""

    enabled: bool = True
    interval: float = 1800.0


class DisposalDesk:
    """Disposal errands of one team: who is on one, when each last got one, and outcomes."""

    def __init__(
        self,
        team: TeamView,
        bank_access: BankAccess,
        lifecycle: PlanLifecycle,
        *,
        clock: Clock,
        settings: DisposalSettings | None = None,
    ) -> None:
        self.team = team
        self.bank_access = bank_access
        self.ledger = bank_access.ledger
        self.lifecycle = lifecycle
        self.clock = clock
        self.settings = settings or DisposalSettings()
        #: Each character's disposal errand in flight: ``(goal name, item code)``.
        self._disposing: dict[CharacterName, tuple[str, str]] = {}
        self._last_disposal: dict[CharacterName, float] = {}
        #: Disposal errands by outcome (``npc``, ``recycle``, ``reached``, ``failed``).
        self.counts: dict[str, int] = {}
        self._npcs: frozenset[str] | None = None

    def surplus(self) -> tuple[Surplus, ...]:
        """Return the gear above quota in the bank and the inventories (sell or recycle)."""
        return gear_surplus(
            self.team.gamedata,
            bank=self.team.views.bank,
            inventories=self.team.inventories(),
            equipment=[[c for _, c in s.equipment] for s in self.team.states.values()],
        )

    def advise(self, name: CharacterName, state: GameState) -> Advice | None:
        """Send ``name`` to sell or recycle surplus gear when its work is not urgent."""
        if not self.settings.enabled:
            return None
        if self._disposing.pop(name, None) is not None:
            self.ledger.release(name)  # it chose again: its last errand is over
        now = self.clock.game_seconds()
        interval = self.settings.interval
        if now - self._last_disposal.get(name, -interval) < interval:
            return None
        task = state.task
        if state.hp * 2 < state.max_hp or (task is not None and task.is_done):
            return None
        surplus = [s for s in self.surplus() if s.action != "keep"]
        if not surplus:
            return None
        free = self.bank_access.free_for(name)
        choice = self._choose(name, state, surplus, free, now)
        if choice is None:
            return None
        banked = choice.quantity - min(state.inventory[choice.code], choice.quantity)
        granted: dict[str, int] = {}
        if banked > 0:
            granted = self.ledger.reserve(name, {choice.code: banked}, bank=free)
            if granted.get(choice.code, 0) < banked:
                self.ledger.release(name)
                return None
        venue, npc = choice.venue, choice.npc
        goal = DisposeItems.of(
            state, choice.code, choice.quantity, venue=venue, npc=npc, ctx=self.team.context
        )
        self._disposing[name] = (goal.name, choice.code)
        self._last_disposal[name] = now
        self.counts[choice.venue] = self.counts.get(choice.venue, 0) + 1
        logger.info("%s: %s (worth %.0f gold)", name, goal.name, choice.value)
        return Advice(
            goal=goal,
            reserved=granted,
            avoid=self.bank_access.avoid(name) - {choice.code},
            note=f"dispose: {choice.code} x{choice.quantity} ({choice.venue})",
        )

    def _choose(
        self,
        name: CharacterName,
        state: GameState,
        surplus: list[Surplus],
        free: dict[str, int],
        now: float,
    ) -> Disposal | None:
        """The disposal for ``name``: what it carries, or what the bank it believes in holds
        when it stands near a bank; materials the team needs are worth more recycled."""
        view = self.team.views.view(name)
        bank = {c: min(q, view.get(c, 0)) for c, q in free.items()}
        facts = self.team.facts
        tile = self.team.context.nearest(state.location, BANK)
        seconds = None if tile is None else facts.travel_seconds(state.location, tile)
        near = seconds is not None and seconds <= DISPOSAL_NEAR_BANK_SECONDS
        demanded = self.bank_access.demanded(now)
        plan = self.lifecycle.plan
        needs = demanded | self.bank_access.earmarked | set(plan.needed if plan else ())
        return choose_disposal(
            self.team.gamedata,
            state,
            surplus,
            bank=bank,
            near_bank=near,
            room=state.free_space() - _ROOM_MARGIN,
            needs=needs,
            npcs=self._on_map_npcs(),
            busy={code for _, code in self._disposing.values()},
        )

    def _on_map_npcs(self) -> frozenset[str]:
        if self._npcs is None:
            npcs = {o.npc for o in self.team.gamedata.npc_offers}
            self._npcs = frozenset(n for n in npcs if self.team.facts.locations("npc", n))
        return self._npcs

    def goal_over(self, name: CharacterName, goal: object, *, reached: bool) -> None:
        """``name``'s goal ``goal`` was reached or failed: when it is its disposal errand, the
        errand is over (its reservation ends)."""
        disposing = self._disposing.get(name)
        if disposing is not None and disposing[0] == goal:
            del self._disposing[name]
            self.ledger.release(name)
            outcome = "reached" if reached else "failed"
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
