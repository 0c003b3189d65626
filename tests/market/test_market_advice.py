"""The market's pure pricing and advice on hand-built data (no server)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guildmaster.market as market_pkg
from guildmaster.market import (
    ItemMarket,
    MarketBook,
    NpcPrice,
    OpenOrder,
    Sale,
    UnknownMarketItem,
    best_purchase_for,
    best_sale_for,
    listing_fee,
    listing_price,
    price_stats,
    purchase_options_for,
    recycle_units_per_item,
    recycle_value,
    sale_options_for,
    unit_median,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
TILE = ("overworld", 0, -2)


def _sale(price: int, quantity: int, days_ago: float = 1.0) -> Sale:
    return Sale(price=price, quantity=quantity, sold_at=NOW - timedelta(days=days_ago))


def _stats(market: ItemMarket, days: float = 7.0, exclude: str = "") -> market_pkg.PriceStats:
    return price_stats(market, now=NOW, days=days, exclude_account=exclude)


def _merchant(
    buy: int | None, sell: int | None, *, on_map: bool = True, name: str = "m"
) -> NpcPrice:
    return NpcPrice(name, "gold", buy, sell, tiles=(TILE,) if on_map else ())


def test_package_exports_are_sorted_and_complete() -> None:
    exported = list(market_pkg.__all__)
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for info in pkgutil.iter_modules(market_pkg.__path__):
        module = importlib.import_module(f"{market_pkg.__name__}.{info.name}")
        for name in module.__all__:
            assert getattr(market_pkg, name) is getattr(module, name), name
            assert name in exported, f"{info.name}.{name} is not re-exported"


# ----------------------------------------------------------------------------- fees, stats


def test_listing_fee_is_three_percent_rounded_half_up_at_least_one() -> None:
    assert listing_fee(1000) == 30
    assert listing_fee(50) == 2  # 1.5 rounds up
    assert listing_fee(49) == 1  # 1.47
    assert listing_fee(10) == 1  # minimum
    assert listing_fee(10, 0.0) == 0
    assert listing_fee(1000, 5.0) == 50


def test_unit_median_counts_units_not_sales() -> None:
    assert unit_median([]) is None
    assert unit_median([_sale(4, 1), _sale(10, 1)]) == 7.0
    assert unit_median([_sale(4, 1), _sale(10, 3)]) == 10.0
    assert unit_median([_sale(3, 2), _sale(5, 2), _sale(100, 1)]) == 5.0


def test_stats_cover_the_window_and_the_book() -> None:
    market = ItemMarket(
        code="ore",
        sales=(_sale(50, 10, days_ago=20), _sale(6, 4, days_ago=2), _sale(8, 5, days_ago=1)),
        orders=(
            OpenOrder("s1", "sell", 9, 5, "ann"),
            OpenOrder("s2", "sell", 7, 2, "me"),
            OpenOrder("b1", "buy", 4, 3, "bob"),
            OpenOrder("b2", "buy", 5, 1, "me"),
        ),
    )
    stats = _stats(market)
    assert (stats.sales, stats.volume, stats.last_price) == (2, 9, 8)
    assert stats.median == 8.0 and stats.mean == pytest.approx(64 / 9)
    assert (stats.low, stats.high) == (6, 8)
    assert (stats.best_sell, stats.sell_depth, stats.best_buy, stats.buy_depth) == (7, 7, 5, 4)
    assert stats.spread == 2
    mine_out = _stats(market, exclude="me")
    assert (mine_out.best_sell, mine_out.best_buy, mine_out.spread) == (9, 4, 5)
    assert _stats(market, days=30).volume == 19


def test_stats_of_an_empty_market() -> None:
    stats = _stats(ItemMarket(code="x"))
    assert stats.volume == 0 and not stats.has_recent_sales
    assert stats.last_price is None and stats.median is None and stats.mean is None
    assert stats.best_sell is None and stats.spread is None
    assert listing_price(stats) is None
    with pytest.raises(ValueError):
        _stats(ItemMarket(code="x"), days=0)


def test_old_sales_give_a_last_price_but_no_listing_price() -> None:
    stats = _stats(ItemMarket(code="x", sales=(_sale(12, 1, days_ago=30),)))
    assert stats.last_price == 12 and stats.volume == 0
    assert listing_price(stats) is None


def test_listing_price_undercuts_a_cheaper_open_sell_order() -> None:
    sales = (_sale(10, 3), _sale(12, 3))
    assert listing_price(_stats(ItemMarket(code="x", sales=sales))) == 11
    cheaper = ItemMarket(code="x", sales=sales, orders=(OpenOrder("s", "sell", 9, 1, "a"),))
    assert listing_price(_stats(cheaper)) == 9


# ----------------------------------------------------------------------------- selling


def test_npc_only_sale() -> None:
    market = ItemMarket(code="ore", npcs=(_merchant(10, 3),))
    option = best_sale_for(market, 4, stats=_stats(market))
    assert (option.venue, option.total, option.sold, option.unit_price) == ("npc", 12, 4, 3.0)
    assert option.legs[0].npc == "m" and option.legs[0].tile == TILE
    assert option.is_immediate and "to m" in option.reason


def test_ge_only_sale_lists_net_of_the_fee_in_orders_of_at_most_100() -> None:
    market = ItemMarket(code="gem", sales=(_sale(10, 50),))
    option = best_sale_for(market, 150, stats=_stats(market))
    assert option.venue == "ge_list"
    assert option.legs[0].fee == listing_fee(1000) + listing_fee(500) == 45
    assert option.total == 1500 - 45
    assert not option.is_immediate
    assert "fee 45" in option.reason


def test_nothing_to_sell_to() -> None:
    market = ItemMarket(code="junk", tradeable=False)
    option = best_sale_for(market, 2, stats=_stats(market))
    assert (option.venue, option.total, option.sold, option.unsold) == ("none", 0, 0, 2)
    assert option.legs == ()
    assert sale_options_for(market, 2, stats=_stats(market)) == ()


def test_listing_beats_the_npc_only_net_of_the_fee() -> None:
    # 20 units at 10: 200 - 6 = 194 on the GE vs 9 x 20 = 180 at the NPC -> list.
    listed = ItemMarket(code="x", sales=(_sale(10, 5),), npcs=(_merchant(None, 9),))
    assert best_sale_for(listed, 20, stats=_stats(listed)).venue == "ge_list"
    # NPC at 10 ties the gross price: the fee makes the NPC better.
    npc = ItemMarket(code="x", sales=(_sale(10, 5),), npcs=(_merchant(None, 10),))
    option = best_sale_for(npc, 20, stats=_stats(npc))
    assert (option.venue, option.total) == ("npc", 200)


def test_buy_orders_above_the_best_venue_are_filled_first() -> None:
    market = ItemMarket(
        code="x",
        npcs=(_merchant(None, 5),),
        orders=(
            OpenOrder("b1", "buy", 8, 2, "ann"),
            OpenOrder("b2", "buy", 6, 3, "bob"),
            OpenOrder("b3", "buy", 4, 10, "cid"),
            OpenOrder("b4", "buy", 20, 5, "me"),
        ),
    )
    option = best_sale_for(market, 10, stats=_stats(market, exclude="me"), exclude_account="me")
    assert [(leg.venue, leg.quantity, leg.order_id) for leg in option.legs] == [
        ("ge_fill", 2, "b1"),
        ("ge_fill", 3, "b2"),
        ("npc", 5, ""),
    ]
    assert option.total == 16 + 18 + 25
    assert option.venue == "ge_fill"  # 5 units each, the fills bring more gold
    singles = {
        o.venue: o for o in sale_options_for(market, 10, stats=_stats(market), exclude_account="me")
    }
    assert singles["ge_fill"].sold == 10 and singles["ge_fill"].total == 16 + 18 + 5 * 4
    assert singles["npc"].total == 50


def test_partial_sale_when_only_buy_orders_take_it() -> None:
    market = ItemMarket(code="x", orders=(OpenOrder("b1", "buy", 7, 3, "ann"),))
    option = best_sale_for(market, 5, stats=_stats(market))
    assert (option.venue, option.sold, option.unsold, option.total) == ("ge_fill", 3, 2, 21)
    assert "only 3 of 5" in option.reason


def test_recycling_beats_selling_when_materials_are_worth_more() -> None:
    sword = ItemMarket(
        code="sword",
        recyclable=True,
        recipe=(("bar", 6), ("gem", 2)),  # T = 8 -> 2 units back per sword
        craft_skill="weaponcrafting",
        craft_level=10,
        npcs=(_merchant(None, 3),),
    )
    values: dict[str, float | None] = {"bar": 10.0, "gem": 50.0}
    per_sword = 2 * (6 * 10 + 2 * 50) / 8  # 40
    assert recycle_value(sword, values) == pytest.approx(per_sword)
    option = best_sale_for(sword, 3, stats=_stats(sword), values=values)
    assert (option.venue, option.total) == ("recycle", 120)
    assert "weaponcrafting 10" in option.reason
    cheap: dict[str, float | None] = {"bar": 0.1, "gem": None}
    assert best_sale_for(sword, 3, stats=_stats(sword), values=cheap).venue == "npc"


def test_recycle_rules() -> None:
    assert [recycle_units_per_item(t) for t in (1, 5, 6, 10, 11)] == [1, 1, 2, 2, 3]
    plain = ItemMarket(code="x", recipe=(("a", 2),))
    assert recycle_value(plain, {"a": 5.0}) is None  # not recyclable
    unknown = ItemMarket(code="x", recyclable=True, recipe=(("a", 2), ("b", 2)))
    assert recycle_value(unknown, {}) is None
    assert recycle_value(unknown, {"a": 4.0}) == pytest.approx(2.0)  # b counts as 0


def test_other_currencies_are_shown_but_never_best() -> None:
    market = ItemMarket(code="x", npcs=(NpcPrice("trader", "coin", None, 50, tiles=(TILE,)),))
    assert best_sale_for(market, 1, stats=_stats(market)).venue == "none"
    options = sale_options_for(market, 1, stats=_stats(market))
    assert [(o.venue, o.currency, o.total) for o in options] == [("npc", "coin", 50)]


def test_quantity_must_be_positive() -> None:
    market = ItemMarket(code="x", npcs=(_merchant(1, 1),))
    for call in (best_sale_for, sale_options_for, best_purchase_for, purchase_options_for):
        with pytest.raises(ValueError):
            call(market, 0, stats=_stats(market))


# ----------------------------------------------------------------------------- buying


def test_buying_walks_the_book_below_the_npc_price() -> None:
    market = ItemMarket(
        code="ore",
        npcs=(_merchant(10, 1),),
        orders=(
            OpenOrder("s3", "sell", 12, 50, "cid"),
            OpenOrder("s1", "sell", 6, 6, "ann"),
            OpenOrder("s2", "sell", 9, 5, "bob"),
            OpenOrder("s0", "sell", 1, 99, "me"),
        ),
    )
    stats = _stats(market, exclude="me")
    eight = best_purchase_for(market, 8, stats=stats, exclude_account="me")
    assert [(leg.order_id, leg.quantity) for leg in eight.legs] == [("s1", 6), ("s2", 2)]
    assert (eight.venue, eight.total, eight.bought) == ("ge_buy", 54, 8)
    twenty = best_purchase_for(market, 20, stats=stats, exclude_account="me")
    assert [(leg.venue, leg.quantity) for leg in twenty.legs] == [
        ("ge_buy", 6),
        ("ge_buy", 5),
        ("npc", 9),
    ]
    assert twenty.total == 36 + 45 + 90 and twenty.is_immediate


def test_buying_without_an_npc_takes_the_whole_book_then_bids() -> None:
    market = ItemMarket(
        code="x",
        sales=(_sale(7, 4),),
        orders=(OpenOrder("s1", "sell", 30, 2, "ann"),),
    )
    option = best_purchase_for(market, 5, stats=_stats(market))
    assert [(leg.venue, leg.quantity, leg.price) for leg in option.legs] == [
        ("ge_buy", 2, 30.0),
        ("ge_bid", 3, 7.0),
    ]
    assert option.total == 60 + 21 and not option.is_immediate
    assert option.venue == "ge_bid"


def test_nothing_to_buy() -> None:
    market = ItemMarket(code="x")
    option = best_purchase_for(market, 3, stats=_stats(market))
    assert (option.venue, option.bought, option.missing, option.total) == ("none", 0, 3, 0)
    short = ItemMarket(code="x", orders=(OpenOrder("s1", "sell", 5, 1, "ann"),))
    partial = best_purchase_for(short, 3, stats=_stats(short))
    assert (partial.bought, partial.missing) == (1, 2) and "only 1 of 3" in partial.reason


def test_an_npc_on_the_map_is_preferred_to_a_cheaper_event_npc() -> None:
    market = ItemMarket(
        code="x",
        npcs=(_merchant(8, None, on_map=False, name="dealer"), _merchant(10, None, name="m")),
    )
    option = best_purchase_for(market, 2, stats=_stats(market))
    assert option.legs[0].npc == "m" and option.total == 20
    options = purchase_options_for(market, 2, stats=_stats(market))
    assert [o.legs[0].npc for o in options] == ["dealer", "m"]
    assert "event" in options[0].reason


# ----------------------------------------------------------------------------- book


def test_market_book_values_ingredients_for_recycling() -> None:
    markets = {
        "ring": ItemMarket("ring", recyclable=True, recipe=(("bar", 5),)),
        "bar": ItemMarket("bar", sales=(_sale(20, 10),), npcs=(_merchant(None, 2),)),
    }
    book = MarketBook(markets, now=NOW)
    assert book.unit_value("bar") == pytest.approx(20 * 0.97)
    assert book.unit_value("nothing") is None
    option = book.best_sale("ring", 2)
    assert option.venue == "recycle" and option.total == int(2 * 20 * 0.97)
    assert "ring" in book and "nothing" not in book
    with pytest.raises(UnknownMarketItem):
        book.best_purchase("nothing", 1)


# ----------------------------------------------------------------------------- properties

orders = st.lists(
    st.builds(
        OpenOrder,
        id=st.uuids().map(str),
        side=st.sampled_from(["sell", "buy"]),
        price=st.integers(1, 200),
        quantity=st.integers(1, 50),
        account=st.sampled_from(["ann", "me"]),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(
    orders=orders,
    npc_buy=st.integers(1, 200),
    npc_sell=st.integers(0, 100),
    prices=st.lists(st.integers(1, 200), max_size=5),
    quantity=st.integers(1, 250),
)
def test_advice_never_loses_to_the_npc_and_legs_add_up(
    orders: list[OpenOrder], npc_buy: int, npc_sell: int, prices: list[int], quantity: int
) -> None:
    market = ItemMarket(
        code="x",
        orders=tuple(orders),
        npcs=(_merchant(npc_buy, npc_sell),),
        sales=tuple(_sale(p, 1) for p in prices),
    )
    stats = _stats(market, exclude="me")
    sale = best_sale_for(market, quantity, stats=stats, exclude_account="me")
    assert sale.sold == quantity == sum(leg.quantity for leg in sale.legs)
    assert sale.total == sum(leg.total for leg in sale.legs)
    assert sale.total >= npc_sell * quantity
    buy = best_purchase_for(market, quantity, stats=stats, exclude_account="me")
    assert buy.bought == quantity == sum(leg.quantity for leg in buy.legs)
    assert buy.total <= npc_buy * quantity
    book_prices = [leg.price for leg in buy.legs if leg.venue == "ge_buy"]
    assert book_prices == sorted(book_prices)
    own = {o.id for o in orders if o.account == "me"}
    assert not own & {leg.order_id for leg in (*buy.legs, *sale.legs)}


def test_immediate_and_no_recycling_restrict_the_venues() -> None:
    ring = ItemMarket(
        code="ring",
        recyclable=True,
        recipe=(("bar", 5),),
        sales=(_sale(40, 2),),
        npcs=(_merchant(None, 2),),
        orders=(OpenOrder("b1", "buy", 3, 1, "ann"),),
    )
    values: dict[str, float | None] = {"bar": 30.0}
    stats = _stats(ring)
    assert best_sale_for(ring, 2, stats=stats, values=values).venue == "ge_list"
    now = best_sale_for(ring, 2, stats=stats, values=values, immediate=True)
    assert (now.venue, now.total) == ("recycle", 60) and now.is_immediate
    neither = best_sale_for(ring, 2, stats=stats, values=values, immediate=True, recycle=False)
    assert [(leg.venue, leg.quantity) for leg in neither.legs] == [("ge_fill", 1), ("npc", 1)]
    assert neither.total == 3 + 2
    short = ItemMarket(code="x", sales=(_sale(7, 4),))
    assert best_purchase_for(short, 2, stats=_stats(short)).venue == "ge_bid"
    assert best_purchase_for(short, 2, stats=_stats(short), immediate=True).venue == "none"


def test_selling_prefers_the_npc_on_the_map_and_flags_an_event_npc() -> None:
    both = ItemMarket(
        code="x", npcs=(_merchant(None, 9, on_map=False, name="dealer"), _merchant(None, 2))
    )
    option = best_sale_for(both, 3, stats=_stats(both))
    assert (option.legs[0].npc, option.total) == ("m", 6)
    event_only = ItemMarket(code="x", npcs=(_merchant(None, 9, on_map=False, name="dealer"),))
    flagged = best_sale_for(event_only, 3, stats=_stats(event_only))
    assert flagged.total == 27 and "only comes with its event" in flagged.reason
