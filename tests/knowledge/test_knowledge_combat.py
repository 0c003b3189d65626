"""Combat predictor and character stats: worked examples, effects, monotonicity, calibration."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildmaster.knowledge import (
    MAX_TURNS,
    CombatPredictor,
    CombatStats,
    FightOutcome,
    GameData,
    Monster,
    StatEffect,
    hit_damage,
    stats_from_equipment,
)
from guildmaster.planning.domains.rules import round_half_up


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _monster(**overrides: Any) -> Monster:
    base: dict[str, Any] = {
        "code": "dummy",
        "name": "Dummy",
        "level": 5,
        "type": "normal",
        "hp": 200,
        "attack_earth": 10,
        "initiative": 50,
        "critical_strike": 0,
    }
    effects = overrides.pop("effects", [])
    base.update(overrides)
    base["effects"] = [{"code": c, "value": v} for c, v in effects]
    return Monster.from_api(base)


def _fighter(**overrides: Any) -> CombatStats:
    base = CombatStats(level=5, hp=200, max_hp=200, attack=(0, 0, 0, 10), initiative=100)
    return replace(base, **overrides)


def test_rounding_and_hit_damage_follow_the_worked_examples() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 4.25, -3.4, 1.12)] == [1, 2, 4, -3, 1]
    # fire_staff 16 with +7 % fire: 17 out; vs 25 % res -> 13, vs -20 % res -> 20.
    assert hit_damage((16, 0, 0, 0), (7, 7, 7, 7), (25, 0, 0, 0)) == 13
    assert hit_damage((16, 0, 0, 0), (7, 7, 7, 7), (-20, 0, 0, 0)) == 20
    # 100 % resistance blocks everything; elements add up.
    assert hit_damage((0, 50, 0, 0), (0, 0, 0, 0), (0, 100, 0, 0)) == 0
    assert hit_damage((10, 10, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), critical=True) == 30


def test_worked_fight_l1_stick_vs_level1_monster(real: GameData) -> None:
    stats = stats_from_equipment(1, {"weapon": "wooden_stick"}, real)
    assert stats.max_hp == 120 and stats.initiative == 100
    assert stats.total_attack == 4 and stats.critical_strike == 5
    monster = real.monsters["chicken"]
    predictor = CombatPredictor(samples=300, seed=7)
    # Without crits the fight is deterministic: 15 hits, win on turn 29, 56 damage taken.
    exact = predictor.predict(replace(stats, critical_strike=0), monster)
    assert exact.win_probability == 1.0
    assert exact.expected_turns == 29 and exact.expected_hp_left == 64
    assert exact.expected_seconds == 58
    # Crits (5 %) can only shorten the fight and spare HP.
    crit = predictor.predict(stats, monster)
    assert crit.win_probability == 1.0
    assert 25 < crit.expected_turns < 29 and 64 < crit.expected_hp_left < 70


def test_utility_potions_are_carried_into_fights(real: GameData) -> None:
    potion = next(i for i in real.items.values() if i.type == "utility" and i.effect("restore") > 0)
    stats = stats_from_equipment(
        10, {"utility1": potion.code}, real, utility_quantities={"utility1": 5}
    )
    assert dict(stats.utility_quantities) == {"restore": 5}
    assert stats.effect("restore") == potion.effect("restore")


def test_monster_effects_change_the_outlook() -> None:
    predictor = CombatPredictor(samples=100)
    fighter = _fighter()
    plain = predictor.predict(fighter, _monster())
    poisoned = predictor.predict(fighter, _monster(code="p", effects=[("poison", 5)]))
    assert poisoned.expected_hp_left < plain.expected_hp_left
    shielded = predictor.predict(fighter, _monster(code="b", effects=[("barrier", 30)]))
    assert shielded.expected_turns > plain.expected_turns
    healer = predictor.predict(fighter, _monster(code="h", effects=[("healing", 10)]))
    assert healer.expected_turns > plain.expected_turns
    burner = predictor.predict(fighter, _monster(code="f", effects=[("burn", 50)]))
    assert burner.expected_hp_left < plain.expected_hp_left
    # A lich-like full heal every 3 own turns makes a slow fighter lose.
    immortal = predictor.predict(fighter, _monster(code="r", effects=[("reconstitution", 3)]))
    assert immortal.win_probability == 0.0


def test_character_effects_help() -> None:
    predictor = CombatPredictor(samples=200)
    monster = _monster(hp=150, attack_earth=25)
    base = _fighter(critical_strike=30)
    without = predictor.predict(base, monster)
    potions = replace(
        base, effects=(StatEffect("restore", 60),), utility_quantities=(("restore", 3),)
    )
    assert predictor.predict(potions, monster).win_probability > without.win_probability
    boosted = replace(base, effects=(StatEffect("boost_hp", 150),))
    assert predictor.predict(boosted, monster).win_probability > without.win_probability


def test_timeout_is_a_loss() -> None:
    predictor = CombatPredictor(samples=20)
    # Neither side can hurt the other enough in 100 turns.
    prediction = predictor.predict(
        _fighter(attack=(0, 0, 0, 1)), _monster(hp=10_000, attack_earth=1)
    )
    assert prediction.win_probability == 0.0 and prediction.expected_turns == 100
    assert prediction.expected_seconds == 200


def test_predictions_are_deterministic_and_cached() -> None:
    a = CombatPredictor(samples=50, seed=3)
    b = CombatPredictor(samples=50, seed=3)
    fighter, monster = _fighter(critical_strike=40), _monster(critical_strike=40)
    assert a.predict(fighter, monster) == b.predict(fighter, monster)
    assert a.predict(fighter, monster) is a.predict(fighter, monster)


_upgrades = st.fixed_dictionaries(
    {
        "attack": st.tuples(*[st.integers(0, 30)] * 4),
        "hp": st.integers(0, 200),
        "res": st.tuples(*[st.integers(0, 20)] * 4),
        "crit": st.integers(0, 30),
        "dmg": st.integers(0, 30),
        "initiative": st.integers(0, 200),
    }
)


@settings(max_examples=40, deadline=None)
@given(
    level=st.integers(1, 40),
    base_attack=st.tuples(*[st.integers(0, 60)] * 4),
    upgrade=_upgrades,
    monster_index=st.integers(0, 10_000),
)
def test_better_gear_never_lowers_the_win_probability(
    real: GameData,
    level: int,
    base_attack: tuple[int, int, int, int],
    upgrade: dict[str, Any],
    monster_index: int,
) -> None:
    # Mirror, greed and rage punish damage dealt: in the game itself, hitting harder can make
    # those monsters hit back sooner, so monotonicity is only a law for the others.
    punishing = ("enchanted_mirror", "greed", "berserker_rage")
    monsters = [m for m in real.combat_ladder() if not any(m.effect(e) for e in punishing)]
    monster = monsters[monster_index % len(monsters)]
    hp = 115 + 5 * level + 10 * level
    base = CombatStats(level=level, hp=hp, max_hp=hp, attack=base_attack, critical_strike=5)
    a, r = upgrade["attack"], upgrade["res"]
    better = replace(
        base,
        attack=tuple(x + y for x, y in zip(base.attack, a, strict=True)),
        hp=base.hp + upgrade["hp"],
        max_hp=base.max_hp + upgrade["hp"],
        res=tuple(x + y for x, y in zip(base.res, r, strict=True)),
        critical_strike=base.critical_strike + upgrade["crit"],
        dmg=base.dmg + upgrade["dmg"],
        initiative=base.initiative + upgrade["initiative"],
    )
    predictor = CombatPredictor(samples=40, seed=11)
    worse_p = predictor.predict(base, monster)
    better_p = predictor.predict(better, monster)
    assert better_p.win_probability >= worse_p.win_probability


def test_calibration_learns_from_observed_fights() -> None:
    predictor = CombatPredictor(samples=50)
    fighter, monster = _fighter(), _monster(attack_earth=4)
    raw = predictor.predict(fighter, monster)
    assert raw.win_probability == 1.0 and raw.baseline is None
    # Real fights last twice as long and hurt 1.5x as much as predicted.
    for _ in range(40):
        predicted = predictor.predict(fighter, monster)
        actual_lost = round(raw.expected_hp_lost * 1.5)
        predictor.observe(
            monster.code,
            predicted,
            FightOutcome(
                win=True, turns=round(raw.expected_turns * 2), hp_left=raw.start_hp - actual_lost
            ),
        )
    tuned = predictor.predict(fighter, monster)
    assert tuned.baseline == raw
    assert tuned.expected_turns == pytest.approx(raw.expected_turns * 2, rel=0.05)
    assert tuned.expected_hp_lost == pytest.approx(raw.expected_hp_lost * 1.5, rel=0.05)
    fights, turn_factor, _ = predictor.calibration(monster.code)
    assert fights == 40 and turn_factor == pytest.approx(2.0, rel=0.05)
    # Unexpected losses pull the win probability down; other monsters are untouched.
    for _ in range(10):
        predictor.observe(
            monster.code,
            predictor.predict(fighter, monster),
            FightOutcome(win=False, turns=30, hp_left=0),
        )
    assert predictor.predict(fighter, monster).win_probability < 0.9
    other = _monster(code="other")
    assert predictor.predict(fighter, other).baseline is None


def test_party_of_one_matches_the_single_prediction() -> None:
    predictor = CombatPredictor(samples=80, seed=5)
    fighter, monster = _fighter(critical_strike=25), _monster(critical_strike=10)
    single = predictor.predict(fighter, monster)
    party = predictor.predict_party([fighter], monster)
    assert party.win_probability == single.win_probability
    assert party.expected_turns == single.expected_turns
    assert party.expected_hp_left == (single.expected_hp_left,)


def test_a_party_beats_a_boss_and_the_tank_takes_the_hits() -> None:
    predictor = CombatPredictor(samples=100)
    boss = _monster(
        code="boss", type="boss", hp=900, attack_earth=40, initiative=150, effects=[("barrier", 50)]
    )
    striker = _fighter(hp=300, max_hp=300, attack=(0, 0, 0, 40), critical_strike=20)
    tank = replace(striker, threat=50, hp=500, max_hp=500, res=(0, 40, 0, 0))
    alone = predictor.predict(striker, boss)
    together = predictor.predict_party([striker, tank], boss)
    assert together.win_probability > alone.win_probability
    assert together.expected_turns < MAX_TURNS
    # The monster targets the highest threat: the striker is never hit while the tank lives.
    assert together.expected_hp_left[0] == striker.hp
    assert together.expected_hp_left[1] < tank.hp
    with pytest.raises(ValueError):
        predictor.predict_party([], boss)
    with pytest.raises(ValueError):
        predictor.predict_party([striker, tank], boss, hps=[10])


def test_calibration_survives_export_and_import() -> None:
    first = CombatPredictor(samples=30)
    fighter, monster = _fighter(), _monster(attack_earth=4)
    for _ in range(5):
        first.observe(
            monster.code,
            first.predict(fighter, monster),
            FightOutcome(win=True, turns=60, hp_left=100),
        )
    saved = json.loads(json.dumps(first.export_calibration()))
    second = CombatPredictor(samples=30)
    second.import_calibration(saved)
    assert second.predict(fighter, monster) == first.predict(fighter, monster)
    assert second.calibration(monster.code) == first.calibration(monster.code)
    with pytest.raises(ValueError):
        second.import_calibration({"x": {"fights": 1}})
    with pytest.raises(ValueError):
        second.import_calibration({"x": {**saved[monster.code], "wins": 99}})
