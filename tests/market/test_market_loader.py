"""The market loader on a scripted client: what it asks, what it builds, what it tolerates."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from guildmaster.api.errors import NotFound
from guildmaster.api.models import (
    GEOrderHistorySchema,
    GEOrderSchema,
    ItemSchema,
    MapSchema,
    NPCItemSchema,
    NPCSchema,
)
from guildmaster.clock import VirtualClock
from guildmaster.knowledge.gamedata import GameData
from guildmaster.market import load_market_book

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _item(code: str, *, recipe: dict[str, int] | None = None, tradeable: bool = True) -> ItemSchema:
    craft = None
    if recipe:
        items = [{"code": c, "quantity": q} for c, q in recipe.items()]
        craft = {"skill": "jewelrycrafting", "level": 5, "items": items, "quantity": 1}
    return ItemSchema.model_validate(
        {
            "name": code.title(),
            "code": code,
            "level": 5,
            "type": "ring" if recipe else "resource",
            "subtype": "",
            "description": "",
            "craft": craft,
            "tradeable": tradeable,
            "recyclable": bool(recipe),
        }
    )


class ScriptedClient:
    """Answers the loader's reads from fixed data and counts every call."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = {
            "ring": _item("ring", recipe={"bar": 4, "ghost": 1}),
            "bar": _item("bar"),
            "coin": _item("coin", tradeable=False),
        }

    async def item(self, code: str) -> ItemSchema:
        self.calls["item"] += 1
        if code not in self.items:
            raise NotFound(f"{code} not found", code=404)
        return self.items[code]

    async def ge_history(
        self, code: str, *, account: str | None = None
    ) -> list[GEOrderHistorySchema]:
        self.calls["history"] += 1
        if code != "bar":
            return []
        rows = [(10, 3, T0 - timedelta(days=1)), (14, 1, T0 - timedelta(hours=1))]
        return [  # newest first, as the API pages them
            GEOrderHistorySchema(
                order_id=f"h{i}", seller="a", buyer="b", code=code, quantity=q, price=p, sold_at=t
            )
            for i, (p, q, t) in reversed(list(enumerate(rows)))
        ]

    async def ge_orders(
        self,
        *,
        code: str | None = None,
        account: str | None = None,
        type: str | None = None,
        item_type: str | None = None,
    ) -> list[GEOrderSchema]:
        self.calls["orders"] += 1
        if code != "bar":
            return []
        return [
            GEOrderSchema(
                id="s1", type="sell", account="ann", code=code, quantity=2, price=12, created_at=T0
            ),
            GEOrderSchema(
                id="x1", type="swap", account="ann", code=code, quantity=2, price=1, created_at=T0
            ),
        ]

    async def npc_items(
        self, npc: str | None = None, *, code: str | None = None, currency: str | None = None
    ) -> list[NPCItemSchema]:
        self.calls["npc_items"] += 1
        offers = {
            "bar": [
                NPCItemSchema(code="bar", npc="smith", currency="gold", buy_price=30, sell_price=5)
            ],
            "coin": [NPCItemSchema(code="coin", npc="trader", currency="bar", buy_price=2)],
        }
        return offers.get(code or "", [])

    async def npcs(self, *, type: str | None = None) -> list[NPCSchema]:
        self.calls["npcs"] += 1
        return [
            NPCSchema(name="Smith", code="smith", description="", type="merchant"),
            NPCSchema(name="Trader", code="trader", description="", type="trader"),
        ]

    async def maps(self, **filters: Any) -> list[MapSchema]:
        self.calls["maps"] += 1
        assert filters.get("content_type") == "npc"
        tile = {
            "map_id": 7,
            "name": "Forge",
            "skin": "forge",
            "x": 3,
            "y": -1,
            "layer": "overworld",
            "access": {"type": "standard"},
            "interactions": {"content": {"type": "npc", "code": "smith"}},
        }
        return [MapSchema.model_validate(tile)]


async def test_book_from_the_reads_with_ingredients_and_places() -> None:
    clock = VirtualClock(epoch=T0)
    client = ScriptedClient()
    book = await load_market_book(client, ["ring", "coin", "ring"], clock=clock, days=2)
    # The ghost ingredient is unknown to the server: skipped, the rest still loads.
    assert set(book.markets) == {"ring", "coin", "bar"}
    assert book.now == T0 and book.days == 2
    ring = book.market("ring")
    assert ring.recipe == (("bar", 4), ("ghost", 1)) and ring.recyclable
    assert (ring.craft_skill, ring.craft_level) == ("jewelrycrafting", 5)
    bar = book.market("bar")
    assert [s.price for s in bar.sales] == [10, 14]  # chronological
    assert [o.id for o in bar.orders] == ["s1"]  # the unknown order type is dropped
    (smith,) = bar.npcs
    assert (smith.npc, smith.npc_type, smith.tiles) == (
        "smith",
        "merchant",
        (("overworld", 3, -1),),
    )
    (trader,) = book.market("coin").npcs
    assert (trader.currency, trader.tiles, trader.npc_type) == ("bar", (), "trader")
    # Places are fetched once for all offers; GE reads are skipped for untradeable coins.
    assert client.calls["maps"] == 1 and client.calls["npcs"] == 1
    assert client.calls["history"] == 2 and client.calls["orders"] == 2
    stats = book.stats("bar")
    assert (stats.volume, stats.last_price, stats.best_sell) == (4, 14, 12)
    # The ring recycles into 1 unit; 4/5 of it is a bar worth the best of NPC 5, listing.
    bar_value = book.unit_value("bar")
    assert bar_value is not None and bar_value == pytest.approx(
        10 * 0.97
    )  # median of 10,10,10,14 = 10 listed net
    assert book.best_sale("ring", 1).venue == "recycle"
    assert book.best_sale("ring", 5).total == int(5 * 4 / 5 * bar_value)


async def test_an_unknown_requested_item_raises() -> None:
    with pytest.raises(NotFound):
        await load_market_book(ScriptedClient(), ["ghost"], clock=VirtualClock(epoch=T0))


class EmptyExchange(ScriptedClient):
    """A GE with no history and no orders (everything else comes from GameData)."""

    async def ge_history(
        self, code: str, *, account: str | None = None
    ) -> list[GEOrderHistorySchema]:
        self.calls["history"] += 1
        return []

    async def ge_orders(self, **filters: Any) -> list[GEOrderSchema]:
        self.calls["orders"] += 1
        return []


async def test_real_world_offers_from_gamedata(snapshot_path: Path) -> None:
    gamedata = GameData.from_snapshot(json.loads(snapshot_path.read_text(encoding="utf-8")))
    client = EmptyExchange()
    book = await load_market_book(
        client, ["cloth", "copper_ore", "copper_dagger"], clock=VirtualClock(), gamedata=gamedata
    )
    assert client.calls["item"] == client.calls["maps"] == client.calls["npc_items"] == 0
    (tailor,) = book.market("cloth").npcs
    assert tailor.npc == "tailor" and not tailor.is_gold and tailor.is_on_map
    # Cloth costs wool, not gold: listed, but no gold purchase exists.
    assert book.best_purchase("cloth", 2).venue == "none"
    options = book.purchase_options("cloth", 2)
    assert [(o.venue, o.currency, o.total) for o in options] == [
        ("npc", tailor.currency, 2 * (tailor.buy_price or 0))
    ]
    # Copper ore: only event merchants trade it; buying still works, flagged as event-only.
    ore = book.best_purchase("copper_ore", 5)
    assert ore.venue == "npc" and "event" in ore.reason
    assert all(not n.is_on_map for n in book.market("copper_ore").npcs)
    # The dagger recycles into copper bars, loaded as its ingredient.
    assert "copper_bar" in book and book.market("copper_dagger").recyclable
