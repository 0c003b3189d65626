"""Account routes: ``POST /token``, ``POST /accounts/create``, public account views."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from guildmaster.server.auth import parse_basic_auth
from guildmaster.server.deps import AccountsDep, GameDep
from guildmaster.server.errors import NotFound, TokenGenerationFailed
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import PageDep, paginate
from guildmaster.server.routers.common import AccountPath
from guildmaster.server.schemas import AddAccountSchema
from guildmaster.server.state import Account

__all__ = [
    "account_achievements",
    "achievement_points",
    "create_account",
    "generate_token",
    "get_account",
    "get_account_achievements",
    "get_account_characters",
    "router",
]

AchievementType = Literal[
    "combat_kill",
    "combat_drop",
    "combat_level",
    "gathering",
    "crafting",
    "recycling",
    "task",
    "other",
    "use",
    "npc_buy",
    "npc_sell",
]


def account_achievements(game: GameServer, account: Account) -> list[dict[str, Any]]:
    """Every achievement of the world with the account's progress (``AccountAchievementSchema``)."""
    entries = []
    for code, achievement in game.world.achievements.items():
        progress = account.achievements.get(code, {})
        objectives = [
            {
                "type": objective.get("type"),
                "target": objective.get("target"),
                "progress": int(progress.get(str(index), 0)),
                "total": int(objective.get("total", 1)),
            }
            for index, objective in enumerate(achievement.get("objectives") or [])
        ]
        entries.append(
            {
                "name": achievement["name"],
                "code": code,
                "description": achievement.get("description", ""),
                "points": int(achievement.get("points", 0)),
                "objectives": objectives,
                "rewards": achievement.get("rewards") or {"gold": 0, "items": []},
                "completed_at": account.completed_achievements.get(code),
            }
        )
    return entries


def achievement_points(game: GameServer, account: Account) -> int:
    """Points of the account's completed achievements."""
    return sum(
        int(game.world.achievements.get(code, {}).get("points", 0))
        for code in account.completed_achievements
    )


def _account(game: GameServer, name: str) -> Account:
    account = game.state.accounts.get(name)
    if account is None:
        raise NotFound("Account not found.")
    return account


def _public_account(game: GameServer, owner: Account) -> dict[str, Any]:
    """``AccountDetails`` of an account, as anyone may see it."""
    return {
        "username": owner.username,
        "member": True,
        "status": "standard",
        "badges": [],
        "skins": [],
        "achievements_points": achievement_points(game, owner),
        "banned": False,
    }


def _achievements_of(
    game: GameServer, account: str, type: str | None, completed: bool | None
) -> list[dict[str, Any]]:
    owner = _account(game, account)
    return [
        entry
        for entry in account_achievements(game, owner)
        if (type is None or any(o["type"] == type for o in entry["objectives"]))
        and (completed is None or (entry["completed_at"] is not None) == completed)
    ]


router = APIRouter(tags=["accounts"])


@router.post("/token")
async def generate_token(request: Request, accounts: AccountsDep) -> dict[str, Any]:
    """Exchange HTTP basic credentials for a bearer token (455 on failure)."""
    credentials = parse_basic_auth(request.headers.get("authorization"))
    if credentials is None:
        raise TokenGenerationFailed("Token generation failed: basic authentication required.")
    return {"token": accounts.issue_token(*credentials)}


@router.post("/accounts/create")
async def create_account(body: AddAccountSchema, accounts: AccountsDep) -> dict[str, Any]:
    """Register an account (456 username taken, 457 email used)."""
    accounts.create_account(body.username, body.password, body.email)
    return {"message": "Account created successfully."}


@router.get("/accounts/{account}")
async def get_account(account: AccountPath, game: GameDep) -> dict[str, Any]:
    """Public details of an account."""
    return {"data": _public_account(game, _account(game, account))}


@router.get("/accounts/{account}/characters")
async def get_account_characters(account: AccountPath, game: GameDep) -> dict[str, Any]:
    """The characters of an account."""
    _account(game, account)
    now = game.now()
    return {"data": [char.to_schema(now) for char in game.state.characters_of(account)]}


@router.get("/accounts/{account}/achievements")
async def get_account_achievements(
    account: AccountPath,
    game: GameDep,
    page: PageDep,
    type: Annotated[AchievementType | None, Query()] = None,
    completed: Annotated[bool | None, Query()] = None,
) -> dict[str, Any]:
    """An account's achievements with progress (filters: type, completed)."""
    return paginate(_achievements_of(game, account, type, completed), page)
