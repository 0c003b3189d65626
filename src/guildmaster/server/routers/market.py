"""Grand Exchange read routes and the leaderboards."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from guildmaster.server.deps import GameDep
from guildmaster.server.engine.xp import SKILLS, max_xp
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import PageDep, paginate
from guildmaster.server.routers.accounts import achievement_points
from guildmaster.server.routers.common import CodePath, CodeQuery, ItemType, NameQuery
from guildmaster.server.routers.my import order_schema
from guildmaster.server.state import Character

__all__ = [
    "account_leaderboard",
    "character_leaderboard",
    "get_history",
    "get_order",
    "get_orders",
    "router",
    "total_xp",
]

CharacterSort = Literal[
    "combat",
    "woodcutting",
    "mining",
    "fishing",
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "alchemy",
]
AccountSort = Literal["achievements_points", "gold"]


def total_xp(level: int, xp: int) -> int:
    """Cumulative XP of a level and the XP into it.

    >>> total_xp(1, 0)
    0
    """
    return sum(max_xp(lower) for lower in range(1, level)) + xp


def _leader_row(char: Character) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": char.name,
        "account": char.account,
        "member": True,
        "skin": char.skin,
        "level": char.level,
        "total_xp": total_xp(char.level, char.xp),
    }
    for skill in SKILLS:
        level, xp = char.skills[skill]
        row[f"{skill}_level"] = level
        row[f"{skill}_total_xp"] = total_xp(level, xp)
    row["gold"] = char.gold
    return row


def _account_gold(game: GameServer, account: str) -> int:
    bank = game.state.banks.get(account)
    return (bank.gold if bank else 0) + sum(c.gold for c in game.state.characters_of(account))


def _orders(
    game: GameServer,
    code: str | None,
    account: str | None,
    type: str | None,
    item_type: str | None,
) -> list[dict[str, Any]]:
    orders = []
    for order in game.state.ge_orders.values():
        item = game.world.items.get(order.code) or {}
        if (
            (code is None or order.code == code)
            and (account is None or order.account == account)
            and (type is None or order.type == type)
            and (item_type is None or item.get("type") == item_type)
        ):
            orders.append(order_schema(order.to_record()))
    return orders


def _order(game: GameServer, id: str) -> dict[str, Any]:
    order = game.state.ge_orders.get(id)
    if order is None:
        raise NotFound("Order not found.")
    return order_schema(order.to_record())


def _history(game: GameServer, code: str, account: str | None) -> list[dict[str, Any]]:
    if code not in game.world.items:
        raise NotFound("Item not found.")
    return [
        entry
        for entry in reversed(game.state.ge_history)
        if entry.get("code") == code
        and (account is None or account in (entry.get("seller"), entry.get("buyer")))
    ]


def _character_ranking(
    game: GameServer, sort: str | None, name: str | None
) -> list[dict[str, Any]]:
    key = "total_xp" if sort in (None, "combat") else f"{sort}_total_xp"
    rows = sorted(
        (_leader_row(char) for char in game.state.characters.values()),
        key=lambda row: (-int(row[key]), str(row["name"])),
    )
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    if name is not None:
        rows = [row for row in rows if name.strip().lower() in str(row["name"]).lower()]
    return rows


def _account_ranking(game: GameServer, sort: str | None, name: str | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "account": account.username,
            "member": True,
            "achievements_points": achievement_points(game, account),
            "completed_at": None,
            "gold": _account_gold(game, account.username),
        }
        for account in game.state.accounts.values()
    ]
    key = sort or "achievements_points"
    rows.sort(key=lambda row: (-int(row[key]), str(row["account"])))
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    if name is not None:
        rows = [row for row in rows if name.strip().lower() in str(row["account"]).lower()]
    return rows


router = APIRouter(tags=["grand exchange"])


@router.get("/grandexchange/orders")
async def get_orders(
    game: GameDep,
    page: PageDep,
    code: CodeQuery = None,
    account: CodeQuery = None,
    type: Annotated[Literal["sell", "buy"] | None, Query()] = None,
    item_type: Annotated[ItemType | None, Query()] = None,
) -> dict[str, Any]:
    """Open GE orders (filters: code, account, type, item type)."""
    return paginate(_orders(game, code, account, type, item_type), page)


@router.get("/grandexchange/orders/{id}")
async def get_order(id: CodePath, game: GameDep) -> dict[str, Any]:
    """One open GE order (404 if unknown)."""
    return {"data": _order(game, id)}


@router.get("/grandexchange/history/{code}")
async def get_history(
    code: CodePath, game: GameDep, page: PageDep, account: CodeQuery = None
) -> dict[str, Any]:
    """Sales of one item, newest first (filter: seller or buyer account)."""
    return paginate(_history(game, code, account), page)


@router.get("/leaderboard/characters")
async def character_leaderboard(
    game: GameDep,
    page: PageDep,
    sort: Annotated[CharacterSort | None, Query()] = None,
    name: NameQuery = None,
) -> dict[str, Any]:
    """Characters ranked by combat or a skill's total XP."""
    return paginate(_character_ranking(game, sort, name), page)


@router.get("/leaderboard/accounts")
async def account_leaderboard(
    game: GameDep,
    page: PageDep,
    sort: Annotated[AccountSort | None, Query()] = None,
    name: NameQuery = None,
) -> dict[str, Any]:
    """Accounts ranked by achievement points or gold."""
    return paginate(_account_ranking(game, sort, name), page)
