"""Cooldowns, rest, drops and recycling (MECHANICS §5, §6.2, §9, §10)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guildmaster.server.engine import (
    DEFAULT_ACTION_SECONDS,
    DropRate,
    RuleSettings,
    bank_item_seconds,
    crafting_seconds,
    drop_chance,
    enhanced_recycle_cost,
    equip_seconds,
    fight_seconds,
    gathering_seconds,
    move_seconds,
    recycle_units_per_item,
    recycle_yield,
    recycling_seconds,
    rest,
    rest_seconds,
    roll_drops,
    roll_gold,
    round_half_up,
    use_heal,
    use_seconds,
)


def test_round_half_up_is_not_bankers_rounding() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 2.4999, -3.4, -3.5, 7.5)] == [
        1, 2, 3, 2, -3, -3, 8,
    ]  # fmt: skip


def test_cooldown_examples() -> None:
    assert move_seconds(5) == 25
    assert fight_seconds(29, 0) == 58
    assert fight_seconds(29, 10) == 52
    assert fight_seconds(29, 10, RuleSettings(fight_cooldown_rounding="ceil")) == 53
    assert fight_seconds(1, 100, RuleSettings(min_fight_seconds=1)) == 1
    assert rest_seconds(64, 120) == 47
    assert gathering_seconds(1, 0) == 31  # 30.5 rounds up
    assert gathering_seconds(1, 0, rules=RuleSettings(gathering_cooldown_rounding="floor")) == 30
    assert gathering_seconds(10, -20) == 28
    assert crafting_seconds(3) == 15
    assert recycling_seconds(2) == 6
    assert bank_item_seconds(5) == 15
    assert equip_seconds(2) == 6
    assert use_seconds() == DEFAULT_ACTION_SECONDS == 3


def test_rest_examples() -> None:
    assert rest(64, 120) == (56, 47)
    assert rest(119, 120) == (1, 3)
    assert rest(1, 365) == (364, 100)
    assert rest(120, 120) == (0, 3)
    assert rest_seconds(60, 120) == 50


def test_use_heal_caps_at_max() -> None:
    assert use_heal(10, 120, 50, 1) == 60
    assert use_heal(10, 120, 50, 3) == 120
    with pytest.raises(ValueError):
        use_heal(10, 120, 50, 0)


def test_drop_chance_with_prospecting() -> None:
    assert drop_chance(8, 0) == pytest.approx(0.125)
    assert drop_chance(8, 50) == pytest.approx(0.13125)
    assert drop_chance(1000, 0) == pytest.approx(0.001)
    assert drop_chance(2, 2000) == 1.0


def test_roll_drops_frequencies_and_certain_drops() -> None:
    rng = random.Random(7)
    table = [
        DropRate("raw_chicken", 2, 1, 1),
        DropRate("feather", 8, 1, 1),
        DropRate("ore", 1, 2, 3),
    ]
    counts = {"raw_chicken": 0, "feather": 0, "ore": 0}
    trials = 4000
    for _ in range(trials):
        for code, qty in roll_drops(table, prospecting=0, rng=rng):
            counts[code] += 1
            if code == "ore":
                assert 2 <= qty <= 3
    assert counts["ore"] == trials
    assert counts["raw_chicken"] / trials == pytest.approx(0.5, abs=0.03)
    assert counts["feather"] / trials == pytest.approx(0.125, abs=0.02)


def test_prospecting_raises_drop_counts() -> None:
    table = [DropRate("gem", 20, 1, 1)]

    def count(pp: int) -> int:
        rng = random.Random(3)
        return sum(len(roll_drops(table, prospecting=pp, rng=rng)) for _ in range(3000))

    assert count(1000) > count(0) * 1.6


def test_drop_rate_from_api() -> None:
    d = DropRate.from_api({"code": "egg", "rate": 12, "min_quantity": 1, "max_quantity": 2})
    assert d == DropRate("egg", 12, 1, 2)


def test_roll_gold_uniform_range() -> None:
    rng = random.Random(1)
    seen = {roll_gold(0, 3, rng) for _ in range(200)}
    assert seen == {0, 1, 2, 3}


@given(
    seed=st.integers(0, 2**32),
    rates=st.lists(st.integers(1, 1000), min_size=1, max_size=6),
    low=st.integers(-2, 5),
    span=st.integers(-3, 5),
    pp=st.integers(0, 2000),
)
def test_drops_never_negative(seed: int, rates: list[int], low: int, span: int, pp: int) -> None:
    table = [DropRate(f"i{n}", r, low, low + span) for n, r in enumerate(rates)]
    for _code, qty in roll_drops(table, prospecting=pp, rng=random.Random(seed)):
        assert qty > 0
    assert roll_gold(low, low + span, random.Random(seed)) >= 0


def test_recycling_example_iron_sword() -> None:
    recipe = {"iron_bar": 6, "feather": 2}
    assert recycle_units_per_item(8, enhanced=False) == 2
    assert recycle_units_per_item(8, enhanced=True) == 3
    assert enhanced_recycle_cost(8, 1, 10) == 40
    assert enhanced_recycle_cost(8, 2, 35) == 240
    got = recycle_yield(recipe, 5, enhanced=False, rng=random.Random(2))
    assert sum(q for _, q in got) == 10
    assert {c for c, _ in got} <= set(recipe)
    enhanced = recycle_yield(recipe, 1, enhanced=True, rng=random.Random(2))
    assert sum(q for _, q in enhanced) == 3


def test_recycling_weighted_draw_follows_recipe_units() -> None:
    recipe = {"a": 9, "b": 1}
    got = dict(recycle_yield(recipe, 2000, enhanced=False, rng=random.Random(5)))
    assert got["a"] > got.get("b", 0) * 5
    uniform = dict(
        recycle_yield(
            recipe,
            2000,
            enhanced=False,
            rng=random.Random(5),
            rules=RuleSettings(recycle_draw="uniform_codes"),
        )
    )
    assert uniform["a"] == pytest.approx(uniform["b"], rel=0.15)


def test_recycling_small_recipes_and_errors() -> None:
    assert recycle_units_per_item(1, enhanced=True) == 1  # capped at T
    assert recycle_units_per_item(6, enhanced=False) == 2
    assert recycle_units_per_item(5, enhanced=False) == 1
    with pytest.raises(ValueError):
        recycle_yield({}, 1, enhanced=False, rng=random.Random(0))
