"""Disposal goals: get rid of surplus items by selling them to an NPC or recycling them.

:class:`DisposeItems` is satisfied once the character and the bank together hold at most
``keep`` units of ``code``. Its relevance names exactly one venue (an NPC that buys the item,
or the item's workshop for recycling), so the planner only ever considers withdrawing the item,
walking to that venue and selling or recycling there: normal planning never sees these actions.
The Grand Exchange is not a venue here (gold arrives only when someone buys, so a plan could not
count on it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from guildmaster.planning.domains.context import GameContext, Relevance
from guildmaster.planning.domains.goals import GameGoal
from guildmaster.planning.domains.state import GameState

__all__ = ["DisposalVenue", "DisposeItems"]

#: How a disposal gets rid of its items: sell to an NPC, or recycle at the workshop.
DisposalVenue = Literal["npc", "recycle"]


@dataclass(frozen=True)
class DisposeItems(GameGoal):
    """Hold (inventory plus bank) at most ``keep`` units of ``code``, selling them to ``npc``
    (venue ``npc``) or recycling them (venue ``recycle``): gold or materials are gained.

    >>> from guildmaster.planning.domains.facts import StaticFacts
    >>> state = GameState(("overworld", 0, 0), 10, 10).gain("dagger", 3)
    >>> goal = DisposeItems.of(state, "dagger", 2, venue="npc", npc="smith",
    ...                        ctx=GameContext(StaticFacts()))
    >>> goal.name, goal.keep, goal.excess(state), goal.is_satisfied(state.lose("dagger", 2))
    ('dispose(dagger to 1 npc:smith)', 1, 2, True)
    """

    code: str
    keep: int
    venue: DisposalVenue = "npc"
    npc: str = ""

    @classmethod
    def of(
        cls,
        state: GameState,
        code: str,
        quantity: int,
        *,
        venue: DisposalVenue,
        npc: str = "",
        ctx: GameContext,
    ) -> DisposeItems:
        """Return the goal of getting rid of ``quantity`` of the units ``state`` holds now.

        Raises:
            ValueError: ``quantity`` is not positive, or an NPC sale names no NPC.
        """
        if quantity <= 0:
            raise ValueError(f"nothing to dispose of: {quantity}")
        if venue == "npc" and not npc:
            raise ValueError("an NPC sale needs the NPC")
        held = state.inventory[code] + state.bank[code]
        return cls(code, max(0, held - quantity), venue, npc, ctx=ctx)

    @property
    def name(self) -> str:
        where = f"npc:{self.npc}" if self.venue == "npc" else "recycle"
        return f"dispose({self.code} to {self.keep} {where})"

    def excess(self, state: GameState) -> int:
        """Return how many units still have to go."""
        return max(0, state.inventory[self.code] + state.bank[self.code] - self.keep)

    def is_satisfied(self, state: GameState) -> bool:
        return self.excess(state) == 0

    def heuristic(self, state: GameState) -> float:
        return 0.0 if self.excess(state) == 0 else 1.0

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        return {self.code: max(0, self.excess(state) - state.inventory[self.code])}

    def relevance(self, state: GameState) -> Relevance:
        items = frozenset({self.code})
        if self.venue == "npc":
            return Relevance(items=items, sells=frozenset({(self.npc, self.code)}))
        return Relevance(items=items, recycles=items)
