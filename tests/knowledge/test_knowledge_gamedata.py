"""GameData: parsing, indexes (recipes, sources, locations, ladders, gear) and loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import guildmaster.knowledge as knowledge
from guildmaster.knowledge import (
    CatalogueSource,
    Drop,
    GameData,
    Tile,
)


def _tile(map_id: int, x: int, y: int, content: tuple[str, str] | None = None) -> dict[str, Any]:
    return {
        "map_id": map_id,
        "name": "t",
        "skin": "s",
        "x": x,
        "y": y,
        "layer": "overworld",
        "access": {"type": "standard", "conditions": []},
        "interactions": {
            "content": {"type": content[0], "code": content[1]} if content else None,
            "transition": None,
        },
    }


def _item(
    code: str,
    *,
    level: int = 1,
    type_: str = "resource",
    subtype: str = "",
    craft: dict[str, Any] | None = None,
    effects: tuple[tuple[str, int], ...] = (),
) -> dict[str, Any]:
    return {
        "name": code.title(),
        "code": code,
        "level": level,
        "type": type_,
        "subtype": subtype,
        "description": "",
        "tradeable": True,
        "conditions": [],
        "effects": [{"code": c, "value": v, "description": ""} for c, v in effects],
        "craft": craft,
        "recyclable": False,
    }


def _craft(skill: str, level: int, items: dict[str, int], quantity: int = 1) -> dict[str, Any]:
    return {
        "skill": skill,
        "level": level,
        "items": [{"code": c, "quantity": q} for c, q in items.items()],
        "quantity": quantity,
    }


def _drop(code: str, rate: int = 1) -> dict[str, Any]:
    return {"code": code, "rate": rate, "min_quantity": 1, "max_quantity": 1}


def _tiny_world() -> dict[str, Any]:
    """An invented world: names mean nothing to the code under test."""
    return {
        "items": [
            _item("zorb_ore"),
            _item("plix_wood"),
            _item("fang"),
            _item("zorb_bar", craft=_craft("mining", 1, {"zorb_ore": 4})),
            _item("glue", craft=_craft("alchemy", 3, {"plix_wood": 1}, quantity=3)),
            _item(
                "zorb_blade",
                level=5,
                type_="weapon",
                craft=_craft("weaponcrafting", 5, {"zorb_bar": 3, "glue": 2, "fang": 1}),
                effects=(("attack_fire", 9),),
            ),
            _item(
                "zorb_pick",
                level=2,
                type_="weapon",
                subtype="tool",
                craft=_craft("weaponcrafting", 2, {"zorb_bar": 2, "glue": 1}),
                effects=(("attack_earth", 3), ("mining", -15)),
            ),
            _item("plix_ring", level=4, type_="ring", effects=(("dmg", 3),)),
            _item("copper_band", level=1, type_="ring", effects=(("hp", 5),)),
        ],
        "monsters": [
            {
                "name": "Grub",
                "code": "grub",
                "level": 3,
                "type": "normal",
                "hp": 50,
                "attack_fire": 0,
                "attack_earth": 5,
                "attack_water": 0,
                "attack_air": 0,
                "res_fire": 0,
                "res_earth": 0,
                "res_water": 0,
                "res_air": 0,
                "critical_strike": 0,
                "initiative": 10,
                "min_gold": 0,
                "max_gold": 2,
                "drops": [_drop("fang", 4)],
                "effects": [],
            }
        ],
        "resources": [
            {
                "name": "Z",
                "code": "zorb_rock",
                "skill": "mining",
                "level": 1,
                "drops": [_drop("zorb_ore"), _drop("fang", 50)],
            },
            {
                "name": "Y",
                "code": "deep_zorb_rock",
                "skill": "mining",
                "level": 10,
                "drops": [_drop("zorb_ore")],
            },
            {
                "name": "P",
                "code": "plix_tree",
                "skill": "woodcutting",
                "level": 1,
                "drops": [_drop("plix_wood")],
            },
        ],
        "maps": [
            _tile(1, 0, 0),
            _tile(2, 1, 0, ("resource", "zorb_rock")),
            _tile(3, 2, 0, ("workshop", "mining")),
            _tile(4, 0, 1, ("bank", "bank")),
            _tile(5, 1, 1, ("monster", "grub")),
            _tile(6, 2, 1, ("npc", "trader_tom")),
            _tile(7, 3, 3, ("bank", "bank")),
        ],
        "npcs": [
            {
                "code": "fang",
                "npc": "trader_tom",
                "currency": "gold",
                "buy_price": 40,
                "sell_price": 2,
            },
            {
                "code": "zorb_ore",
                "npc": "trader_tom",
                "currency": "gold",
                "buy_price": None,
                "sell_price": 1,
            },
        ],
        "tasks": [
            {
                "code": "grub",
                "level": 1,
                "type": "monsters",
                "min_quantity": 5,
                "max_quantity": 10,
                "rewards": {"items": [{"code": "coin", "quantity": 1}], "gold": 10},
                "skill": None,
            }
        ],
        "events": [],
        "effects": [],
        "achievements": [],
    }


@pytest.fixture(scope="module")
def tiny() -> GameData:
    return GameData.from_snapshot(_tiny_world())


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def test_raw_materials_aggregate_intermediates_before_rounding(tiny: GameData) -> None:
    # 2 blades need 6 bars (24 ore), 4 glue -> ceil(4/3)=2 runs -> 2 wood, and 2 fangs.
    assert tiny.raw_materials("zorb_blade", 2) == {"zorb_ore": 24, "plix_wood": 2, "fang": 2}
    assert tiny.craft_runs("zorb_blade", 2) == {"zorb_blade": 2, "zorb_bar": 6, "glue": 2}
    assert tiny.raw_materials("fang", 7) == {"fang": 7}


def test_raw_materials_shares_intermediates_across_branches() -> None:
    world = _tiny_world()
    # A kit with one blade and one pick: glue 2+1 = 3 -> exactly one run, not two.
    world["items"].append(
        _item("kit", craft=_craft("gearcrafting", 1, {"zorb_blade": 1, "zorb_pick": 1}))
    )
    data = GameData.from_snapshot(world)
    assert data.craft_runs("kit")["glue"] == 1
    assert data.raw_materials("kit") == {"zorb_ore": 20, "plix_wood": 1, "fang": 1}


def test_recipe_cycle_is_reported() -> None:
    world = _tiny_world()
    world["items"].append(_item("a", craft=_craft("mining", 1, {"b": 1})))
    world["items"].append(_item("b", craft=_craft("mining", 1, {"a": 1})))
    data = GameData.from_snapshot(world)
    with pytest.raises(ValueError, match="cycle"):
        data.raw_materials("a")


def test_used_in_and_recipe(tiny: GameData) -> None:
    assert {i.code for i in tiny.used_in("zorb_bar")} == {"zorb_blade", "zorb_pick"}
    assert tiny.used_in("zorb_blade") == ()
    craft = tiny.recipe("glue")
    assert craft is not None and craft.quantity == 3 and craft.skill == "alchemy"
    assert tiny.recipe("fang") is None


def test_sources_cover_every_kind(tiny: GameData) -> None:
    fang = tiny.sources("fang")
    # Best rate first: the monster (1/4) before the rock (1/50).
    assert [m.code for m, _ in fang.monsters] == ["grub"]
    assert [r.code for r, _ in fang.resources] == ["zorb_rock"]
    assert [(o.npc, o.buy_price) for o in fang.npcs] == [("trader_tom", 40)]
    assert fang.is_obtainable
    # zorb_ore's offer has no buy price: it is not an NPC source.
    assert tiny.sources("zorb_ore").npcs == ()
    assert [o.code for o in tiny.sell_offers("zorb_ore")] == ["zorb_ore"]
    assert tiny.sources("zorb_bar").craft is not None
    assert not tiny.sources("nothing_at_all").is_obtainable
    coin = tiny.sources("coin")
    assert [t.code for t in coin.task_completions] == ["grub"] and coin.is_obtainable


def test_achievement_and_exchange_rewards_are_sources() -> None:
    world = _tiny_world()
    world["achievements"] = [
        {
            "code": "grub_slayer",
            "points": 1,
            "objectives": [{"type": "combat_kill", "target": "grub", "total": 10}],
            "rewards": {"gold": 0, "items": [{"code": "trophy", "quantity": 1}]},
        }
    ]
    world["tasks_rewards"] = [_drop("lucky_charm", 20)]
    data = GameData.from_snapshot(world)
    assert [a.code for a in data.sources("trophy").achievements] == ["grub_slayer"]
    assert [d.rate for d in data.sources("lucky_charm").tasks] == [20]


def test_locations(tiny: GameData) -> None:
    assert [t.key for t in tiny.banks()] == [("overworld", 0, 1), ("overworld", 3, 3)]
    assert [t.map_id for t in tiny.workshops("mining")] == [3]
    assert tiny.workshops("cooking") == ()
    assert [t.map_id for t in tiny.npc_tiles("trader_tom")] == [6]
    assert [t.map_id for t in tiny.monster_tiles("grub")] == [5]
    assert tiny.tile_by_id(2).key == ("overworld", 1, 0)
    assert tiny.tile("overworld", 2, 0).has_content("workshop", "mining")
    with pytest.raises(KeyError):
        tiny.tile("underground", 0, 0)


def test_ladders_equipment_and_tools(tiny: GameData) -> None:
    assert [r.code for r in tiny.gathering_ladder("mining")] == ["zorb_rock", "deep_zorb_rock"]
    assert [i.code for i in tiny.crafting_ladder("weaponcrafting")] == ["zorb_pick", "zorb_blade"]
    assert [m.code for m in tiny.combat_ladder()] == ["grub"]
    assert [i.code for i in tiny.equipment("ring2")] == ["copper_band", "plix_ring"]
    assert [i.code for i in tiny.equipment("ring1", max_level=3)] == ["copper_band"]
    assert [i.code for i in tiny.gathering_tools("mining")] == ["zorb_pick"]
    assert tiny.gathering_tools("woodcutting") == ()
    with pytest.raises(KeyError):
        tiny.equipment("tail")


def test_npcs_are_derived_when_the_catalogue_lacks_details(tiny: GameData) -> None:
    assert set(tiny.npcs) == {"trader_tom"}
    assert len(tiny.npc_offers_of("trader_tom")) == 2
    task = tiny.tasks["grub"]
    assert task.reward_gold == 10 and task.reward_items[0].code == "coin"


def test_real_snapshot_indexes(real: GameData) -> None:
    assert len(real.items) > 400 and len(real.maps) > 1000 and len(real.monsters) > 40
    # Every recipe ingredient is a known item, and raw bills only hold uncraftable items.
    for item in real.items.values():
        if item.craft:
            bill = real.raw_materials(item.code)
            assert bill and all(real.recipe(code) is None for code in bill)
    spawn = real.tile("overworld", 0, 0)
    assert real.tile_by_id(spawn.map_id) is spawn
    # Gathering ladders start at level 1 and tools only reduce their own skill.
    for skill in ("mining", "woodcutting", "fishing", "alchemy"):
        ladder = real.gathering_ladder(skill)
        assert ladder[0].level == 1
        assert [r.level for r in ladder] == sorted(r.level for r in ladder)
        for tool in real.gathering_tools(skill):
            assert tool.effect(skill) < 0 and tool.type == "weapon"
    assert real.banks() and real.grand_exchanges() and real.tasks_masters("monsters")
    for tile in real.banks():
        assert isinstance(tile, Tile) and tile.has_content("bank")


def test_drop_expectation_with_prospecting() -> None:
    drop = Drop(code="x", rate=8, min_quantity=1, max_quantity=3)
    assert drop.expected_quantity() == pytest.approx(2 / 8)
    assert drop.expected_quantity(prospecting=500) == pytest.approx(1.5 * 2 / 8)
    assert Drop(code="y", rate=1).expected_quantity(prospecting=900) == 1.0


class _FakeSource:
    """Serves catalogues from a world dict, counting calls."""

    def __init__(self, world: dict[str, Any]) -> None:
        self.world = world
        self.calls: list[str] = []
        self.base_url = "http://fake.test:9000"

    async def fetch_catalogue(self, name: str) -> list[dict[str, Any]]:
        self.calls.append(name)
        key = {"npcs/items": "npcs", "tasks/list": "tasks"}.get(name, name)
        return list(self.world.get(key) or [])


async def test_load_fetches_every_catalogue_once() -> None:
    source = _FakeSource(_tiny_world())
    assert isinstance(source, CatalogueSource)
    data = await GameData.load(source)
    assert sorted(source.calls) == sorted(knowledge.CATALOGUE_NAMES)
    assert data.raw_materials("zorb_pick") == GameData.from_snapshot(_tiny_world()).raw_materials(
        "zorb_pick"
    )


async def test_load_survives_missing_active_events() -> None:
    class Flaky(_FakeSource):
        async def fetch_catalogue(self, name: str) -> list[dict[str, Any]]:
            if name == "events/active":
                raise ConnectionError("down")
            return await super().fetch_catalogue(name)

    data = await GameData.load(Flaky(_tiny_world()))
    assert data.active_events == () and len(data.items) == 9


def test_all_is_complete_and_sorted() -> None:
    public = {
        name
        for name in dir(knowledge)
        if not name.startswith("_")
        and name not in {"annotations"}
        and not isinstance(getattr(knowledge, name), type(knowledge))
    }
    assert public == set(knowledge.__all__)
    assert list(knowledge.__all__) == sorted(
        knowledge.__all__, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)
    )


def test_game_data_hashes_by_identity(tiny: GameData) -> None:
    other = GameData.from_snapshot(_tiny_world())
    assert {tiny: 1, other: 2}[tiny] == 1 and tiny != other
    assert other.items == tiny.items
