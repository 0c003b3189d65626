"""XP table and XP formulas (MECHANICS §3) with the document's worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guildmaster.server.engine import RuleSettings, apply_xp, combat_xp, crafting_xp, gathering_xp
from guildmaster.server.engine.xp import max_xp


def _total(start: int, end: int) -> int:
    return sum(max_xp(level) for level in range(start, end))


def test_max_xp_spot_values_and_totals() -> None:
    assert [max_xp(x) for x in (1, 5, 10, 11, 20, 30, 40, 49)] == [
        150, 700, 2100, 2500, 8200, 19700, 36500, 54200,
    ]  # fmt: skip
    assert _total(1, 10) == 7_200
    assert _total(1, 20) == 50_700
    assert _total(1, 30) == 180_700
    assert _total(1, 40) == 449_700
    assert _total(1, 50) == 906_200
    assert max_xp(50) == 0


def test_max_xp_rejects_level_zero() -> None:
    with pytest.raises(ValueError):
        max_xp(0)


@pytest.mark.parametrize(
    ("char_level", "monster_level", "hp", "kind", "wisdom", "expected"),
    [
        (1, 1, 60, "normal", 0, 22),  # chicken
        (7, 7, 120, "normal", 0, 25),  # red_slime
        (12, 7, 120, "normal", 0, 12),
        (17, 7, 120, "normal", 0, 9),  # diff 10 still pays the 0.7 band
        (18, 7, 120, "normal", 0, 0),  # diff 11 pays nothing
        (7, 7, 120, "normal", 100, 27),
        (15, 15, 1000, "boss", 0, 120),  # king_slime
        (35, 35, 1750, "elite", 0, 126),  # cultist_emperor
    ],
)
def test_combat_xp_examples(
    char_level: int, monster_level: int, hp: int, kind: str, wisdom: int, expected: int
) -> None:
    got = combat_xp(
        char_level=char_level,
        monster_level=monster_level,
        monster_hp=hp,
        monster_type=kind,
        wisdom=wisdom,
    )
    assert got == expected


def test_combat_xp_raid_multiplier_is_configurable() -> None:
    def xp(rules: RuleSettings) -> int:
        return combat_xp(
            char_level=40,
            monster_level=40,
            monster_hp=1000,
            monster_type="raid_boss",
            wisdom=0,
            rules=rules,
        )

    base = xp(RuleSettings())
    triple = xp(RuleSettings(xp_multiplier_raid_boss=3.0))
    assert (base, triple) == (120, 180)


@pytest.mark.parametrize(
    ("skill", "resource", "expected"),
    [(1, 1, 13), (5, 1, 7), (11, 1, 6), (12, 1, 0), (10, 10, 18), (30, 30, 24), (50, 50, 44)],
)
def test_gathering_xp_examples(skill: int, resource: int, expected: int) -> None:
    assert gathering_xp(skill_level=skill, resource_level=resource, wisdom=0) == expected


def test_gathering_middle_band_knob() -> None:
    rules = RuleSettings(skill_xp_middle_band_gap=5)
    full = gathering_xp(skill_level=5, resource_level=1, wisdom=0)
    reduced = gathering_xp(skill_level=6, resource_level=1, wisdom=0, rules=rules)
    assert full == 7
    assert reduced == 4  # (5 + 8/6) * 0.7 = 4.43


@pytest.mark.parametrize(
    ("skill", "skill_level", "item_level", "expected"),
    [
        ("mining", 1, 1, 8),  # copper_bar
        ("mining", 9, 1, 5),
        ("mining", 10, 10, 24),  # iron_bar
        ("weaponcrafting", 10, 10, 235),  # iron_sword
        ("alchemy", 5, 5, 130),  # small_health_potion
        ("alchemy", 7, 5, 121),
        ("cooking", 1, 1, 38),  # cooked_chicken
        ("jewelrycrafting", 15, 15, 365),  # life_ring
        ("woodcutting", 5, 1, 6),  # ash_plank
        ("gearcrafting", 21, 10, 0),  # gap 11
    ],
)
def test_crafting_xp_examples(skill: str, skill_level: int, item_level: int, expected: int) -> None:
    got = crafting_xp(skill=skill, skill_level=skill_level, item_level=item_level, wisdom=0)
    assert got == expected


def test_crafting_xp_is_per_run() -> None:
    one = crafting_xp(skill="cooking", skill_level=1, item_level=1, wisdom=0)
    three = crafting_xp(skill="cooking", skill_level=1, item_level=1, wisdom=0, runs=3)
    total_rounding = crafting_xp(
        skill="cooking",
        skill_level=1,
        item_level=1,
        wisdom=0,
        runs=3,
        rules=RuleSettings(crafting_xp_round_per_run=False),
    )
    assert (one, three, total_rounding) == (38, 114, 113)


def test_apply_xp_carries_surplus_and_loops() -> None:
    assert apply_xp(1, 140, 15).level == 2
    assert apply_xp(1, 140, 15).xp == 5
    multi = apply_xp(1, 0, 150 + 250 + 10)
    assert (multi.level, multi.xp, multi.max_xp, multi.levels_gained) == (3, 10, 350, 2)
    same = apply_xp(4, 10, 5)
    assert (same.level, same.xp, same.max_xp, same.levels_gained) == (4, 15, 450, 0)


def test_apply_xp_stops_at_max_level() -> None:
    top = apply_xp(49, 54_000, 10_000)
    assert (top.level, top.xp, top.max_xp, top.levels_gained) == (50, 0, 0, 1)
    assert apply_xp(50, 0, 999).xp == 0
    with pytest.raises(ValueError):
        apply_xp(3, 0, -1)


@given(
    char_level=st.integers(1, 50),
    low=st.integers(1, 55),
    bump=st.integers(0, 10),
    hp=st.integers(1, 20_000),
    wisdom=st.integers(0, 300),
    kind=st.sampled_from(["normal", "elite", "boss", "raid_boss"]),
)
def test_combat_xp_monotone_in_monster_level(
    char_level: int, low: int, bump: int, hp: int, wisdom: int, kind: str
) -> None:
    def xp(monster_level: int) -> int:
        return combat_xp(
            char_level=char_level,
            monster_level=monster_level,
            monster_hp=hp,
            monster_type=kind,
            wisdom=wisdom,
        )

    assert 0 <= xp(low) <= xp(low + bump)


@given(level=st.integers(1, 49), xp=st.integers(0, 60_000), gain=st.integers(0, 200_000))
def test_apply_xp_conserves_total_xp(level: int, xp: int, gain: int) -> None:
    xp = xp % max_xp(level)
    after = apply_xp(level, xp, gain)
    spent = sum(max_xp(x) for x in range(level, after.level))
    assert after.level >= level
    if after.level < 50:
        assert after.xp + spent == xp + gain
        assert 0 <= after.xp < after.max_xp
