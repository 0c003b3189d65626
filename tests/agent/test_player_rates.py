"""Rates of a character: gathering and buying estimates, the price of a skill level, training
for gated gear, and the combat XP of farming drops."""

from __future__ import annotations

import pytest
from test_player_support import generated_world

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.rates import Rater
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains.rules import gathering_seconds, gathering_xp, xp_to_next_level
from guildmaster.planning.domains.state import SKILLS, GameState
from guildmaster.planning.state import Multiset


@pytest.fixture(scope="module")
def world() -> PlayerWorld:
    return PlayerWorld.build(GameData.from_snapshot(generated_world(7)), scoring_samples=16)


def _state(world: PlayerWorld, *, level: int = 1, **skills: int) -> GameState:
    spawn = world.facts.locations("bank", "bank")[0]
    return GameState(
        location=spawn,
        hp=120,
        max_hp=120,
        level=level,
        skills=Multiset({s: skills.get(s, 1) for s in SKILLS}),
        skill_xp=Multiset({s: 0 for s in SKILLS}),
    )


def test_gathering_rate_matches_the_rules(world: PlayerWorld) -> None:
    state = _state(world, mining=5)
    rater = Rater(world)
    rate = rater.gathering_rate(state, "mining")
    assert rate is not None
    expected = max(
        gathering_xp(5, r.level) / gathering_seconds(r.level)
        for r in world.gamedata.resources.values()
        if r.skill == "mining" and r.level <= 5 and world.facts.locations("resource", r.code)
    )
    assert rate.xp_per_second == pytest.approx(expected)


def test_buying_counts_in_estimates_only_with_gold(world: PlayerWorld) -> None:
    rater = Rater(world)
    state = _state(world)
    bought = [
        o.code
        for o in world.gamedata.npc_offers
        if o.currency == "gold" and o.buy_price and world.facts.locations("npc", o.npc)
    ]
    code = next((c for c in sorted(bought) if rater.production(state, c) > 3.0), None)
    if code is None:
        pytest.skip("every bought item is as quick to make")
    rich = state.with_(gold=10_000)
    assert rater.production(rich, code) == pytest.approx(3.0)  # one NPC purchase
    assert rater.production(state.with_(gold=10), code) == rater.production(state, code)


def test_skills_far_below_the_character_are_priced_near_its_level(world: PlayerWorld) -> None:
    config = AgentConfig(balance=0.0, combat_weight=1.0, level_gap=2)
    state = _state(world, level=10)
    rater = Rater(world, config)
    # A level-1 skill costs as much XP per level as one two levels below the character.
    assert rater.value(state, "mining", 1.0) == pytest.approx(1.0 / xp_to_next_level(8))
    # Close to the character's level, a skill keeps its own price.
    near = state.with_(skills=state.skills.add("mining", 8))
    assert rater.value(near, "mining", 1.0) == pytest.approx(1.0 / xp_to_next_level(9))
    # Without the gap, the cheap first levels dominate (over nine times the value here).
    free = Rater(world, AgentConfig(balance=0.0, combat_weight=1.0, level_gap=99))
    assert free.value(state, "mining", 1.0) == pytest.approx(1.0 / xp_to_next_level(1))
    assert free.value(state, "mining", 1.0) > 9 * rater.value(state, "mining", 1.0)


def test_gear_gated_by_gathering_its_materials_counts_that_training(world: PlayerWorld) -> None:
    rater = Rater(world, AgentConfig(training_gap=12))
    gamedata = world.gamedata
    found = None
    for code in sorted(gamedata.items):
        recipe = gamedata.recipe(code)
        if recipe is None or gamedata.items[code].type != "weapon" or recipe.level < 5:
            continue
        state = _state(world).with_(
            skills=_state(world).skills.remove(recipe.skill, 1).add(recipe.skill, recipe.level)
        )
        needed = rater.requirements(state, code)
        if needed and recipe.skill not in needed:
            found = code, state, needed
            break
    assert found is not None, "generated:7 has gear whose materials need a gathering level"
    code, state, needed = found
    gated = rater.training(state, code)
    assert gated is not None
    shares, total, trained = gated
    assert set(shares) == set(needed) and total == pytest.approx(sum(shares.values()))
    assert all(seconds > 0 for seconds in shares.values())
    assert all(trained.skills[skill] == level for skill, level in needed.items())
    # Too far away for the configured gap: not an upgrade to train for.
    strict = Rater(world, AgentConfig(training_gap=0))
    assert strict.training(state, code) is None


def _from_drops(world: PlayerWorld) -> str:
    """A level-1 craftable item with at least one raw material only monsters drop."""
    gamedata = world.gamedata
    for code in sorted(gamedata.items):
        recipe = gamedata.recipe(code)
        if recipe is None or recipe.level > 1:
            continue
        raw = gamedata.raw_materials(code, 1)
        if any(
            not gamedata.sources(m).resources and gamedata.sources(m).monsters for m in raw
        ) and all(gamedata.sources(m).resources or gamedata.sources(m).monsters for m in raw):
            return code
    raise AssertionError("no level-1 item made from monster drops")


def test_farming_drops_counts_the_combat_xp(world: PlayerWorld) -> None:
    code = _from_drops(world)
    state = _state(world)
    low = Rater(world, AgentConfig(combat_weight=1.0)).side_value(state, code, 100.0)
    high = Rater(world, AgentConfig(combat_weight=4.0)).side_value(state, code, 100.0)
    # Only the fights' combat XP depends on the combat weight.
    assert high > low > 0
