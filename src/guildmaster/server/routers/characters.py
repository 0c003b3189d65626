"""Character routes: create, delete, public view, and the account's own list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guildmaster.server.deps import AccountDep, AccountsDep, GameDep
from guildmaster.server.routers.common import CodePath
from guildmaster.server.schemas import AddCharacterSchema, DeleteCharacterSchema

__all__ = ["build_router"]


def build_router() -> APIRouter:
    """Routes of character management and character views."""
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

    @router.get("/characters/{name}")
    async def get_character(name: CodePath, game: GameDep) -> dict[str, Any]:
        """A character's public state (404 if unknown)."""
        return {"data": game.character(name).to_schema(game.now())}

    @router.get("/my/characters")
    async def my_characters(account: AccountDep, game: GameDep) -> dict[str, Any]:
        """Your characters."""
        now = game.now()
        return {"data": [char.to_schema(now) for char in game.state.characters_of(account)]}

    return router
