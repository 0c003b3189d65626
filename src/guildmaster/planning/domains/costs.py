"""Action costs in game-seconds: the :class:`CostModel` protocol and its prior.

:class:`PriorCosts` uses the documented durations (MECHANICS §6.2). Learned costs from the
observation store plug in by implementing :class:`CostModel` (typically wrapping a
:class:`PriorCosts` and overriding what has been observed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

from guildmaster.planning.domains.facts import FightEstimate, GameFacts, ResourceInfo
from guildmaster.planning.domains.rules import fight_seconds, gathering_seconds, rest_seconds
from guildmaster.planning.domains.state import GameState, Location

__all__ = ["DEFAULT_ACTION_SECONDS", "CostModel", "PriorCosts"]

#: Cooldown of actions without a specific rule (NPC, GE, tasks, gold, transitions).
DEFAULT_ACTION_SECONDS: Final = 3.0


class CostModel(Protocol):
    """Expected durations of game actions, in game-seconds."""

    def move(self, state: GameState, destination: Location) -> float | None:
        """Return the travel time from ``state.location`` (``None`` when unreachable)."""
        ...

    def fight(self, state: GameState, monster: str, estimate: FightEstimate) -> float:
        """Return the cooldown of one fight."""
        ...

    def gather(self, state: GameState, resource: ResourceInfo) -> float:
        """Return the cooldown of one gather."""
        ...

    def craft(self, state: GameState, item: str, runs: int) -> float:
        """Return the cooldown of crafting ``runs`` runs."""
        ...

    def rest(self, state: GameState) -> float:
        """Return the cooldown of resting to full HP."""
        ...

    def recycle(self, state: GameState, item: str, quantity: int) -> float:
        """Return the cooldown of recycling ``quantity`` items."""
        ...

    def per_stack(self, kind: str, stacks: int) -> float:
        """Return the cooldown of bank/equip actions moving ``stacks`` distinct entries."""
        ...

    def flat(self, kind: str) -> float:
        """Return the cooldown of any other action ``kind`` (``use``, ``npc_buy``, ``task``...)."""
        ...


@dataclass(frozen=True)
class PriorCosts:
    """The documented durations; travel comes from the facts.

    >>> from guildmaster.planning.domains.facts import StaticFacts
    >>> costs = PriorCosts(StaticFacts())
    >>> costs.rest(GameState(("overworld", 0, 0), 64, 120)), costs.craft(None, "x", 3)
    (47.0, 15.0)
    """

    facts: GameFacts
    craft_seconds_per_run: float = 5.0
    recycle_seconds_per_item: float = 3.0
    seconds_per_stack: float = 3.0

    def move(self, state: GameState, destination: Location) -> float | None:
        """Return the facts' travel time."""
        return self.facts.travel_seconds(state.location, destination)

    def fight(self, state: GameState, monster: str, estimate: FightEstimate) -> float:
        """Return 2 s per expected turn (at least one turn)."""
        return fight_seconds(max(1.0, estimate.turns))

    def gather(self, state: GameState, resource: ResourceInfo) -> float:
        """Return ``30 + level/2`` reduced by the equipped tool's effect for the skill."""
        tool = 0
        weapon = state.equipped("weapon")
        if weapon is not None:
            item = self.facts.item(weapon)
            if item is not None:
                tool = sum(e.value for e in item.effects if e.code == resource.skill)
        return gathering_seconds(resource.level, tool_effect=min(0, tool))

    def craft(self, state: GameState | None, item: str, runs: int) -> float:
        """Return 5 s per run."""
        return self.craft_seconds_per_run * runs

    def rest(self, state: GameState) -> float:
        """Return 1 s per missing percent, at least 3 s."""
        return rest_seconds(state.hp, state.max_hp)

    def recycle(self, state: GameState, item: str, quantity: int) -> float:
        """Return 3 s per recycled item."""
        return self.recycle_seconds_per_item * quantity

    def per_stack(self, kind: str, stacks: int) -> float:
        """Return 3 s per distinct entry."""
        return self.seconds_per_stack * max(1, stacks)

    def flat(self, kind: str) -> float:
        """Return the 3 s default."""
        return DEFAULT_ACTION_SECONDS
