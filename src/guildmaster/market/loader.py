"""Load a :class:`MarketBook` from the server: GE history and orders, NPC offers and places.

Per item: ``GET /items/{code}`` (or the loaded :class:`GameData`), every page of
``GET /grandexchange/history/{code}`` and ``GET /grandexchange/orders?code=``, and the NPC offers
(``GET /npcs/items?code=`` or GameData) with where each NPC stands (``GET /maps?content_type=npc``
or GameData). The ingredients of recyclable items are loaded too, so that recycling can be
valued at the materials' own prices. "Now" comes from the clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Protocol

from guildmaster.api.models import (
    GEOrderHistorySchema,
    GEOrderSchema,
    ItemSchema,
    MapSchema,
    NPCItemSchema,
    NPCSchema,
)
from guildmaster.clock import Clock
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.model import Item, NpcOffer, TileKey
from guildmaster.market.itemmarket import (
    GE_LISTING_FEE_PERCENT,
    ItemMarket,
    NpcPrice,
    OpenOrder,
    OrderSide,
    Sale,
)
from guildmaster.market.marketbook import MarketBook, UnknownMarketItem

__all__ = ["MarketClient", "item_market", "load_item_market", "load_market_book"]

logger = logging.getLogger(__name__)


class MarketClient(Protocol):
    """The reads the loader needs (``AsyncArtifactsClient`` provides them)."""

    async def item(self, code: str) -> ItemSchema:
        """One item by code."""

    async def ge_history(
        self, code: str, *, account: str | None = None
    ) -> list[GEOrderHistorySchema]:
        """The sale history of ``code`` (all pages)."""

    async def ge_orders(
        self,
        *,
        code: str | None = None,
        account: str | None = None,
        type: str | None = None,
        item_type: str | None = None,
    ) -> list[GEOrderSchema]:
        """Every open GE order matching the filters (all pages)."""

    async def npc_items(
        self, npc: str | None = None, *, code: str | None = None, currency: str | None = None
    ) -> list[NPCItemSchema]:
        """Every NPC offer matching the filters (all pages)."""

    async def npcs(self, *, type: str | None = None) -> list[NPCSchema]:
        """Every NPC (all pages)."""

    async def maps(
        self,
        *,
        layer: str | None = None,
        content_type: str | None = None,
        content_code: str | None = None,
        hide_blocked_maps: bool | None = None,
    ) -> list[MapSchema]:
        """Every map tile matching the filters (all pages)."""


def item_market(
    item: Item,
    *,
    sales: Iterable[Sale] = (),
    orders: Iterable[OpenOrder] = (),
    npcs: Iterable[NpcPrice] = (),
) -> ItemMarket:
    """Assemble an :class:`ItemMarket` from a catalogue item and its trading data."""
    craft = item.craft
    return ItemMarket(
        code=item.code,
        name=item.name,
        level=item.level,
        tradeable=item.tradeable,
        recyclable=item.recyclable,
        recipe=() if craft is None else tuple((i.code, i.quantity) for i in craft.items),
        craft_skill="" if craft is None else craft.skill,
        craft_level=0 if craft is None else craft.level,
        sales=tuple(sorted(sales, key=lambda s: s.sold_at)),
        orders=tuple(orders),
        npcs=tuple(npcs),
    )


def _sale(h: GEOrderHistorySchema) -> Sale:
    return Sale(
        price=h.price, quantity=h.quantity, sold_at=h.sold_at, seller=h.seller, buyer=h.buyer
    )


def _order(o: GEOrderSchema) -> OpenOrder | None:
    side: OrderSide
    if o.type == "sell":
        side = "sell"
    elif o.type == "buy":
        side = "buy"
    else:
        logger.warning("GE order %s has unknown type %r; ignored", o.id, o.type)
        return None
    return OpenOrder(
        id=o.id, side=side, price=o.price, quantity=o.quantity, account=o.account or ""
    )


class _Places:
    """NPC tiles and types, from GameData or fetched once per load."""

    def __init__(self, client: MarketClient, gamedata: GameData | None) -> None:
        self._client = client
        self._gamedata = gamedata
        self._tiles: dict[str, tuple[TileKey, ...]] | None = None
        self._types: dict[str, str] | None = None
        self._lock = asyncio.Lock()

    async def _fetch(self) -> None:
        async with self._lock:
            if self._tiles is not None:
                return
            tiles_by_npc: dict[str, list[TileKey]] = {}
            for tile in await self._client.maps(content_type="npc"):
                content = tile.interactions.content
                if content is not None:
                    tiles_by_npc.setdefault(content.code, []).append((tile.layer, tile.x, tile.y))
            self._types = {n.code: n.type for n in await self._client.npcs()}
            self._tiles = {k: tuple(v) for k, v in tiles_by_npc.items()}

    async def price(self, offer: NpcOffer) -> NpcPrice:
        """The offer with the NPC's tiles and type."""
        if self._gamedata is not None:
            tiles = tuple(t.key for t in self._gamedata.npc_tiles(offer.npc))
            npc = self._gamedata.npcs.get(offer.npc)
            kind = npc.type if npc is not None else "merchant"
        else:
            await self._fetch()
            tiles = (self._tiles or {}).get(offer.npc, ())
            kind = (self._types or {}).get(offer.npc, "merchant")
        return NpcPrice(
            npc=offer.npc,
            currency=offer.currency,
            buy_price=offer.buy_price,
            sell_price=offer.sell_price,
            tiles=tiles,
            npc_type=kind,
        )


async def _catalogue_item(client: MarketClient, code: str, gamedata: GameData | None) -> Item:
    if gamedata is not None:
        item = gamedata.items.get(code)
        if item is None:
            raise UnknownMarketItem(code)
        return item
    schema = await client.item(code)
    return Item.from_api(schema.model_dump(mode="json"))


async def _offers(client: MarketClient, code: str, gamedata: GameData | None) -> list[NpcOffer]:
    if gamedata is not None:
        return [o for o in gamedata.npc_offers if o.code == code]
    return [NpcOffer.from_api(o.model_dump(mode="json")) for o in await client.npc_items(code=code)]


async def _load(
    client: MarketClient, code: str, gamedata: GameData | None, places: _Places
) -> ItemMarket:
    item = await _catalogue_item(client, code, gamedata)
    offers = await _offers(client, code, gamedata)
    npcs = [await places.price(o) for o in offers]
    if not item.tradeable:
        return item_market(item, npcs=npcs)
    history, orders = await asyncio.gather(client.ge_history(code), client.ge_orders(code=code))
    open_orders = [o for o in (_order(x) for x in orders) if o is not None]
    return item_market(item, sales=[_sale(h) for h in history], orders=open_orders, npcs=npcs)


async def load_item_market(
    client: MarketClient, code: str, *, gamedata: GameData | None = None
) -> ItemMarket:
    """Load one item's market (catalogue facts, GE history and orders, NPC offers).

    Raises:
        NotFound: the server does not know ``code`` (without ``gamedata``).
        UnknownMarketItem: ``gamedata`` does not know ``code``.
        ArtifactsError: any other API failure.
    """
    return await _load(client, code, gamedata, _Places(client, gamedata))


async def load_market_book(
    client: MarketClient,
    codes: Iterable[str],
    *,
    clock: Clock,
    days: float = 7.0,
    account: str = "",
    gamedata: GameData | None = None,
    with_ingredients: bool = True,
    fee_percent: float = GE_LISTING_FEE_PERCENT,
) -> MarketBook:
    """Load the markets of ``codes`` (and of their recipes' ingredients) into a book at
    ``clock.now()``. ``account`` is the player's own account (its orders are ignored).

    Raises:
        NotFound: the server does not know one of ``codes`` (without ``gamedata``).
        UnknownMarketItem: ``gamedata`` does not know one of ``codes``.
        ArtifactsError: any other API failure.
    """
    places = _Places(client, gamedata)
    wanted = list(dict.fromkeys(codes))
    loaded = await asyncio.gather(*(_load(client, c, gamedata, places) for c in wanted))
    markets: dict[str, ItemMarket] = {m.code: m for m in loaded}
    if with_ingredients:
        extra = list(
            dict.fromkeys(
                ingredient
                for m in loaded
                if m.recyclable
                for ingredient, _ in m.recipe
                if ingredient not in markets
            )
        )
        results = await asyncio.gather(
            *(_load(client, c, gamedata, places) for c in extra), return_exceptions=True
        )
        for code, result in zip(extra, results, strict=True):
            if isinstance(result, BaseException):
                # An ingredient the server cannot describe only lowers the recycling estimate.
                if not isinstance(result, Exception):
                    raise result
                logger.warning("market of ingredient %s unavailable: %s", code, result)
                continue
            markets[code] = result
    logger.info("market book loaded: %s", ", ".join(markets))
    return MarketBook(
        markets=markets, now=clock.now(), days=days, account=account, fee_percent=fee_percent
    )
