"""Equip and unequip (MECHANICS §12): slot rules, conditions, utility stacks, HP rule.

A request holds up to 20 entries applied in order. The whole request runs on a copy of the
character and is committed only if every entry succeeds, so a failing entry changes nothing.
"""

from __future__ import annotations

import copy
import logging
from typing import Final

from guildmaster.server.actions.common import check_conditions, require_fits, require_item
from guildmaster.server.engine.durations import equip_seconds
from guildmaster.server.errors import (
    AlreadyEquipped,
    ConditionsNotMet,
    EquipmentSlotConflict,
    MissingItem,
    NotEnoughHpToUnequip,
    UtilitySlotFull,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = [
    "MAX_UTILITY_STACK",
    "SLOTS_BY_TYPE",
    "commit",
    "equip",
    "unequip",
]

logger = logging.getLogger(__name__)

MAX_UTILITY_STACK: Final = 100

#: Which equipment slots accept an item type.
SLOTS_BY_TYPE: Final[dict[str, tuple[str, ...]]] = {
    "weapon": ("weapon",),
    "shield": ("shield",),
    "helmet": ("helmet",),
    "body_armor": ("body_armor",),
    "leg_armor": ("leg_armor",),
    "boots": ("boots",),
    "ring": ("ring1", "ring2"),
    "amulet": ("amulet",),
    "artifact": ("artifact1", "artifact2", "artifact3"),
    "utility": ("utility1", "utility2"),
    "rune": ("rune",),
    "bag": ("bag",),
}


def commit(char: Character, work: Character) -> None:
    """Copy the state of ``work`` (a modified deep copy) back into ``char``."""
    char.__dict__.update(work.__dict__)


def _item_hp(item: Json) -> int:
    return sum(int(e["value"]) for e in item.get("effects") or [] if e.get("code") == "hp")


def _equip_one(game: GameServer, work: Character, entry: Json) -> Json:
    code, slot = str(entry["code"]), str(entry["slot"])
    item = require_item(game, code)
    item_type = str(item.get("type", ""))
    is_utility = item_type == "utility"
    quantity = int(entry.get("quantity", 1)) if is_utility else 1
    if work.quantity(code) < quantity:
        raise MissingItem(f"Missing required item(s): {quantity} {code}.")
    if slot not in SLOTS_BY_TYPE.get(item_type, ()):
        raise ConditionsNotMet(f"Item {code} cannot be equipped in slot {slot}.")
    check_conditions(game, work, item.get("conditions"))
    current = work.equipment[slot]
    if current and not (is_utility and current == code):
        raise EquipmentSlotConflict("The equipment slot is not empty.")
    if item_type != "ring" and any(
        worn == code and other != slot for other, worn in work.equipment.items()
    ):
        raise AlreadyEquipped("This item is already equipped.")
    if is_utility:
        total = work.utility_quantity[slot] + quantity
        if total > MAX_UTILITY_STACK:
            raise UtilitySlotFull("You cannot equip more than 100 utilities in the same slot.")
        work.utility_quantity[slot] = total
    work.remove_item(code, quantity)
    work.equipment[slot] = code
    work.refresh_stats(game.world, game.rules)
    return {"slot": slot, "item": copy.deepcopy(item)}


def equip(game: GameServer, char: Character, entries: list[Json]) -> ActionResult:
    """``POST /action/equip`` with ``[{code, slot, quantity}]`` (1..20 entries).

    Raises:
        NotFound: Unknown item.
        MissingItem: Not held.
        ConditionsNotMet: Wrong slot or conditions.
        EquipmentSlotConflict: Slot taken.
        AlreadyEquipped: Already worn elsewhere.
        UtilitySlotFull: Utility stack over 100.
    """
    work = copy.deepcopy(char)
    items = [_equip_one(game, work, entry) for entry in entries]
    commit(char, work)
    codes = ", ".join(i["item"]["code"] for i in items)
    return ActionResult(
        seconds=equip_seconds(len(entries)),
        reason="equip",
        data={"items": items},
        description=f"{char.name} equipped {codes}.",
        content={"items": [{"slot": i["slot"], "code": i["item"]["code"]} for i in items]},
    )


def _unequip_one(game: GameServer, work: Character, entry: Json) -> Json:
    slot = str(entry["slot"])
    code = work.equipment.get(slot, "")
    if not code:
        raise EquipmentSlotConflict("The equipment slot is empty.")
    item = require_item(game, code)
    is_utility = slot.startswith("utility")
    quantity = int(entry.get("quantity", 1)) if is_utility else 1
    if is_utility and work.utility_quantity[slot] < quantity:
        raise MissingItem(f"Missing required item(s): {quantity} {code}.")
    require_fits(work, [(code, quantity)])
    item_hp = _item_hp(item)
    leaving = not is_utility or work.utility_quantity[slot] == quantity
    if leaving and item_hp > 0 and work.hp - item_hp <= 0:
        raise NotEnoughHpToUnequip("The character does not have enough HP to unequip this item.")
    if is_utility:
        work.utility_quantity[slot] -= quantity
    if leaving:
        work.equipment[slot] = ""
        if is_utility:
            work.utility_quantity[slot] = 0
    work.add_item(code, quantity)
    old_hp = work.hp
    work.refresh_stats(game.world, game.rules)
    if leaving and item_hp > 0:
        work.hp = max(1, min(old_hp - item_hp, work.max_hp))
    return {"slot": slot, "item": copy.deepcopy(item)}


def unequip(game: GameServer, char: Character, entries: list[Json]) -> ActionResult:
    """``POST /action/unequip`` with ``[{slot, quantity}]`` (1..20 entries).

    Removing an ``hp`` item lowers current HP by the item's bonus (never below 1).

    Raises:
        EquipmentSlotConflict: Slot empty.
        MissingItem: Fewer utilities than asked.
        InventoryFull: No room.
        NotEnoughHpToUnequip: The HP loss would kill the character.
    """
    work = copy.deepcopy(char)
    items = [_unequip_one(game, work, entry) for entry in entries]
    commit(char, work)
    codes = ", ".join(i["item"]["code"] for i in items)
    return ActionResult(
        seconds=equip_seconds(len(entries)),
        reason="unequip",
        data={"items": items},
        description=f"{char.name} unequipped {codes}.",
        content={"items": [{"slot": i["slot"], "code": i["item"]["code"]} for i in items]},
    )
