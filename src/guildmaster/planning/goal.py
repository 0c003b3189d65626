"""Goals: what the planner is asked to reach, with an optional admissible heuristic."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Generic

from guildmaster.planning.state import (
    AtLeast,
    AtMost,
    Condition,
    StateT,
    WorldState,
    condition_holds,
)

__all__ = ["FactGoal", "Goal", "PredicateGoal"]


class Goal(ABC, Generic[StateT]):
    """A target for the planner.

    ``heuristic`` must never overestimate the remaining cost in game-seconds (A* optimality
    depends on it); ``0`` is always safe. ``weight`` ranks goals for whoever selects them.
    """

    weight: float = 1.0

    @property
    @abstractmethod
    def name(self) -> str:
        """A short human-readable label, e.g. ``obtain(copper_bar x2)``."""

    @abstractmethod
    def is_satisfied(self, state: StateT) -> bool:
        """Return whether ``state`` reaches the goal."""

    def heuristic(self, state: StateT) -> float:
        """Return a lower bound on the cost still needed from ``state`` (default 0)."""
        return 0.0

    def is_feasible(self, state: StateT) -> bool:
        """Return whether the goal can possibly be reached from ``state`` (default True)."""
        return True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class PredicateGoal(Goal[StateT]):
    """A goal given by a predicate and an optional heuristic function.

    >>> g = PredicateGoal("has wood", lambda s: s["wood"] == 1)
    >>> g.is_satisfied(WorldState({"wood": 1}))
    True
    """

    def __init__(
        self,
        name: str,
        predicate: Callable[[StateT], bool],
        *,
        heuristic: Callable[[StateT], float] | None = None,
        weight: float = 1.0,
    ) -> None:
        self._name = name
        self._predicate = predicate
        self._heuristic = heuristic
        self.weight = weight

    @property
    def name(self) -> str:
        return self._name

    def is_satisfied(self, state: StateT) -> bool:
        return self._predicate(state)

    def heuristic(self, state: StateT) -> float:
        return 0.0 if self._heuristic is None else self._heuristic(state)


class FactGoal(Goal[WorldState]):
    """A goal on a :class:`WorldState`: every target condition must hold.

    The heuristic charges ``step_cost`` per unmet condition plus ``unit_cost`` per unit of
    numeric gap; it is admissible when no action fixes more than one condition, or more than
    one unit of a numeric gap, for less than those costs.

    >>> g = FactGoal({"at": "forest", "wood": AtLeast(2)}, step_cost=1.0)
    >>> g.is_satisfied(WorldState({"at": "forest", "wood": 2})), g.heuristic(WorldState())
    (True, 2.0)
    """

    def __init__(
        self,
        target: Mapping[str, Condition],
        *,
        name: str | None = None,
        weight: float = 1.0,
        step_cost: float = 0.0,
        unit_cost: float = 0.0,
    ) -> None:
        self.target = dict(target)
        self._name = name or "reach(" + ", ".join(f"{k}={v}" for k, v in self.target.items()) + ")"
        self.weight = weight
        self.step_cost = step_cost
        self.unit_cost = unit_cost

    @property
    def name(self) -> str:
        return self._name

    def is_satisfied(self, state: WorldState) -> bool:
        return state.satisfies(self.target)

    def heuristic(self, state: WorldState) -> float:
        total = 0.0
        for fact, condition in self.target.items():
            actual = state[fact]
            if condition_holds(condition, actual):
                continue
            if isinstance(condition, AtLeast | AtMost) and self.unit_cost:
                total += max(self.step_cost, self.unit_cost * condition.gap(actual))
            else:
                total += self.step_cost
        return total
