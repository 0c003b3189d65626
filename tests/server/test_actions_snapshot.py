"""Action rules on the real 2026-07 snapshot world (skipped when the game data is absent)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from server_fixtures import snapshot_world
from test_actions_helpers import add_character

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import items, movement, skills
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer


@pytest.fixture
def real_game(snapshot_path: Path) -> GameServer:
    """A GameServer on the real snapshot world."""
    return GameServer(
        world=snapshot_world(snapshot_path), clock=VirtualClock(), rng=random.Random(3)
    )


def test_move_to_the_bank_costs_25_seconds(real_game: GameServer) -> None:
    hero = add_character(real_game)
    result = movement.move(real_game, hero, {"x": 4, "y": 1})
    assert result.seconds == 25  # MECHANICS §6.2: (0,0) -> (4,1) on open ground
    assert result.data["destination"]["interactions"]["content"]["type"] == "bank"


def test_enchanted_forest_is_entered_through_its_paid_transition(real_game: GameServer) -> None:
    hero = add_character(real_game, at=(-4, 9), gold=6000)
    with pytest.raises(GameError) as info:
        movement.move(real_game, hero, {"x": -4, "y": 8})
    assert info.value.code == 596  # restricted from outside
    movement.transition(real_game, hero)
    assert (hero.x, hero.y, hero.gold) == (-4, 8, 1000)
    movement.move(real_game, hero, {"x": -5, "y": 10})  # inside the restricted region
    assert (hero.x, hero.y) == (-5, 10)
    with pytest.raises(GameError) as info:
        movement.move(real_game, hero, {"x": 0, "y": 0})
    assert info.value.code == 595
    hero.x, hero.y = -4, 8
    movement.transition(real_game, hero)  # the way back is free
    assert (hero.x, hero.y, hero.gold) == (-4, 9, 1000)


def test_recall_potion_teleports_to_spawn(real_game: GameServer) -> None:
    hero = add_character(real_game, at=(4, 1), level=5, items={"recall_potion": 1})
    items.use_item(real_game, hero, "recall_potion", 1)
    assert (hero.layer, hero.x, hero.y, hero.map_id) == ("overworld", 0, 0, 271)


def test_iron_rocks_with_iron_pickaxe(real_game: GameServer) -> None:
    tile = next(real_game.world.maps.find_content("resource", "iron_rocks"))
    hero = add_character(
        real_game, at=(tile["x"], tile["y"]), layer=tile["layer"], weapon="iron_pickaxe"
    )
    hero.skills["mining"] = [10, 0]
    result = skills.gather(real_game, hero)
    assert result.seconds == 28  # (30 + 10/2) * 0.8
    assert result.data["details"]["xp"] == 18
    assert {"code": "iron_ore", "quantity": 1} in result.data["details"]["items"]


def test_crafting_iron_sword_gives_235_xp(real_game: GameServer) -> None:
    workshop = next(real_game.world.maps.find_content("workshop", "weaponcrafting"))
    hero = add_character(
        real_game, at=(workshop["x"], workshop["y"]), items={"iron_bar": 6, "feather": 2}
    )
    hero.skills["weaponcrafting"] = [10, 0]
    result = skills.craft(real_game, hero, "iron_sword", 1)
    assert result.data["details"]["xp"] == 235
    assert result.seconds == 5
    assert hero.quantity("iron_sword") == 1 and hero.quantity("iron_bar") == 0
