"""The fight loop (MECHANICS §4.2-§4.5, §4.7, §25): worked fight, order, cap, targeting."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import pytest

from guildmaster.server.engine import (
    CombatStats,
    Fighter,
    RuleSettings,
    character_stats,
    combat_xp,
    fight_seconds,
    monster_stats,
    rest,
    simulate_fight,
    win_probability,
)


def make_stats(
    max_hp: int,
    *,
    attack: Mapping[str, int] | None = None,
    res: Mapping[str, int] | None = None,
    crit: int = 0,
    initiative: int = 100,
    threat: int = 0,
) -> CombatStats:
    """Literal stats for a test combatant."""
    base = character_stats(1, [])
    return base.with_changes(
        max_hp=max_hp,
        attack={**base.attack, **(attack or {})},
        res={**base.res, **(res or {})},
        critical_strike=crit,
        initiative=initiative,
        threat=threat,
    )


def _wooden_stick_hero(items: dict[str, dict[str, Any]]) -> Fighter:
    effects = [(e["code"], int(e["value"])) for e in items["wooden_stick"]["effects"]]
    stats = character_stats(1, effects)
    assert (stats.max_hp, stats.attack["earth"], stats.critical_strike) == (120, 4, 5)
    return Fighter("hero", stats.with_changes(critical_strike=0), hp=120)


def test_worked_fight_from_snapshot(
    items: dict[str, dict[str, Any]], monsters: dict[str, dict[str, Any]]
) -> None:
    chicken = Fighter("Chicken", monster_stats(monsters["chicken"]), hp=60, is_monster=True)
    result = simulate_fight([_wooden_stick_hero(items)], chicken, random.Random(0))
    assert (result.result, result.turns, result.final_hp["hero"]) == ("win", 29, 64)
    assert result.monster_hp_left == 0
    assert result.damage_dealt == {"hero": 60, "Chicken": 56}
    assert result.logs[0] == "Fight start: hero HP: 120/120 vs Chicken HP: 60/60"
    assert result.logs[1] == "Turn 1: hero used earth attack and dealt 4 damage. Chicken HP: 56/60"
    xp = combat_xp(char_level=1, monster_level=1, monster_hp=60, monster_type="normal", wisdom=0)
    assert xp == 22
    assert fight_seconds(result.turns, 0) == 58
    assert rest(result.final_hp["hero"], 120) == (56, 47)


def test_worked_fight_from_literal_stats() -> None:
    hero = Fighter("hero", make_stats(120, attack={"earth": 4}), hp=120)
    chicken = Fighter(
        "chicken", make_stats(60, attack={"water": 4}, initiative=50), hp=60, is_monster=True
    )
    result = simulate_fight([hero], chicken, random.Random(123))
    assert (result.result, result.turns, dict(result.final_hp)) == ("win", 29, {"hero": 64})
    hits = [line for line in result.logs if "used" in line]
    assert len(hits) == 29  # 15 hero actions + 14 chicken actions


def test_crits_shorten_the_fight_and_same_seed_repeats() -> None:
    hero = Fighter("hero", make_stats(120, attack={"earth": 4}, crit=50), hp=120)
    chicken = Fighter(
        "chicken", make_stats(60, attack={"water": 4}, initiative=50), hp=60, is_monster=True
    )
    first = simulate_fight([hero], chicken, random.Random(5))
    again = simulate_fight([hero], chicken, random.Random(5))
    assert first == again
    assert first.turns < 29
    assert any("Critical strike!" in line for line in first.logs)
    outcomes = {simulate_fight([hero], chicken, random.Random(s)).turns for s in range(20)}
    assert len(outcomes) > 1


def test_low_hp_start_loses() -> None:
    hero = Fighter("hero", make_stats(120, attack={"earth": 4}), hp=20)
    chicken = Fighter(
        "chicken", make_stats(60, attack={"water": 4}, initiative=50), hp=60, is_monster=True
    )
    result = simulate_fight([hero], chicken, random.Random(0))
    assert result.result == "loss"
    assert result.final_hp["hero"] == 0
    assert result.monster_hp_left == 60 - 5 * 4


def test_turn_cap_is_a_loss_except_for_raid_bosses() -> None:
    hero = Fighter("hero", make_stats(100, attack={"fire": 1}), hp=100)
    wall = Fighter("wall", make_stats(10_000, initiative=50), hp=10_000, is_monster=True)
    normal = simulate_fight([hero], wall, random.Random(0))
    raid = simulate_fight([hero], wall, random.Random(0), monster_type="raid_boss")
    short = simulate_fight([hero], wall, random.Random(0), rules=RuleSettings(max_fight_turns=10))
    assert (normal.result, normal.turns) == ("loss", 100)
    assert normal.monster_hp_left == 10_000 - 50
    assert (raid.result, raid.turns) == ("win", 100)
    assert short.turns == 10


def test_initiative_order_then_hp_then_random() -> None:
    def opener(hero_init: int, hero_hp: int, seed: int) -> str:
        hero = Fighter("hero", make_stats(200, attack={"fire": 1}, initiative=hero_init), hero_hp)
        mob = Fighter("mob", make_stats(150, attack={"fire": 1}), hp=150, is_monster=True)
        rules = RuleSettings(max_fight_turns=1)
        logs = simulate_fight([hero], mob, random.Random(seed), rules=rules).logs
        return logs[1].split(":")[1].split()[0]

    assert opener(101, 100, 0) == "hero"
    assert opener(99, 200, 0) == "mob"
    assert opener(100, 200, 0) == "hero"  # same initiative: more HP first
    assert opener(100, 100, 0) == "mob"
    # same initiative and HP: random, both orders occur
    hero = Fighter("hero", make_stats(150, attack={"fire": 1}), hp=150)
    mob = Fighter("mob", make_stats(150, attack={"fire": 1}), hp=150, is_monster=True)
    firsts = {
        simulate_fight([hero], mob, random.Random(s), rules=RuleSettings(max_fight_turns=1))
        .logs[1]
        .split()[2]
        for s in range(30)
    }
    assert firsts == {"hero", "mob"}


def test_monster_targets_highest_threat_and_skips_the_dead() -> None:
    tank = Fighter("tank", make_stats(100, attack={"fire": 1}, threat=50, initiative=90), hp=100)
    dps = Fighter("dps", make_stats(100, attack={"fire": 1}, initiative=80), hp=100)
    boss = Fighter("boss", make_stats(5000, attack={"air": 30}), hp=5000, is_monster=True)
    result = simulate_fight([tank, dps], boss, random.Random(0), monster_type="boss")
    boss_hits = [line for line in result.logs if "boss used" in line]
    # 4 hits kill the tank (120 > 100), then the boss turns to the dps
    assert all("tank HP" in line for line in boss_hits[:4])
    assert all("dps HP" in line for line in boss_hits[4:])
    assert result.result == "loss"
    assert result.final_hp == {"tank": 0, "dps": 0}
    # boss (init 100), tank, dps rotate: the tank dies on turn 10 (boss's 4th hit); then the
    # dps and the boss alternate (turns 11..18) until the boss's 4th hit on the dps.
    assert result.turns == 18
    assert result.damage_dealt == {"tank": 3, "dps": 7, "boss": 240}


def test_threat_ties_are_random() -> None:
    a = Fighter("a", make_stats(500, attack={"fire": 1}, initiative=90), hp=500)
    b = Fighter("b", make_stats(500, attack={"fire": 1}, initiative=80), hp=500)
    boss = Fighter("boss", make_stats(5000, attack={"air": 10}), hp=5000, is_monster=True)
    rules = RuleSettings(max_fight_turns=30)
    result = simulate_fight([a, b], boss, random.Random(4), monster_type="boss", rules=rules)
    assert 0 < result.final_hp["a"] < 500
    assert 0 < result.final_hp["b"] < 500


def test_party_wins_what_a_single_character_loses() -> None:
    def hero(name: str, init: int) -> Fighter:
        return Fighter(name, make_stats(150, attack={"earth": 10}, initiative=init), hp=150)

    boss = Fighter("boss", make_stats(600, attack={"fire": 12}), hp=600, is_monster=True)
    alone = simulate_fight([hero("a", 120)], boss, random.Random(1), monster_type="boss")
    party = simulate_fight(
        [hero("a", 120), hero("b", 110), hero("c", 105)],
        boss,
        random.Random(1),
        monster_type="boss",
    )
    assert alone.result == "loss"
    assert party.result == "win"
    assert sum(party.damage_dealt[n] for n in "abc") == 600


def test_invalid_fights_are_rejected() -> None:
    hero = Fighter("x", make_stats(100), hp=100)
    with pytest.raises(ValueError):
        simulate_fight([], Fighter("m", make_stats(10), 10, is_monster=True), random.Random(0))
    with pytest.raises(ValueError):
        simulate_fight([hero], Fighter("x", make_stats(10), 10, is_monster=True), random.Random(0))


def test_win_probability_orders_matchups() -> None:
    mob = Fighter("mob", make_stats(120, attack={"water": 10}, crit=20), hp=120, is_monster=True)

    def p(attack: int) -> float:
        hero = Fighter("hero", make_stats(120, attack={"fire": attack}, crit=20), hp=120)
        return win_probability([hero], mob, samples=200, seed=3)

    weak, even, strong = p(5), p(10), p(30)
    assert weak == 0.0
    assert strong == 1.0
    assert 0.0 < even < 1.0
