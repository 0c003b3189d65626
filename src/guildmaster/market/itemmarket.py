"""What the market knows about one item: GE sales, open orders, NPC offers, and their statistics.

Everything here is a frozen value object or a pure function; the data comes from the server
through :mod:`guildmaster.market.loader` and is never hard-coded. Prices are gold per unit.

>>> from datetime import UTC, datetime
>>> sold = datetime(2026, 1, 1, tzinfo=UTC)
>>> market = ItemMarket(code="log", sales=(Sale(price=6, quantity=4, sold_at=sold),
...                                         Sale(price=8, quantity=5, sold_at=sold)))
>>> stats = price_stats(market, now=sold, days=7)
>>> stats.last_price, stats.volume, stats.median, round(stats.mean or 0, 2)
(8, 9, 8.0, 7.11)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal, TypeAlias

from guildmaster.knowledge.model import TileKey
from guildmaster.planning.domains.rules import round_half_up

__all__ = [
    "GE_LISTING_FEE_PERCENT",
    "GE_MAX_SELL_ORDER_QUANTITY",
    "ItemMarket",
    "NpcPrice",
    "OpenOrder",
    "OrderSide",
    "PriceStats",
    "Sale",
    "listing_fee",
    "price_stats",
    "unit_median",
]

#: Listing fee of a GE sell order, in percent of ``price x quantity``, charged when the order is
#: created and not refunded. The API does not publish it: it is a rule of the game, documented
#: in MECHANICS §14 (an older docs version: 3 %; the local server's default
#: ``ge_listing_fee_percent`` is the same 3 %). Buy orders and fills pay no fee.
GE_LISTING_FEE_PERCENT: Final = 3.0

#: Most units one GE sell order may hold (MECHANICS §14; larger lots need several orders).
GE_MAX_SELL_ORDER_QUANTITY: Final = 100

#: Which side of the book an open order is on.
OrderSide: TypeAlias = Literal["sell", "buy"]


def listing_fee(total_price: int, percent: float = GE_LISTING_FEE_PERCENT) -> int:
    """Gold charged to list one sell order worth ``total_price``: ``percent`` of it, at least 1.

    >>> listing_fee(1000), listing_fee(10), listing_fee(10, 0.0)
    (30, 1, 0)
    """
    if percent <= 0:
        return 0
    return max(1, round_half_up(total_price * percent / 100))


@dataclass(frozen=True, slots=True)
class Sale:
    """One GE sale from the history: ``quantity`` units at ``price`` gold each.

    >>> from datetime import UTC, datetime
    >>> Sale(price=5, quantity=2, sold_at=datetime(2026, 1, 1, tzinfo=UTC)).total
    10
    """

    price: int
    quantity: int
    sold_at: datetime
    seller: str = ""
    buyer: str = ""

    @property
    def total(self) -> int:
        """Gold paid for the sale."""
        return self.price * self.quantity


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """One open GE order: a ``sell`` order (players may buy from it) or a ``buy`` order.

    >>> OpenOrder(id="o1", side="sell", price=9, quantity=5, account="bob").side
    'sell'
    """

    id: str
    side: OrderSide
    price: int
    quantity: int
    account: str = ""


@dataclass(frozen=True, slots=True)
class NpcPrice:
    """One NPC's offer for an item: what it sells it for and what it pays for it.

    ``buy_price`` is what a player pays the NPC per unit, ``sell_price`` what the NPC pays the
    player; ``None`` means that direction is impossible. ``tiles`` is where the NPC stands now
    (empty for an NPC that only comes with an event).

    >>> NpcPrice(npc="tailor", currency="wool", buy_price=3, sell_price=None).is_gold
    False
    """

    npc: str
    currency: str
    buy_price: int | None
    sell_price: int | None
    tiles: tuple[TileKey, ...] = ()
    npc_type: str = "merchant"

    @property
    def is_gold(self) -> bool:
        """Whether the offer is priced in gold (else in the item ``currency``)."""
        return self.currency == "gold"

    @property
    def is_on_map(self) -> bool:
        """Whether the NPC stands somewhere on the map now."""
        return bool(self.tiles)


@dataclass(frozen=True, slots=True)
class ItemMarket:
    """Everything known about trading one item: catalogue facts, GE history, book, NPC offers.

    ``recipe`` is the item's craft as ``(ingredient, quantity)`` pairs (empty if not craftable);
    recycling applies when ``recyclable`` and the recipe is not empty.
    """

    code: str
    name: str = ""
    level: int = 1
    tradeable: bool = True
    recyclable: bool = False
    recipe: tuple[tuple[str, int], ...] = ()
    craft_skill: str = ""
    craft_level: int = 0
    sales: tuple[Sale, ...] = ()
    orders: tuple[OpenOrder, ...] = ()
    npcs: tuple[NpcPrice, ...] = ()

    def sell_orders(self, *, exclude_account: str = "") -> tuple[OpenOrder, ...]:
        """Open sell orders, cheapest first (without ``exclude_account``'s own orders)."""
        found = [
            o
            for o in self.orders
            if o.side == "sell" and (not exclude_account or o.account != exclude_account)
        ]
        return tuple(sorted(found, key=lambda o: (o.price, o.id)))

    def buy_orders(self, *, exclude_account: str = "") -> tuple[OpenOrder, ...]:
        """Open buy orders, best paying first (without ``exclude_account``'s own orders)."""
        found = [
            o
            for o in self.orders
            if o.side == "buy" and (not exclude_account or o.account != exclude_account)
        ]
        return tuple(sorted(found, key=lambda o: (-o.price, o.id)))

    @property
    def recipe_units(self) -> int:
        """Total ingredient units of one craft (``T`` of the recycling rule)."""
        return sum(q for _, q in self.recipe)


@dataclass(frozen=True, slots=True)
class PriceStats:
    """Statistics of one item's GE market over the last ``days`` days (None when unknown).

    ``last_price`` is the most recent sale ever seen (even older than the window); ``median``
    is the per-unit median of the window's sales and ``mean`` their volume-weighted mean;
    ``spread`` is the best open sell price minus the best open buy price.
    """

    code: str
    days: float
    sales: int
    volume: int
    last_price: int | None
    last_sold_at: datetime | None
    median: float | None
    mean: float | None
    low: int | None
    high: int | None
    best_sell: int | None
    sell_depth: int
    best_buy: int | None
    buy_depth: int
    spread: int | None

    @property
    def has_recent_sales(self) -> bool:
        """Whether anything sold within the window."""
        return self.volume > 0


def unit_median(sales: Iterable[Sale]) -> float | None:
    """The median price over units sold (a sale of 5 units counts 5 times); None if none.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> unit_median([Sale(4, 1, t), Sale(10, 1, t)]), unit_median([Sale(4, 1, t), Sale(10, 3, t)])
    (7.0, 10.0)
    """
    ordered = sorted((s for s in sales if s.quantity > 0), key=lambda s: s.price)
    total = sum(s.quantity for s in ordered)
    if total == 0:
        return None

    def nth(index: int) -> int:
        seen = 0
        for sale in ordered:
            seen += sale.quantity
            if index < seen:
                return sale.price
        raise AssertionError("index beyond the units sold")  # pragma: no cover

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _window(sales: Sequence[Sale], now: datetime, days: float) -> list[Sale]:
    since = now - timedelta(days=days)
    # Sales stamped after "now" (a server clock a little ahead) still count as recent.
    return [s for s in sales if s.sold_at >= since]


def price_stats(
    market: ItemMarket, *, now: datetime, days: float, exclude_account: str = ""
) -> PriceStats:
    """Compute :class:`PriceStats` of ``market`` for the ``days`` days before ``now``.

    Raises:
        ValueError: if ``days`` is not positive.
    """
    if days <= 0:
        raise ValueError(f"days must be positive, got {days}")
    recent = _window(market.sales, now, days)
    volume = sum(s.quantity for s in recent)
    # The latest sale; among equal stamps the one listed last (the history is chronological).
    last = max(reversed(market.sales), key=lambda s: s.sold_at, default=None)
    sells = market.sell_orders(exclude_account=exclude_account)
    buys = market.buy_orders(exclude_account=exclude_account)
    best_sell = sells[0].price if sells else None
    best_buy = buys[0].price if buys else None
    return PriceStats(
        code=market.code,
        days=days,
        sales=len(recent),
        volume=volume,
        last_price=None if last is None else last.price,
        last_sold_at=None if last is None else last.sold_at,
        median=unit_median(recent),
        mean=sum(s.total for s in recent) / volume if volume else None,
        low=min((s.price for s in recent), default=None),
        high=max((s.price for s in recent), default=None),
        best_sell=best_sell,
        sell_depth=sum(o.quantity for o in sells),
        best_buy=best_buy,
        buy_depth=sum(o.quantity for o in buys),
        spread=None if best_sell is None or best_buy is None else best_sell - best_buy,
    )
