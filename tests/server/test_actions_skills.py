"""Gathering (tools, XP, cooldown), crafting (quantity, XP), recycling (normal and enhanced)."""

from __future__ import annotations

import pytest
from test_actions_helpers import act, add_character, fingerprint
from test_actions_helpers import light_game as game

from guildmaster.server.actions import skills
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer
from guildmaster.server.world import Json

__all__ = ["game"]

MINE = (2, 0)
MINING_WORKSHOP = (1, 1)
WEAPON_WORKSHOP = (2, 1)


def test_gather_gives_item_xp_and_cooldown(game: GameServer) -> None:
    hero = add_character(game, at=MINE)
    data = act(game, hero, lambda c: skills.gather(game, c))
    assert data["details"] == {"xp": 13, "items": [{"code": "copper_ore", "quantity": 1}]}
    assert data["cooldown"]["total_seconds"] == 31  # 30 + 1/2, halves round up
    assert data["cooldown"]["reason"] == "gathering"
    assert hero.quantity("copper_ore") == 1
    assert hero.skills["mining"] == [1, 13]
    assert data["character"]["mining_xp"] == 13


def test_gathering_tool_shortens_the_cooldown(game: GameServer) -> None:
    game.world.items["copper_pickaxe"] = {
        **game.world.items["wooden_stick"],
        "code": "copper_pickaxe",
        "subtype": "tool",
        "effects": [{"code": "mining", "value": -10, "description": ""}],
    }
    hero = add_character(game, at=MINE, weapon="copper_pickaxe")
    result = skills.gather(game, hero)
    assert result.seconds == 27  # 30.5 * 0.9 = 27.45


def test_gathering_levels_up_the_skill(game: GameServer) -> None:
    hero = add_character(game, at=MINE)
    hero.skills["mining"] = [1, 140]
    skills.gather(game, hero)
    assert hero.skills["mining"] == [2, 3]


def test_gather_errors(game: GameServer) -> None:
    hero = add_character(game)
    with pytest.raises(GameError) as info:
        skills.gather(game, hero)
    assert info.value.code == 598
    game.world.resources["copper_rocks"]["level"] = 5
    hero = add_character(game, "miner", at=MINE)
    with pytest.raises(GameError) as info:
        skills.gather(game, hero)
    assert info.value.code == 493
    game.world.resources["copper_rocks"]["level"] = 1
    hero.inventory[0] = ["feather", hero.inventory_max_items]
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        skills.gather(game, hero)
    assert info.value.code == 497
    assert fingerprint(game) == before


def test_craft_quantity(game: GameServer) -> None:
    hero = add_character(game, at=MINING_WORKSHOP, items={"copper_ore": 25})
    data = act(game, hero, lambda c: skills.craft(game, c, "copper_bar", 2))
    assert data["details"] == {"xp": 16, "items": [{"code": "copper_bar", "quantity": 2}]}
    assert data["cooldown"]["total_seconds"] == 10
    assert data["cooldown"]["reason"] == "crafting"
    assert hero.quantity("copper_ore") == 5 and hero.quantity("copper_bar") == 2


def test_craft_multi_output_recipe(game: GameServer) -> None:
    recipe: Json = game.world.items["copper_bar"]["craft"]
    recipe["quantity"] = 3
    hero = add_character(game, at=MINING_WORKSHOP, items={"copper_ore": 20})
    result = skills.craft(game, hero, "copper_bar", 2)
    assert hero.quantity("copper_bar") == 6
    assert result.data["details"]["xp"] == 16  # XP is per run, not per unit


@pytest.mark.parametrize(
    ("code", "quantity", "at", "error"),
    [
        ("unknown_thing", 1, MINING_WORKSHOP, 404),
        ("copper_ore", 1, MINING_WORKSHOP, 404),  # no recipe
        ("copper_bar", 1, WEAPON_WORKSHOP, 598),
        ("copper_bar", 1, (0, 0), 598),
        ("copper_bar", 2, MINING_WORKSHOP, 478),
    ],
)
def test_craft_errors_change_nothing(
    game: GameServer, code: str, quantity: int, at: tuple[int, int], error: int
) -> None:
    hero = add_character(game, at=at, items={"copper_ore": 15})
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        act(game, hero, lambda c: skills.craft(game, c, code, quantity))
    assert info.value.code == error
    assert fingerprint(game) == before


def test_craft_skill_and_room(game: GameServer) -> None:
    game.world.items["copper_bar"]["craft"]["level"] = 3
    hero = add_character(game, at=MINING_WORKSHOP, items={"copper_ore": 10})
    with pytest.raises(GameError) as info:
        skills.craft(game, hero, "copper_bar", 1)
    assert info.value.code == 493
    game.world.items["copper_bar"]["craft"]["level"] = 1
    game.world.items["copper_bar"]["craft"]["quantity"] = 200
    with pytest.raises(GameError) as info:
        skills.craft(game, hero, "copper_bar", 1)
    assert info.value.code == 497
    assert hero.quantity("copper_ore") == 10


def test_recycle_normal_and_enhanced(game: GameServer) -> None:
    hero = add_character(game, at=WEAPON_WORKSHOP, items={"copper_dagger": 3}, gold=100)
    data = act(game, hero, lambda c: skills.recycle(game, c, "copper_dagger", 1))
    # 6 recipe units -> floor(5/5)+1 = 2 units back
    assert data["details"] == {
        "items": [{"code": "copper_bar", "quantity": 2}],
        "enhanced": False,
        "gold": 0,
    }
    assert data["cooldown"]["total_seconds"] == 3
    result = skills.recycle(game, hero, "copper_dagger", 2, enhanced=True)
    # enhanced: min(6, round(2 * 1.3)) = 3 units per item, 6 * 2 * 5 = 60 gold
    assert result.data["details"]["items"] == [{"code": "copper_bar", "quantity": 6}]
    assert result.data["details"]["gold"] == 60
    assert hero.gold == 40
    assert hero.quantity("copper_bar") == 8 and hero.quantity("copper_dagger") == 0
    assert result.seconds == 6


@pytest.mark.parametrize(
    ("code", "quantity", "enhanced", "at", "error"),
    [
        ("unknown_thing", 1, False, WEAPON_WORKSHOP, 404),
        ("copper_bar", 1, False, MINING_WORKSHOP, 473),
        ("copper_dagger", 1, False, MINING_WORKSHOP, 598),
        ("copper_dagger", 2, False, WEAPON_WORKSHOP, 478),
        ("copper_dagger", 1, True, WEAPON_WORKSHOP, 492),
    ],
)
def test_recycle_errors_change_nothing(
    game: GameServer, code: str, quantity: int, enhanced: bool, at: tuple[int, int], error: int
) -> None:
    hero = add_character(game, at=at, items={"copper_dagger": 1, "copper_bar": 1}, gold=29)
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        act(game, hero, lambda c: skills.recycle(game, c, code, quantity, enhanced=enhanced))
    assert info.value.code == error
    assert fingerprint(game) == before
