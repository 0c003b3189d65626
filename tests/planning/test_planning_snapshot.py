"""Planning on the real world snapshot's content (node counts, not wall time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from planning_snapshot import load_snapshot_facts

from guildmaster.planning import Multiset, PlanNotFound, plan
from guildmaster.planning.domains import (
    RECOMMENDED_WEIGHT,
    SKILLS,
    GameContext,
    GameState,
    LevelCombat,
    LevelSkill,
    ObtainItem,
    build_domain,
)


@pytest.fixture(scope="module")
def ctx(snapshot_path: Path) -> GameContext:
    return GameContext(load_snapshot_facts(snapshot_path))


def _character(level: int, **skills: int) -> GameState:
    levels = {
        s: 1
        for s in (
            "mining",
            "woodcutting",
            "fishing",
            "weaponcrafting",
            "gearcrafting",
            "jewelrycrafting",
            "cooking",
            "alchemy",
        )
    }
    levels.update(skills)
    hp = 115 + 5 * level
    return GameState(
        ("overworld", 0, 0),
        hp,
        hp,
        level=level,
        skills=Multiset(levels),
        inventory_max=100 + 2 * level,
    )


def test_copper_bar_on_the_real_map(ctx: GameContext) -> None:
    result = plan(build_domain(ctx.facts), _character(1), ObtainItem("copper_bar", 1, ctx=ctx))
    names = result.action_names
    assert names[-1] == "crafting(copper_bar x1)"
    assert names.count("gathering(copper_rocks)") == 10
    assert result.final_state.location == ("overworld", 1, 5)  # the mining workshop
    assert result.nodes_expanded < 100


def test_iron_sword_chain_on_the_real_map(ctx: GameContext) -> None:
    state = _character(10, mining=10, weaponcrafting=10)
    result = plan(build_domain(ctx.facts), state, ObtainItem("iron_sword", 1, ctx=ctx))
    names = result.action_names
    assert names[-1] == "crafting(iron_sword x1)"
    assert names.count("gathering(iron_rocks)") == 60  # 6 bars of 10 ore
    assert sum(n.startswith("fight(") for n in names) == 2  # two feathers
    assert result.final_state.inventory["iron_sword"] == 1
    assert result.nodes_expanded < 200


def test_long_plan_needs_weighted_search(ctx: GameContext) -> None:
    # steel_armor: 70 gathers, 7 bars, three rare drops and cloth bought with farmed wool.
    state = _character(20, mining=20, gearcrafting=20)
    goal = ObtainItem("steel_armor", 1, ctx=ctx)
    result = plan(build_domain(ctx), state, goal, weight=RECOMMENDED_WEIGHT)
    names = result.action_names
    assert names[-1] == "crafting(steel_armor x1)"
    assert names.count("npc/buy(tailor:cloth x1)") == 3
    assert sum(n == "fight(sheep->wool)" for n in names) == 9
    assert result.nodes_expanded < 2_000
    # The heuristic is a lower bound, and the weighted plan is within the weight of it.
    bound = goal.heuristic(state)
    assert bound <= result.total_cost <= RECOMMENDED_WEIGHT * bound


@pytest.mark.parametrize("skill", ["weaponcrafting", "gearcrafting", "jewelrycrafting", "cooking"])
def test_crafting_skills_level_on_the_real_map(ctx: GameContext, skill: str) -> None:
    state = _character(10, **{s: 10 for s in SKILLS})
    goal = LevelSkill.gain(ctx, state, skill, xp=300)
    result = plan(build_domain(ctx), state, goal, weight=RECOMMENDED_WEIGHT)
    assert goal.is_satisfied(result.final_state)
    assert result.action_names[-1].startswith("crafting(")
    assert goal.heuristic(state) <= result.total_cost
    assert result.nodes_expanded < 1_000


@pytest.mark.parametrize("level", [1, 10, 20])
def test_combat_levelling_search_is_linear(ctx: GameContext, level: int) -> None:
    state = _character(level)
    goal = LevelCombat.gain(ctx, state, xp=1_000)
    result = plan(build_domain(ctx), state, goal)
    fights = [n for n in result.action_names if n.startswith("fight(")]
    # One target per level (the best XP per second, rest included); level-ups may switch it.
    assert len(set(fights)) <= result.final_state.level - level + 1
    assert goal.is_satisfied(result.final_state)
    assert goal.heuristic(state) <= result.total_cost
    # Optimal search, yet barely more expansions than plan steps.
    assert result.nodes_expanded <= len(result) + 5


def test_small_bag_crafts_in_batches(ctx: GameContext) -> None:
    # 60 iron ore for 6 bars, but only 30 units fit: gather, smelt, and go back, three times.
    state = _character(10, mining=10, weaponcrafting=10).with_(inventory_max=30)
    result = plan(build_domain(ctx), state, ObtainItem("iron_sword", 1, ctx=ctx))
    crafts = [n for n in result.action_names if n.startswith("crafting(iron_bar")]
    assert crafts == ["crafting(iron_bar x2)"] * 3
    assert result.action_names[-1] == "crafting(iron_sword x1)"
    assert max(step.expected_state.inventory.total for step in result) <= 30
    with pytest.raises(PlanNotFound) as info:
        plan(build_domain(ctx), state, ObtainItem("iron_ore", 31, ctx=ctx))
    assert info.value.reason == "infeasible"
