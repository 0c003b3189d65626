"""A* search over a :class:`Domain`: the cheapest :class:`Plan` or :class:`PlanNotFound`.

A plan is a tuple of :class:`PlanStep` (action, expected state, cost) from a start state.

Determinism: the open list is ordered by ``(f, h, seq)`` where ``seq`` is the insertion
counter, so among equally promising nodes the one generated first wins; with a deterministic
domain the same inputs always give the same plan.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Final, Generic

from guildmaster.planning.action import Action, Domain
from guildmaster.planning.errors import PlanNotFound
from guildmaster.planning.goal import Goal
from guildmaster.planning.state import StateT

__all__ = ["DEFAULT_NODE_BUDGET", "Plan", "PlanStep", "plan"]

logger = logging.getLogger(__name__)

#: Default number of node expansions before the search gives up.
DEFAULT_NODE_BUDGET: Final = 20_000


@dataclass(frozen=True, slots=True)
class PlanStep(Generic[StateT]):
    """One planned action, the state expected after it, and its cost in game-seconds."""

    action: Action[StateT]
    expected_state: StateT
    cost: float


@dataclass(frozen=True, slots=True)
class Plan(Generic[StateT]):
    """A sequence of steps from ``start`` that reaches the goal named ``goal``.

    ``nodes_expanded`` records how much search it took (for benchmarks and explanations).
    """

    start: StateT
    goal: str
    steps: tuple[PlanStep[StateT], ...] = ()
    nodes_expanded: int = 0

    @property
    def total_cost(self) -> float:
        """Sum of step costs in game-seconds."""
        return sum(step.cost for step in self.steps)

    @property
    def final_state(self) -> StateT:
        """The state expected once every step ran."""
        return self.steps[-1].expected_state if self.steps else self.start

    @property
    def action_names(self) -> tuple[str, ...]:
        """The names of the planned actions, in order."""
        return tuple(step.action.name for step in self.steps)

    def is_empty(self) -> bool:
        """Return whether the goal already held at the start."""
        return not self.steps

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[PlanStep[StateT]]:
        return iter(self.steps)

    def explain(self) -> list[str]:
        """Return one human-readable line per step with running cost totals."""
        lines = [f"plan for {self.goal}: {len(self.steps)} steps, {self.total_cost:.1f} s"]
        elapsed = 0.0
        for index, step in enumerate(self.steps, start=1):
            elapsed += step.cost
            lines.append(
                f"{index:3d}. {step.action.name:<40} +{step.cost:7.1f} s  = {elapsed:8.1f} s"
            )
        return lines


@dataclass(slots=True)
class _Node(Generic[StateT]):
    state: StateT
    g: float
    parent: Hashable | None
    action: Action[StateT] | None
    step_cost: float


def plan(
    domain: Domain[StateT],
    state: StateT,
    goal: Goal[StateT],
    *,
    node_budget: int = DEFAULT_NODE_BUDGET,
    max_cost: float = math.inf,
    weight: float = 1.0,
) -> Plan[StateT]:
    """Return the cheapest plan from ``state`` to ``goal`` (optimal for admissible heuristics).

    ``node_budget`` bounds the number of expanded nodes; ``max_cost`` prunes plans dearer than
    that many game-seconds. A heuristic of ``inf`` marks a dead end (never expanded).
    ``weight`` > 1 runs weighted A* (``f = g + weight * h``): far
    fewer expansions on long plans, at most ``weight`` times the optimal cost.

    Raises:
        PlanNotFound: ``infeasible`` when the goal says so, ``budget_exhausted`` when the
            budget runs out, ``no_plan`` when the reachable space holds no goal state.
        ValueError: when an action reports a negative or non-finite cost, or ``weight < 1``.
    """
    if weight < 1:
        raise ValueError(f"heuristic weight must be >= 1, got {weight}")
    if not goal.is_feasible(state):
        raise PlanNotFound("infeasible", goal=goal.name)
    start_key = state.key()
    nodes: dict[Hashable, _Node[StateT]] = {start_key: _Node(state, 0.0, None, None, 0.0)}
    closed: set[Hashable] = set()
    seq = 0
    h0 = goal.heuristic(state)
    if math.isinf(h0):
        raise PlanNotFound("infeasible", goal=goal.name, detail="heuristic says unreachable")
    frontier: list[tuple[float, float, int, Hashable]] = [(weight * h0, h0, seq, start_key)]
    expanded = 0
    while frontier:
        _, _, _, key = heapq.heappop(frontier)
        if key in closed:
            continue
        node = nodes[key]
        if goal.is_satisfied(node.state):
            result = _build_plan(nodes, key, state, goal, expanded)
            logger.debug(
                "planned %s: %d steps, %.1f s, %d nodes",
                goal.name,
                len(result),
                result.total_cost,
                expanded,
            )
            return result
        if expanded >= node_budget:
            raise PlanNotFound(
                "budget_exhausted",
                goal=goal.name,
                nodes_expanded=expanded,
                detail=f"budget {node_budget}, frontier {len(frontier)}",
            )
        closed.add(key)
        expanded += 1
        for action, cost in _priced_actions(domain, node.state, goal):
            g = node.g + cost
            if g > max_cost:
                continue
            child = action.apply(node.state)
            child_key = child.key()
            known = nodes.get(child_key)
            if known is not None and known.g <= g:
                continue
            # A cheaper path reopens a closed node, so inconsistent heuristics stay optimal.
            closed.discard(child_key)
            nodes[child_key] = _Node(child, g, key, action, cost)
            h = goal.heuristic(child)
            if math.isinf(h):
                continue  # a dead end: the goal cannot be reached from there
            seq += 1
            heapq.heappush(frontier, (g + weight * h, h, seq, child_key))
    raise PlanNotFound("no_plan", goal=goal.name, nodes_expanded=expanded)


def _priced_actions(
    domain: Domain[StateT], state: StateT, goal: Goal[StateT]
) -> Iterator[tuple[Action[StateT], float]]:
    """Yield each action applicable in ``state`` with its cost, in the domain's order.

    Raises:
        ValueError: when an action reports a negative or non-finite cost.
    """
    for action in domain.actions(state, goal):
        if not action.is_applicable(state):
            continue
        cost = action.cost(state)
        if not (cost >= 0 and math.isfinite(cost)):
            raise ValueError(f"action {action.name} has invalid cost {cost}")
        yield action, cost


def _build_plan(
    nodes: dict[Hashable, _Node[StateT]],
    key: Hashable,
    start: StateT,
    goal: Goal[StateT],
    expanded: int,
) -> Plan[StateT]:
    steps: list[PlanStep[StateT]] = []
    current: Hashable | None = key
    while current is not None:
        node = nodes[current]
        if node.action is None:
            break
        steps.append(PlanStep(node.action, node.state, node.step_cost))
        current = node.parent
    steps.reverse()
    return Plan(start=start, goal=goal.name, steps=tuple(steps), nodes_expanded=expanded)
