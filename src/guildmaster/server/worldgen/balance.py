"""Stat curves of generated worlds: gear per tier, a reference character, monsters calibrated to it.

All generated numbers come from these curves, so balance is tuned in one place. A monster of
level ``M`` is sized against the *reference character* of level ``M``: base HP ``115 + 5M`` plus
the gear of the highest tier ``<= M``. The monster should take about :func:`target_turns` of the
character's hits to kill and deal back about half of the character's HP meanwhile.

>>> weapon_attack(1), weapon_attack(50)
(6, 104)
>>> gear_tier(9), gear_tier(10), gear_tier(3)
(5, 10, 1)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from guildmaster.server.worldgen.vocab import ELEMENTS

__all__ = [
    "GATHER_TIERS",
    "GEAR_TIERS",
    "MonsterProfile",
    "ReferenceCharacter",
    "gather_tier",
    "gear_tier",
    "profile_monster",
    "reference_character",
    "slot_dmg",
    "slot_hp",
    "target_turns",
    "weapon_attack",
]

GATHER_TIERS = (1, 10, 20, 30, 40, 50)
GEAR_TIERS = (1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50)
STARTER_ATTACK = 4

# Per-slot curves: (hp base, hp per tier level), (dmg% base, dmg% per tier level).
_SLOT_HP = {
    "helmet": (10, 4.0),
    "body_armor": (15, 5.0),
    "leg_armor": (10, 4.0),
    "boots": (8, 3.0),
    "amulet": (10, 2.0),
    "shield": (0, 1.0),
    "ring": (0, 0.6),
}
_SLOT_DMG = {
    "helmet": (2, 0.30),
    "body_armor": (2, 0.35),
    "leg_armor": (2, 0.30),
    "ring": (1, 0.25),
    "amulet": (1, 0.25),
}
# Share of the full single-element dmg% a real loadout is assumed to reach (slots whose items
# carry another element or plain ``dmg``).
_LOADOUT_DMG_SHARE = 0.7


def gear_tier(level: int) -> int:
    """Return the highest gear tier a character of ``level`` can equip."""
    return max(t for t in GEAR_TIERS if t <= max(1, level))


def gather_tier(level: int) -> int:
    """Return the highest gathering tier at or below ``level``."""
    return max(t for t in GATHER_TIERS if t <= max(1, level))


def weapon_attack(tier: int) -> int:
    """Return the total elemental attack of a weapon of ``tier``."""
    # Gentle early steps (6, 11, 19, 27...) so one tier of lag is survivable, 104 at tier 50.
    return 6 if tier <= 1 else round(5 + 1.2 * tier + 0.0155 * tier * tier)


def slot_hp(slot: str, tier: int) -> int:
    """Return the HP bonus of an armour piece of ``slot`` at ``tier`` (0 if the slot has none)."""
    base, per = _SLOT_HP.get(slot, (0, 0.0))
    return round(base + per * tier)


def slot_dmg(slot: str, tier: int) -> int:
    """Return the elemental damage % of an armour piece of ``slot`` at ``tier``."""
    base, per = _SLOT_DMG.get(slot, (0, 0.0))
    return round(base + per * tier)


@dataclass(frozen=True)
class ReferenceCharacter:
    """The average geared character of a level the monsters are sized against.

    >>> reference_character(1).hp, reference_character(1).damage_per_turn
    (120, 4.0)
    """

    level: int
    hp: int
    damage_per_turn: float


def _geared(level: int, tier: int) -> tuple[int, float]:
    base_hp = 115 + 5 * level
    gear_hp = sum(slot_hp(slot, tier) for slot in ("helmet", "body_armor", "leg_armor", "boots"))
    gear_hp += slot_hp("amulet", tier)
    dmg = sum(slot_dmg(s, tier) for s in ("helmet", "body_armor", "leg_armor", "amulet"))
    dmg += 2 * slot_dmg("ring", tier)
    return base_hp + gear_hp, weapon_attack(tier) * (1 + _LOADOUT_DMG_SHARE * dmg / 100)


def reference_character(level: int) -> ReferenceCharacter:
    """Return the reference character of ``level`` (starter weapon only below level 5).

    From level 5 it is the average of a character in the gear of its tier and one still in the
    previous tier's gear, so crafting lagging one tier behind slows a player without stopping it.
    """
    if level < 5:
        # A fresh character fights with the starter weapon and picks up tier-1 pieces slowly.
        return ReferenceCharacter(level, 115 + 5 * level, float(STARTER_ATTACK + (level - 1)))
    tier = gear_tier(level)
    previous = GEAR_TIERS[GEAR_TIERS.index(tier) - 1]
    hp_now, dpt_now = _geared(level, tier)
    hp_before, dpt_before = _geared(level, previous)
    return ReferenceCharacter(level, round((hp_now + hp_before) / 2), (dpt_now + dpt_before) / 2)


def target_turns(level: int) -> int:
    """Return how many of its own hits the reference character needs against a level monster."""
    return 14 + level // 6


@dataclass(frozen=True)
class MonsterProfile:
    """Combat numbers of one generated monster, before it gets a name and drops."""

    level: int
    kind: str
    hp: int
    attack: dict[str, int]
    res: dict[str, int]
    critical_strike: int
    initiative: int
    effects: tuple[tuple[str, int], ...]


_NORMAL_EFFECTS = ("poison", "burn", "lifesteal", "barrier", "healing", "berserker_rage", "greed")
_BOSS_EFFECTS = ("barrier", "healing", "lifesteal", "protective_bubble", "void_drain", "burn")


def _resistances(rng: random.Random, level: int) -> dict[str, int]:
    spread = 10 + level // 2
    res: dict[str, int] = {e: rng.randint(-spread // 2, spread) for e in ELEMENTS}
    weak = rng.choice(ELEMENTS)
    res[weak] = min(res[weak], rng.randint(-spread // 2, 0))
    return res


def _split_attack(rng: random.Random, total: int) -> dict[str, int]:
    elements = rng.sample(ELEMENTS, 1 if rng.random() < 0.6 else 2)
    attack: dict[str, int] = dict.fromkeys(ELEMENTS, 0)
    if len(elements) == 1:
        attack[elements[0]] = max(1, total)
    else:
        first = round(total * rng.uniform(0.4, 0.6))
        attack[elements[0]] = max(1, first)
        attack[elements[1]] = max(1, total - first)
    return attack


def profile_monster(rng: random.Random, level: int, kind: str) -> MonsterProfile:
    """Return combat numbers for a monster of ``level`` and ``kind`` (normal, elite or boss)."""
    ref = reference_character(level)
    res: dict[str, int] = _resistances(rng, level) if level > 1 else dict.fromkeys(ELEMENTS, 0)
    best_res = min(res.values())
    turns = target_turns(level)
    jitter = rng.uniform(0.9, 1.05)
    hp = turns * ref.damage_per_turn * (1 - best_res / 100) * 0.9 * jitter
    # Early monsters face a character without armour: hit softer.
    share = 0.6 if level < 5 else 0.7
    attack_total = share * ref.hp / turns * rng.uniform(0.9, 1.05)
    effects: list[tuple[str, int]] = []
    crit = 0 if level < 8 else rng.choice((0, 5, 5, 10))
    initiative = 50 + 5 * level + rng.randint(0, 20)
    if kind == "elite":
        hp *= 1.6
        attack_total *= 1.05
        effects.append((rng.choice(_NORMAL_EFFECTS), 0))
    elif kind == "boss":
        # Sized for three characters: one alone dies long before the boss does.
        hp = 3 * 15 * ref.damage_per_turn * (1 - best_res / 100)
        attack_total = ref.hp / 11
        initiative += 100
        effects.append((rng.choice(_BOSS_EFFECTS), 0))
    elif level >= 12 and rng.random() < 0.4:
        effects.append((rng.choice(_NORMAL_EFFECTS), 0))
    if effects and kind == "normal":
        hp *= 0.85
        attack_total *= 0.85
    valued = tuple(_effect_value(rng, code, hp, ref) for code, _ in effects)
    return MonsterProfile(
        level=level,
        kind=kind,
        hp=max(30, round(hp)),
        attack=_split_attack(rng, round(attack_total)),
        res=res,
        critical_strike=crit,
        initiative=initiative,
        effects=valued,
    )


def _effect_value(
    rng: random.Random, code: str, hp: float, ref: ReferenceCharacter
) -> tuple[str, int]:
    if code == "poison":
        return code, max(2, round(ref.hp * 0.01))
    if code == "barrier":
        return code, max(10, round(hp * 0.06))
    if code == "void_drain":
        return code, rng.choice((4, 5))
    values = {
        "burn": (8, 15),
        "lifesteal": (5, 15),
        "healing": (3, 6),
        "berserker_rage": (15, 30),
        "greed": (5, 12),
        "protective_bubble": (30, 50),
    }
    low, high = values.get(code, (5, 10))
    return code, rng.randint(low, high)
