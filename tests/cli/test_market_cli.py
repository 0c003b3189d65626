"""``guildmaster market`` end to end: real GE trades on the local server (in process, ASGI),
then the command reads them back with the observer's token (table and ``--json``), and fails
cleanly on an unknown item (exit 2) or an unreachable server (exit 1)."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

import guildmaster.cli.market as market_cli
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.cli import app
from guildmaster.clock import RealClock, VirtualClock
from guildmaster.harness import AccountSpec, LocalGame, Session, open_session

LOG = "pioskobaia_log"
CUDGEL = "pioskobaia_cudgel"
DAY = 86_400.0


async def _account(game: LocalGame, clock: VirtualClock, user: str) -> Session:
    spec = AccountSpec(username=user, password=f"{user}-password", email=f"{user}@example.com")
    return await open_session(game.endpoint, clock=clock, account=spec, characters=1)


async def _trade(game: LocalGame, clock: VirtualClock) -> str:
    """Trades between two accounts (history 2 at 20 ten days ago, 4 at 6, 5 at 8; open sell
    orders 6 at 6 and 5 at 9, buy order 3 at 4); returns a third account's token."""
    seller = await _account(game, clock, "seller02")
    buyer = await _account(game, clock, "buyer02")
    observer = await _account(game, clock, "observer02")
    try:
        state = game.app.state.game.state
        sname, bname = seller.names[0], buyer.names[0]
        state.characters[sname].gold = 1000
        state.characters[sname].add_item(LOG, 30)
        state.characters[bname].gold = 1000
        s, b = seller.client(), buyer.client()
        await s.move(sname, x=-1, y=1)
        await b.move(bname, x=-1, y=1)

        async def sell(quantity: int, price: int) -> str:
            return (await s.ge_create_sell_order(sname, LOG, quantity, price)).order.id

        await b.ge_buy(bname, await sell(2, 20), 2)
        await clock.sleep(10 * DAY)
        await b.ge_buy(bname, await sell(10, 6), 4)
        await b.ge_buy(bname, await sell(5, 8), 5)
        await sell(5, 9)
        await b.ge_create_buy_order(bname, LOG, 3, 4)
    finally:
        for session in (seller, buyer, observer):
            await session.aclose()
    return observer.token


@pytest.fixture(scope="module")
def traded() -> tuple[LocalGame, str]:
    """A local game where trades ended about now (real time), and the observer's token."""
    # The command reads "now" from a RealClock: start the virtual game ten days and an hour
    # ago so that the recent trades are minutes old and the first one ten days old.
    clock = VirtualClock(epoch=RealClock().now() - timedelta(days=10, hours=1))
    game = LocalGame(clock=clock, world="generated:7", rate_limits=False)
    token = clock.run(_trade(game, clock))
    return game, token


@pytest.fixture
def invoke(
    traded: tuple[LocalGame, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Any]:
    """Run ``guildmaster market ...`` against the traded game (ASGI transport, token file)."""
    game, token = traded
    token_file = tmp_path / "token"
    token_file.write_text(token, encoding="utf-8")

    def client(*args: Any, **kwargs: Any) -> AsyncArtifactsClient:
        kwargs["transport"] = httpx.ASGITransport(app=game.app)
        return AsyncArtifactsClient(*args, **kwargs)

    monkeypatch.setattr(market_cli, "AsyncArtifactsClient", client)
    monkeypatch.delenv("ARTIFACTS_SERVER", raising=False)

    def run(*args: str) -> Any:
        base = ["market", "--server", game.endpoint.base_url, "--token-file", str(token_file)]
        return CliRunner().invoke(app, [*base, *args])

    return run


def test_json_report_has_the_real_numbers_and_advice(invoke: Callable[..., Any]) -> None:
    result = invoke("--item", LOG, "--days", "7", "--quantity", "8", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["item"]["code"] == LOG and report["quantity"] == 8
    assert report["listing_fee_percent"] == 3.0
    stats = report["stats"]
    assert (stats["sales"], stats["volume"], stats["last_price"]) == (2, 9, 8)
    assert stats["median"] == 8.0 and stats["mean"] == pytest.approx(64 / 9)
    assert (stats["best_sell"], stats["best_buy"], stats["spread"]) == (6, 4, 2)
    assert [(o["price"], o["quantity"]) for o in report["orders"]["sell"]] == [(6, 6), (9, 5)]
    assert [(o["price"], o["quantity"]) for o in report["orders"]["buy"]] == [(4, 3)]
    assert any(n["is_on_map"] and n["currency"] == "gold" for n in report["npcs"])
    buy = report["advice"]["buy"]["best"]
    assert (buy["venue"], buy["total"], buy["bought"]) == ("ge_buy", 6 * 6 + 2 * 9, 8)
    sell = report["advice"]["sell"]["best"]
    # 8 listed at 6: 48 gold minus a 1 gold fee (3 % of 48 = 1.44).
    assert (sell["venue"], sell["total"]) == ("ge_list", 47)
    assert sell["legs"][0]["fee"] == 1 and sell["is_immediate"] is False


def test_a_longer_window_takes_the_old_sale_in(invoke: Callable[..., Any]) -> None:
    result = invoke("--item", LOG, "--days", "30", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)["stats"]
    assert (stats["sales"], stats["volume"], stats["high"]) == (3, 11, 20)


def test_table_output_shows_history_book_npcs_and_advice(invoke: Callable[..., Any]) -> None:
    result = invoke("--item", CUDGEL, "--quantity", "2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("GE history, last 7 days", "open orders", "sell 2", "buy 2", "recipe: 3 " + LOG):
        assert text in out, out
    # Nobody trades cudgels: recycling into logs (worth about 5.82 each) is the best sale.
    sell_table = out[out.index("sell 2") :]
    assert "best" in sell_table and "recycle" in sell_table


def test_unknown_item_exits_2(invoke: Callable[..., Any]) -> None:
    result = invoke("--item", "no_such_item")
    assert result.exit_code == 2
    assert "unknown item 'no_such_item'" in result.output


def test_unreachable_server_exits_1(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token_file = tmp_path / "token"
    token_file.write_text("t0k3n", encoding="utf-8")
    args = ["market", "--item", LOG, "--server", f"http://127.0.0.1:{port}"]
    result = CliRunner().invoke(app, [*args, "--token-file", str(token_file)])
    assert result.exit_code == 1
    assert "cannot read the market" in result.output
