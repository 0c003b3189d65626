"""Action cooldowns in GAME seconds (MECHANICS §5.1, §6.2)."""

from __future__ import annotations

import math
from typing import Final

from guildmaster.server.engine.rounding import ceil_div, round_half_up
from guildmaster.server.engine.settings import DEFAULT_RULES, RoundingMode, RuleSettings

__all__ = [
    "BANK_SECONDS_PER_CODE",
    "CRAFT_SECONDS_PER_RUN",
    "DEFAULT_ACTION_SECONDS",
    "EQUIP_SECONDS_PER_ENTRY",
    "FIGHT_SECONDS_PER_TURN",
    "GATHERING_BASE_SECONDS",
    "MIN_REST_SECONDS",
    "MOVE_SECONDS_PER_TILE",
    "RECYCLE_SECONDS_PER_ITEM",
    "bank_item_seconds",
    "crafting_seconds",
    "equip_seconds",
    "fight_seconds",
    "gathering_seconds",
    "move_seconds",
    "recycling_seconds",
    "rest_seconds",
    "use_seconds",
]

DEFAULT_ACTION_SECONDS: Final = 3
MOVE_SECONDS_PER_TILE: Final = 5
FIGHT_SECONDS_PER_TURN: Final = 2
MIN_REST_SECONDS: Final = 3
GATHERING_BASE_SECONDS: Final = 30
CRAFT_SECONDS_PER_RUN: Final = 5
RECYCLE_SECONDS_PER_ITEM: Final = 3
BANK_SECONDS_PER_CODE: Final = 3
EQUIP_SECONDS_PER_ENTRY: Final = 3


def _round(x: float, mode: RoundingMode) -> int:
    if mode == "floor":
        return math.floor(x + 1e-9)
    if mode == "ceil":
        return math.ceil(x - 1e-9)
    return round_half_up(x)


def move_seconds(tiles: int) -> int:
    """Cooldown of one move along a path of ``tiles`` tiles: 5 s per tile.

    >>> move_seconds(5)
    25
    """
    return MOVE_SECONDS_PER_TILE * max(0, tiles)


def fight_seconds(turns: int, haste: int, rules: RuleSettings = DEFAULT_RULES) -> int:
    """Fight cooldown ``2 * turns * (1 - haste/100)``, rounded per the rules.

    >>> fight_seconds(29, 0), fight_seconds(29, 10)
    (58, 52)
    """
    raw = FIGHT_SECONDS_PER_TURN * turns * (1 - haste / 100)
    return max(rules.min_fight_seconds, _round(raw, rules.fight_cooldown_rounding), 0)


def rest_seconds(hp: int, max_hp: int) -> int:
    """Rest cooldown: 1 s per missing % of HP, rounded up, minimum 3 s (§5.1).

    >>> rest_seconds(64, 120), rest_seconds(119, 120), rest_seconds(1, 365)
    (47, 3, 100)
    """
    missing = max(0, max_hp - hp)
    if max_hp <= 0:
        return MIN_REST_SECONDS
    return max(MIN_REST_SECONDS, ceil_div(100 * missing, max_hp))


def gathering_seconds(
    resource_level: int, tool_reduction_percent: int = 0, *, rules: RuleSettings = DEFAULT_RULES
) -> int:
    """Gather cooldown ``(30 + level/2) * (1 + tool/100)``; the tool value is negative (-10).

    >>> gathering_seconds(1, 0), gathering_seconds(10, -20)
    (31, 28)
    """
    raw = (GATHERING_BASE_SECONDS + resource_level / 2) * (1 + tool_reduction_percent / 100)
    return max(0, _round(raw, rules.gathering_cooldown_rounding))


def crafting_seconds(runs: int) -> int:
    """Craft cooldown: 5 s per run.

    >>> crafting_seconds(3)
    15
    """
    return CRAFT_SECONDS_PER_RUN * runs


def recycling_seconds(quantity: int) -> int:
    """Recycling cooldown: 3 s per recycled item.

    >>> recycling_seconds(2)
    6
    """
    return RECYCLE_SECONDS_PER_ITEM * quantity


def bank_item_seconds(distinct_codes: int) -> int:
    """Deposit/withdraw/give item cooldown: 3 s per distinct code in the request.

    >>> bank_item_seconds(5)
    15
    """
    return BANK_SECONDS_PER_CODE * distinct_codes


def equip_seconds(entries: int) -> int:
    """Equip/unequip cooldown: 3 s per entry in the request.

    >>> equip_seconds(2)
    6
    """
    return EQUIP_SECONDS_PER_ENTRY * entries


def use_seconds() -> int:
    """Consumable use cooldown: a flat 3 s whatever the quantity."""
    return DEFAULT_ACTION_SECONDS
