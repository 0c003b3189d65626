"""``/my/*`` read routes: account details, rate limits, bank, logs, GE orders, pending items."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from guildmaster.server.deps import AccountDep, GameDep, LimiterDep
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import PageDep, paginate
from guildmaster.server.routers.accounts import achievement_points
from guildmaster.server.routers.common import CodePath, CodeQuery
from guildmaster.server.state import BankState

__all__ = [
    "my_bank",
    "my_bank_items",
    "my_character_logs",
    "my_details",
    "my_history",
    "my_logs",
    "my_orders",
    "my_pending_items",
    "my_rates",
    "order_schema",
    "router",
]


def order_schema(record: dict[str, Any]) -> dict[str, Any]:
    """``GEOrderSchema`` of a stored order record."""
    return {
        "id": record["id"],
        "type": record["type"],
        "account": record.get("account"),
        "code": record["code"],
        "quantity": record["quantity"],
        "price": record["price"],
        "created_at": record["created_at"],
    }


def _bank(game: GameServer, account: str) -> BankState:
    bank = game.state.banks.get(account)
    if bank is None:
        raise NotFound("Bank not found.")
    return bank


def _newest_first(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(reversed(entries))


def _account_details(game: GameServer, account: str) -> dict[str, Any]:
    """``MyAccountDetails`` of the account."""
    owner = game.state.accounts[account]
    return {
        "username": owner.username,
        "email": owner.email,
        "member": True,
        "member_expiration": None,
        "status": "standard",
        "badges": [],
        "skins": [],
        "gems": 0,
        "member_token": 0,
        "achievements_points": achievement_points(game, owner),
        "banned": False,
    }


def _bank_items(game: GameServer, account: str, item_code: str | None) -> list[dict[str, Any]]:
    items = _bank(game, account).item_list()
    if item_code is not None:
        items = [item for item in items if item["code"] == item_code]
    return items


def _orders(
    game: GameServer, account: str, code: str | None, type: str | None
) -> list[dict[str, Any]]:
    return [
        order_schema(order.to_record())
        for order in game.state.ge_orders.values()
        if order.account == account
        and (code is None or order.code == code)
        and (type is None or order.type == type)
    ]


def _history(
    game: GameServer, account: str, id: str | None, code: str | None
) -> list[dict[str, Any]]:
    entries = [
        entry
        for entry in game.state.ge_history
        if account in (entry.get("seller"), entry.get("buyer"))
        and (id is None or entry.get("order_id") == id)
        and (code is None or entry.get("code") == code)
    ]
    return _newest_first(entries)


def _pending_items(game: GameServer, account: str) -> list[dict[str, Any]]:
    return [
        item.to_record()
        for item in game.state.pending_items.values()
        if item.account == account and item.claimed_at is None
    ]


router = APIRouter(prefix="/my", tags=["my account"])


@router.get("/details")
async def my_details(account: AccountDep, game: GameDep) -> dict[str, Any]:
    """Your account details."""
    return {"data": _account_details(game, account)}


@router.get("/rates")
async def my_rates(request: Request, account: AccountDep, limiter: LimiterDep) -> dict[str, Any]:
    """Your live rate-limit windows (``RateLimitsDataSchema``)."""
    client = request.client
    key = limiter.key_for(request.headers.get("authorization"), client.host if client else None)
    return {"data": limiter.report(key)}


@router.get("/bank")
async def my_bank(account: AccountDep, game: GameDep) -> dict[str, Any]:
    """Your bank's slots, expansions and gold."""
    return {"data": _bank(game, account).details()}


@router.get("/bank/items")
async def my_bank_items(
    account: AccountDep, game: GameDep, page: PageDep, item_code: CodeQuery = None
) -> dict[str, Any]:
    """Items in your bank (filter: item_code)."""
    return paginate(_bank_items(game, account, item_code), page)


@router.get("/logs")
async def my_logs(account: AccountDep, game: GameDep, page: PageDep) -> dict[str, Any]:
    """Your characters' action logs, newest first."""
    logs = [e.to_record() for e in game.state.logs if e.account == account]
    return paginate(_newest_first(logs), page)


@router.get("/logs/{name}")
async def my_character_logs(
    name: CodePath, account: AccountDep, game: GameDep, page: PageDep
) -> dict[str, Any]:
    """One of your characters' action logs, newest first (498 if not yours)."""
    game.owned_character(account, name)
    logs = [e.to_record() for e in game.state.logs if e.character == name]
    return paginate(_newest_first(logs), page)


@router.get("/grandexchange/orders")
async def my_orders(
    account: AccountDep,
    game: GameDep,
    page: PageDep,
    code: CodeQuery = None,
    type: Annotated[Literal["sell", "buy"] | None, Query()] = None,
) -> dict[str, Any]:
    """Your open GE orders (filters: code, type)."""
    return paginate(_orders(game, account, code, type), page)


@router.get("/grandexchange/history")
async def my_history(
    account: AccountDep,
    game: GameDep,
    page: PageDep,
    id: CodeQuery = None,
    code: CodeQuery = None,
) -> dict[str, Any]:
    """Your GE sales and purchases, newest first (filters: id, code)."""
    return paginate(_history(game, account, id, code), page)


@router.get("/pending_items")
async def my_pending_items(account: AccountDep, game: GameDep, page: PageDep) -> dict[str, Any]:
    """Items and gold waiting to be claimed."""
    return paginate(_pending_items(game, account), page)
