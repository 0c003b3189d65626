"""Errors raised by the planning core.

Tree::

    PlanningError
    ├── PlanNotFound            no plan: budget exhausted, goal unreachable or infeasible
    ├── NoGoalForRequest        a SubGoalRequest whose kind has no registered goal factory
    └── ResolutionFailed        executing a goal through ``resolve`` gave up
        ├── SubGoalDepthExceeded    sub-goals nested deeper than allowed
        └── ReplanLimitExceeded     too many replans (drift, failed steps) for one goal
"""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = [
    "NoGoalForRequest",
    "PlanNotFound",
    "PlanNotFoundReason",
    "PlanningError",
    "ReplanLimitExceeded",
    "ResolutionFailed",
    "SubGoalDepthExceeded",
]

#: Why the planner gave up.
PlanNotFoundReason: TypeAlias = Literal["budget_exhausted", "no_plan", "infeasible"]


class PlanningError(Exception):
    """Root of every error raised by :mod:`guildmaster.planning`."""


class PlanNotFound(PlanningError):
    """The planner found no plan for a goal.

    >>> str(PlanNotFound("no_plan", goal="obtain(copper_ore x3)", nodes_expanded=12))
    'no plan for obtain(copper_ore x3): no_plan after 12 nodes'
    """

    def __init__(
        self,
        reason: PlanNotFoundReason,
        *,
        goal: str,
        nodes_expanded: int = 0,
        detail: str = "",
    ) -> None:
        self.reason: PlanNotFoundReason = reason
        self.goal = goal
        self.nodes_expanded = nodes_expanded
        self.detail = detail
        message = f"no plan for {goal}: {reason} after {nodes_expanded} nodes"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class NoGoalForRequest(PlanningError):
    """No goal factory is registered for a sub-goal request's kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"no goal factory registered for sub-goal request {kind!r}")


class ResolutionFailed(PlanningError):
    """Executing a goal through :func:`guildmaster.planning.resolve` gave up."""

    def __init__(self, message: str, *, goal: str) -> None:
        self.goal = goal
        super().__init__(message)


class SubGoalDepthExceeded(ResolutionFailed):
    """Sub-goals were nested deeper than ``max_subgoal_depth``."""

    def __init__(self, *, goal: str, depth: int) -> None:
        self.depth = depth
        super().__init__(f"sub-goal depth {depth} exceeded while resolving {goal}", goal=goal)


class ReplanLimitExceeded(ResolutionFailed):
    """A goal needed more replans than ``max_replans``."""

    def __init__(self, *, goal: str, replans: int) -> None:
        self.replans = replans
        super().__init__(f"gave up on {goal} after {replans} replans", goal=goal)
