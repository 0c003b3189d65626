"""The Grand Exchange order book (MECHANICS §14).

Escrow: a sell order holds its unsold items, a buy order holds ``price x remaining`` gold, both
taken from the creator at creation. Buying from a sell order pays the seller through a pending
item (gold); filling a buy order pays the filler at once and sends the items to the buyer's
pending items. A listing fee (``rules.ge_listing_fee_percent`` of the order's total, rounded
half up, at least 1 gold) is charged when a SELL order is created and is not refunded.
"""

from __future__ import annotations

import logging
from typing import Final

from guildmaster.server.actions.common import (
    add_pending_item,
    require_fits,
    require_gold,
    require_held,
    require_item,
)
from guildmaster.server.engine.durations import DEFAULT_ACTION_SECONDS
from guildmaster.server.engine.rounding import round_half_up
from guildmaster.server.errors import (
    CannotTradeWithSelf,
    InvalidPayload,
    ItemNotTradeable,
    NotFound,
    OrderNotOwned,
    OrderQuantityTooHigh,
    TooManyOrders,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character, GEOrder
from guildmaster.server.world import Json

__all__ = [
    "MAX_ORDERS_PER_ACCOUNT",
    "MAX_SELL_ORDER_QUANTITY",
    "buy_from_order",
    "cancel_order",
    "create_buy_order",
    "create_sell_order",
    "fill_buy_order",
    "listing_fee",
]

logger = logging.getLogger(__name__)

MAX_ORDERS_PER_ACCOUNT: Final = 100
MAX_SELL_ORDER_QUANTITY: Final = 100


def listing_fee(total_price: int, percent: float) -> int:
    """Gold charged when a sell order is listed: ``percent`` of the total, at least 1.

    >>> listing_fee(1000, 3.0), listing_fee(10, 3.0), listing_fee(10, 0.0)
    (30, 1, 0)
    """
    if percent <= 0:
        return 0
    return max(1, round_half_up(total_price * percent / 100))


def _require_ge(game: GameServer, char: Character) -> None:
    game.require_content(char, "grand_exchange", "Grand Exchange")


def _tradeable_item(game: GameServer, code: str) -> Json:
    item = require_item(game, code)
    if not item.get("tradeable", False):
        raise ItemNotTradeable("This item cannot be sold.")
    return item


def _require_order_room(game: GameServer, account: str) -> None:
    count = sum(1 for o in game.state.ge_orders.values() if o.account == account)
    if count >= MAX_ORDERS_PER_ACCOUNT:
        raise TooManyOrders("You cannot create more than 100 orders at the same time.")


def _created(order: GEOrder) -> Json:
    return {
        "id": order.id,
        "created_at": order.created_at,
        "code": order.code,
        "quantity": order.quantity,
        "price": order.price,
        "total_price": order.price * order.quantity,
    }


def _transaction(order: GEOrder, quantity: int) -> Json:
    return {
        "id": order.id,
        "code": order.code,
        "quantity": quantity,
        "price": order.price,
        "total_price": order.price * quantity,
    }


def _new_order(
    game: GameServer, char: Character, kind: str, code: str, qty: int, price: int
) -> GEOrder:
    order = GEOrder(
        id=game.state.new_id("ge"),
        type=kind,
        account=char.account,
        code=code,
        quantity=qty,
        price=price,
        created_at=game.now_iso(),
    )
    game.state.ge_orders[order.id] = order
    return order


def create_sell_order(
    game: GameServer, char: Character, code: str, quantity: int, price: int
) -> ActionResult:
    """``POST /action/grandexchange/create_sell_order``: list items (escrowed) for sale.

    Raises:
        ContentNotOnMap: Not on the GE.
        NotFound: Unknown item.
        ItemNotTradeable: Not tradeable.
        InvalidPayload: More than 100 units.
        MissingItem: Not held.
        TooManyOrders: Too many orders.
        InsufficientGold: Cannot pay the listing fee.
    """
    _require_ge(game, char)
    _tradeable_item(game, code)
    if quantity > MAX_SELL_ORDER_QUANTITY:
        raise InvalidPayload(f"A sell order holds at most {MAX_SELL_ORDER_QUANTITY} items.")
    require_held(char, [(code, quantity)])
    _require_order_room(game, char.account)
    fee = listing_fee(price * quantity, game.rules.ge_listing_fee_percent)
    require_gold(char, fee)
    char.remove_item(code, quantity)
    char.gold -= fee
    order = _new_order(game, char, "sell", code, quantity, price)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="sell_ge",
        data={"order": _created(order)},
        description=f"{char.name} listed {quantity} {code} at {price} gold (fee {fee}).",
        content={"order": order.id, "fee": fee},
    )


def create_buy_order(
    game: GameServer, char: Character, code: str, quantity: int, price: int
) -> ActionResult:
    """``POST /action/grandexchange/create_buy_order``: lock ``price x quantity`` gold.

    Raises:
        ContentNotOnMap: Not on the GE.
        NotFound: Unknown item.
        ItemNotTradeable: Not tradeable.
        TooManyOrders: Too many orders.
        InsufficientGold: Not enough gold.
    """
    _require_ge(game, char)
    _tradeable_item(game, code)
    _require_order_room(game, char.account)
    require_gold(char, price * quantity)
    char.gold -= price * quantity
    order = _new_order(game, char, "buy", code, quantity, price)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="create_buy_order_ge",
        data={"order": _created(order)},
        description=f"{char.name} ordered {quantity} {code} at {price} gold.",
        content={"order": order.id},
    )


def _order(game: GameServer, order_id: str, kind: str, missing: str) -> GEOrder:
    order = game.state.ge_orders.get(order_id)
    if order is None or order.type != kind:
        raise NotFound(missing)
    return order


def _trade(order: GEOrder, char: Character, quantity: int) -> None:
    if order.account == char.account:
        raise CannotTradeWithSelf("You cannot trade with yourself.")
    if quantity > order.quantity:
        raise OrderQuantityTooHigh("This offer does not contain that many items.")


def _record_sale(
    game: GameServer, order: GEOrder, *, seller: str, buyer: str, quantity: int
) -> None:
    game.state.ge_history.append(
        {
            "order_id": order.id,
            "seller": seller,
            "buyer": buyer,
            "code": order.code,
            "quantity": quantity,
            "price": order.price,
            "sold_at": game.now_iso(),
        }
    )
    order.quantity -= quantity
    if order.quantity <= 0:
        del game.state.ge_orders[order.id]


def buy_from_order(game: GameServer, char: Character, order_id: str, quantity: int) -> ActionResult:
    """``POST /action/grandexchange/buy``: buy items from another account's sell order.

    Raises:
        ContentNotOnMap: Not on the GE.
        NotFound: No such sell order.
        CannotTradeWithSelf: Own order.
        OrderQuantityTooHigh: Not that many items.
        InsufficientGold: Not enough gold.
        InventoryFull: No room.
    """
    _require_ge(game, char)
    order = _order(game, order_id, "sell", "Order not found.")
    _trade(order, char, quantity)
    total = order.price * quantity
    require_gold(char, total)
    require_fits(char, [(order.code, quantity)])
    char.gold -= total
    char.add_item(order.code, quantity)
    add_pending_item(
        game,
        order.account,
        source="grand_exchange",
        source_id=order.id,
        description=f"Sold {quantity} {order.code} on the Grand Exchange",
        gold=total,
    )
    transaction = _transaction(order, quantity)
    _record_sale(game, order, seller=order.account, buyer=char.account, quantity=quantity)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="buy_ge",
        data={"order": transaction},
        description=f"{char.name} bought {quantity} {order.code} for {total} gold.",
        content=transaction,
    )


def fill_buy_order(game: GameServer, char: Character, order_id: str, quantity: int) -> ActionResult:
    """``POST /action/grandexchange/fill``: sell held items into another account's buy order.

    Raises:
        ContentNotOnMap: Not on the GE.
        NotFound: No such buy order.
        CannotTradeWithSelf: Own order.
        OrderQuantityTooHigh: Not that many wanted.
        MissingItem: Not held.
    """
    _require_ge(game, char)
    order = _order(game, order_id, "buy", "Buy order not found.")
    _trade(order, char, quantity)
    require_held(char, [(order.code, quantity)])
    total = order.price * quantity
    char.remove_item(order.code, quantity)
    char.gold += total
    add_pending_item(
        game,
        order.account,
        source="grand_exchange",
        source_id=order.id,
        description=f"Bought {quantity} {order.code} on the Grand Exchange",
        items=[(order.code, quantity)],
    )
    transaction = _transaction(order, quantity)
    _record_sale(game, order, seller=char.account, buyer=order.account, quantity=quantity)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="fill_buy_order_ge",
        data={"order": transaction},
        description=f"{char.name} sold {quantity} {order.code} for {total} gold.",
        content=transaction,
    )


def cancel_order(game: GameServer, char: Character, order_id: str) -> ActionResult:
    """``POST /action/grandexchange/cancel``: return the escrow of an own order.

    Raises:
        ContentNotOnMap: Not on the GE.
        NotFound: No such order.
        OrderNotOwned: Not yours.
        InventoryFull: No room for the unsold items.
    """
    _require_ge(game, char)
    order = game.state.ge_orders.get(order_id)
    if order is None:
        raise NotFound("Order not found.")
    if order.account != char.account:
        raise OrderNotOwned("You cannot cancel an order that is not yours.")
    if order.type == "sell":
        require_fits(char, [(order.code, order.quantity)])
        char.add_item(order.code, order.quantity)
    else:
        char.gold += order.price * order.quantity
    transaction = _transaction(order, order.quantity)
    del game.state.ge_orders[order.id]
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="cancel_ge",
        data={"order": transaction},
        description=f"{char.name} cancelled order {order.id}.",
        content=transaction,
    )
