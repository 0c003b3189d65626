"""Experience: the level table and combat, gathering and crafting XP (MECHANICS §3)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from guildmaster.server.engine.rounding import round_half_up
from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings

__all__ = [
    "SKILLS",
    "LevelProgress",
    "apply_xp",
    "combat_xp",
    "crafting_skill_multiplier",
    "crafting_xp",
    "gathering_xp",
    "max_xp",
]

logger = logging.getLogger(__name__)

#: The skills a character levels besides combat, in the API's order (``CharacterSchema``).
SKILLS: Final = (
    "mining",
    "woodcutting",
    "fishing",
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "alchemy",
)

# XP needed to go from level L to L+1, for L = 1..49 (§3.1); same curve for every skill.
_MAX_XP: tuple[int, ...] = (
    150, 250, 350, 450, 700, 950, 1200, 1450, 1700, 2100,
    2500, 2900, 3300, 3700, 4400, 5100, 5800, 6500, 7200, 8200,
    9200, 10200, 11200, 12200, 13400, 14600, 15800, 17000, 18200, 19700,
    21200, 22700, 24200, 25700, 27500, 29300, 31100, 32900, 34700, 36500,
    38600, 40700, 42800, 44900, 47000, 48800, 50600, 52400, 54200,
)  # fmt: skip

# (upper bound exclusive, base XP) for gathering by resource level (§3.3).
_GATHER_BASE: tuple[tuple[int, int], ...] = (
    (10, 5), (20, 10), (30, 13), (35, 16), (40, 20), (45, 28),
)  # fmt: skip
_GATHER_BASE_TOP = 36

# (upper bound exclusive, base, k) for crafting by item level (§3.4).
_CRAFT_TABLE: tuple[tuple[int, int, int], ...] = (
    (5, 50, 25), (10, 100, 30), (15, 200, 35), (20, 325, 40), (25, 450, 45),
    (30, 550, 50), (35, 650, 55), (40, 750, 60), (45, 850, 65),
)  # fmt: skip
_CRAFT_TOP = (1000, 70)

_SKILL_MULT: dict[str, float] = {
    "mining": 0.1,
    "woodcutting": 0.1,
    "cooking": 0.5,
    "weaponcrafting": 1.0,
    "gearcrafting": 1.0,
    "jewelrycrafting": 1.0,
    "alchemy": 1.0,
}


@dataclass(frozen=True, slots=True)
class LevelProgress:
    """A level/XP state after an award.

    >>> apply_xp(1, 100, 60)
    LevelProgress(level=2, xp=10, max_xp=250, levels_gained=1)
    """

    level: int
    xp: int
    max_xp: int
    levels_gained: int


def max_xp(level: int, *, max_level: int = 50) -> int:
    """XP needed to go from ``level`` to the next one (0 at or above ``max_level``).

    Raises:
        ValueError: if ``level`` < 1.

    >>> max_xp(1), max_xp(20), max_xp(49), max_xp(50)
    (150, 8200, 54200, 0)
    """
    if level < 1:
        raise ValueError(f"level must be >= 1, got {level}")
    if level >= max_level:
        return 0
    if level <= len(_MAX_XP):
        return _MAX_XP[level - 1]
    # Beyond the known table (only for custom max levels): keep the last step's slope.
    return _MAX_XP[-1] + (level - len(_MAX_XP)) * 1800


def _wisdom_mult(wisdom: int, rules: RuleSettings) -> float:
    return 1.0 + wisdom * rules.wisdom_xp_per_point


def combat_xp(
    *,
    char_level: int,
    monster_level: int,
    monster_hp: int,
    monster_type: str,
    wisdom: int,
    rules: RuleSettings = DEFAULT_RULES,
) -> int:
    """XP one character earns for a won fight (§3.2).

    >>> combat_xp(char_level=1, monster_level=1, monster_hp=60, monster_type="normal", wisdom=0)
    22
    """
    diff = char_level - monster_level
    if diff >= rules.combat_xp_cutoff_gap:
        return 0
    penalty = 1.0 if diff <= rules.combat_xp_full_gap else rules.combat_xp_reduced_factor
    raw = monster_level / char_level * 20 + monster_hp * 0.04
    mult = penalty * rules.xp_type_multiplier(monster_type) * _wisdom_mult(wisdom, rules)
    return max(0, round_half_up(raw * mult))


def _skill_penalty(gap: int, rules: RuleSettings) -> float:
    if gap >= rules.skill_xp_cutoff_gap:
        return 0.0
    middle = rules.skill_xp_middle_band_gap
    if middle is not None and gap >= middle:
        return rules.skill_xp_middle_factor
    return 1.0


def _gather_base(resource_level: int) -> int:
    for bound, base in _GATHER_BASE:
        if resource_level < bound:
            return base
    return _GATHER_BASE_TOP


def gathering_xp(
    *, skill_level: int, resource_level: int, wisdom: int, rules: RuleSettings = DEFAULT_RULES
) -> int:
    """XP for one successful gather (§3.3).

    >>> gathering_xp(skill_level=1, resource_level=1, wisdom=0)
    13
    """
    penalty = _skill_penalty(skill_level - resource_level, rules)
    raw = _gather_base(resource_level) + resource_level / max(1, skill_level) * 8
    return max(0, round_half_up(raw * penalty * _wisdom_mult(wisdom, rules)))


def crafting_skill_multiplier(skill: str) -> float:
    """The crafting XP multiplier of a skill (0.1 refining, 0.5 cooking, 1.0 the rest)."""
    return _SKILL_MULT.get(skill, 1.0)


def crafting_xp(
    *,
    skill: str,
    skill_level: int,
    item_level: int,
    wisdom: int,
    runs: int = 1,
    rules: RuleSettings = DEFAULT_RULES,
) -> int:
    """Total XP for ``runs`` craft runs of an item (§3.4); XP is per run, not per output unit.

    >>> crafting_xp(skill="weaponcrafting", skill_level=10, item_level=10, wisdom=0)
    235
    """
    base, k = _CRAFT_TOP
    for bound, b, kk in _CRAFT_TABLE:
        if item_level < bound:
            base, k = b, kk
            break
    penalty = _skill_penalty(skill_level - item_level, rules)
    per_run = (
        (base + item_level / max(1, skill_level) * k)
        * crafting_skill_multiplier(skill)
        * penalty
        * _wisdom_mult(wisdom, rules)
    )
    if rules.crafting_xp_round_per_run:
        return max(0, round_half_up(per_run) * runs)
    return max(0, round_half_up(per_run * runs))


def apply_xp(level: int, xp: int, gain: int, *, max_level: int = 50) -> LevelProgress:
    """Add ``gain`` XP at ``level``; surplus carries into the next level, looping (§3.1).

    At ``max_level`` XP stops accumulating and ``max_xp`` reads 0.

    Raises:
        ValueError: if ``gain`` is negative.
    """
    if gain < 0:
        raise ValueError(f"XP gain must be >= 0, got {gain}")
    start = level
    if level >= max_level:
        return LevelProgress(level=level, xp=0, max_xp=0, levels_gained=0)
    xp += gain
    need = max_xp(level, max_level=max_level)
    while level < max_level and xp >= need:
        xp -= need
        level += 1
        need = max_xp(level, max_level=max_level)
    if level >= max_level:
        xp = 0
    if level > start:
        logger.debug("level up %d -> %d", start, level)
    return LevelProgress(level=level, xp=xp, max_xp=need, levels_gained=level - start)
