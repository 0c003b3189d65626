"""The market loader against the local server (generated:7, ASGI, VirtualClock): real trades
between two accounts make the history and the book; a third account reads them back."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import NotFound
from guildmaster.clock import VirtualClock
from guildmaster.harness import AccountSpec, LocalGame, Session, open_session
from guildmaster.knowledge.gamedata import GameData
from guildmaster.market import MarketBook, load_item_market, load_market_book

LOG = "pioskobaia_log"  # merchant on the map buys it for 1, sells it for 10
CUDGEL = "pioskobaia_cudgel"  # recyclable, recipe: 3 pioskobaia_log
GE_TILE = (-1, 1)
DAY = 86_400.0


@dataclass
class Traders:
    """The three accounts of the scenario: seller, buyer and an observer."""

    game: LocalGame
    seller: Session
    buyer: Session
    observer: Session

    async def aclose(self) -> None:
        for session in (self.seller, self.buyer, self.observer):
            await session.aclose()


async def _account(game: LocalGame, clock: VirtualClock, user: str) -> Session:
    spec = AccountSpec(username=user, password=f"{user}-password", email=f"{user}@example.com")
    return await open_session(game.endpoint, clock=clock, account=spec, characters=1)


async def trade(game: LocalGame, clock: VirtualClock) -> Traders:
    """Seed two accounts and trade through the real GE endpoints.

    History: 2 logs at 20 (ten days ago), 4 at 6, 5 at 8. Open: the seller's sell orders
    6 at 6 and 5 at 9, the buyer's buy order 3 at 4.
    """
    traders = Traders(
        game,
        await _account(game, clock, "seller01"),
        await _account(game, clock, "buyer01"),
        await _account(game, clock, "observer01"),
    )
    state = game.app.state.game.state
    sname, bname = traders.seller.names[0], traders.buyer.names[0]
    # Seeding: the server's own state, as the server tests do (no gathering needed).
    state.characters[sname].gold = 1000
    state.characters[sname].add_item(LOG, 30)
    state.characters[sname].add_item(CUDGEL, 3)
    state.characters[bname].gold = 1000
    s, b = traders.seller.client(), traders.buyer.client()
    await s.move(sname, x=GE_TILE[0], y=GE_TILE[1])
    await b.move(bname, x=GE_TILE[0], y=GE_TILE[1])

    async def sell(quantity: int, price: int) -> str:
        return (await s.ge_create_sell_order(sname, LOG, quantity, price)).order.id

    old = await sell(2, 20)
    await b.ge_buy(bname, old, 2)
    await clock.sleep(10 * DAY)
    first = await sell(10, 6)
    await b.ge_buy(bname, first, 4)
    second = await sell(5, 8)
    await b.ge_buy(bname, second, 5)
    await sell(5, 9)
    await b.ge_create_buy_order(bname, LOG, 3, 4)
    return traders


def _run_scenario(days: float, *, exclude: str = "") -> tuple[MarketBook, Traders]:
    clock = VirtualClock()

    async def scenario() -> tuple[MarketBook, Traders]:
        game = LocalGame(clock=clock, world="generated:7", rate_limits=False)
        traders = await trade(game, clock)
        try:
            client = traders.observer.client()
            account = ""
            if exclude:
                account = (await getattr(traders, exclude).client().my_details()).username
            book = await load_market_book(
                client, [LOG, CUDGEL], clock=clock, days=days, account=account
            )
        finally:
            await traders.aclose()
        return book, traders

    return clock.run(scenario())


@pytest.fixture(scope="module")
def observed() -> MarketBook:
    """The book as a third account sees it, history window 7 days."""
    return _run_scenario(7.0)[0]


def test_history_stats_are_the_real_trades_within_the_window(observed: MarketBook) -> None:
    stats = observed.stats(LOG)
    assert (stats.sales, stats.volume) == (2, 9)  # the 10-day-old sale is outside
    assert stats.last_price == 8
    assert stats.median == 8.0
    assert stats.mean == pytest.approx((4 * 6 + 5 * 8) / 9)
    assert (stats.low, stats.high) == (6, 8)
    assert (stats.best_sell, stats.sell_depth) == (6, 11)
    assert (stats.best_buy, stats.buy_depth) == (4, 3)
    assert stats.spread == 2


def test_npc_offers_come_with_where_the_npc_stands(observed: MarketBook) -> None:
    npcs = {n.npc: n for n in observed.market(LOG).npcs}
    on_map = [n for n in npcs.values() if n.is_on_map]
    assert on_map, npcs
    merchant = on_map[0]
    assert merchant.is_gold and merchant.buy_price is not None and merchant.sell_price is not None
    assert all(len(tile) == 3 for tile in merchant.tiles)
    assert any(not n.is_on_map for n in npcs.values())  # the event-only dealer


def test_sell_advice_lists_at_the_recent_price_net_of_the_fee(observed: MarketBook) -> None:
    option = observed.best_sale(LOG, 5)
    # Median 8 undercut to the cheapest open sell order (6): 30 gold minus a 1 gold fee beats
    # the merchant (1 each) and the buy order (4 each).
    assert option.venue == "ge_list"
    assert option.total == 29
    assert [(leg.venue, leg.quantity, leg.price, leg.fee) for leg in option.legs] == [
        ("ge_list", 5, 6.0, 1)
    ]
    assert not option.is_immediate
    venues = {o.venue: o.total for o in observed.sale_options(LOG, 5)}
    assert venues["ge_fill"] == 12 and venues["npc"] == 5


def test_buy_advice_walks_the_book_then_the_merchant(observed: MarketBook) -> None:
    merchant_price = min(
        n.buy_price for n in observed.market(LOG).npcs if n.is_on_map and n.buy_price
    )
    assert merchant_price > 9
    eight = observed.best_purchase(LOG, 8)
    assert [(leg.venue, leg.quantity, leg.price) for leg in eight.legs] == [
        ("ge_buy", 6, 6.0),
        ("ge_buy", 2, 9.0),
    ]
    assert eight.total == 54
    fourteen = observed.best_purchase(LOG, 14)
    assert fourteen.total == 36 + 45 + 3 * merchant_price
    assert fourteen.legs[-1].venue == "npc" and fourteen.legs[-1].quantity == 3


def test_unsold_craftable_gear_is_recycled(observed: MarketBook) -> None:
    assert observed.stats(CUDGEL).volume == 0
    option = observed.best_sale(CUDGEL, 3)
    log_value = observed.unit_value(LOG)
    assert log_value is not None and log_value == pytest.approx(6 * 0.97)
    assert option.venue == "recycle"
    assert option.total == int(3 * log_value)


def test_own_orders_are_left_out() -> None:
    book, _ = _run_scenario(30.0, exclude="seller")
    stats = book.stats(LOG)
    assert stats.best_sell is None and stats.sell_depth == 0
    assert (stats.sales, stats.volume, stats.high) == (3, 11, 20)  # 30 days: the old sale too
    assert book.best_purchase(LOG, 2).venue == "npc"


def test_unknown_item_is_not_found() -> None:
    clock = VirtualClock()

    async def scenario() -> None:
        game = LocalGame(clock=clock, world="generated:7", rate_limits=False)
        async with AsyncArtifactsClient(
            game.endpoint.base_url, None, transport=game.endpoint.make_transport(), clock=clock
        ) as client:
            with pytest.raises(NotFound):
                await load_item_market(client, "no_such_item")

    clock.run(scenario())


def test_gamedata_gives_the_same_book_with_fewer_reads() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[MarketBook, MarketBook, int, int]:
        game = LocalGame(clock=clock, world="generated:7", rate_limits=False)
        traders = await trade(game, clock)
        try:
            client = traders.observer.client()
            gamedata = await GameData.load(client)
            before = client.stats.requests
            with_data = await load_market_book(
                client, [LOG, CUDGEL], clock=clock, gamedata=gamedata
            )
            middle = client.stats.requests
            plain = await load_market_book(client, [LOG, CUDGEL], clock=clock)
            after = client.stats.requests
        finally:
            await traders.aclose()
        return with_data, plain, middle - before, after - middle

    with_data, plain, reads_with, reads_plain = clock.run(scenario())
    assert with_data.markets == plain.markets
    assert with_data.best_sale(CUDGEL, 2) == plain.best_sale(CUDGEL, 2)
    assert reads_with == 4  # history and orders of both items; the rest is in GameData
    assert reads_plain > reads_with
