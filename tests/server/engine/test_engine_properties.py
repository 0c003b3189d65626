"""Property tests of the fight simulator over random stats, effects and parties."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from guildmaster.server.engine import (
    ELEMENTS,
    CombatStats,
    Fighter,
    FightResult,
    Utility,
    simulate_fight,
)

EFFECT_CODES = (
    "poison", "burn", "lifesteal", "healing", "reconstitution", "barrier", "corrupted",
    "berserker_rage", "frenzy", "void_drain", "protective_bubble", "sun_shield", "greed",
    "enchanted_mirror", "shell", "guard", "healing_aura", "vampiric_strike",
)  # fmt: skip
UTILITY_CODES = (
    "antipoison", "restore", "splash_restore", "boost_hp", "boost_dmg_fire", "boost_res_water",
)  # fmt: skip

elements = st.fixed_dictionaries({e: st.integers(0, 60) for e in ELEMENTS})
resists = st.fixed_dictionaries({e: st.integers(-50, 100) for e in ELEMENTS})
effects = st.lists(
    st.tuples(st.sampled_from(EFFECT_CODES), st.integers(1, 60)),
    max_size=3,
    unique_by=lambda t: t[0],
).map(tuple)


@st.composite
def stats(draw: st.DrawFn) -> CombatStats:
    """Random combat stats."""
    return CombatStats(
        level=draw(st.integers(1, 50)),
        max_hp=draw(st.integers(1, 600)),
        attack=draw(elements),
        dmg=draw(st.integers(0, 50)),
        dmg_element=draw(st.fixed_dictionaries({e: st.integers(0, 30) for e in ELEMENTS})),
        res=draw(resists),
        critical_strike=draw(st.integers(0, 100)),
        initiative=draw(st.integers(0, 400)),
        threat=draw(st.integers(0, 100)),
    )


@st.composite
def characters(draw: st.DrawFn) -> list[Fighter]:
    """One to three characters with random HP, effects and utilities."""
    party = []
    for i in range(draw(st.integers(1, 3))):
        s = draw(stats())
        utilities = tuple(
            Utility(f"utility{n + 1}", code, draw(st.integers(1, 5)), ((code, value),))
            for n, (code, value) in enumerate(
                draw(
                    st.lists(
                        st.tuples(st.sampled_from(UTILITY_CODES), st.integers(1, 100)),
                        max_size=2,
                        unique_by=lambda t: t[0],
                    )
                )
            )
        )
        party.append(
            Fighter(
                f"c{i}",
                s,
                draw(st.integers(1, s.max_hp)),
                effects=draw(effects),
                utilities=utilities,
            )
        )
    return party


def _check(result: FightResult, party: list[Fighter], monster: Fighter, kind: str) -> None:
    assert 1 <= result.turns <= 100
    for c in party:
        assert 0 <= result.final_hp[c.name] <= c.stats.max_hp
        for slot, used in result.utilities_used[c.name].items():
            held = next(u.quantity for u in c.utilities if u.slot == slot)
            assert 0 < used <= held
    assert 0 <= result.monster_hp_left <= monster.stats.max_hp
    if result.monster_hp_left == 0:
        assert result.result == "win"
    elif all(result.final_hp[c.name] == 0 for c in party):
        assert result.result == "loss"
    elif result.turns < 100:
        raise AssertionError("a fight may only stop early when one side is down")
    else:
        assert result.result == ("win" if kind == "raid_boss" else "loss")
    assert all(v >= 0 for v in result.damage_dealt.values())


@settings(max_examples=150, deadline=None)
@given(
    party=characters(),
    monster_stats=stats(),
    monster_effects=effects,
    kind=st.sampled_from(["normal", "elite", "boss", "raid_boss"]),
    seed=st.integers(0, 2**32),
)
def test_random_fights_keep_invariants_and_repeat(
    party: list[Fighter],
    monster_stats: CombatStats,
    monster_effects: tuple[tuple[str, int], ...],
    kind: str,
    seed: int,
) -> None:
    monster = Fighter(
        "monster", monster_stats, monster_stats.max_hp, effects=monster_effects, is_monster=True
    )
    result = simulate_fight(party, monster, random.Random(seed), monster_type=kind)
    _check(result, party, monster, kind)
    assert simulate_fight(party, monster, random.Random(seed), monster_type=kind) == result
