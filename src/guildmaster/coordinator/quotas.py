"""Gear quotas: keep 5 gathering sets and 3 combat sets per tier, the rest is surplus.

A *gathering set* of a tier is one tool per gathering skill; a *combat set* is one piece per
combat slot (two rings). Tiers are bands of ten item levels (1-9, 10-19, ...). Everything owned
beyond the quota (counted over the bank, every inventory and every worn item) is surplus, and
only unworn units are offered: to an NPC that buys it, else the Grand Exchange when tradeable,
else recycling when recyclable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from guildmaster.knowledge import GATHERING_SKILLS, GameData, Item

__all__ = [
    "COMBAT_SETS",
    "COMBAT_SLOT_COUNTS",
    "GATHERING_SETS",
    "Surplus",
    "SurplusAction",
    "gear_quota",
    "gear_surplus",
    "tier_of",
]

SurplusAction = Literal["npc", "ge", "recycle", "keep"]

#: Gathering sets kept per tier.
GATHERING_SETS: Final = 5
#: Combat sets kept per tier.
COMBAT_SETS: Final = 3
#: Units of each item type one combat set holds.
COMBAT_SLOT_COUNTS: Final = {
    "weapon": 1,
    "shield": 1,
    "helmet": 1,
    "body_armor": 1,
    "leg_armor": 1,
    "boots": 1,
    "ring": 2,
    "amulet": 1,
}


@dataclass(frozen=True, slots=True)
class Surplus:
    """``quantity`` units of ``code`` above the quota, to get rid of by ``action`` (via ``to``).

    >>> Surplus("copper_dagger", 2, "npc", "weapon_merchant").quantity
    2
    """

    code: str
    quantity: int
    action: SurplusAction
    to: str = ""


def tier_of(item: Item) -> int:
    """Return the item's tier: its level's band of ten (levels 1-9 are tier 0)."""
    return item.level // 10


def _tool_skill(item: Item) -> str | None:
    if item.type != "weapon":
        return None
    return next((s for s in GATHERING_SKILLS if item.effect(s) < 0), None)


def gear_quota(item: Item) -> int:
    """Return how many units of ``item`` the team keeps (0 for non-gear)."""
    if _tool_skill(item) is not None:
        return GATHERING_SETS
    per_set = COMBAT_SLOT_COUNTS.get(item.type)
    return 0 if per_set is None else COMBAT_SETS * per_set


def _kept(gamedata: GameData, owned: Mapping[str, int]) -> dict[str, int]:
    """Units of each item the quota keeps: the best pieces of each (kind, tier) first."""
    groups: dict[tuple[str, int], list[Item]] = {}
    for code in owned:
        item = gamedata.items.get(code)
        if item is None or gear_quota(item) == 0:
            continue
        kind = _tool_skill(item) or item.type
        groups.setdefault((kind, tier_of(item)), []).append(item)
    kept: dict[str, int] = {}
    for items in groups.values():
        room = gear_quota(items[0])
        for item in sorted(items, key=lambda i: (-i.level, i.code)):
            take = min(room, owned[item.code])
            kept[item.code] = take
            room -= take
    return kept


def _disposal(gamedata: GameData, item: Item) -> tuple[SurplusAction, str]:
    offers = sorted(gamedata.sell_offers(item.code), key=lambda o: -(o.sell_price or 0))
    gold = [o for o in offers if o.currency == "gold"]
    if gold:
        return "npc", gold[0].npc
    if item.tradeable:
        return "ge", "grand_exchange"
    if item.recyclable:
        return "recycle", item.craft.skill if item.craft else ""
    return "keep", ""


def gear_surplus(
    gamedata: GameData,
    *,
    bank: Mapping[str, int],
    inventories: Iterable[Mapping[str, int]] = (),
    equipment: Iterable[Iterable[str]] = (),
) -> tuple[Surplus, ...]:
    """Return the gear above quota that can leave the team (unworn units only).

    ``equipment`` gives each character's worn item codes. Quotas count per (tool skill or item
    type, tier); within a group the higher-level pieces are the ones kept.
    """
    owned: dict[str, int] = dict(bank)
    loose: dict[str, int] = dict(bank)
    for inv in inventories:
        for code, qty in inv.items():
            owned[code] = owned.get(code, 0) + qty
            loose[code] = loose.get(code, 0) + qty
    for worn in equipment:
        for code in worn:
            owned[code] = owned.get(code, 0) + 1
    kept = _kept(gamedata, owned)
    result: list[Surplus] = []
    for code, keep in sorted(kept.items()):
        extra = min(owned[code] - keep, loose.get(code, 0))
        if extra <= 0:
            continue
        action, to = _disposal(gamedata, gamedata.items[code])
        result.append(Surplus(code, extra, action, to))
    return tuple(result)
