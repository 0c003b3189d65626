"""Equip and unequip: slot rules, conditions, utility stacks, HP rule, atomic requests."""

from __future__ import annotations

import pytest
from test_actions_helpers import act, add_character, fingerprint
from test_actions_helpers import light_game as game

from guildmaster.server.actions import equipment
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer
from guildmaster.server.world import Json

__all__ = ["game"]


def _add_item(game: GameServer, code: str, item_type: str, **extra: object) -> None:
    item: Json = {
        "name": code,
        "code": code,
        "level": 1,
        "type": item_type,
        "subtype": "",
        "description": "",
        "conditions": [],
        "effects": [],
        "craft": None,
        "tradeable": True,
        "recyclable": False,
    }
    item.update(extra)
    game.world.items[code] = item


def _entry(code: str, slot: str, quantity: int = 1) -> Json:
    return {"code": code, "slot": slot, "quantity": quantity}


def test_equip_moves_item_to_slot_and_updates_stats(game: GameServer) -> None:
    hero = add_character(game, items={"copper_helmet": 1})
    assert hero.max_hp == 120
    data = act(game, hero, lambda c: equipment.equip(game, c, [_entry("copper_helmet", "helmet")]))
    assert hero.equipment["helmet"] == "copper_helmet"
    assert hero.quantity("copper_helmet") == 0
    assert hero.max_hp == 130
    assert hero.hp == 120  # equipping raises max HP only
    assert data["items"][0]["slot"] == "helmet"
    assert data["items"][0]["item"]["code"] == "copper_helmet"
    assert data["cooldown"]["total_seconds"] == 3
    assert data["character"]["helmet_slot"] == "copper_helmet"


def test_unequip_returns_item_and_applies_hp_rule(game: GameServer) -> None:
    hero = add_character(game)
    hero.equipment["helmet"] = "copper_helmet"
    hero.refresh_stats(game.world, game.rules)
    hero.hp = 130
    data = act(game, hero, lambda c: equipment.unequip(game, c, [{"slot": "helmet"}]))
    assert hero.equipment["helmet"] == ""
    assert hero.quantity("copper_helmet") == 1
    assert (hero.hp, hero.max_hp) == (120, 120)
    assert data["cooldown"]["reason"] == "unequip"


def test_unequip_refused_when_it_would_kill(game: GameServer) -> None:
    hero = add_character(game)
    hero.equipment["helmet"] = "copper_helmet"
    hero.refresh_stats(game.world, game.rules)
    hero.hp = 10
    with pytest.raises(GameError) as info:
        equipment.unequip(game, hero, [{"slot": "helmet"}])
    assert info.value.code == 483
    hero.hp = 11
    equipment.unequip(game, hero, [{"slot": "helmet"}])
    assert hero.hp == 1


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ([_entry("nothing_here", "helmet")], 404),
        ([_entry("copper_dagger", "helmet")], 478),  # not held
        ([_entry("copper_helmet", "weapon")], 496),  # wrong slot for the type
        ([_entry("cooked_chicken", "utility1")], 496),  # consumables are not equipment
        ([_entry("copper_helmet", "helmet"), _entry("feather", "boots")], 478),  # atomic
    ],
)
def test_equip_errors_change_nothing(game: GameServer, entries: list[Json], code: int) -> None:
    hero = add_character(game, items={"copper_helmet": 1, "cooked_chicken": 1})
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        act(game, hero, lambda c: equipment.equip(game, c, entries))
    assert info.value.code == code
    assert fingerprint(game) == before


def test_slot_not_empty_491(game: GameServer) -> None:
    hero = add_character(game, items={"copper_dagger": 1})
    with pytest.raises(GameError) as info:
        equipment.equip(game, hero, [_entry("copper_dagger", "weapon")])
    assert info.value.code == 491


def test_conditions_496(game: GameServer) -> None:
    _add_item(
        game,
        "iron_helmet",
        "helmet",
        conditions=[{"code": "level", "operator": "gt", "value": 9}],
    )
    hero = add_character(game, items={"iron_helmet": 1})
    with pytest.raises(GameError) as info:
        equipment.equip(game, hero, [_entry("iron_helmet", "helmet")])
    assert info.value.code == 496
    hero.level = 10
    equipment.equip(game, hero, [_entry("iron_helmet", "helmet")])
    assert hero.equipment["helmet"] == "iron_helmet"


def test_rings_may_repeat_artifacts_may_not(game: GameServer) -> None:
    _add_item(game, "copper_ring", "ring", effects=[{"code": "dmg", "value": 2}])
    _add_item(game, "lucky_charm", "artifact")
    hero = add_character(game, items={"copper_ring": 2, "lucky_charm": 2})
    equipment.equip(game, hero, [_entry("copper_ring", "ring1"), _entry("copper_ring", "ring2")])
    assert hero.stats["dmg"] == 4
    equipment.equip(game, hero, [_entry("lucky_charm", "artifact1")])
    with pytest.raises(GameError) as info:
        equipment.equip(game, hero, [_entry("lucky_charm", "artifact2")])
    assert info.value.code == 485


def test_utility_stacks_and_limits(game: GameServer) -> None:
    hero = add_character(game, items={"small_health_potion": 150}, level=30)
    equipment.equip(game, hero, [_entry("small_health_potion", "utility1", 60)])
    equipment.equip(game, hero, [_entry("small_health_potion", "utility1", 40)])
    assert hero.utility_quantity["utility1"] == 100
    with pytest.raises(GameError) as info:
        equipment.equip(game, hero, [_entry("small_health_potion", "utility1", 1)])
    assert info.value.code == 484
    with pytest.raises(GameError) as info:  # the same utility in both slots
        equipment.equip(game, hero, [_entry("small_health_potion", "utility2", 1)])
    assert info.value.code == 485
    equipment.unequip(game, hero, [{"slot": "utility1", "quantity": 30}])
    assert hero.utility_quantity["utility1"] == 70
    assert hero.quantity("small_health_potion") == 80
    with pytest.raises(GameError) as info:
        equipment.unequip(game, hero, [{"slot": "utility1", "quantity": 71}])
    assert info.value.code == 478
    equipment.unequip(game, hero, [{"slot": "utility1", "quantity": 70}])
    assert hero.equipment["utility1"] == ""
    assert hero.quantity("small_health_potion") == 150


def test_unequip_empty_slot_491_and_full_inventory_497(game: GameServer) -> None:
    hero = add_character(game)
    with pytest.raises(GameError) as info:
        equipment.unequip(game, hero, [{"slot": "helmet"}])
    assert info.value.code == 491
    for index in range(20):
        hero.inventory[index] = [f"filler{index}", 1]
    with pytest.raises(GameError) as info:
        equipment.unequip(game, hero, [{"slot": "weapon"}])
    assert info.value.code == 497
    assert hero.equipment["weapon"] == "wooden_stick"


def test_cooldown_is_three_seconds_per_entry(game: GameServer) -> None:
    _add_item(game, "copper_ring", "ring")
    hero = add_character(game, items={"copper_ring": 2, "copper_helmet": 1})
    result = equipment.equip(
        game,
        hero,
        [
            _entry("copper_ring", "ring1"),
            _entry("copper_ring", "ring2"),
            _entry("copper_helmet", "helmet"),
        ],
    )
    assert result.seconds == 9
