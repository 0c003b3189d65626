"""Tuning of the player: batch crafting for XP, healing with several food items in one use."""

from __future__ import annotations

import math

import pytest
from test_player_support import generated_world

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.selection import GoalSelector
from guildmaster.agent.staging import healing_items, item_effect
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains import ObtainItem, RestoreHP
from guildmaster.planning.domains.actions import Use
from guildmaster.planning.domains.state import SKILLS, GameState
from guildmaster.planning.planner import plan
from guildmaster.planning.state import Multiset


@pytest.fixture(scope="module")
def world() -> PlayerWorld:
    return PlayerWorld.build(GameData.from_snapshot(generated_world(7)), scoring_samples=16)


def _state(world: PlayerWorld, **kw: object) -> GameState:
    spawn = world.facts.locations("bank", "bank")[0]
    state = GameState(
        location=spawn,
        hp=120,
        max_hp=120,
        level=1,
        skills=Multiset({s: 1 for s in SKILLS}),
        skill_xp=Multiset({s: 0 for s in SKILLS}),
    )
    return state.with_(**kw)


def _crafting_candidates(selector: GoalSelector, state: GameState) -> list[ObtainItem]:
    found = []
    for c in selector.candidates(state):
        if c.key.startswith("level:") and isinstance(c.goal, ObtainItem):
            found.append(c.goal)
    return found


def test_crafting_for_xp_makes_a_batch_that_fits_the_bag(world: PlayerWorld) -> None:
    config = AgentConfig()
    selector = GoalSelector(world, config)
    state = _state(world)
    goals = _crafting_candidates(selector, state)
    assert goals, "some skill levels by crafting on generated:7"
    for goal in goals:
        units = sum(world.gamedata.raw_materials(goal.code, 1).values())
        assert goal.quantity >= 1
        # The raw materials of the whole batch fit the free space (minus the margin).
        assert goal.quantity * units <= max(units, state.free_space() - config.min_free_space)
    # Cheap recipes are made several at a time (one trip, one craft action per run).
    assert max(g.quantity for g in goals) > 1


def test_batch_shrinks_with_a_fuller_bag(world: PlayerWorld) -> None:
    selector = GoalSelector(world)
    empty = _state(world)
    goals = {g.code: g.quantity for g in _crafting_candidates(selector, empty)}
    code = max(goals, key=lambda c: goals[c])
    filler = next(
        r.code for r in world.gamedata.items.values() if r.type == "resource" and r.code != code
    )
    crowded = empty.with_(inventory=Multiset({filler: empty.inventory_max - 15}))
    fewer = {g.code: g.quantity for g in _crafting_candidates(GoalSelector(world), crowded)}
    assert code in fewer
    units = sum(world.gamedata.raw_materials(code, 1).values())
    assert fewer[code] == max(1, min(goals[code], (15 - AgentConfig().min_free_space) // units))
    assert fewer[code] < goals[code]


def test_healing_uses_several_items_in_one_action(world: PlayerWorld) -> None:
    state = _state(world)
    food = [
        code
        for code in world.gamedata.items
        if healing_items(world, state, [code]) and world.facts.item(code) is not None
    ]
    assert food
    code = min(food, key=lambda c: item_effect(world.facts.item(c), "heal"))
    heal = item_effect(world.facts.item(code), "heal")
    max_hp = 4 * heal
    hurt = state.with_(hp=1, max_hp=max_hp, inventory=Multiset({code: 10}))
    needed = math.ceil((max_hp - 1) / heal)
    domain = world.domain
    goal = RestoreHP(max_hp, ctx=world.ctx)
    actions = [a for a in domain.actions(hurt, goal) if isinstance(a, Use)]
    assert {a.quantity for a in actions} == {1, needed}
    # The planner heals in one action (3 s) instead of resting or eating one by one.
    result = plan(domain, hurt, goal, node_budget=4000, weight=2.0)
    uses = [s.action for s in result.steps if isinstance(s.action, Use)]
    assert [a.quantity for a in uses] == [needed]
    assert not any(s.action.name.startswith("rest") for s in result.steps)


def _owned_food(world: PlayerWorld, state: GameState) -> tuple[str, str]:
    """A cookable healing item with a single ingredient, and that ingredient."""
    for code in sorted(world.gamedata.items):
        recipe = world.gamedata.recipe(code)
        if recipe is None or len(recipe.items) != 1 or recipe.level > 1:
            continue
        if healing_items(world, state, [code]):
            return code, recipe.items[0].code
    raise AssertionError("generated:7 has a level-1 cookable food")


def _fighter(world: PlayerWorld) -> GameState:
    """A level-3 character wielding a level-1 combat weapon (it can win some fights)."""
    weapon = next(
        code
        for code, item in sorted(world.gamedata.items.items())
        if item.type == "weapon"
        and item.level <= 1
        and any(e.code.startswith("attack_") for e in item.effects)
        and not any(e.code in SKILLS for e in item.effects)
    )
    return _state(world, level=3).with_equipped("weapon", weapon)


def test_owned_ingredients_are_cooked_into_food(world: PlayerWorld) -> None:
    state = _fighter(world)
    assert GoalSelector(world).rater.combat_rate(state) is not None
    food, ingredient = _owned_food(world, state)
    selector = GoalSelector(world)
    assert not [c for c in selector.candidates(state) if c.key == f"food:{food}"]
    stocked = state.with_(bank=Multiset({ingredient: 12}))
    found = [c for c in GoalSelector(world).candidates(stocked) if c.key == f"food:{food}"]
    assert len(found) == 1
    candidate = found[0]
    assert isinstance(candidate.goal, ObtainItem) and candidate.goal.quantity == 12
    assert candidate.hide == frozenset({food})  # cook it, do not fetch banked food
    # Worth more than levelling cooking the slow way: it also saves combat its rest.
    cooking = next(c for c in GoalSelector(world).candidates(stocked) if c.key == "level:cooking")
    assert candidate.score > cooking.score
    # Too few ingredients wait; enough stocked food makes it worthless.
    few = state.with_(bank=Multiset({ingredient: 2}))
    assert not [c for c in GoalSelector(world).candidates(few) if c.key.startswith("food:")]
    fed = stocked.with_(bank=Multiset({ingredient: 12, food: AgentConfig().food_stock}))
    rich = next(c for c in GoalSelector(world).candidates(fed) if c.key == f"food:{food}")
    assert rich.score < candidate.score
