"""``MarketBook``: the loaded markets of a few items, with stats and advice per item.

It is a frozen snapshot (taken at ``now``); reload it with
:func:`~guildmaster.market.loader.load_market_book` when prices may have moved. Typical
use by the team (e.g. disposing of surplus gear)::

    book = await load_market_book(client, ["copper_dagger"], clock=clock, account="me")
    option = book.best_sale("copper_dagger", 3)
    if option.venue != "none":
        for leg in option.legs: ...   # npc / ge_fill / ge_list / recycle, with npc, tile, order

>>> from datetime import UTC, datetime
>>> from guildmaster.market.itemmarket import ItemMarket, NpcPrice
>>> book = MarketBook({"ore": ItemMarket("ore", npcs=(NpcPrice("dealer", "gold", 10, 2),))},
...                   now=datetime(2026, 1, 1, tzinfo=UTC))
>>> book.best_sale("ore", 4).total, book.best_purchase("ore", 4).total
(8, 40)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from guildmaster.market.advice import (
    BuyOption,
    SaleOption,
    best_purchase_for,
    best_sale_for,
    purchase_options_for,
    sale_options_for,
    unit_sale_value,
)
from guildmaster.market.itemmarket import (
    GE_LISTING_FEE_PERCENT,
    ItemMarket,
    PriceStats,
    price_stats,
)

__all__ = ["MarketBook", "UnknownMarketItem"]


class UnknownMarketItem(KeyError):
    """The item was not loaded into the book (or does not exist on the server)."""


@dataclass(frozen=True, eq=False)
class MarketBook:
    """Markets of some items at ``now``; statistics cover the ``days`` days before it.

    ``account`` is the player's own account: its open orders are left out of the advice (the
    GE refuses trading with yourself, code 435). ``fee_percent`` is the GE listing fee.
    """

    markets: Mapping[str, ItemMarket]
    now: datetime
    days: float = 7.0
    account: str = ""
    fee_percent: float = GE_LISTING_FEE_PERCENT
    _stats: dict[str, PriceStats] = field(default_factory=dict, init=False, repr=False)

    def __contains__(self, code: object) -> bool:
        return code in self.markets

    def market(self, code: str) -> ItemMarket:
        """The loaded market of ``code``.

        Raises:
            UnknownMarketItem: if ``code`` was not loaded.
        """
        try:
            return self.markets[code]
        except KeyError:
            raise UnknownMarketItem(code) from None

    def stats(self, code: str) -> PriceStats:
        """History and order-book statistics of ``code`` (own orders excluded).

        Raises:
            UnknownMarketItem: if ``code`` was not loaded.
        """
        cached = self._stats.get(code)
        if cached is None:
            market = self.market(code)
            cached = price_stats(market, now=self.now, days=self.days, exclude_account=self.account)
            # Memo on a frozen snapshot: same inputs, same result.
            self._stats[code] = cached
        return cached

    def unit_value(self, code: str) -> float | None:
        """Best gold one more unit of ``code`` brings (None if unsellable or not loaded)."""
        if code not in self.markets:
            return None
        return unit_sale_value(self.markets[code], self.stats(code), fee_percent=self.fee_percent)

    def _ingredient_values(self, code: str) -> dict[str, float | None]:
        return {
            ingredient: self.unit_value(ingredient) for ingredient, _ in self.market(code).recipe
        }

    def sale_options(self, code: str, quantity: int) -> tuple[SaleOption, ...]:
        """Every single-venue way to sell ``quantity`` units of ``code``, most gold first.

        Raises:
            UnknownMarketItem: if ``code`` was not loaded.
            ValueError: if ``quantity`` < 1.
        """
        return sale_options_for(
            self.market(code),
            quantity,
            stats=self.stats(code),
            values=self._ingredient_values(code),
            fee_percent=self.fee_percent,
            exclude_account=self.account,
        )

    def best_sale(
        self, code: str, quantity: int, *, immediate: bool = False, recycle: bool = True
    ) -> SaleOption:
        """The most gold for ``quantity`` units of ``code`` (venue ``none`` if nobody buys).

        ``immediate`` leaves out GE listings, ``recycle=False`` leaves out recycling.

        Raises:
            UnknownMarketItem: if ``code`` was not loaded.
            ValueError: if ``quantity`` < 1.
        """
        return best_sale_for(
            self.market(code),
            quantity,
            stats=self.stats(code),
            values=self._ingredient_values(code),
            fee_percent=self.fee_percent,
            exclude_account=self.account,
            immediate=immediate,
            recycle=recycle,
        )

    def purchase_options(self, code: str, quantity: int) -> tuple[BuyOption, ...]:
        """Every single-venue way to buy ``quantity`` units of ``code``, cheapest first.

        Raises:
            UnknownMarketItem: if ``code`` was not loaded.
            ValueError: if ``quantity`` < 1.
        """
        return purchase_options_for(
            self.market(code), quantity, stats=self.stats(code), exclude_account=self.account
        )

    def best_purchase(self, code: str, quantity: int, *, immediate: bool = False) -> BuyOption:
        """The cheapest way to get ``quantity`` units of ``code`` (venue ``none`` if unsold).

        ``immediate`` leaves out placing a GE buy order for what is missing.

        Raises:
            UnknownMarketItem: if ``code`` was not loaded.
            ValueError: if ``quantity`` < 1.
        """
        return best_purchase_for(
            self.market(code),
            quantity,
            stats=self.stats(code),
            exclude_account=self.account,
            immediate=immediate,
        )
