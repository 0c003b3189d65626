"""Restore potions: owned ones are loaded into a utility slot (by the stack) before fighting."""

from __future__ import annotations

from typing import Any

import pytest
from test_player_support import AdviseOnce, generated_world, session

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.candidates import Rate
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.food import food_value
from guildmaster.agent.rates import Rater
from guildmaster.agent.staging import (
    FedCombat,
    FedObtain,
    FetchItem,
    WearOwned,
    healing_items,
    item_effect,
    restore_potions,
    stage_goals,
)
from guildmaster.clock import VirtualClock
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains import CompleteTask, LevelCombat, ObtainItem
from guildmaster.planning.domains.actions import Equip
from guildmaster.planning.domains.state import SKILLS, GameState, TaskState
from guildmaster.planning.planner import plan
from guildmaster.planning.state import Multiset


@pytest.fixture(scope="module")
def world() -> PlayerWorld:
    return PlayerWorld.build(GameData.from_snapshot(generated_world(7)), scoring_samples=16)


def _potion(world: PlayerWorld) -> tuple[str, int]:
    """generated:7's weakest restore potion and the combat level it asks for."""
    level50 = _fighter(world, level=50)
    potions = restore_potions(world, level50, world.gamedata.items)
    assert potions, "generated:7 has restore potions"
    code = potions[-1]
    info = world.gamedata.items[code]
    return code, info.level


def _fighter(world: PlayerWorld, *, level: int, **kw: object) -> GameState:
    spawn = world.facts.locations("bank", "bank")[0]
    state = GameState(
        location=spawn,
        hp=200,
        max_hp=200,
        level=level,
        skills=Multiset({s: 1 for s in SKILLS}),
        skill_xp=Multiset({s: 0 for s in SKILLS}),
    )
    return state.with_(**kw)


def _combat(world: PlayerWorld, state: GameState) -> LevelCombat:
    return FedCombat.gain(world.ctx, state, xp=50)


def test_banked_potions_are_fetched_and_loaded_before_fighting(world: PlayerWorld) -> None:
    code, level = _potion(world)
    state = _fighter(world, level=level, bank=Multiset({code: 80}))
    goal = _combat(world, state)
    stages = stage_goals(world, goal, state)
    # Up to a stack of 50 comes out of the bank, onto the first empty utility slot.
    assert stages == [
        FetchItem(code, 50, ctx=world.ctx),
        WearOwned(code, "utility1", ctx=world.ctx),
        goal,
    ]
    # Equipping takes every carried unit in one action (one 3 s equip, not fifty).
    carrying = state.with_(inventory=Multiset({code: 50}), bank=Multiset({code: 30}))
    result = plan(world.domain, carrying, stages[1], node_budget=2000, weight=2.0)
    equips = [s.action for s in result.steps if isinstance(s.action, Equip)]
    assert equips == [Equip(code, "utility1", 50, ctx=world.ctx)]
    loaded = result.final_state
    assert loaded.equipped("utility1") == code and loaded.inventory[code] == 0


def test_fetching_before_a_fight_takes_what_the_bank_holds_and_never_makes_it(
    world: PlayerWorld,
) -> None:
    code, level = _potion(world)
    # A teammate took some since this character planned the trip: 12 are left of 50.
    state = _fighter(world, level=level, bank=Multiset({code: 12}))
    fetch, wear = FetchItem(code, 50, ctx=world.ctx), WearOwned(code, "utility1", ctx=world.ctx)
    result = plan(world.domain, state, fetch, node_budget=2000, weight=2.0)
    kinds = [type(s.action).__name__ for s in result.steps]
    assert kinds.count("Withdraw") == 1 and set(kinds) <= {"Move", "Withdraw"}
    assert result.final_state.inventory[code] == 12
    assert wear.relevance(result.final_state).equip == frozenset({code})
    # None left at all: nothing to fetch, nothing to wear, and no potion is made.
    empty = _fighter(world, level=level)
    assert fetch.is_satisfied(empty) and wear.is_satisfied(empty)
    assert not ObtainItem(code, 50, ctx=world.ctx).is_satisfied(empty)


def test_food_comes_from_the_larger_stack_and_from_several_when_one_is_short(
    world: PlayerWorld,
) -> None:
    fighter = _fighter(world, level=50)
    foods = healing_items(world, fighter, world.gamedata.items)
    heal = {c: item_effect(world.gamedata.items[c], "heal") for c in foods}
    alike = next(
        (a, b) for a in foods for b in foods if a < b and heal[a] == heal[b]
    )  # generated:7 has two foods that heal alike
    better = next(c for c in foods if heal[c] > heal[alike[0]])
    goal = _combat(world, fighter)
    # Of two foods that heal alike, the larger stack is taken (not the first by name).
    state = fighter.with_(bank=Multiset({alike[0]: 3, alike[1]: 200}))
    assert stage_goals(world, goal, state) == [FetchItem(alike[1], 20, ctx=world.ctx), goal]
    # A better food comes first; when it is short, the rest comes from the next stack.
    state = fighter.with_(bank=Multiset({better: 6, alike[0]: 3, alike[1]: 200}))
    assert stage_goals(world, goal, state) == [
        FetchItem(better, 6, ctx=world.ctx),
        FetchItem(alike[1], 14, ctx=world.ctx),
        goal,
    ]


def test_a_monsters_task_is_fed_like_levelling_combat(world: PlayerWorld) -> None:
    fighter = _fighter(world, level=50)
    food = healing_items(world, fighter, world.gamedata.items)[0]
    monster = next(iter(world.gamedata.monsters))
    state = fighter.with_(bank=Multiset({food: 50}), task=TaskState(monster, "monsters", 0, 30))
    task = CompleteTask.current(world.ctx, state)
    assert stage_goals(world, task, state) == [FetchItem(food, 20, ctx=world.ctx), task]
    # An items task has nothing to fight: no food trip.
    items = CompleteTask(food, "items", ctx=world.ctx)
    assert FetchItem(food, 20, ctx=world.ctx) not in stage_goals(world, items, state)


def test_no_potion_trip_when_loaded_too_few_or_not_allowed(world: PlayerWorld) -> None:
    code, level = _potion(world)
    state = _fighter(world, level=level)
    goal = _combat(world, state)
    # Already loaded: the server empties the slot once the stack is used up.
    loaded = state.with_equipped("utility2", code).with_(bank=Multiset({code: 80}))
    assert stage_goals(world, goal, loaded) == [goal]
    # Too few owned to be worth the trip.
    assert stage_goals(world, goal, state.with_(bank=Multiset({code: 4}))) == [goal]
    # Below the potion's level the character may not wear it.
    young = _fighter(world, level=level - 1, bank=Multiset({code: 80}))
    young_goal = _combat(world, young)
    assert stage_goals(world, young_goal, young) == [young_goal]
    # Both utility slots taken by something else: nothing is taken off for potions.
    other = "not_a_potion"
    full = state.with_(
        equipment=(("utility1", other), ("utility2", other)), bank=Multiset({code: 80})
    )
    assert stage_goals(world, goal, full) == [goal]


def test_only_utilities_are_equipped_by_the_stack(world: PlayerWorld) -> None:
    code, _ = _potion(world)
    weapon = next(c for c, i in sorted(world.gamedata.items.items()) if i.type == "weapon")
    state = _fighter(world, level=50, inventory=Multiset({weapon: 3, code: 120}))
    assert Equip(weapon, "weapon", 2, ctx=world.ctx).check(state) is not None
    assert Equip(code, "utility1", 101, ctx=world.ctx).check(state) is not None
    assert Equip(code, "utility1", 100, ctx=world.ctx).check(state) is None


def test_the_server_holds_the_loaded_stack_after_a_fighting_goal() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[str, dict[str, Any], int]:
        async with session(generated_world(7), clock) as s:
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=s.clock)
            code, level = _potion(agent.world)
            hero = s.game.state.characters[s.name]
            hero.level = level
            s.game.state.banks[hero.account].items[code] = 30
            await agent.sense()
            ctx = agent.world.ctx
            agent.advisor = AdviseOnce(lambda st: FedCombat.gain(ctx, st, xp=5))
            await agent.step()
            character = (await s.client.get_character(s.name)).model_dump()
            banked = s.game.state.banks[hero.account].items.get(code, 0)
            return code, character, banked

    code, character, banked = clock.run(scenario())
    assert character["utility1_slot"] == code
    # All 30 left the bank; the fights may have drunk some of them since.
    assert banked == 0
    assert 0 < character["utility1_slot_quantity"] <= 30


def test_making_restore_potions_counts_the_rest_they_save(world: PlayerWorld) -> None:
    code, level = _potion(world)
    weapon = next(
        c
        for c, i in sorted(world.gamedata.items.items())
        if i.type == "weapon"
        and i.level <= 1
        and any(e.code.startswith("attack_") for e in i.effects)
    )
    state = _fighter(world, level=level).with_equipped("weapon", weapon)
    rater = Rater(world)
    assert rater.combat_rate(state) is not None
    rate = Rate("alchemy", 1.0, code, 60.0)
    value = food_value(rater, state, rate)
    assert value > 0
    # A stock of potions (banked or worn) makes more worthless.
    stock = AgentConfig().food_stock
    assert food_value(rater, state.with_(bank=Multiset({code: stock})), rate) == 0.0
    worn = state.with_(bank=Multiset({code: stock - 1})).with_equipped("utility1", code)
    assert food_value(rater, worn, rate) == 0.0
    # Food does not count against the potions' stock.
    food = healing_items(world, state, world.gamedata.items)[0]
    fed = state.with_(bank=Multiset({food: stock}))
    assert food_value(rater, fed, rate) == pytest.approx(value)
    # In a team the bank feeds five: a fifth of the banked potions is this one's stock.
    banked = state.with_(bank=Multiset({code: stock}))
    rater.bank_share = 0.2
    assert food_value(rater, banked, rate) == pytest.approx(value)
    carried = state.with_(inventory=Multiset({code: stock}))
    assert food_value(rater, carried, rate) == 0.0  # what it carries stays all its own


def _drop_recipe(world: PlayerWorld) -> tuple[str, str, dict[str, int]]:
    """A generated:7 item made of gathered materials and one drop of its weakest monster."""
    gamedata = world.gamedata
    found: list[tuple[int, str, str, dict[str, int]]] = []
    for code in sorted(gamedata.items):
        if gamedata.recipe(code) is None:
            continue
        raw = gamedata.raw_materials(code, 1)
        drops = [r for r in raw if not gamedata.sources(r).resources]
        monsters = [m.level for r in drops for m, _ in gamedata.sources(r).monsters]
        if len(drops) == 1 and len(raw) > 1 and monsters:
            found.append((min(monsters), code, drops[0], raw))
    assert found, "generated:7 has gear made of ore and a drop"
    _, code, drop, raw = min(found)
    return code, drop, raw


def test_a_craft_that_fights_for_a_drop_takes_food_after_gathering(world: PlayerWorld) -> None:
    code, drop, raw = _drop_recipe(world)
    fighter = _fighter(world, level=50)
    food = healing_items(world, fighter, world.gamedata.items)[0]
    state = fighter.with_(bank=Multiset({food: 50}))
    stages = stage_goals(world, ObtainItem(code, 1, ctx=world.ctx), state)
    names = [type(g).__name__ for g in stages]
    fetch = stages.index(FetchItem(food, 20, ctx=world.ctx))
    fight = stages.index(FedObtain(drop, raw[drop], ctx=world.ctx))
    gathered = [i for i, g in enumerate(stages) if type(g) is ObtainItem and g.code in raw]
    assert gathered and max(gathered) < fetch < fight, names
    # The bag keeps room for what is still to come in: a nearly full bag takes less food.
    cramped = state.with_(inventory=Multiset({food: 0}))
    room = cramped.free_space() - sum(raw.values()) - 25
    stuffed = cramped.gain(next(iter(world.gamedata.items)), max(0, room)) if room > 0 else cramped
    fetches = [g for g in stage_goals(world, ObtainItem(code, 1, ctx=world.ctx), stuffed)]
    taken = sum(g.quantity for g in fetches if isinstance(g, FetchItem))
    assert taken <= max(0, stuffed.free_space() - sum(raw.values()) - 20)
    # The drop already banked: nothing to fight, no food trip.
    stocked = state.with_(bank=Multiset({food: 50, drop: raw[drop]}))
    again = stage_goals(world, ObtainItem(code, 1, ctx=world.ctx), stocked)
    assert not any(isinstance(g, FetchItem | FedObtain) for g in again)


def test_fighting_for_a_drop_eats_instead_of_resting(world: PlayerWorld) -> None:
    _, drop, _ = _drop_recipe(world)
    monster = world.gamedata.sources(drop).monsters[0][0].code
    bare = _fighter(world, level=10)
    fighter = next(
        armed
        for code, item in sorted(world.gamedata.items.items())
        if item.type == "weapon" and item.level <= bare.level
        for armed in [bare.with_equipped("weapon", code)]
        if world.facts.predict_fight(armed, monster).win_probability >= 0.99
    )
    food = healing_items(world, fighter, world.gamedata.items)[0]
    tile = world.facts.locations("monster", monster)[0]
    hurt = fighter.with_(location=tile, hp=5, inventory=Multiset({food: 20}))
    goals = {"fed": FedObtain(drop, 1, ctx=world.ctx), "plain": ObtainItem(drop, 1, ctx=world.ctx)}
    kinds = {}
    for key, goal in goals.items():
        result = plan(world.domain, hurt, goal, node_budget=4000, weight=2.0)
        kinds[key] = [type(s.action).__name__ for s in result.steps]
    assert "Use" in kinds["fed"] and "Rest" not in kinds["fed"], kinds
    assert "Rest" in kinds["plain"], kinds
