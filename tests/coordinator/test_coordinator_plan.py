"""ActivePlan: bottleneck, recipe rating, bills of materials with sources, stages, netting."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_coordinator_sim import character

from guildmaster.coordinator import (
    STAGE_ORDER,
    ActivePlan,
    bill_of_materials,
    bottleneck_skill,
    choose_plan,
    has_shifted,
    plan_for_recipe,
    rate_recipe,
    remaining,
    solo_rate,
    stage_needs,
    starved_inputs,
)
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import SKILLS, gathering_seconds, gathering_xp

TEAM = [character(n, level=5) for n in ("a", "b", "c", "d", "e")]


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GameData:
    out = tmp_path_factory.mktemp("world") / "world.json"
    entry = "import sys; from guildmaster.cli import main; sys.argv[0] = 'guildmaster'; main()"
    cmd = [sys.executable, "-c", entry, "world", "generate", "--seed", "7", "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        pytest.fail(f"world generation failed: {proc.stderr[-2000:]}")
    return GameData.from_snapshot(json.loads(out.read_text()))


def test_bottleneck_is_the_lowest_average_skill() -> None:
    team = [
        character("a", skills={s: 5 for s in SKILLS} | {"cooking": 1}),
        character("b", skills={s: 5 for s in SKILLS} | {"cooking": 9, "alchemy": 2}),
    ]
    # cooking averages 5, alchemy 3.5: alchemy is the bottleneck.
    assert bottleneck_skill(team) == "alchemy"
    with pytest.raises(ValueError):
        bottleneck_skill([])


def test_the_bottleneck_shifts_only_by_a_margin() -> None:
    even = {s: 3 for s in SKILLS}
    team = [character(n, skills=even) for n in "abcde"]
    assert not has_shifted(team, "cooking")
    # One cook levels up: cooking averages 3.2, still within half a level of the rest.
    team[0] = character("a", skills=even | {"cooking": 4})
    assert bottleneck_skill(team) != "cooking"
    assert not has_shifted(team, "cooking")
    team[1] = character("b", skills=even | {"cooking": 4})
    team[2] = character("c", skills=even | {"cooking": 4})
    assert has_shifted(team, "cooking")
    assert not has_shifted(team, "mining")


def test_real_bill_of_materials_has_every_source_kind_it_needs(real: GameData) -> None:
    levels = {s: 10 for s in (*SKILLS, "combat")}
    bill = {m.code: m for m in bill_of_materials(real, "iron_sword", 2, levels)}
    recipe = real.recipe("iron_sword")
    assert recipe is not None
    # Every ingredient of the recipe is on the bill, two runs' worth.
    for ing in recipe.items:
        assert bill[ing.code].quantity >= 2 * ing.quantity
    assert bill["iron_sword"].source.kind == "craft"
    assert bill["iron_bar"].source.kind == "craft"
    assert bill["iron_bar"].source.skill == "mining"
    ore = bill["iron_ore"]
    assert ore.source.kind == "gather" and ore.source.via == "iron_rocks"
    assert ore.quantity == real.raw_materials("iron_sword", 2)["iron_ore"]
    # A material only monsters drop comes from a fight, the best drop rate first.
    feather = bill["feather"]
    assert feather.source.kind == "drop"
    assert feather.source.via in {m.code for m, _ in real.sources("feather").monsters}
    # Alternatives (if any) are never faster than the chosen source.
    assert all(a.seconds >= ore.source.seconds for a in ore.alternatives)


def test_a_team_too_weak_for_a_source_marks_the_recipe_infeasible(real: GameData) -> None:
    low = {s: 1 for s in (*SKILLS, "combat")}
    assert rate_recipe(real, "weaponcrafting", "iron_sword", low) is None
    bill = bill_of_materials(real, "iron_sword", 1, low)
    # Iron rocks need mining 10 and no NPC with a tile sells the ore: only the Grand Exchange
    # (prices unknown) remains, which plans never count on.
    assert {m.source.kind for m in bill if m.code == "iron_ore"} == {"ge"}


def test_real_plan_levels_the_bottleneck_with_a_full_pipeline(real: GameData) -> None:
    team = [character(n, level=10, skills={s: 10 for s in SKILLS}) for n in "abcde"]
    plan = choose_plan(real, team, skill="weaponcrafting")
    assert plan is not None
    recipe = real.recipe(plan.recipe)
    assert recipe is not None and recipe.skill == "weaponcrafting" and recipe.level <= 10
    kinds = [s.kind for s in plan.stages]
    assert kinds == sorted(kinds, key=STAGE_ORDER.index)
    assert f"craft:{plan.recipe}" in {s.id for s in plan.stages}
    # Every material of the bill is produced by exactly one stage.
    produced = [code for s in plan.stages for code, _ in s.outputs]
    assert sorted(produced) == sorted(plan.needed)
    # The chosen recipe rates at least as high as every other weaponcrafting recipe.
    levels = {s: 10 for s in (*SKILLS, "combat")}
    for item in real.crafting_ladder("weaponcrafting"):
        rated = rate_recipe(real, "weaponcrafting", item.code, levels, team_size=5)
        if rated is not None:
            assert rated[0] <= plan.xp_per_second + 1e-9, item.code


def test_gathering_skill_without_recipe_gets_a_gathering_plan(real: GameData) -> None:
    plan = choose_plan(real, TEAM, skill="alchemy")
    assert plan is not None
    assert [s.kind for s in plan.stages] == ["gather"]
    assert real.sources(plan.recipe).resources


def test_manual_recipe_and_unknown_recipe(real: GameData) -> None:
    plan = plan_for_recipe(real, "mining", "copper_bar", TEAM, manual=True)
    assert plan is not None and plan.manual and plan.recipe == "copper_bar"
    assert plan_for_recipe(real, "mining", "copper_ore", TEAM) is None


def test_generated_world_plans_for_every_skill(generated: GameData) -> None:
    team = [character(n) for n in "abcde"]
    for skill in SKILLS:
        plan = choose_plan(generated, team, skill=skill)
        assert plan is not None, skill
        for m in plan.materials:
            assert m.source.kind not in ("none", "ge"), (skill, m)
            if m.source.kind == "gather":
                assert generated.resources[m.source.via].level <= 1
        # The bill covers the recipe graph exactly: raw totals match GameData's own bill.
        if plan.stages[-1].kind != "gather":
            recipe = generated.recipe(plan.recipe)
            assert recipe is not None
            raw = generated.raw_materials(plan.recipe, plan.runs * recipe.quantity)
            for code, qty in raw.items():
                assert plan.needed[code] == qty


def _copper(real: GameData) -> ActivePlan:
    plan = plan_for_recipe(real, "weaponcrafting", "copper_axe", TEAM)
    assert plan is not None
    return plan


def test_remaining_nets_holdings_through_the_recipe_graph(real: GameData) -> None:
    plan = _copper(real)
    bars_per_axe = {i.code: i.quantity for i in real.recipe("copper_axe").items}["copper_bar"]  # type: ignore[union-attr]
    ore_per_bar = {i.code: i.quantity for i in real.recipe("copper_bar").items}["copper_ore"]  # type: ignore[union-attr]
    axes = plan.needed["copper_axe"]
    full = remaining(real, plan, {})
    assert full["copper_axe"] == axes
    assert full["copper_bar"] == axes * bars_per_axe
    assert full["copper_ore"] == axes * bars_per_axe * ore_per_bar
    # Holding 3 bars means 3 bars' worth less ore.
    some = remaining(real, plan, {"copper_bar": 3})
    assert some["copper_ore"] == full["copper_ore"] - 3 * ore_per_bar
    # Ore others are already gathering is not asked again; made axes are not made again.
    flying = remaining(real, plan, {}, in_flight={"copper_ore": 20}, made=1)
    assert flying["copper_axe"] == axes - 1
    assert flying["copper_ore"] == (axes - 1) * bars_per_axe * ore_per_bar - 20


def test_stage_needs_and_starvation(real: GameData) -> None:
    plan = _copper(real)
    missing = remaining(real, plan, {})
    needs = stage_needs(real, plan, missing, {})
    assert needs["gather:copper_rocks"] > 0
    # Nothing to refine or craft with yet: those stages have no work for anyone.
    assert needs["refine:copper_bar"] == 0 and needs["craft:copper_axe"] == 0
    held = {"copper_ore": 10}
    assert stage_needs(real, plan, remaining(real, plan, held), held)["refine:copper_bar"] > 0
    starved = starved_inputs(real, plan, missing, {"copper_ore": 5})
    assert starved["copper_ore"] > 0 and "copper_bar" in starved


def test_solo_rate_is_the_best_a_character_does_alone(real: GameData) -> None:
    novice = character("n")
    # Mining alone: at least plain gathering of the level-1 rocks.
    assert solo_rate(real, novice, "mining") >= gathering_xp(1, 1) / gathering_seconds(1) - 1e-9
    # Crafting alone means gathering the materials too: slower than the crafter's own rate in
    # a team pipeline, where others gather.
    cooking = solo_rate(real, novice, "cooking")
    plan = plan_for_recipe(real, "cooking", "cooked_gudgeon", [novice], team_size=1)
    assert plan is not None and cooking > 0 and plan.xp_per_second <= cooking + 1e-9
    # A skilled jeweller earns less per craft than a novice (XP falls with the level gap).
    skilled = character("j", skills={"jewelrycrafting": 10, "mining": 10})
    assert (
        0 < solo_rate(real, skilled, "jewelrycrafting") < solo_rate(real, novice, "jewelrycrafting")
    )
