"""A planning domain: action generators (and the goal factories for sub-goals), passed in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic

from guildmaster.planning.action import Action
from guildmaster.planning.goal import Goal
from guildmaster.planning.state import StateT
from guildmaster.planning.subgoals import GoalManager

__all__ = ["ActionGenerator", "Domain"]

#: Yields candidate actions for a state (and the goal being planned, to prune irrelevant ones).
ActionGenerator = Callable[[StateT, Goal[StateT]], Iterable[Action[StateT]]]


class Domain(Generic[StateT]):
    """A collection of action generators plus the sub-goal :class:`GoalManager`.

    The order of generators (and of the actions each yields) is the planner's tie-breaking
    order, so a domain must generate deterministically.

    >>> from guildmaster.planning.action import FactAction
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
