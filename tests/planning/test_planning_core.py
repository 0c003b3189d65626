"""Planner core: states, goals, A* optimality, budgets and determinism on hand-built domains."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildmaster.planning import (
    Action,
    Add,
    AtLeast,
    AtMost,
    Domain,
    FactAction,
    FactGoal,
    Goal,
    Multiset,
    PlanNotFound,
    PredicateGoal,
    SubGoalRequest,
    WorldState,
    plan,
)


def _replay(start: WorldState, actions: Iterable[Action[WorldState]]) -> tuple[WorldState, float]:
    state, total = start, 0.0
    for action in actions:
        assert action.is_applicable(state), action.name
        total += action.cost(state)
        state = action.apply(state)
    return state, total


def test_world_state_is_immutable_and_keyed_by_facts() -> None:
    s = WorldState({"at": "home", "wood": 0})
    t = s.with_(at="forest")
    assert s["at"] == "home" and t["at"] == "forest"
    assert WorldState({"a": 1, "b": 2}).key() == WorldState({"b": 2, "a": 1}).key()
    assert WorldState({"a": 1, "b": None}) == WorldState({"a": 1})
    assert s.apply({"wood": Add(2)}).apply({"wood": Add(-1)})["wood"] == 1
    with pytest.raises(TypeError):
        s.apply({"at": Add(1)})
    assert len({s, WorldState({"wood": 0, "at": "home"}), t}) == 2


def test_conditions() -> None:
    s = WorldState({"hp": 50, "at": "x"})
    assert s.satisfies({"hp": AtLeast(50), "at": "x"})
    assert not s.satisfies({"hp": AtLeast(51)})
    assert s.satisfies({"hp": AtMost(50)}) and not s.satisfies({"hp": AtMost(49)})
    assert not s.satisfies({"missing": AtLeast(0)})
    assert AtLeast(10).gap(4) == 6 and AtMost(10).gap(14) == 4


def test_multiset() -> None:
    bag = Multiset([("a", 2), ("b", 1), ("a", 1)])
    assert bag["a"] == 3 and bag.total == 4 and len(bag) == 2
    assert bag.remove("b") == Multiset({"a": 3})
    assert hash(bag) == hash(Multiset({"b": 1, "a": 3}))
    assert list(bag) == ["a", "b"] and "a" in bag and "c" not in bag
    with pytest.raises(ValueError):
        bag.remove("b", 2)
    with pytest.raises(ValueError):
        Multiset({"a": -1})
    assert bag.add("c", 0) is bag


def test_fact_action_check_reports_unmet_preconditions() -> None:
    chop = FactAction("chop", {"at": "forest", "axe": True}, {"wood": Add(1)}, cost=3)
    request = chop.check(WorldState({"at": "home"}))
    assert isinstance(request, SubGoalRequest)
    assert request.kind == "precondition"
    assert request.param("unmet") == ("at", "axe")
    with pytest.raises(ValueError):
        FactAction("bad", {}, {}, cost=-1)


def _village() -> Domain[WorldState]:
    return Domain.from_actions(
        [
            FactAction("walk(home->forest)", {"at": "home"}, {"at": "forest"}, cost=10),
            FactAction("walk(forest->home)", {"at": "forest"}, {"at": "home"}, cost=10),
            FactAction("walk(home->mine)", {"at": "home"}, {"at": "mine"}, cost=4),
            FactAction("walk(mine->forest)", {"at": "mine"}, {"at": "forest"}, cost=4),
            FactAction("chop", {"at": "forest"}, {"wood": Add(1)}, cost=3),
            FactAction(
                "build", {"at": "home", "wood": AtLeast(2)}, {"hut": True, "wood": Add(-2)}, cost=5
            ),
        ]
    )


def test_plan_finds_cheapest_chain() -> None:
    start = WorldState({"at": "home", "wood": 0})
    result = plan(_village(), start, FactGoal({"hut": True}))
    assert result.action_names == (
        "walk(home->mine)",
        "walk(mine->forest)",
        "chop",
        "chop",
        "walk(forest->home)",
        "build",
    )
    assert result.total_cost == 4 + 4 + 3 + 3 + 10 + 5
    final, total = _replay(start, (s.action for s in result))
    assert final == result.final_state and total == result.total_cost
    assert all(step.cost > 0 for step in result)
    assert result.explain()[0].startswith("plan for reach(hut=True)")


def test_empty_plan_when_goal_already_holds() -> None:
    start = WorldState({"hut": True})
    result = plan(_village(), start, FactGoal({"hut": True}))
    assert result.is_empty() and result.final_state == start and result.total_cost == 0


def test_budget_exhausted_on_infinite_space() -> None:
    domain = Domain.from_actions([FactAction("inc", {}, {"n": Add(1)}, cost=1)])
    goal = FactGoal({"n": -1})
    with pytest.raises(PlanNotFound) as info:
        plan(domain, WorldState({"n": 0}), goal, node_budget=50)
    assert info.value.reason == "budget_exhausted"
    assert info.value.nodes_expanded == 50


def test_no_plan_on_exhausted_finite_space() -> None:
    walks = [a for a in _village().actions(WorldState(), FactGoal({})) if "walk" in a.name]
    with pytest.raises(PlanNotFound) as info:
        plan(Domain.from_actions(walks), WorldState({"at": "home"}), FactGoal({"at": "castle"}))
    assert info.value.reason == "no_plan"
    assert info.value.nodes_expanded == 3  # home, mine, forest


def test_infeasible_goal_is_not_searched() -> None:
    class Never(PredicateGoal[WorldState]):
        def is_feasible(self, state: WorldState) -> bool:
            return False

    with pytest.raises(PlanNotFound) as info:
        plan(_village(), WorldState({"at": "home"}), Never("never", lambda s: True))
    assert info.value.reason == "infeasible" and info.value.nodes_expanded == 0


def test_max_cost_prunes() -> None:
    with pytest.raises(PlanNotFound):
        plan(_village(), WorldState({"at": "home"}), FactGoal({"at": "forest"}), max_cost=7)
    assert plan(_village(), WorldState({"at": "home"}), FactGoal({"at": "forest"}), max_cost=8)


def test_tie_breaking_follows_generation_order() -> None:
    a = FactAction("a", {}, {"done": True}, cost=2)
    b = FactAction("b", {}, {"done": True, "other": 1}, cost=2)
    goal = FactGoal({"done": True})
    start = WorldState()
    assert plan(Domain.from_actions([a, b]), start, goal).action_names == ("a",)
    assert plan(Domain.from_actions([b, a]), start, goal).action_names == ("b",)
    first = plan(_village(), WorldState({"at": "home"}), FactGoal({"hut": True}))
    for _ in range(3):
        again = plan(_village(), WorldState({"at": "home"}), FactGoal({"hut": True}))
        assert again.action_names == first.action_names
        assert again.nodes_expanded == first.nodes_expanded


class _BadCost(Action[WorldState]):
    @property
    def name(self) -> str:
        return "bad"

    def check(self, state: WorldState) -> SubGoalRequest | None:
        return None

    def apply(self, state: WorldState) -> WorldState:
        return state.with_(done=True)

    def cost(self, state: WorldState) -> float:
        return math.nan


def test_invalid_cost_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="invalid cost"):
        plan(Domain.from_actions([_BadCost()]), WorldState(), FactGoal({"done": True}))


def test_heuristic_reduces_expansions_without_losing_optimality() -> None:
    # A line of 30 cells; walking right is the only way to the goal.
    actions = [FactAction(f"right{i}", {"x": i}, {"x": i + 1}, cost=1) for i in range(30)] + [
        FactAction(f"left{i}", {"x": i}, {"x": i - 1}, cost=1) for i in range(-30, 31)
    ]
    domain = Domain.from_actions(actions)
    start = WorldState({"x": 0})
    blind = plan(domain, start, FactGoal({"x": AtLeast(30)}))
    guided = plan(domain, start, FactGoal({"x": AtLeast(30)}, unit_cost=1.0))
    assert blind.total_cost == guided.total_cost == 30
    assert guided.nodes_expanded < blind.nodes_expanded


# --- optimality against brute force -------------------------------------------------------


def _graph_domain(
    n: int, edges: list[tuple[int, int, int]], key_at: int
) -> tuple[Domain[WorldState], list[FactAction]]:
    actions = [
        FactAction(f"go{a}-{b}#{i}", {"at": a}, {"at": b}, cost=c)
        for i, (a, b, c) in enumerate(edges)
        if a != b
    ]
    actions.append(FactAction("pick", {"at": key_at, "key": False}, {"key": True}, cost=1))
    return Domain.from_actions(actions), actions


def _brute_force(start: WorldState, actions: list[FactAction], goal: Goal[WorldState]) -> float:
    """Minimum cost over every action sequence up to the number of reachable states."""
    states: dict[Hashable, WorldState] = {start.key(): start}
    frontier = [start]
    while frontier:
        nxt = []
        for s in frontier:
            for a in actions:
                if a.is_applicable(s):
                    t = a.apply(s)
                    if t.key() not in states:
                        states[t.key()] = t
                        nxt.append(t)
        frontier = nxt
    best = {k: (0.0 if goal.is_satisfied(s) else math.inf) for k, s in states.items()}
    for _ in range(len(states)):
        best = {
            k: min(
                [best[k] if goal.is_satisfied(s) else math.inf]
                + [a.cost(s) + best[a.apply(s).key()] for a in actions if a.is_applicable(s)]
            )
            for k, s in states.items()
        }
    return best[start.key()]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=5),
    data=st.data(),
)
def test_astar_matches_brute_force(n: int, data: st.DataObject) -> None:
    node = st.integers(min_value=0, max_value=n - 1)
    edges = data.draw(
        st.lists(st.tuples(node, node, st.integers(min_value=0, max_value=9)), max_size=12)
    )
    key_at = data.draw(node)
    target = data.draw(node)
    domain, actions = _graph_domain(n, edges, key_at)
    start = WorldState({"at": 0, "key": False})
    goal = FactGoal({"at": target, "key": True})
    expected = _brute_force(start, actions, goal)
    if math.isinf(expected):
        with pytest.raises(PlanNotFound) as info:
            plan(domain, start, goal)
        assert info.value.reason == "no_plan"
        return
    result = plan(domain, start, goal)
    assert result.total_cost == expected
    final, total = _replay(start, (s.action for s in result))
    assert goal.is_satisfied(final) and total == expected
    assert [s.expected_state for s in result][-1] == final


def test_weight_below_one_is_rejected() -> None:
    with pytest.raises(ValueError, match="weight"):
        plan(_village(), WorldState({"at": "home"}), FactGoal({"hut": True}), weight=0.5)


@settings(max_examples=40, deadline=None)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=20), min_size=6, max_size=6),
    weight=st.sampled_from([1.0, 1.5, 2.0, 3.0]),
)
def test_weighted_astar_stays_within_its_bound(costs: list[int], weight: float) -> None:
    # A 2-D grid walk with per-direction costs and an admissible heuristic: weighted A* must
    # stay within ``weight`` x optimal, and be optimal at weight 1.
    right, up, left, down, jump_cost, _ = costs
    actions: list[Action[WorldState]] = []
    for x in range(6):
        for y in range(6):
            here = {"x": x, "y": y}
            actions.append(FactAction(f"r{x}{y}", here, {"x": x + 1}, cost=right))
            actions.append(FactAction(f"u{x}{y}", here, {"y": y + 1}, cost=up))
            if x > 0:
                actions.append(FactAction(f"l{x}{y}", here, {"x": x - 1}, cost=left))
            if y > 0:
                actions.append(FactAction(f"d{x}{y}", here, {"y": y - 1}, cost=down))
            actions.append(FactAction(f"j{x}{y}", here, {"x": x + 1, "y": y + 1}, cost=jump_cost))
    domain = Domain.from_actions(actions)
    cheapest = min(right, up, jump_cost)
    target = {"x": AtLeast(5), "y": AtLeast(5)}

    def remaining(s: WorldState) -> float:
        # A jump closes both gaps at once, so only the larger gap is a safe bound.
        gaps = [c.gap(s[n]) for n, c in target.items() if isinstance(c, AtLeast)]
        return cheapest * max(gaps)

    goal = PredicateGoal[WorldState]("corner", lambda s: s.satisfies(target), heuristic=remaining)
    start = WorldState({"x": 0, "y": 0})
    optimal = plan(domain, start, FactGoal({"x": AtLeast(5), "y": AtLeast(5)}))
    weighted = plan(domain, start, goal, weight=weight)
    assert optimal.total_cost <= weighted.total_cost <= weight * optimal.total_cost + 1e-9
    if weight == 1.0:
        assert weighted.total_cost == optimal.total_cost
