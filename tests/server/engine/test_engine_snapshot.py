"""The engine against the whole real snapshot: every effect known, every monster fightable."""

from __future__ import annotations

import random
from typing import Any

from guildmaster.server.engine import (
    FIGHT_EFFECT_CODES,
    IGNORED_EFFECT_CODES,
    STAT_EFFECT_CODES,
    Fighter,
    Utility,
    character_stats,
    monster_stats,
    simulate_fight,
    win_probability,
)

_TOOL_CODES = {"mining", "woodcutting", "fishing", "alchemy"}


def _effects(item: dict[str, Any]) -> list[tuple[str, int]]:
    return [(e["code"], int(e["value"])) for e in item["effects"]]


def test_every_effect_code_has_a_home(snapshot: dict[str, Any]) -> None:
    for effect in snapshot["effects"]:
        code = effect["code"]
        if effect["type"] == "combat":
            assert code in FIGHT_EFFECT_CODES | IGNORED_EFFECT_CODES, code
        elif effect["type"] == "equipment" and effect["subtype"] == "stat":
            assert code in STAT_EFFECT_CODES, code
        elif effect["type"] == "equipment":
            assert code in _TOOL_CODES, code


def test_every_monster_and_item_effect_is_simulated(
    snapshot: dict[str, Any], items: dict[str, dict[str, Any]]
) -> None:
    runes = [i for i in items.values() if i["type"] == "rune"]
    utilities = [i for i in items.values() if i["type"] == "utility"]
    assert runes and utilities
    rng = random.Random(11)
    for n, monster in enumerate(snapshot["monsters"]):
        stats = monster_stats(monster)
        mob = Fighter(
            monster["name"], stats, stats.max_hp, effects=tuple(_effects(monster)), is_monster=True
        )
        rune = runes[n % len(runes)]
        potion = utilities[n % len(utilities)]
        hero_stats = character_stats(50, [("attack_fire", 150), ("attack_water", 150), ("hp", 800)])
        hero = Fighter(
            "hero",
            hero_stats,
            hero_stats.max_hp,
            effects=tuple(_effects(rune)),
            utilities=(Utility("utility1", potion["code"], 10, tuple(_effects(potion))),),
        )
        result = simulate_fight([hero], mob, rng, monster_type=monster["type"])
        assert 1 <= result.turns <= 100
        assert 0 <= result.final_hp["hero"] <= hero_stats.max_hp
        assert 0 <= result.monster_hp_left <= stats.max_hp


def test_progression_sanity(
    items: dict[str, dict[str, Any]], monsters: dict[str, dict[str, Any]]
) -> None:
    def mob(code: str) -> Fighter:
        m = monsters[code]
        s = monster_stats(m)
        return Fighter(code, s, s.max_hp, effects=tuple(_effects(m)), is_monster=True)

    starter = character_stats(1, _effects(items["wooden_stick"]))
    newbie = Fighter("newbie", starter, starter.max_hp)
    assert win_probability([newbie], mob("chicken"), samples=50, seed=1) == 1.0
    assert win_probability([newbie], mob("cow"), samples=50, seed=1) == 0.0
    gear = ("iron_sword", "iron_helm", "iron_boots", "iron_armor", "iron_legs_armor", "iron_ring")
    geared_stats = character_stats(
        12, [e for code in gear if code in items for e in _effects(items[code])]
    )
    geared = Fighter("geared", geared_stats, geared_stats.max_hp)
    assert win_probability([geared], mob("chicken"), samples=20, seed=1) == 1.0
    assert win_probability([geared], mob("lich"), samples=20, seed=1) == 0.0
