"""Character routes: create, delete, public view, and the account's own list."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter

from guildmaster.server.deps import AccountDep, AccountsDep, GameDep
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import PageDep, paginate
from guildmaster.server.routers.common import CodePath
from guildmaster.server.schemas import AddCharacterSchema, DeleteCharacterSchema

__all__ = [
    "active_characters",
    "character_stats",
    "create_character",
    "delete_character",
    "get_character",
    "my_characters",
    "router",
]


def _active_rows(game: GameServer) -> list[dict[str, Any]]:
    """``ActiveCharacterSchema`` of every character."""
    return [
        {
            "name": char.name,
            "account": char.account,
            "skin": char.skin,
            "x": char.x,
            "y": char.y,
            "layer": char.layer,
            "map_id": char.map_id,
        }
        for char in game.state.characters.values()
    ]


def _stats(game: GameServer, name: str) -> dict[str, Any]:
    """A character's counters (404 if unknown)."""
    char = game.character(name)
    counts = Counter(entry.type for entry in game.state.logs if entry.character == name)
    return {
        "monsters_killed": {},
        "resources_gathered": {},
        "action_counts": dict(sorted(counts.items())),
        "deaths": char.deaths,
    }


router = APIRouter(tags=["characters"])


@router.post("/characters/create")
async def create_character(
    body: AddCharacterSchema, account: AccountDep, accounts: AccountsDep, game: GameDep
) -> dict[str, Any]:
    """Create a character (494 name taken, 495 max characters, 550 bad skin)."""
    char = accounts.create_character(account, body.name, body.skin)
    return {"data": char.to_schema(game.now())}


@router.post("/characters/delete")
async def delete_character(
    body: DeleteCharacterSchema, account: AccountDep, accounts: AccountsDep, game: GameDep
) -> dict[str, Any]:
    """Delete one of your characters (498 if it is not yours)."""
    char = accounts.delete_character(account, body.name)
    return {"data": char.to_schema(game.now())}


@router.get("/characters/active")
async def active_characters(game: GameDep, page: PageDep) -> dict[str, Any]:
    """Every character with its position (``ActiveCharacterSchema``)."""
    return paginate(_active_rows(game), page)


@router.get("/characters/{name}/stats")
async def character_stats(name: CodePath, game: GameDep) -> dict[str, Any]:
    """Counters of a character: action counts by log type, deaths (404 if unknown)."""
    return {"data": _stats(game, name)}


@router.get("/characters/{name}")
async def get_character(name: CodePath, game: GameDep) -> dict[str, Any]:
    """A character's public state (404 if unknown)."""
    return {"data": game.character(name).to_schema(game.now())}


@router.get("/my/characters")
async def my_characters(account: AccountDep, game: GameDep) -> dict[str, Any]:
    """Your characters."""
    now = game.now()
    return {"data": [char.to_schema(now) for char in game.state.characters_of(account)]}
