"""Plan, act, and turn obstacles into sub-goals: :func:`resolve`.

``resolve`` is executor-agnostic: it acts through an ``act`` callback and re-reads the world
through ``refresh``. After each step it compares the returned state with the plan's
prediction and replans on drift. When an action's ``check`` (or ``act`` itself) reports a
:class:`SubGoalRequest`, the domain's :class:`GoalManager` turns it into an ordinary goal that
is resolved recursively (depth-limited), then the world is refreshed and the parent replanned.
When ``act`` itself refuses a step, the world is refreshed before the sub-goal is planned.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic

from guildmaster.planning.action import Action, Domain
from guildmaster.planning.errors import (
    ReplanLimitExceeded,
    ResolutionFailed,
    SubGoalDepthExceeded,
)
from guildmaster.planning.goal import Goal
from guildmaster.planning.planner import DEFAULT_NODE_BUDGET, plan
from guildmaster.planning.state import StateT
from guildmaster.planning.subgoals import GoalManager, SubGoalRequest

__all__ = ["ActFn", "RefreshFn", "Resolution", "StepRecord", "resolve"]

logger = logging.getLogger(__name__)

#: How many times ``act`` may refuse the same action within one :func:`resolve` call.
_MAX_REFUSALS = 5

#: Runs one action for real; returns the new state or why the action could not run.
ActFn = Callable[[Action[StateT], StateT], Awaitable[StateT | SubGoalRequest]]
#: Reads the current state from the server.
RefreshFn = Callable[[], Awaitable[StateT]]


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One executed (or refused) step, for logs and tests."""

    goal: str
    depth: int
    action: str
    outcome: str
    """``ok``, ``drift`` (state differed from the prediction) or ``subgoal:<kind>``."""


@dataclass(frozen=True, slots=True)
class Resolution(Generic[StateT]):
    """The outcome of :func:`resolve`: the final state and what happened on the way."""

    state: StateT
    steps: tuple[StepRecord, ...]
    subgoals: tuple[str, ...]
    replans: int

    @property
    def actions(self) -> tuple[str, ...]:
        """Names of the actions actually executed (accepted by ``act``), in order."""
        return tuple(r.action for r in self.steps if not r.outcome.startswith("subgoal:"))


@dataclass
class _Run(Generic[StateT]):
    domain: Domain[StateT]
    goals: GoalManager[StateT]
    act: ActFn[StateT]
    refresh: RefreshFn[StateT]
    max_depth: int
    max_replans: int
    node_budget: int
    weight: float
    on_track: Callable[[StateT, StateT], bool]
    on_step: Callable[[StepRecord], None] | None
    records: list[StepRecord] = field(default_factory=list)
    subgoals: list[str] = field(default_factory=list)
    replans: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    """How many times ``act`` refused each action (by name)."""
    seen: set[tuple[int, str, SubGoalRequest, object]] = field(default_factory=set)
    """``(depth, action, request, state key)`` of every refusal so far."""


async def resolve(
    domain: Domain[StateT],
    state: StateT,
    goal: Goal[StateT],
    *,
    act: ActFn[StateT],
    refresh: RefreshFn[StateT],
    max_subgoal_depth: int = 10,
    max_replans: int = 50,
    node_budget: int = DEFAULT_NODE_BUDGET,
    weight: float = 1.0,
    goals: GoalManager[StateT] | None = None,
    on_track: Callable[[StateT, StateT], bool] | None = None,
    on_step: Callable[[StepRecord], None] | None = None,
) -> Resolution[StateT]:
    """Reach ``goal`` from ``state`` by planning and acting, recursing into sub-goals.

    ``goals`` overrides ``domain.goals`` for turning requests into goals; ``node_budget`` and
    ``weight`` are passed to :func:`~guildmaster.planning.plan`. ``on_track(expected,
    actual)`` decides whether a step went as planned (default: equal keys), e.g. to ignore
    gold noise; ``on_step`` observes every :class:`StepRecord` as it happens. ``max_replans``
    bounds the replans of each goal (drift, sub-goal detours, plans that ran out).

    Raises:
        PlanNotFound: when a goal (or sub-goal) cannot be planned.
        NoGoalForRequest: when a request's kind has no goal factory.
        SubGoalDepthExceeded: when sub-goals nest deeper than ``max_subgoal_depth``.
        ReplanLimitExceeded: when a goal needs more than ``max_replans`` replans.

    A refusal by ``act`` that cannot make progress fails the goal (``ResolutionFailed``)
    instead of looping: the same action refused again for the same reason in the same state,
    a refusal whose sub-goal is already met, or one action refused ``_MAX_REFUSALS`` (5) times.

    Exceptions raised by ``act`` or ``refresh`` (network errors, unexpected game errors)
    propagate unchanged: retrying them is the executor's business.
    """
    run = _Run(
        domain=domain,
        goals=goals if goals is not None else domain.goals,
        act=act,
        refresh=refresh,
        max_depth=max_subgoal_depth,
        max_replans=max_replans,
        node_budget=node_budget,
        weight=weight,
        on_track=on_track or _same_key,
        on_step=on_step,
    )
    final = await _resolve(run, state, goal, 0)
    return Resolution(
        state=final, steps=tuple(run.records), subgoals=tuple(run.subgoals), replans=run.replans
    )


def _same_key(expected: StateT, actual: StateT) -> bool:
    return expected.key() == actual.key()


def _record(run: _Run[StateT], record: StepRecord) -> None:
    run.records.append(record)
    if run.on_step is not None:
        run.on_step(record)


def _refused(
    run: _Run[StateT],
    goal: Goal[StateT],
    depth: int,
    action: str,
    request: SubGoalRequest,
    state: StateT,
) -> None:
    """Count a refusal by ``act``; fail the goal when it repeats without progress.

    Raises:
        ResolutionFailed: on an identical repeated refusal or too many refusals of ``action``.
    """
    count = run.refused.get(action, 0) + 1
    run.refused[action] = count
    seen = (depth, action, request, state.key())
    if seen in run.seen or count > _MAX_REFUSALS:
        raise ResolutionFailed(
            f"{action} refused again ({request.kind}, {count} times)", goal=goal.name
        )
    run.seen.add(seen)


async def _resolve(run: _Run[StateT], state: StateT, goal: Goal[StateT], depth: int) -> StateT:
    replans = 0
    while not goal.is_satisfied(state):
        current = plan(run.domain, state, goal, node_budget=run.node_budget, weight=run.weight)
        logger.debug("depth %d: %s", depth, " -> ".join(current.action_names) or "(empty)")
        for step in current.steps:
            outcome: StateT | SubGoalRequest | None = step.action.check(state)
            if outcome is None:
                outcome = await run.act(step.action, state)
                if isinstance(outcome, SubGoalRequest):
                    # The server refused: our state is stale, read the world before detouring.
                    state = await run.refresh()
                    _refused(run, goal, depth, step.action.name, outcome, state)
            if isinstance(outcome, SubGoalRequest):
                _record(
                    run, StepRecord(goal.name, depth, step.action.name, f"subgoal:{outcome.kind}")
                )
                if depth + 1 > run.max_depth:
                    raise SubGoalDepthExceeded(goal=goal.name, depth=depth + 1)
                subgoal = run.goals.goal_for(outcome, state)
                if subgoal.is_satisfied(state):
                    # Detouring would change nothing: the same step would be refused again.
                    raise ResolutionFailed(
                        f"{step.action.name} refused ({outcome.kind}) but {subgoal.name} "
                        "already holds",
                        goal=goal.name,
                    )
                run.subgoals.append(subgoal.name)
                logger.info("%s blocked (%s): sub-goal %s", step.action.name, outcome.kind, subgoal)
                await _resolve(run, state, subgoal, depth + 1)
                state = await run.refresh()
                break
            state = outcome
            drift = not run.on_track(step.expected_state, state)
            _record(run, StepRecord(goal.name, depth, step.action.name, "drift" if drift else "ok"))
            if drift:
                logger.debug("drift after %s; replanning %s", step.action.name, goal.name)
                break
        if goal.is_satisfied(state):
            break  # reached (possibly by luck mid-plan): no replan needed
        replans += 1
        run.replans += 1
        if replans > run.max_replans:
            raise ReplanLimitExceeded(goal=goal.name, replans=replans)
    return state
