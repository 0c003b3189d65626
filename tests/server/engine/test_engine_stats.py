"""Base and effective stats (MECHANICS §2.2, §2.3, §11) and damage of one hit (§4.3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import guildmaster.server.engine as engine
from guildmaster.server.engine import (
    ELEMENTS,
    RuleSettings,
    base_max_hp,
    character_stats,
    critical_hit,
    element_hit,
    inventory_capacity,
    monster_stats,
)


def _effects(items: dict[str, dict[str, Any]], *codes: str) -> list[tuple[str, int]]:
    return [(e["code"], int(e["value"])) for code in codes for e in items[code]["effects"]]


def test_base_max_hp_matches_data_file(gamedata_dir: Path) -> None:
    data = json.loads((gamedata_dir / "character_base_stats.json").read_text(encoding="utf-8"))
    for level_text, stats in data["base_stats"].items():
        level = int(level_text)
        assert base_max_hp(level) == stats["max_hp"]
        built = character_stats(level, [])
        assert built.max_hp == stats["max_hp"]
        assert built.initiative == stats["initiative"]
        assert built.critical_strike == stats["critical_strike"]
        assert dict(built.attack) == stats["attack"]
        assert dict(built.res) == stats["resistance"]
    assert base_max_hp(50) == 365


def test_effective_stats_example_from_snapshot(items: dict[str, dict[str, Any]]) -> None:
    stats = character_stats(6, _effects(items, "copper_helmet", "copper_boots", "life_amulet"))
    assert (stats.max_hp, stats.dmg, stats.wisdom) == (205, 3, 10)


def test_stat_adders_and_ignored_effects() -> None:
    stats = character_stats(
        10,
        [
            ("attack_fire", 16),
            ("dmg_fire", 5),
            ("dmg", 2),
            ("res_water", 7),
            ("haste", 4),
            ("prospecting", 30),
            ("threat", 20),
            ("inventory_space", 15),
            ("mining", -10),  # gathering tool: not a combat stat
            ("lifesteal", 15),  # rune effect: acts in fights only
        ],
    )
    assert stats.attack["fire"] == 16 and stats.total_attack == 16
    assert stats.dmg_element["fire"] == 5 and stats.dmg == 2
    assert stats.res["water"] == 7
    assert (stats.haste, stats.prospecting, stats.threat, stats.inventory_space) == (4, 30, 20, 15)
    assert stats.max_hp == 165


def test_monster_stats_from_schema(monsters: dict[str, dict[str, Any]]) -> None:
    cow = monster_stats(monsters["cow"])
    assert (cow.level, cow.max_hp, cow.initiative) == (8, 280, 100)
    assert cow.attack["air"] == 21 and cow.res["earth"] == -30 and cow.res["water"] == 30
    assert cow.dmg == 0 and all(cow.dmg_element[e] == 0 for e in ELEMENTS)


def test_inventory_capacity_examples() -> None:
    assert inventory_capacity(12, 0) == 124
    assert inventory_capacity(12, 15) == 139
    assert inventory_capacity(30, 35) == 195
    assert inventory_capacity(1, 0, RuleSettings(inventory_base=98)) == 100


@pytest.mark.parametrize(
    ("attack", "dmg", "res", "expected"),
    [
        (16, 7, 25, 13),  # fire_staff + copper_armor + copper_ring vs red_slime
        (16, 7, 0, 17),  # vs cow
        (16, 7, -20, 20),  # vs flying_snake
        (6, 2, 25, 4),  # copper_dagger + copper_ring vs green_slime
        (80, 0, 100, 0),  # corrupted_ogre blocks all earth
        (100, 30, 0, 130),  # docs: 100 + 30 %
        (100, 0, 30, 70),  # docs: 30 % resistance blocks 30
        (10, 0, 150, 0),  # clamp at 0
    ],
)
def test_element_hit_examples(attack: int, dmg: int, res: int, expected: int) -> None:
    assert element_hit(attack, dmg, res) == expected


def test_critical_hit_rounds_half_up() -> None:
    assert critical_hit(4) == 6
    assert critical_hit(13) == 20  # 19.5 rounds up
    assert critical_hit(10, 2.0) == 20


def test_package_all_is_complete_and_sorted() -> None:
    public = {
        name
        for name, value in vars(engine).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith(engine.__name__)
    }
    assert public <= set(engine.__all__)

    # isort-style order (as ruff RUF022 keeps it): CONSTANTS, then Classes, then functions
    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert list(engine.__all__) == sorted(engine.__all__, key=key)
    for name in engine.__all__:
        assert hasattr(engine, name)
