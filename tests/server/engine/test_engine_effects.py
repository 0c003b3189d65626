"""One test per in-fight effect (MECHANICS §4.6): each shows the mechanic changes the outcome."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

from guildmaster.server.engine import (
    CombatStats,
    Fighter,
    FightResult,
    RuleSettings,
    Utility,
    character_stats,
    simulate_fight,
)

Effects = tuple[tuple[str, int], ...]


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


def hero(
    *,
    name: str = "hero",
    hp: int = 100,
    max_hp: int = 100,
    attack: Mapping[str, int] | None = None,
    res: Mapping[str, int] | None = None,
    crit: int = 0,
    initiative: int = 200,
    threat: int = 0,
    effects: Effects = (),
    utilities: Sequence[Utility] = (),
) -> Fighter:
    """A character (acts first by default: initiative 200)."""
    stats = make_stats(
        max_hp,
        attack={"fire": 0} if attack is None else attack,
        res=res,
        crit=crit,
        initiative=initiative,
        threat=threat,
    )
    return Fighter(name, stats, hp, effects=effects, utilities=tuple(utilities))


def mob(
    *,
    hp: int = 100,
    attack: Mapping[str, int] | None = None,
    res: Mapping[str, int] | None = None,
    crit: int = 0,
    initiative: int = 100,
    effects: Effects = (),
) -> Fighter:
    """A monster (acts after the default hero)."""
    stats = make_stats(hp, attack=attack, res=res, crit=crit, initiative=initiative)
    return Fighter("mob", stats, hp, effects=effects, is_monster=True)


def fight(
    chars: Sequence[Fighter] | Fighter,
    monster: Fighter,
    *,
    turns: int = 100,
    kind: str = "normal",
    seed: int = 0,
    **knobs: object,
) -> FightResult:
    """Run a fight with a turn cap and optional rule knobs."""
    rules = RuleSettings(max_fight_turns=turns, **knobs)  # type: ignore[arg-type]
    party = [chars] if isinstance(chars, Fighter) else list(chars)
    return simulate_fight(party, monster, random.Random(seed), monster_type=kind, rules=rules)


def test_poison_ticks_at_the_victims_turns_from_the_bearers_first_turn() -> None:
    first = mob(initiative=300, effects=(("poison", 5),))
    assert fight(hero(), first, turns=10).final_hp["hero"] == 75  # 5 ticks
    second = mob(effects=(("poison", 5),))
    assert fight(hero(), second, turns=10).final_hp["hero"] == 80  # applied on turn 2
    assert fight(hero(), mob(), turns=10).final_hp["hero"] == 100


def test_antipoison_reduces_poison_and_is_consumed() -> None:
    poisoner = mob(initiative=300, effects=(("poison", 5),))
    antidote = Utility("utility1", "small_antidote", 10, (("antipoison", 3),))
    result = fight(hero(utilities=[antidote]), poisoner, turns=10)
    assert result.final_hp["hero"] == 90
    assert result.utilities_used["hero"] == {"utility1": 1}
    per_trigger = fight(
        hero(utilities=[antidote]), poisoner, turns=10, antipoison_consumed_per_trigger=True
    )
    assert per_trigger.utilities_used["hero"] == {"utility1": 5}
    strong = Utility("utility2", "antidote", 1, (("antipoison", 50),))
    assert fight(hero(utilities=[strong]), poisoner, turns=10).final_hp["hero"] == 100


def test_burn_uses_the_bearers_attack_and_decays() -> None:
    burner = mob(initiative=300, attack={"fire": 20}, effects=(("burn", 50),))
    immune = {"fire": 100}  # the hits themselves deal 0; only the burn hurts
    result = fight(hero(res=immune, attack={"earth": 1}), burner, turns=10)
    assert result.final_hp["hero"] == 100 - (10 + 9 + 8 + 7 + 6)
    victim = fight(hero(res=immune, attack={"earth": 1}), burner, turns=10, burn_source="victim")
    assert victim.final_hp["hero"] == 99  # 50 % of the victim's attack 1 -> 1, then 0
    rune = hero(attack={"fire": 40}, effects=(("burn", 25),))
    target = mob(hp=1000, res={"fire": 100})
    assert fight(rune, target, turns=6).monster_hp_left == 1000 - (10 + 9 + 8)


def test_lifesteal_heals_on_crits_only() -> None:
    def leech(crit: int) -> Fighter:
        return mob(attack={"fire": 10}, crit=crit, effects=(("lifesteal", 50),))

    attacker = hero(attack={"earth": 20})
    assert fight(attacker, leech(100), turns=6).monster_hp_left == 55
    assert fight(attacker, leech(0), turns=6).monster_hp_left == 40


def test_healing_every_three_played_turns() -> None:
    healer = mob(effects=(("healing", 10),))
    attacker = hero(attack={"earth": 20})
    assert fight(attacker, healer, turns=6).monster_hp_left == 50
    assert fight(attacker, mob(), turns=6).monster_hp_left == 40
    assert fight(attacker, healer, turns=5).monster_hp_left == 40  # not yet its 3rd turn


def test_reconstitution_restores_full_hp_periodically() -> None:
    lich = mob(hp=200, effects=(("reconstitution", 2),))
    attacker = hero(attack={"earth": 20})
    assert fight(attacker, lich, turns=4).monster_hp_left == 200
    assert fight(attacker, lich, turns=8).monster_hp_left == 200
    once = fight(attacker, lich, turns=8, reconstitution_periodic=False)
    assert once.monster_hp_left == 160


def test_barrier_absorbs_and_refreshes_every_five_turns() -> None:
    slime = mob(hp=200, effects=(("barrier", 30),))
    attacker = hero(attack={"earth": 20})
    assert fight(attacker, slime, turns=4).monster_hp_left == 190
    assert fight(attacker, slime, turns=12).monster_hp_left == 200 - 120 + 30 + 20
    burner = hero(attack={"earth": 20}, effects=(("burn", 50),))
    bypass = fight(burner, mob(hp=200, res={"earth": 100}, effects=(("barrier", 30),)), turns=2)
    assert bypass.monster_hp_left == 190  # the burn ignores the barrier
    blocked = fight(
        burner,
        mob(hp=200, res={"earth": 100}, effects=(("barrier", 30),)),
        turns=2,
        dots_bypass_barrier=False,
    )
    assert blocked.monster_hp_left == 200


def test_corrupted_lowers_resistance_per_hit() -> None:
    ogre = mob(res={"earth": 50}, effects=(("corrupted", 10),))
    attacker = hero(attack={"earth": 20})
    assert fight(attacker, ogre, turns=6).monster_hp_left == 100 - (10 + 12 + 14)
    assert fight(attacker, mob(res={"earth": 50}), turns=6).monster_hp_left == 70


def test_berserker_rage_below_a_quarter_hp() -> None:
    marauder = mob(attack={"fire": 10}, effects=(("berserker_rage", 100),))
    attacker = hero(attack={"earth": 40})
    raged = fight(attacker, marauder, turns=10)
    assert (raged.result, raged.turns, raged.final_hp["hero"]) == ("win", 5, 70)
    assert fight(attacker, mob(attack={"fire": 10}), turns=10).final_hp["hero"] == 80


def test_frenzy_boosts_the_bearer_and_its_allies_after_a_crit() -> None:
    target = mob(hp=1000)
    bearer = hero(attack={"earth": 10}, crit=100, effects=(("frenzy", 50),))
    assert fight(bearer, target, turns=6).monster_hp_left == 1000 - (15 + 23 + 23)
    plain = hero(attack={"earth": 10}, crit=100)
    assert fight(plain, target, turns=6).monster_hp_left == 1000 - 45
    ally = hero(name="ally", attack={"earth": 10}, initiative=150)
    party = fight([bearer, ally], target, turns=2, kind="boss")
    assert party.damage_dealt["ally"] == 15


def test_void_drain_every_four_turns() -> None:
    worm = mob(hp=1000, effects=(("void_drain", 10),))
    result = fight(hero(attack={"earth": 20}), worm, turns=8)
    assert result.final_hp["hero"] == 90
    assert result.monster_hp_left == 1000 - 80 + 10
    assert fight(hero(attack={"earth": 20}), mob(hp=1000), turns=8).final_hp["hero"] == 100


def test_protective_bubble_rotates_elements() -> None:
    priestess = mob(hp=10_000, effects=(("protective_bubble", 100),))
    result = fight(hero(attack={"fire": 10}), priestess, turns=100, seed=3)
    shields = [line.rsplit(" ", 1)[1] for line in result.logs if "is protected against" in line]
    assert len(shields) == 50
    assert all(a != b for a, b in itertools.pairwise(shields))
    zero_hits = sum("dealt 0 damage" in line for line in result.logs)
    assert 0 < zero_hits < 50
    assert result.monster_hp_left == 10_000 - 10 * (50 - zero_hits)


def test_sun_shield_reduces_the_first_hit_each_turn() -> None:
    god = mob(hp=1000, effects=(("sun_shield", 50),))
    attacker = hero(attack={"fire": 20, "water": 20})
    assert fight(attacker, god, turns=1).monster_hp_left == 1000 - 30
    whole = fight(attacker, god, turns=1, sun_shield_per_element_hit=False)
    assert whole.monster_hp_left == 1000 - 20
    assert fight(attacker, mob(hp=1000), turns=1).monster_hp_left == 1000 - 40


def test_greed_gains_damage_per_tenth_of_hp_lost() -> None:
    dragon = mob(attack={"fire": 10}, effects=(("greed", 10),))
    attacker = hero(attack={"earth": 25})
    assert fight(attacker, dragon, turns=2).final_hp["hero"] == 88
    assert fight(attacker, mob(attack={"fire": 10}), turns=2).final_hp["hero"] == 90


def test_enchanted_mirror_reflects_at_most_once_every_three_turns() -> None:
    pixie = mob(hp=1000, effects=(("enchanted_mirror", 50),))
    result = fight(hero(attack={"earth": 20}), pixie, turns=6)
    assert result.final_hp["hero"] == 80  # reflected on turns 1 and 5, not 3
    assert result.damage_dealt["mob"] == 20


def test_shell_only_in_boss_fights() -> None:
    warded = hero(attack={"earth": 1}, initiative=50, effects=(("shell", 50),))
    hitter = mob(hp=1000, attack={"fire": 65})
    boss = fight(warded, hitter, turns=4, kind="boss")
    assert (boss.result, boss.final_hp["hero"]) == ("loss", 3)
    normal = fight(warded, hitter, turns=4)
    assert (normal.result, normal.turns, normal.final_hp["hero"]) == ("loss", 3, 0)


def test_guard_redirects_damage_from_a_weak_ally() -> None:
    def party(guard: int) -> FightResult:
        guardian = hero(name="guardian", attack={"earth": 1}, initiative=300)
        guardian = Fighter(guardian.name, guardian.stats, 100, effects=(("guard", guard),))
        weak = hero(name="weak", hp=40, attack={"earth": 1}, threat=10)
        return fight([guardian, weak], mob(hp=1000, attack={"fire": 20}), turns=3, kind="boss")

    guarded = party(50)
    assert guarded.final_hp == {"guardian": 90, "weak": 30}
    unguarded = party(0)
    assert unguarded.final_hp == {"guardian": 100, "weak": 20}


def test_healing_aura_heals_allies_not_the_bearer() -> None:
    bearer = hero(name="bearer", hp=50, attack={"earth": 1}, initiative=300,
                  effects=(("healing_aura", 10),))  # fmt: skip
    ally = hero(name="ally", hp=50, attack={"earth": 1})
    result = fight([bearer, ally], mob(hp=1000), turns=4, kind="boss")
    assert result.final_hp == {"bearer": 50, "ally": 60}


def test_vampiric_strike_heals_the_lowest_ally_on_crit() -> None:
    bearer = hero(name="bearer", attack={"earth": 20}, crit=100, initiative=300,
                  effects=(("vampiric_strike", 50),))  # fmt: skip
    ally = hero(name="ally", hp=50, attack={"earth": 1})
    result = fight([bearer, ally], mob(hp=1000), turns=6, kind="boss")
    assert result.final_hp == {"bearer": 100, "ally": 80}  # crits on turns 1 and 4 heal 15 each
    locked = fight([bearer, ally], mob(hp=1000), turns=6, kind="boss", vampiric_interval_turns=4)
    assert locked.final_hp["ally"] == 65  # turn 4 falls inside the lockout
    later = fight([bearer, ally], mob(hp=1000), turns=7, kind="boss", vampiric_interval_turns=4)
    assert later.final_hp["ally"] == 80


def test_restore_heals_below_half_and_consumes_units() -> None:
    potion = Utility("utility1", "small_health_potion", 2, (("restore", 30),))
    hitter = mob(hp=1000, attack={"fire": 30}, initiative=300)
    result = fight(hero(attack={"earth": 1}, utilities=[potion]), hitter, turns=8)
    assert result.final_hp["hero"] == 40
    assert result.utilities_used["hero"] == {"utility1": 2}
    without = fight(hero(attack={"earth": 1}), hitter, turns=8)
    assert (without.result, without.turns) == ("loss", 7)


def test_splash_restore_heals_the_most_hurt_ally() -> None:
    splash = Utility("utility1", "health_splash", 3, (("splash_restore", 150),))
    holder = hero(name="holder", attack={"earth": 1}, initiative=300, utilities=[splash])
    hurt = hero(name="hurt", hp=40, attack={"earth": 1})
    result = fight([holder, hurt], mob(hp=1000), turns=3, kind="boss")
    assert result.final_hp["hurt"] == 100
    assert result.utilities_used == {"holder": {"utility1": 1}, "hurt": {}}


def test_boost_utilities_apply_for_the_whole_fight() -> None:
    hitter = mob(hp=1000, attack={"fire": 30}, initiative=300)
    hp_boost = Utility("utility1", "health_boost_potion", 3, (("boost_hp", 50),))
    boosted = fight(hero(attack={"earth": 1}, utilities=[hp_boost]), hitter, turns=8)
    assert (boosted.result, boosted.final_hp["hero"]) == ("loss", 30)
    assert boosted.utilities_used["hero"] == {"utility1": 1}
    assert fight(hero(attack={"earth": 1}), hitter, turns=8).final_hp["hero"] == 0

    dmg = Utility("utility2", "fire_boost_potion", 1, (("boost_dmg_fire", 50),))
    assert (
        fight(hero(attack={"fire": 20}, utilities=[dmg]), mob(hp=1000), turns=1).monster_hp_left
        == 970
    )
    res = Utility("utility2", "fire_res_potion", 1, (("boost_res_fire", 50),))
    shielded = fight(hero(attack={"earth": 1}, utilities=[res]), hitter, turns=1)
    assert shielded.final_hp["hero"] == 85


def test_frenzy_lasts_until_the_end_of_the_bearers_next_turn() -> None:
    bearer = hero(attack={"earth": 10}, crit=50, effects=(("frenzy", 50),))
    result = fight(bearer, mob(hp=5000), turns=100, seed=9)
    hits = [line for line in result.logs if "hero used" in line]
    crits = ["Critical strike!" in line for line in hits]
    dealt = [int(line.split("dealt ")[1].split()[0]) for line in hits]
    assert 5 < sum(crits) < len(crits) - 5
    expected = {(False, False): 10, (True, False): 15, (False, True): 15, (True, True): 23}
    previous = False
    for crit, damage in zip(crits, dealt, strict=True):
        assert damage == expected[(crit, previous)]  # frenzy is up iff the last turn crit
        previous = crit


def test_shell_lasts_three_of_the_bearers_turns() -> None:
    warded = hero(hp=300, max_hp=1000, attack={"earth": 1}, initiative=50, effects=(("shell", 50),))
    hitter = mob(hp=10_000, attack={"fire": 10})
    # monster hits on turns 1, 3, 5, 7: 10 (shell starts), 5, 5, then 10 after it expires
    assert fight(warded, hitter, turns=7, kind="raid_boss").final_hp["hero"] == 270
    assert fight(warded, hitter, turns=7).final_hp["hero"] == 260


def test_lifesteal_cap_knob() -> None:
    leech = mob(attack={"fire": 10}, crit=100, effects=(("lifesteal", 50),))
    capped = fight(hero(attack={"earth": 1}), leech, turns=2)
    uncapped = fight(hero(attack={"earth": 1}), leech, turns=2, lifesteal_capped_at_max_hp=False)
    assert (capped.monster_hp_left, uncapped.monster_hp_left) == (100, 104)
