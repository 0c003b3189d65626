"""Game rules the planner uses as priors: XP curves and awards, action durations.

These are the published formulas of MECHANICS §3 and §6.2 (pure functions, no content). The
XP table is the live game's; a server may differ, in which case refreshed states simply drift
from predictions and the agent replans.
"""

from __future__ import annotations

import math
from typing import Final

__all__ = [
    "MAX_LEVEL",
    "MOVE_SECONDS_PER_TILE",
    "XP_TO_NEXT_LEVEL",
    "combat_xp",
    "crafting_xp",
    "fight_seconds",
    "gain_xp",
    "gathering_seconds",
    "gathering_xp",
    "recycle_units_per_item",
    "rest_seconds",
    "round_half_up",
    "total_xp",
    "xp_to_next_level",
]

MAX_LEVEL: Final = 50
MOVE_SECONDS_PER_TILE: Final = 5.0

#: XP needed to go from level ``L`` (index ``L - 1``) to ``L + 1``.
XP_TO_NEXT_LEVEL: Final = (
    150, 250, 350, 450, 700, 950, 1200, 1450, 1700, 2100,
    2500, 2900, 3300, 3700, 4400, 5100, 5800, 6500, 7200, 8200,
    9200, 10200, 11200, 12200, 13400, 14600, 15800, 17000, 18200, 19700,
    21200, 22700, 24200, 25700, 27500, 29300, 31100, 32900, 34700, 36500,
    38600, 40700, 42800, 44900, 47000, 48800, 50600, 52400, 54200,
)  # fmt: skip

_GATHER_BASE: Final = ((45, 36), (40, 28), (35, 20), (30, 16), (20, 13), (10, 10), (0, 5))
_CRAFT_BASE: Final = (
    (45, 1000, 70), (40, 850, 65), (35, 750, 60), (30, 650, 55), (25, 550, 50),
    (20, 450, 45), (15, 325, 40), (10, 200, 35), (5, 100, 30), (0, 50, 25),
)  # fmt: skip
_CRAFT_SKILL_MULT: Final = {"mining": 0.1, "woodcutting": 0.1, "cooking": 0.5}
_MONSTER_TYPE_MULT: Final = {"elite": 1.4, "boss": 2.0}


def round_half_up(x: float) -> int:
    """Round like the game: halves go up.

    >>> round_half_up(2.5), round_half_up(22.4)
    (3, 22)
    """
    return math.floor(x + 0.5)


def xp_to_next_level(level: int) -> int:
    """Return the XP needed to leave ``level`` (0 at the level cap)."""
    if level < 1 or level >= MAX_LEVEL:
        return 0
    return XP_TO_NEXT_LEVEL[level - 1]


def gain_xp(level: int, xp: int, amount: int) -> tuple[int, int]:
    """Return ``(level, xp)`` after earning ``amount`` XP, carrying surplus over level-ups.

    >>> gain_xp(1, 140, 22)
    (2, 12)
    """
    xp += amount
    while level < MAX_LEVEL and xp >= xp_to_next_level(level):
        xp -= xp_to_next_level(level)
        level += 1
    if level >= MAX_LEVEL:
        xp = 0
    return level, xp


def combat_xp(
    character_level: int,
    monster_level: int,
    monster_hp: int,
    *,
    monster_type: str = "normal",
    wisdom: int = 0,
) -> int:
    """Return the XP of a won fight (MECHANICS §3.2).

    >>> combat_xp(1, 1, 60), combat_xp(12, 7, 120), combat_xp(18, 7, 120)
    (22, 12, 0)
    """
    diff = character_level - monster_level
    penalty = 1.0 if diff <= 4 else 0.7 if diff <= 10 else 0.0
    base = monster_level / max(1, character_level) * 20 + monster_hp * 0.04
    mult = _MONSTER_TYPE_MULT.get(monster_type, 1.0)
    return round_half_up(base * penalty * mult * (1 + wisdom * 0.001))


def gathering_xp(skill_level: int, resource_level: int, *, wisdom: int = 0) -> int:
    """Return the XP of one successful gather (MECHANICS §3.3).

    >>> gathering_xp(1, 1), gathering_xp(5, 1), gathering_xp(12, 1), gathering_xp(10, 10)
    (13, 7, 0, 18)
    """
    if skill_level - resource_level >= 11:
        return 0
    base = next(b for floor, b in _GATHER_BASE if resource_level >= floor)
    value = base + resource_level / max(1, skill_level) * 8
    return round_half_up(value * (1 + wisdom * 0.001))


def crafting_xp(skill: str, skill_level: int, item_level: int, *, wisdom: int = 0) -> int:
    """Return the XP of one craft run (MECHANICS §3.4).

    >>> crafting_xp("mining", 1, 1), crafting_xp("weaponcrafting", 10, 10)
    (8, 235)
    """
    if skill_level - item_level >= 11:
        return 0
    base, k = next((b, k) for floor, b, k in _CRAFT_BASE if item_level >= floor)
    mult = _CRAFT_SKILL_MULT.get(skill, 1.0)
    value = (base + item_level / max(1, skill_level) * k) * mult
    return round_half_up(value * (1 + wisdom * 0.001))


def fight_seconds(turns: float, *, haste: int = 0) -> float:
    """Return a fight's cooldown: 2 s per turn, reduced by haste percent."""
    return 2.0 * turns * (1 - haste / 100)


def rest_seconds(hp: int, max_hp: int) -> float:
    """Return the rest cooldown: 1 s per missing percent of HP (rounded up), at least 3 s.

    >>> rest_seconds(64, 120), rest_seconds(119, 120)
    (47.0, 3.0)
    """
    missing = max(0, max_hp - hp)
    return float(max(3, math.ceil(100 * missing / max(1, max_hp))))


def gathering_seconds(resource_level: int, *, tool_effect: int = 0) -> float:
    """Return a gather's cooldown: ``30 + level/2`` shortened by the (negative) tool effect.

    >>> gathering_seconds(10, tool_effect=-20)
    28.0
    """
    return (30 + resource_level / 2) * (1 + tool_effect / 100)


def recycle_units_per_item(recipe_units: int) -> int:
    """Units one recycled item gives back: ``floor((T - 1) / 5) + 1`` (MECHANICS §9).

    >>> recycle_units_per_item(8), recycle_units_per_item(3), recycle_units_per_item(11)
    (2, 1, 3)
    """
    return (max(1, recipe_units) - 1) // 5 + 1


def total_xp(level: int, xp: int) -> int:
    """Return cumulative XP from level 1: a monotone measure of progress.

    >>> total_xp(2, 12)
    162
    """
    return sum(xp_to_next_level(lv) for lv in range(1, min(level, MAX_LEVEL))) + xp
