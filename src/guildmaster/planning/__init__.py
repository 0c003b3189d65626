"""guildmaster.planning: the GOAP core (states, actions, goals, A* planner, sub-goals).

The generic core knows nothing about the game; :mod:`guildmaster.planning.domains` holds the
ArtifactsMMO domain built on it.
"""

from __future__ import annotations

from guildmaster.planning.action import Action, ActionGenerator, Domain, FactAction
from guildmaster.planning.errors import (
    NoGoalForRequest,
    PlanningError,
    PlanNotFound,
    PlanNotFoundReason,
    ReplanLimitExceeded,
    ResolutionFailed,
    SubGoalDepthExceeded,
)
from guildmaster.planning.goal import FactGoal, Goal, PredicateGoal
from guildmaster.planning.planner import DEFAULT_NODE_BUDGET, Plan, PlanStep, plan
from guildmaster.planning.resolve import ActFn, RefreshFn, Resolution, StepRecord, resolve
from guildmaster.planning.state import (
    Add,
    AtLeast,
    AtMost,
    Condition,
    Effect,
    Multiset,
    State,
    StateT,
    WorldState,
    condition_holds,
)
from guildmaster.planning.subgoals import (
    EQUIPMENT_MISSING,
    GOLD_MISSING,
    HP_TOO_LOW,
    INVENTORY_FULL,
    ITEM_MISSING,
    NOT_AT_LOCATION,
    PRECONDITION,
    SKILL_TOO_LOW,
    GoalFactory,
    GoalManager,
    SubGoalRequest,
)

__all__ = [
    "DEFAULT_NODE_BUDGET",
    "EQUIPMENT_MISSING",
    "GOLD_MISSING",
    "HP_TOO_LOW",
    "INVENTORY_FULL",
    "ITEM_MISSING",
    "NOT_AT_LOCATION",
    "PRECONDITION",
    "SKILL_TOO_LOW",
    "ActFn",
    "Action",
    "ActionGenerator",
    "Add",
    "AtLeast",
    "AtMost",
    "Condition",
    "Domain",
    "Effect",
    "FactAction",
    "FactGoal",
    "Goal",
    "GoalFactory",
    "GoalManager",
    "Multiset",
    "NoGoalForRequest",
    "Plan",
    "PlanNotFound",
    "PlanNotFoundReason",
    "PlanStep",
    "PlanningError",
    "PredicateGoal",
    "RefreshFn",
    "ReplanLimitExceeded",
    "Resolution",
    "ResolutionFailed",
    "State",
    "StateT",
    "StepRecord",
    "SubGoalDepthExceeded",
    "SubGoalRequest",
    "WorldState",
    "condition_holds",
    "plan",
    "resolve",
]
