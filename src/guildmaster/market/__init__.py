"""guildmaster.market: GE and NPC prices from the server, and where to sell or buy.

:func:`load_market_book` reads the server (GE history, open orders, NPC offers) into a
:class:`MarketBook`; its :meth:`~MarketBook.best_sale` and :meth:`~MarketBook.best_purchase`
return a :class:`SaleOption` / :class:`BuyOption` (venue, unit price, total, legs, reason). The
decisions themselves are pure functions over :class:`ItemMarket` values.

Modules: ``itemmarket`` (one item's sales, open orders and NPC offers, and their statistics),
``advice`` (where to sell or buy, as pure functions), ``marketbook`` (the loaded markets of a
few items with their advice) and ``loader`` (reading them from the server).
"""

from __future__ import annotations

from guildmaster.market.advice import (
    BuyOption,
    BuyVenue,
    SaleOption,
    SaleVenue,
    TradeLeg,
    Venue,
    best_purchase_for,
    best_sale_for,
    listing_price,
    price_stats_now,
    purchase_options_for,
    recycle_units_per_item,
    recycle_value,
    sale_options_for,
    unit_sale_value,
)
from guildmaster.market.itemmarket import (
    GE_LISTING_FEE_PERCENT,
    GE_MAX_SELL_ORDER_QUANTITY,
    ItemMarket,
    NpcPrice,
    OpenOrder,
    OrderSide,
    PriceStats,
    Sale,
    listing_fee,
    price_stats,
    unit_median,
)
from guildmaster.market.loader import (
    MarketClient,
    item_market,
    load_item_market,
    load_market_book,
)
from guildmaster.market.marketbook import MarketBook, UnknownMarketItem

__all__ = [
    "GE_LISTING_FEE_PERCENT",
    "GE_MAX_SELL_ORDER_QUANTITY",
    "BuyOption",
    "BuyVenue",
    "ItemMarket",
    "MarketBook",
    "MarketClient",
    "NpcPrice",
    "OpenOrder",
    "OrderSide",
    "PriceStats",
    "Sale",
    "SaleOption",
    "SaleVenue",
    "TradeLeg",
    "UnknownMarketItem",
    "Venue",
    "best_purchase_for",
    "best_sale_for",
    "item_market",
    "listing_fee",
    "listing_price",
    "load_item_market",
    "load_market_book",
    "price_stats",
    "price_stats_now",
    "purchase_options_for",
    "recycle_units_per_item",
    "recycle_value",
    "sale_options_for",
    "unit_median",
    "unit_sale_value",
]
