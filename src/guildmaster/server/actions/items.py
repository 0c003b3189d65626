"""Item actions (MECHANICS §5.2, §11, §20): use, delete, give gold/items, claim pending items."""

from __future__ import annotations

import copy
import logging

from guildmaster.server.actions.achievements import record_achievement
from guildmaster.server.actions.common import (
    check_conditions,
    merge_stacks,
    require_fits,
    require_gold,
    require_held,
    require_item,
    stack_list,
)
from guildmaster.server.engine.durations import (
    DEFAULT_ACTION_SECONDS,
    bank_item_seconds,
    use_seconds,
)
from guildmaster.server.engine.rest import use_heal
from guildmaster.server.errors import (
    CharacterNotFound,
    InvalidPayload,
    ItemNotConsumable,
    NotFound,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.settings import DEFAULT_SKINS
from guildmaster.server.state import Character, LogEntry
from guildmaster.server.world import Json

__all__ = [
    "change_skin",
    "claim_item",
    "delete_item",
    "give_gold",
    "give_items",
    "use_item",
]

logger = logging.getLogger(__name__)


def use_item(game: GameServer, char: Character, code: str, quantity: int) -> ActionResult:
    """``POST /action/use``: consume ``quantity`` consumables (heal, gold, teleport).

    Raises:
        NotFound: Unknown item.
        ItemNotConsumable: Not a consumable.
        MissingItem: Not held.
        ConditionsNotMet: The item's conditions do not hold.
    """
    item = require_item(game, code)
    if item.get("type") != "consumable":
        raise ItemNotConsumable("This item is not a consumable.")
    require_held(char, [(code, quantity)])
    check_conditions(game, char, item.get("conditions"))
    teleport = None
    for effect in item.get("effects") or []:
        if effect.get("code") == "teleport":
            teleport = game.world.maps.by_id.get(int(effect["value"]))
            if teleport is None:
                raise NotFound("Map not found.")
    char.remove_item(code, quantity)
    for effect in item.get("effects") or []:
        value = int(effect.get("value", 0))
        if effect.get("code") == "heal":
            char.hp = use_heal(char.hp, char.max_hp, max(0, value), quantity)
        elif effect.get("code") == "gold":
            char.gold += value * quantity
    if teleport is not None:
        char.layer = str(teleport["layer"])
        char.x, char.y, char.map_id = (
            int(teleport["x"]),
            int(teleport["y"]),
            int(teleport["map_id"]),
        )
    record_achievement(game, char.account, "use", code, quantity)
    return ActionResult(
        seconds=use_seconds(),
        reason="use",
        data={"item": copy.deepcopy(item)},
        description=f"{char.name} used {quantity} {code}.",
        content={"code": code, "quantity": quantity},
    )


def delete_item(game: GameServer, char: Character, code: str, quantity: int) -> ActionResult:
    """``POST /action/delete``: destroy held items.

    Raises:
        MissingItem: The inventory holds fewer.
    """
    require_held(char, [(code, quantity)])
    char.remove_item(code, quantity)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="delete_item",
        data={"item": {"code": code, "quantity": quantity}},
        description=f"{char.name} deleted {quantity} {code}.",
        content={"code": code, "quantity": quantity},
    )


def _receiver(game: GameServer, char: Character, name: str) -> Character:
    receiver = game.state.characters.get(name)
    if receiver is None or receiver.account != char.account:
        raise CharacterNotFound("Receiver character not found.")
    if receiver.name == char.name:
        raise InvalidPayload("A character cannot give to itself.")
    if (receiver.layer, receiver.x, receiver.y) != (char.layer, char.x, char.y):
        raise InvalidPayload("The receiver must stand on the same map.")
    return receiver


def _log_receipt(
    game: GameServer, receiver: Character, kind: str, text: str, content: Json
) -> None:
    """A ``receive_gold``/``receive_item`` log line for the receiving character."""
    game.state.logs.append(
        LogEntry(
            character=receiver.name,
            account=receiver.account,
            type=kind,
            description=text,
            content=content,
            cooldown=0,
            cooldown_expiration=receiver.cooldown_expiration,
            created_at=game.now_iso(),
        )
    )


def give_gold(game: GameServer, char: Character, quantity: int, receiver: str) -> ActionResult:
    """``POST /action/give/gold`` to a character of the same account on the same map.

    Raises:
        CharacterNotFound: Unknown receiver.
        InvalidPayload: Self or not on the same map.
        InsufficientGold: Not enough gold.
    """
    other = _receiver(game, char, receiver)
    require_gold(char, quantity)
    char.gold -= quantity
    other.gold += quantity
    _log_receipt(
        game,
        other,
        "receive_gold",
        f"{other.name} received {quantity} gold from {char.name}.",
        {"quantity": quantity, "giver": char.name},
    )
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="give_gold",
        data={"quantity": quantity, "receiver_character": other.to_schema(game.now())},
        description=f"{char.name} gave {quantity} gold to {other.name}.",
        content={"quantity": quantity, "receiver": other.name},
        others=(other,),
    )


def give_items(
    game: GameServer, char: Character, items: list[tuple[str, int]], receiver: str
) -> ActionResult:
    """``POST /action/give/item`` (1..20 stacks) to a character of the same account and map.

    Raises:
        CharacterNotFound: Unknown receiver.
        InvalidPayload: Self or not on the same map.
        NotFound: Unknown item.
        MissingItem: Not held.
        InventoryFull: Receiver full.
    """
    other = _receiver(game, char, receiver)
    stacks = merge_stacks(items)
    for code, _ in stacks:
        require_item(game, code)
    require_held(char, stacks)
    require_fits(other, stacks)
    for code, quantity in stacks:
        char.remove_item(code, quantity)
        other.add_item(code, quantity)
    _log_receipt(
        game,
        other,
        "receive_item",
        f"{other.name} received items from {char.name}.",
        {"items": stack_list(stacks), "giver": char.name},
    )
    return ActionResult(
        seconds=bank_item_seconds(len(stacks)),
        reason="give_item",
        data={"items": stack_list(stacks), "receiver_character": other.to_schema(game.now())},
        description=f"{char.name} gave items to {other.name}.",
        content={"items": stack_list(stacks), "receiver": other.name},
        others=(other,),
    )


def claim_item(game: GameServer, char: Character, pending_id: str) -> ActionResult:
    """``POST /action/claim_item/{id}``: move a pending item's gold and items to the character.

    Raises:
        NotFound: Unknown (or another account's, or claimed) entry.
        InventoryFull: No room.
    """
    pending = game.state.pending_items.get(pending_id)
    if pending is None or pending.account != char.account or pending.claimed_at:
        raise NotFound("Pending item not found.")
    stacks = [(str(i["code"]), int(i["quantity"])) for i in pending.items]
    require_fits(char, stacks)
    for code, quantity in stacks:
        char.add_item(code, quantity)
    char.gold += pending.gold
    pending.claimed_at = game.now_iso()
    del game.state.pending_items[pending_id]
    record: Json = {k: v for k, v in pending.to_record().items() if v is not None}
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="claim_item",
        data={"item": record},
        description=f"{char.name} claimed pending item {pending_id}.",
        content={"id": pending_id},
    )


def change_skin(
    game: GameServer, char: Character, skin: str, *, free_skins: tuple[str, ...] = DEFAULT_SKINS
) -> ActionResult:
    """``POST /action/change_skin``: switch to one of the free skins (no shop offline).

    Raises:
        NotFound: The skin does not exist here.
    """
    if skin not in free_skins:
        raise NotFound("Skin not found.")
    char.skin = skin
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="change_skin",
        data={"skin": skin},
        description=f"{char.name} changed skin to {skin}.",
        content={"skin": skin},
    )
