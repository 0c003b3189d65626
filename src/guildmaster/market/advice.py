"""Where to sell or buy ``q`` units of an item: pure decisions over an :class:`ItemMarket`.

Selling venues: an NPC that pays gold (any quantity, at once), the open GE buy orders (filled
best price first, at once, no fee), a new GE sell order at a price that sold recently (net of the
listing fee, paid up front; the gold comes when a player buys), and recycling when the item is
recyclable (the recovered materials valued at their own best unit value). Buying venues: an NPC
selling for gold, the open GE sell orders (walked cheapest first), and, when neither covers the
quantity, a GE buy order at the recent median price.

The best option mixes venues the way a trader would: take every open order that beats the best
unlimited venue, then put the rest on that venue.

>>> from guildmaster.market.itemmarket import ItemMarket, NpcPrice, OpenOrder
>>> market = ItemMarket(code="ore", npcs=(NpcPrice("dealer", "gold", 10, 2),),
...                     orders=(OpenOrder("o1", "sell", 6, 3, "bob"),))
>>> option = best_purchase_for(market, 5, stats=price_stats_now(market))
>>> option.venue, option.total, [(leg.venue, leg.quantity) for leg in option.legs]
('ge_buy', 38, [('ge_buy', 3), ('npc', 2)])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal, TypeAlias

from guildmaster.knowledge.model import TileKey
from guildmaster.market.itemmarket import (
    GE_LISTING_FEE_PERCENT,
    GE_MAX_SELL_ORDER_QUANTITY,
    ItemMarket,
    NpcPrice,
    OpenOrder,
    PriceStats,
    listing_fee,
    price_stats,
)
from guildmaster.planning.domains.rules import recycle_units_per_item, round_half_up

__all__ = [
    "BuyOption",
    "BuyVenue",
    "SaleOption",
    "SaleVenue",
    "TradeLeg",
    "Venue",
    "best_purchase_for",
    "best_sale_for",
    "listing_price",
    "price_stats_now",
    "purchase_options_for",
    "recycle_units_per_item",
    "recycle_value",
    "sale_options_for",
    "unit_sale_value",
]

#: Where units are sold.
SaleVenue: TypeAlias = Literal["npc", "ge_fill", "ge_list", "recycle", "none"]
#: Where units are bought.
BuyVenue: TypeAlias = Literal["npc", "ge_buy", "ge_bid", "none"]
#: Any venue of a leg.
Venue: TypeAlias = Literal["npc", "ge_fill", "ge_list", "recycle", "ge_buy", "ge_bid", "none"]

_LIMITED_SALE = frozenset({"ge_fill"})


@dataclass(frozen=True, slots=True)
class TradeLeg:
    """One part of a trade: ``quantity`` units through one venue.

    ``price`` is gold per unit at the counterpart (the NPC's price, the order's price, the
    listing price, or the expected value of one recycled item); ``total`` is the gold the leg
    brings (selling, net of ``fee``) or costs (buying). ``immediate`` is False for a new GE
    order, which pays only when another player takes it.

    >>> TradeLeg("npc", 3, 2.0, 6, npc="dealer").immediate
    True
    """

    venue: Venue
    quantity: int
    price: float
    total: int
    npc: str = ""
    order_id: str = ""
    fee: int = 0
    tile: TileKey | None = None
    immediate: bool = True
    currency: str = "gold"


@dataclass(frozen=True, slots=True)
class SaleOption:
    """How to dispose of ``quantity`` units: the legs, the gold they bring, and why.

    ``venue`` is the venue moving the most units (``none`` if nothing can be sold), ``sold`` the
    units the legs cover and ``unit_price`` the average gold per unit sold.

    >>> leg = TradeLeg("npc", 4, 3.0, 12, npc="dealer")
    >>> option = SaleOption("ore", 5, "npc", 3.0, 12, "4 to dealer at 3: 12 gold", (leg,), 4)
    >>> option.unsold, option.is_immediate
    (1, True)
    """

    code: str
    quantity: int
    venue: SaleVenue
    unit_price: float
    total: int
    reason: str
    legs: tuple[TradeLeg, ...] = ()
    sold: int = 0
    currency: str = "gold"

    @property
    def unsold(self) -> int:
        """Units no venue takes."""
        return self.quantity - self.sold

    @property
    def is_immediate(self) -> bool:
        """Whether every leg pays at once (no GE listing waiting for a buyer)."""
        return all(leg.immediate for leg in self.legs)


@dataclass(frozen=True, slots=True)
class BuyOption:
    """How to obtain ``quantity`` units: the legs, the gold they cost, and why.

    ``venue`` is the venue providing the most units (``none`` if nothing is for sale),
    ``bought`` the units the legs cover and ``unit_price`` the average price paid per unit.

    >>> leg = TradeLeg("ge_bid", 2, 7.0, 14, immediate=False)
    >>> option = BuyOption("ore", 2, "ge_bid", 7.0, 14, "2 through a GE buy order", (leg,), 2)
    >>> option.missing, option.is_immediate
    (0, False)
    """

    code: str
    quantity: int
    venue: BuyVenue
    unit_price: float
    total: int
    reason: str
    legs: tuple[TradeLeg, ...] = ()
    bought: int = 0
    currency: str = "gold"

    @property
    def missing(self) -> int:
        """Units no venue provides."""
        return self.quantity - self.bought

    @property
    def is_immediate(self) -> bool:
        """Whether every leg delivers at once (no GE buy order waiting for a seller)."""
        return all(leg.immediate for leg in self.legs)


def price_stats_now(market: ItemMarket, *, days: float = 7.0) -> PriceStats:
    """Stats of ``market`` with its latest sale as "now" (for examples and offline use)."""
    latest = max((s.sold_at for s in market.sales), default=datetime(1970, 1, 1, tzinfo=UTC))
    return price_stats(market, now=latest, days=days)


def listing_price(stats: PriceStats) -> int | None:
    """The price to list at: the recent per-unit median, undercut to the cheapest open sell
    order if that is lower; None when nothing sold in the window (no price is known to sell).

    >>> from guildmaster.market.itemmarket import ItemMarket
    >>> listing_price(price_stats_now(ItemMarket(code="x"))) is None
    True
    """
    if stats.median is None:
        return None
    price = max(1, round_half_up(stats.median))
    if stats.best_sell is not None:
        price = min(price, stats.best_sell)
    return price


def _listing_fee_for(price: int, quantity: int, fee_percent: float) -> int:
    full, rest = divmod(quantity, GE_MAX_SELL_ORDER_QUANTITY)
    fee = full * listing_fee(price * GE_MAX_SELL_ORDER_QUANTITY, fee_percent)
    return fee + (listing_fee(price * rest, fee_percent) if rest else 0)


def recycle_value(market: ItemMarket, values: Mapping[str, float | None]) -> float | None:
    """Expected gold value of the materials one recycled item gives back, or None.

    Each returned unit is drawn from the recipe weighted by quantity (MECHANICS §9), so one
    unit is worth ``sum(q_i * v_i) / T``. Ingredients without a known value count as 0; None
    when the item is not recyclable or no ingredient has a value.
    """
    if not market.recyclable or not market.recipe:
        return None
    known = [(q, values.get(code)) for code, q in market.recipe]
    if all(v is None for _, v in known):
        return None
    per_unit = sum(q * (v or 0.0) for q, v in known) / market.recipe_units
    return recycle_units_per_item(market.recipe_units) * per_unit


def _gold_npc(
    npcs: tuple[NpcPrice, ...], pick: Callable[[NpcPrice], int | None], best: int
) -> NpcPrice | None:
    """The gold NPC with the best price (``best`` = +1 highest, -1 lowest), on-map first."""
    found = [n for n in npcs if n.is_gold and pick(n) is not None]
    if not found:
        return None
    return max(found, key=lambda n: (n.is_on_map, best * (pick(n) or 0)))


def unit_sale_value(
    market: ItemMarket, stats: PriceStats, *, fee_percent: float = GE_LISTING_FEE_PERCENT
) -> float | None:
    """Best gold one more unit brings (NPC, best buy order, or listing net of the fee percent);
    recycling is left out so that valuing ingredients never recurses. None if unsellable.
    """
    candidates: list[float] = []
    npc = _gold_npc(market.npcs, lambda n: n.sell_price, 1)
    if npc is not None and npc.sell_price is not None:
        candidates.append(float(npc.sell_price))
    if stats.best_buy is not None:
        candidates.append(float(stats.best_buy))
    price = listing_price(stats)
    if price is not None and market.tradeable:
        candidates.append(price * (1 - fee_percent / 100))
    return max(candidates, default=None)


# ----------------------------------------------------------------------------- selling


def _npc_sale_leg(npc: NpcPrice, quantity: int) -> TradeLeg:
    price = npc.sell_price or 0
    tile = npc.tiles[0] if npc.tiles else None
    return TradeLeg(
        "npc",
        quantity,
        float(price),
        price * quantity,
        npc=npc.npc,
        tile=tile,
        currency=npc.currency,
    )


def _list_leg(price: int, quantity: int, fee_percent: float) -> TradeLeg:
    fee = _listing_fee_for(price, quantity, fee_percent)
    total = price * quantity - fee
    return TradeLeg("ge_list", quantity, float(price), total, fee=fee, immediate=False)


def _recycle_leg(value: float, quantity: int) -> TradeLeg:
    return TradeLeg("recycle", quantity, value, math.floor(value * quantity))


def _fill_legs(orders: tuple[OpenOrder, ...], quantity: int, floor: float | None) -> list[TradeLeg]:
    """Fill buy orders (best first) while they pay at least ``floor`` per unit."""
    legs: list[TradeLeg] = []
    left = quantity
    for order in orders:
        if left == 0 or (floor is not None and order.price < floor):
            break
        take = min(left, order.quantity)
        legs.append(
            TradeLeg("ge_fill", take, float(order.price), order.price * take, order_id=order.id)
        )
        left -= take
    return legs


def _unlimited_sale_legs(
    market: ItemMarket,
    stats: PriceStats,
    quantity: int,
    values: Mapping[str, float | None],
    fee_percent: float,
) -> list[TradeLeg]:
    """One leg per venue that takes any quantity (NPCs in any currency, listing, recycling)."""
    legs = [_npc_sale_leg(n, quantity) for n in market.npcs if n.sell_price is not None]
    price = listing_price(stats)
    if price is not None and market.tradeable:
        legs.append(_list_leg(price, quantity, fee_percent))
    value = recycle_value(market, values)
    if value is not None and value > 0:
        legs.append(_recycle_leg(value, quantity))
    return legs


def _leg_text(leg: TradeLeg, *, buying: bool = False) -> str:
    where = {
        "npc": f"{'from' if buying else 'to'} {leg.npc}",
        "ge_fill": f"into GE buy order {leg.order_id}",
        "ge_list": "listed on the GE",
        "recycle": "recycled",
        "ge_buy": f"from GE sell order {leg.order_id}",
        "ge_bid": "through a GE buy order",
        "none": "",
    }[leg.venue]
    unit = "" if leg.currency == "gold" else f" {leg.currency}"
    fee = f" (fee {leg.fee})" if leg.fee else ""
    return f"{leg.quantity} {where} at {leg.price:g}{unit}{fee}"


def _main_venue(legs: list[TradeLeg], sign: int) -> Venue:
    """The venue moving the most units (ties: the most gold in, ``sign`` = 1, or the least
    gold out, ``sign`` = -1)."""
    units: dict[Venue, int] = {}
    gold: dict[Venue, int] = {}
    for leg in legs:
        units[leg.venue] = units.get(leg.venue, 0) + leg.quantity
        gold[leg.venue] = gold.get(leg.venue, 0) + leg.total
    return max(units, key=lambda v: (units[v], sign * gold[v]))


def _sale_option(code: str, quantity: int, legs: list[TradeLeg], why: str) -> SaleOption:
    sold = sum(leg.quantity for leg in legs)
    if sold == 0:
        return SaleOption(code, quantity, "none", 0.0, 0, why or "nobody buys it")
    total = sum(leg.total for leg in legs)
    currency = legs[0].currency
    venue: SaleVenue = _main_venue(legs, 1)  # type: ignore[assignment]
    parts = " + ".join(_leg_text(leg) for leg in legs)
    unit = "gold" if currency == "gold" else currency
    reason = f"{parts}: {total} {unit}" + (f"; {why}" if why else "")
    if sold < quantity:
        reason += f"; only {sold} of {quantity} can be sold"
    return SaleOption(
        code, quantity, venue, total / sold, total, reason, tuple(legs), sold, currency
    )


def _sale_notes(market: ItemMarket, stats: PriceStats, legs: list[TradeLeg]) -> str:
    notes: list[str] = []
    for leg in legs:
        if leg.venue == "ge_list":
            notes.append(
                f"{stats.volume} sold in {stats.days:g} d, median {stats.median:g}, "
                "paid when a player buys"
            )
        elif leg.venue == "npc" and leg.tile is None:
            notes.append(f"{leg.npc} only comes with its event")
        elif leg.venue == "recycle":
            notes.append(
                f"{recycle_units_per_item(market.recipe_units)} unit(s) of "
                f"{'/'.join(c for c, _ in market.recipe)} back per item (expected value), "
                f"needs {market.craft_skill} {market.craft_level} at a workshop"
            )
    return "; ".join(notes)


def sale_options_for(
    market: ItemMarket,
    quantity: int,
    *,
    stats: PriceStats,
    values: Mapping[str, float | None] | None = None,
    fee_percent: float = GE_LISTING_FEE_PERCENT,
    exclude_account: str = "",
) -> tuple[SaleOption, ...]:
    """Every single-venue way to sell ``quantity`` units, most gold first (other currencies
    last). ``values`` gives the unit value of ingredients (for recycling).

    Raises:
        ValueError: if ``quantity`` < 1.
    """
    if quantity < 1:
        raise ValueError(f"quantity must be >= 1, got {quantity}")
    options: list[SaleOption] = []
    fills = _fill_legs(market.buy_orders(exclude_account=exclude_account), quantity, None)
    if fills:
        options.append(_sale_option(market.code, quantity, fills, "paid at once, no fee"))
    for leg in _unlimited_sale_legs(market, stats, quantity, values or {}, fee_percent):
        options.append(
            _sale_option(market.code, quantity, [leg], _sale_notes(market, stats, [leg]))
        )
    return tuple(sorted(options, key=lambda o: (o.currency != "gold", -o.total, o.venue)))


def best_sale_for(
    market: ItemMarket,
    quantity: int,
    *,
    stats: PriceStats,
    values: Mapping[str, float | None] | None = None,
    fee_percent: float = GE_LISTING_FEE_PERCENT,
    exclude_account: str = "",
    immediate: bool = False,
    recycle: bool = True,
) -> SaleOption:
    """The most gold for ``quantity`` units: open buy orders paying at least the best unlimited
    venue's unit net, then the rest on that venue (ties favour the venue paying at once).

    Of the NPCs only the best gold one counts (one standing on the map before an event-only
    one). ``immediate`` leaves out GE listings (gold only when a player buys); ``recycle=False``
    leaves out recycling (e.g. the character lacks the skill level).

    Raises:
        ValueError: if ``quantity`` < 1.
    """
    if quantity < 1:
        raise ValueError(f"quantity must be >= 1, got {quantity}")
    npc = _gold_npc(market.npcs, lambda n: n.sell_price, 1)
    unlimited = [
        leg
        for leg in _unlimited_sale_legs(market, stats, quantity, values or {}, fee_percent)
        if (
            leg.venue != "npc"
            or (npc is not None and leg.npc == npc.npc and leg.currency == "gold")
        )
        and not (immediate and leg.venue == "ge_list")
        and (recycle or leg.venue != "recycle")
    ]
    best = max(unlimited, key=lambda leg: (leg.total, leg.immediate), default=None)
    floor = None if best is None else best.total / quantity
    fills = _fill_legs(market.buy_orders(exclude_account=exclude_account), quantity, floor)
    legs = list(fills)
    left = quantity - sum(leg.quantity for leg in fills)
    if left and best is not None:
        legs.append(_resize_sale(best, left, fee_percent))
    if not legs:
        return SaleOption(
            market.code,
            quantity,
            "none",
            0.0,
            0,
            "no gold buyer: no NPC offer, no open buy order"
            + ("" if immediate else ", no recent GE sale")
            + (", not recyclable" if recycle else ""),
        )
    return _sale_option(market.code, quantity, legs, _sale_notes(market, stats, legs))


def _resize_sale(leg: TradeLeg, quantity: int, fee_percent: float) -> TradeLeg:
    if leg.venue == "ge_list":
        return _list_leg(int(leg.price), quantity, fee_percent)
    if leg.venue == "recycle":
        return _recycle_leg(leg.price, quantity)
    return replace(leg, quantity=quantity, total=int(leg.price) * quantity)


# ----------------------------------------------------------------------------- buying


def _buy_legs(
    orders: tuple[OpenOrder, ...], quantity: int, ceiling: float | None
) -> list[TradeLeg]:
    """Take sell orders (cheapest first) while they cost at most ``ceiling`` per unit."""
    legs: list[TradeLeg] = []
    left = quantity
    for order in orders:
        if left == 0 or (ceiling is not None and order.price > ceiling):
            break
        take = min(left, order.quantity)
        legs.append(
            TradeLeg("ge_buy", take, float(order.price), order.price * take, order_id=order.id)
        )
        left -= take
    return legs


def _npc_buy_leg(npc: NpcPrice, quantity: int) -> TradeLeg:
    price = npc.buy_price or 0
    tile = npc.tiles[0] if npc.tiles else None
    return TradeLeg(
        "npc",
        quantity,
        float(price),
        price * quantity,
        npc=npc.npc,
        tile=tile,
        currency=npc.currency,
    )


def _bid_leg(stats: PriceStats, quantity: int) -> TradeLeg | None:
    if stats.median is None:
        return None
    price = max(1, round_half_up(stats.median))
    return TradeLeg("ge_bid", quantity, float(price), price * quantity, immediate=False)


def _buy_option(code: str, quantity: int, legs: list[TradeLeg], why: str) -> BuyOption:
    bought = sum(leg.quantity for leg in legs)
    if bought == 0:
        return BuyOption(code, quantity, "none", 0.0, 0, why or "nobody sells it")
    total = sum(leg.total for leg in legs)
    currency = legs[0].currency
    venue: BuyVenue = _main_venue(legs, -1)  # type: ignore[assignment]
    parts = " + ".join(_leg_text(leg, buying=True) for leg in legs)
    unit = "gold" if currency == "gold" else currency
    reason = f"{parts}: {total} {unit}" + (f"; {why}" if why else "")
    if bought < quantity:
        reason += f"; only {bought} of {quantity} for sale"
    return BuyOption(
        code, quantity, venue, total / bought, total, reason, tuple(legs), bought, currency
    )


def purchase_options_for(
    market: ItemMarket, quantity: int, *, stats: PriceStats, exclude_account: str = ""
) -> tuple[BuyOption, ...]:
    """Every single-venue way to buy ``quantity`` units, cheapest gold first.

    Raises:
        ValueError: if ``quantity`` < 1.
    """
    if quantity < 1:
        raise ValueError(f"quantity must be >= 1, got {quantity}")
    options: list[BuyOption] = []
    book = _buy_legs(market.sell_orders(exclude_account=exclude_account), quantity, None)
    if book:
        options.append(_buy_option(market.code, quantity, book, "walks the GE sell orders"))
    for npc in market.npcs:
        if npc.buy_price is not None:
            where = "" if npc.is_on_map else "only during its event"
            options.append(_buy_option(market.code, quantity, [_npc_buy_leg(npc, quantity)], where))
    bid = _bid_leg(stats, quantity) if market.tradeable else None
    if bid is not None:
        options.append(_buy_option(market.code, quantity, [bid], "waits for a seller"))
    return tuple(sorted(options, key=lambda o: (o.currency != "gold", o.total / max(1, o.bought))))


def best_purchase_for(
    market: ItemMarket,
    quantity: int,
    *,
    stats: PriceStats,
    exclude_account: str = "",
    immediate: bool = False,
) -> BuyOption:
    """The cheapest way to get ``quantity`` units for gold at once: GE sell orders cheaper than
    the best gold NPC (all of them if no NPC sells it), the rest from that NPC; a GE buy order
    at the recent median for what is still missing (not with ``immediate``).

    Raises:
        ValueError: if ``quantity`` < 1.
    """
    if quantity < 1:
        raise ValueError(f"quantity must be >= 1, got {quantity}")
    npc = _gold_npc(market.npcs, lambda n: n.buy_price, -1)
    ceiling = None if npc is None else float(npc.buy_price or 0)
    legs = _buy_legs(market.sell_orders(exclude_account=exclude_account), quantity, ceiling)
    left = quantity - sum(leg.quantity for leg in legs)
    notes = ""
    if left and npc is not None:
        legs.append(_npc_buy_leg(npc, left))
        if not npc.is_on_map:
            notes = f"{npc.npc} only comes with its event"
        left = 0
    if left and not immediate:
        bid = _bid_leg(stats, left) if market.tradeable else None
        if bid is not None:
            legs.append(bid)
            notes = "the GE buy order waits for a seller"
    if not legs:
        return BuyOption(
            market.code,
            quantity,
            "none",
            0.0,
            0,
            "no gold seller: no NPC offer, no open sell order, no recent GE sale",
        )
    return _buy_option(market.code, quantity, legs, notes)
