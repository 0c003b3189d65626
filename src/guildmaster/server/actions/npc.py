"""NPC merchants and traders (MECHANICS §15): buy and sell for gold or an item currency."""

from __future__ import annotations

import logging

from guildmaster.server.actions.achievements import record_achievement
from guildmaster.server.actions.common import (
    require_fits,
    require_gold,
    require_held,
    require_item,
)
from guildmaster.server.engine.durations import DEFAULT_ACTION_SECONDS
from guildmaster.server.errors import NpcDoesNotBuy, NpcDoesNotSell
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = ["npc_buy", "npc_sell"]

logger = logging.getLogger(__name__)


def _offer(game: GameServer, char: Character, code: str) -> Json | None:
    content = game.require_content(char, "npc", "NPC")
    require_item(game, code)
    return game.world.offer(str(content.get("code")), code)


def _transaction(code: str, quantity: int, currency: str, price: int) -> Json:
    return {
        "code": code,
        "quantity": quantity,
        "currency": currency,
        "price": price,
        "total_price": price * quantity,
    }


def npc_buy(game: GameServer, char: Character, code: str, quantity: int) -> ActionResult:
    """``POST /action/npc/buy``: pay ``buy_price x quantity`` in gold or the currency item.

    Raises:
        ContentNotOnMap: No NPC here.
        NotFound: Unknown item.
        NpcDoesNotSell: Not sold.
        InsufficientGold: Not enough gold.
        MissingItem: Not enough currency items.
        InventoryFull: No room.
    """
    offer = _offer(game, char, code)
    if offer is None or offer.get("buy_price") is None:
        raise NpcDoesNotSell("This item is not available for purchase.")
    price, currency = int(offer["buy_price"]), str(offer.get("currency") or "gold")
    total = price * quantity
    if currency == "gold":
        require_gold(char, total)
        require_fits(char, [(code, quantity)])
        char.gold -= total
    else:
        require_held(char, [(currency, total)])
        require_fits(char, [(code, quantity)], removing=[(currency, total)])
        char.remove_item(currency, total)
    char.add_item(code, quantity)
    record_achievement(game, char.account, "npc_buy", code, quantity)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="buy_npc",
        data={"transaction": _transaction(code, quantity, currency, price)},
        description=f"{char.name} bought {quantity} {code} for {total} {currency}.",
        content={"code": code, "quantity": quantity, "total_price": total},
    )


def npc_sell(game: GameServer, char: Character, code: str, quantity: int) -> ActionResult:
    """``POST /action/npc/sell``: receive ``sell_price x quantity`` in gold or the currency.

    Raises:
        ContentNotOnMap: No NPC here.
        NotFound: Unknown item.
        NpcDoesNotBuy: Not bought.
        MissingItem: Not held.
        InventoryFull: No room for currency items.
    """
    offer = _offer(game, char, code)
    if offer is None or offer.get("sell_price") is None:
        raise NpcDoesNotBuy("This item cannot be sold.")
    price, currency = int(offer["sell_price"]), str(offer.get("currency") or "gold")
    total = price * quantity
    require_held(char, [(code, quantity)])
    if currency != "gold":
        require_fits(char, [(currency, total)], removing=[(code, quantity)])
    char.remove_item(code, quantity)
    if currency == "gold":
        char.gold += total
    else:
        char.add_item(currency, total)
    record_achievement(game, char.account, "npc_sell", code, quantity)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="sell_npc",
        data={"transaction": _transaction(code, quantity, currency, price)},
        description=f"{char.name} sold {quantity} {code} for {total} {currency}.",
        content={"code": code, "quantity": quantity, "total_price": total},
    )
