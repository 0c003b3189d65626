"""``guildmaster market --item CODE [--days D] [--quantity Q]``: GE price history and advice.

Reads the server (``--server``/``ARTIFACTS_SERVER``, token from ``--token-file``,
``ARTIFACTS_TOKEN`` or ``./TOKEN``) into a :class:`~guildmaster.market.MarketBook` and
prints the item's GE statistics over the last D days, the open order book, the NPC offers and
where to sell or buy Q units (``--json``: one JSON object). Exit codes: 2 for an unknown item,
1 when the server cannot be used (unreachable, bad token...).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import httpx
import typer
from rich.console import Group
from rich.table import Table

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError, NotFound
from guildmaster.cli.status import (
    DEFAULT_SERVER,
    ServerOption,
    TokenFileOption,
    make_console,
    resolve_token,
)
from guildmaster.clock import Clock, RealClock
from guildmaster.market import (
    GE_LISTING_FEE_PERCENT,
    BuyOption,
    ItemMarket,
    MarketBook,
    OpenOrder,
    PriceStats,
    SaleOption,
    load_market_book,
)

__all__ = ["MarketReport", "fetch_market_report", "market_tables", "register"]

#: Orders shown per side of the book.
_BOOK_ROWS = 5


@dataclass(frozen=True)
class MarketReport:
    """What ``guildmaster market`` shows: one item's market and the advice for ``quantity``."""

    market: ItemMarket
    stats: PriceStats
    now: datetime
    quantity: int
    sale: SaleOption
    sale_options: tuple[SaleOption, ...]
    purchase: BuyOption
    purchase_options: tuple[BuyOption, ...]
    account: str = ""
    fee_percent: float = GE_LISTING_FEE_PERCENT
    recycle_values: tuple[tuple[str, float | None], ...] = ()

    @classmethod
    def from_book(cls, book: MarketBook, code: str, quantity: int) -> MarketReport:
        """The report of ``code`` in ``book``.

        Raises:
            UnknownMarketItem: if ``code`` is not in the book.
        """
        market = book.market(code)
        return cls(
            market=market,
            stats=book.stats(code),
            now=book.now,
            quantity=quantity,
            sale=book.best_sale(code, quantity),
            sale_options=book.sale_options(code, quantity),
            purchase=book.best_purchase(code, quantity),
            purchase_options=book.purchase_options(code, quantity),
            account=book.account,
            fee_percent=book.fee_percent,
            recycle_values=tuple((c, book.unit_value(c)) for c, _ in market.recipe),
        )

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        m = self.market
        return {
            "item": {
                "code": m.code,
                "name": m.name,
                "level": m.level,
                "tradeable": m.tradeable,
                "recyclable": m.recyclable,
                "recipe": [{"code": c, "quantity": q} for c, q in m.recipe],
                "craft_skill": m.craft_skill or None,
                "craft_level": m.craft_level or None,
            },
            "now": self.now.isoformat(),
            "days": self.stats.days,
            "quantity": self.quantity,
            "listing_fee_percent": self.fee_percent,
            "stats": _plain(self.stats),
            "orders": {
                "sell": [_plain(o) for o in m.sell_orders()],
                "buy": [_plain(o) for o in m.buy_orders()],
            },
            "npcs": [_plain(n) | {"is_on_map": n.is_on_map} for n in m.npcs],
            "recycle_values": {c: v for c, v in self.recycle_values},
            "advice": {
                "sell": {
                    "best": _option(self.sale),
                    "options": [_option(o) for o in self.sale_options],
                },
                "buy": {
                    "best": _option(self.purchase),
                    "options": [_option(o) for o in self.purchase_options],
                },
            },
        }


def _plain(obj: Any) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(obj)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
        elif isinstance(value, tuple):
            data[key] = [list(v) if isinstance(v, tuple) else v for v in value]
    return data


def _option(option: SaleOption | BuyOption) -> dict[str, Any]:
    data = _plain(option)
    data["legs"] = [_plain(leg) for leg in option.legs]
    data["is_immediate"] = option.is_immediate
    return data


async def fetch_market_report(
    server: str,
    token: str,
    code: str,
    *,
    clock: Clock,
    days: float = 7.0,
    quantity: int = 1,
    transport: httpx.AsyncBaseTransport | None = None,
) -> MarketReport:
    """Read ``code``'s market from ``server`` and build the report (own orders excluded).

    Raises:
        NotFound: the server does not know ``code``.
        ArtifactsError: any other API failure (unreachable server, bad token...).
    """
    # A report is not worth a long retry: two attempts, then the user hears about it.
    async with AsyncArtifactsClient(
        server, token, clock=clock, transport=transport, max_attempts=2
    ) as client:
        account = (await client.my_details()).username
        book = await load_market_book(client, [code], clock=clock, days=days, account=account)
    return MarketReport.from_book(book, code, quantity)


def _money(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, int) else f"{value:.2f}".rstrip("0").rstrip(".")


def _history_table(report: MarketReport) -> Table:
    s = report.stats
    table = Table(
        "sales",
        "units",
        "last",
        "median",
        "vw mean",
        "low",
        "high",
        title=f"GE history, last {s.days:g} days",
    )
    last = _money(s.last_price)
    if s.last_sold_at is not None:
        last += f" ({s.last_sold_at:%Y-%m-%d %H:%M})"
    table.add_row(
        str(s.sales),
        str(s.volume),
        last,
        _money(s.median),
        _money(s.mean),
        _money(s.low),
        _money(s.high),
    )
    return table


def _book_table(report: MarketReport) -> Table:
    s = report.stats
    title = (
        f"open orders: best sell {_money(s.best_sell)} ({s.sell_depth} units), "
        f"best buy {_money(s.best_buy)} ({s.buy_depth} units), spread {_money(s.spread)}"
    )
    table = Table("side", "price", "units", "account", "order", title=title)
    mine = report.account

    def add(orders: Sequence[OpenOrder]) -> None:
        for order in orders[:_BOOK_ROWS]:
            who = f"{order.account} (you)" if mine and order.account == mine else order.account
            table.add_row(order.side, str(order.price), str(order.quantity), who, order.id)

    add(report.market.sell_orders())
    add(report.market.buy_orders())
    if not report.market.orders:
        table.add_row("-", "-", "-", "no open orders", "-")
    return table


def _npc_table(report: MarketReport) -> Table:
    table = Table("npc", "type", "sells at", "buys at", "currency", "where", title="NPC offers")
    for npc in report.market.npcs:
        where = ", ".join(f"{t[0]} ({t[1]},{t[2]})" for t in npc.tiles) or "event only"
        table.add_row(
            npc.npc,
            npc.npc_type,
            _money(npc.buy_price),
            _money(npc.sell_price),
            npc.currency,
            where,
        )
    return table


def _advice_table(
    title: str, best: SaleOption | BuyOption, options: Sequence[SaleOption | BuyOption]
) -> Table:
    table = Table("", "venue", "units", "unit price", "total", "reason", title=title)
    # The best option is often one of the single-venue options: show it once.
    rows = [best, *(o for o in options if o.legs != best.legs)]
    for index, option in enumerate(rows):
        units = option.sold if isinstance(option, SaleOption) else option.bought
        total = f"{option.total} {option.currency}" if option.venue != "none" else "-"
        table.add_row(
            "best" if index == 0 else "",
            option.venue,
            str(units),
            _money(option.unit_price),
            total,
            option.reason,
        )
    return table


def market_tables(report: MarketReport) -> Group:
    """The rich rendering: history stats, order book, NPC offers, sell and buy advice."""
    m = report.market
    recipe = ", ".join(f"{q} {c}" for c, q in m.recipe) or "none"
    head = Table.grid(padding=(0, 2))
    head.add_row(
        f"[bold]{m.name or m.code}[/] ({m.code})",
        f"level {m.level}",
        "tradeable" if m.tradeable else "not tradeable",
        "recyclable" if m.recyclable else "not recyclable",
        f"recipe: {recipe}",
    )
    parts: list[Any] = [head, _history_table(report), _book_table(report)]
    if m.npcs:
        parts.append(_npc_table(report))
    q = report.quantity
    parts.append(_advice_table(f"sell {q}", report.sale, report.sale_options))
    parts.append(_advice_table(f"buy {q}", report.purchase, report.purchase_options))
    return Group(*parts)


def register(app: typer.Typer) -> None:
    """Add the ``market`` command to ``app``."""

    @app.command("market")
    def market(
        item: Annotated[str, typer.Option("--item", help="item code")],
        days: Annotated[float, typer.Option("--days", min=0.001, help="history window")] = 7.0,
        quantity: Annotated[
            int, typer.Option("--quantity", min=1, help="units to sell or buy")
        ] = 1,
        server: ServerOption = DEFAULT_SERVER,
        token_file: TokenFileOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON instead")] = False,
    ) -> None:
        """GE price history, open orders, NPC prices and where to sell or buy an item."""
        token = resolve_token(token_file)
        clock = RealClock()
        try:
            report = asyncio.run(
                fetch_market_report(server, token, item, clock=clock, days=days, quantity=quantity)
            )
        except NotFound as exc:
            typer.secho(f"error: unknown item {item!r} on {server}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2) from exc
        except ArtifactsError as exc:
            typer.secho(
                f"error: cannot read the market from {server}: {exc}", fg=typer.colors.RED, err=True
            )
            raise typer.Exit(code=1) from exc
        if as_json:
            typer.echo(json.dumps(report.to_json(), indent=2))
            return
        make_console().print(market_tables(report))
