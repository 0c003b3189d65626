"""Actions: preconditions (``check``), effects (``apply``) and cost in game-seconds."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Mapping
from typing import Generic

from guildmaster.planning.state import Condition, Effect, StateT, WorldState, condition_holds
from guildmaster.planning.subgoals import SubGoalRequest

__all__ = ["Action", "FactAction"]


class Action(ABC, Generic[StateT]):
    """One step the planner may take.

    Subclasses say why they cannot run (:meth:`check` returns a :class:`SubGoalRequest`), what
    they change (:meth:`apply`, the expected outcome) and what they cost (:meth:`cost`, in
    game-seconds, never negative). Actions may be parametrised (``Gather("copper_rocks")``);
    :attr:`name` must then include the parameters, because plans are compared by name.
    """

    @property
    @abstractmethod
    def name(self) -> str:
        """A label unique among the actions of a domain, e.g. ``gather(copper_rocks)``."""

    @abstractmethod
    def check(self, state: StateT) -> SubGoalRequest | None:
        """Return ``None`` if the action can run in ``state``, else what is missing."""

    @abstractmethod
    def apply(self, state: StateT) -> StateT:
        """Return the expected state after running the action in ``state``."""

    @abstractmethod
    def cost(self, state: StateT) -> float:
        """Return the expected cost of running the action in ``state``, in game-seconds."""

    def is_applicable(self, state: StateT) -> bool:
        """Return whether the action can run in ``state``."""
        return self.check(state) is None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class FactAction(Action[WorldState]):
    """A data-declared action on a :class:`WorldState`.

    >>> from guildmaster.planning.state import Add, AtLeast
    >>> chop = FactAction("chop", {"at": "forest"}, {"wood": Add(1)}, cost=30)
    >>> chop.is_applicable(WorldState({"at": "home"}))
    False
    >>> chop.apply(WorldState({"at": "forest"}))["wood"]
    1
    """

    def __init__(
        self,
        name: str,
        preconditions: Mapping[str, Condition],
        effects: Mapping[str, Effect],
        *,
        cost: float = 1.0,
    ) -> None:
        if cost < 0:
            raise ValueError(f"action {name!r} has negative cost {cost}")
        self._name = name
        self.preconditions: dict[str, Condition] = dict(preconditions)
        self.effects: dict[str, Effect] = dict(effects)
        self._cost = float(cost)

    @property
    def name(self) -> str:
        return self._name

    def check(self, state: WorldState) -> SubGoalRequest | None:
        unmet: tuple[str, ...] = tuple(
            fact
            for fact, condition in self.preconditions.items()
            if not condition_holds(condition, state[fact])
        )
        if not unmet:
            return None
        return SubGoalRequest.precondition(unmet, reason=f"{self._name} needs {unmet}")

    def apply(self, state: WorldState) -> WorldState:
        return state.apply(self.effects)

    def cost(self, state: WorldState) -> float:
        return self._cost

    def params(self) -> tuple[tuple[str, Hashable], ...]:
        """Return the preconditions as sorted pairs (for display)."""
        return tuple(sorted((k, repr(v)) for k, v in self.preconditions.items()))
