"""Actions (preconditions via ``check``, effects via ``apply``, cost in game-seconds) and the
:class:`Domain` that collects their generators."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Generic

from guildmaster.planning.goal import Goal
from guildmaster.planning.state import Condition, Effect, StateT, WorldState, condition_holds
from guildmaster.planning.subgoals import GoalManager, SubGoalRequest

__all__ = ["Action", "ActionGenerator", "Domain", "FactAction"]


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


#: Yields candidate actions for a state (and the goal being planned, to prune irrelevant ones).
ActionGenerator = Callable[[StateT, Goal[StateT]], Iterable[Action[StateT]]]


class Domain(Generic[StateT]):
    """A collection of action generators plus the sub-goal :class:`GoalManager`.

    The order of generators (and of the actions each yields) is the planner's tie-breaking
    order, so a domain must generate deterministically.

    >>> from guildmaster.planning.goal import FactGoal
    >>> from guildmaster.planning.state import WorldState
    >>> d = Domain.from_actions([FactAction("go", {"at": "home"}, {"at": "forest"})])
    >>> [a.name for a in d.applicable(WorldState({"at": "home"}), FactGoal({"at": "forest"}))]
    ['go']
    """

    def __init__(
        self,
        generators: Iterable[ActionGenerator[StateT]],
        *,
        goals: GoalManager[StateT] | None = None,
        name: str = "domain",
    ) -> None:
        self.generators: tuple[ActionGenerator[StateT], ...] = tuple(generators)
        self.goals: GoalManager[StateT] = goals if goals is not None else GoalManager()
        self.name = name

    @classmethod
    def from_actions(
        cls,
        actions: Sequence[Action[StateT]],
        *,
        goals: GoalManager[StateT] | None = None,
        name: str = "domain",
    ) -> Domain[StateT]:
        """Build a domain from a fixed list of (ground) actions."""
        fixed = tuple(actions)

        def generate(state: StateT, goal: Goal[StateT]) -> Iterable[Action[StateT]]:
            return fixed

        return cls([generate], goals=goals, name=name)

    def actions(self, state: StateT, goal: Goal[StateT]) -> Iterator[Action[StateT]]:
        """Yield every candidate action, applicable or not, in generator order."""
        for generate in self.generators:
            yield from generate(state, goal)

    def applicable(self, state: StateT, goal: Goal[StateT]) -> Iterator[Action[StateT]]:
        """Yield the candidate actions that can run in ``state``."""
        return (action for action in self.actions(state, goal) if action.is_applicable(state))
