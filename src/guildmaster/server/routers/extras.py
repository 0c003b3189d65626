"""Server status (``GET /``) and the catalogues a local server keeps trivial (skins, raids)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guildmaster.server.deps import GameDep, SettingsDep
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import StaticPageDep, paginate
from guildmaster.server.routers.common import CodePath, NameQuery
from guildmaster.server.settings import ServerSettings

__all__ = [
    "get_badge",
    "get_badges",
    "get_raid",
    "get_raids",
    "get_skin",
    "get_skins",
    "get_status",
    "router",
    "skin_entries",
]


def skin_entries(settings: ServerSettings) -> list[dict[str, Any]]:
    """``SkinSchema`` of every skin a character may be created with."""
    return [
        {
            "code": code,
            "name": code.capitalize(),
            "description": "A default skin.",
            "default": True,
            "price": None,
        }
        for code in settings.skins
    ]


def _status(game: GameServer, settings: ServerSettings) -> dict[str, Any]:
    """``StatusSchema``: version, time, level caps, online characters, configured rate limits."""
    rate_limits = []
    if settings.rate_limits.enabled:
        for bucket, limits in settings.rate_limits.buckets.items():
            for window, limit in limits.limits().items():
                rate_limits.append({"type": bucket, "value": f"{limit}/{window}"})
    return {
        "version": settings.version,
        "server_time": game.now_iso(),
        "max_level": game.rules.max_level,
        "max_skill_level": game.rules.max_level,
        "characters_online": len(game.state.characters),
        "rate_limits": rate_limits,
    }


def _skin(settings: ServerSettings, code: str) -> dict[str, Any]:
    for skin in skin_entries(settings):
        if skin["code"] == code:
            return skin
    raise NotFound("Skin not found.")


router = APIRouter(tags=["server"])


@router.get("/")
async def get_status(game: GameDep, settings: SettingsDep) -> dict[str, Any]:
    """Version, time, level caps, online characters and the configured rate limits."""
    return {"data": _status(game, settings)}


@router.get("/skins")
async def get_skins(settings: SettingsDep, page: StaticPageDep) -> dict[str, Any]:
    """The skins new characters may use."""
    return paginate(skin_entries(settings), page)


@router.get("/skins/{code}")
async def get_skin(code: CodePath, settings: SettingsDep) -> dict[str, Any]:
    """One skin (404 if unknown)."""
    return {"data": _skin(settings, code)}


@router.get("/badges")
async def get_badges(page: StaticPageDep) -> dict[str, Any]:
    """Badges (none on a local server)."""
    return paginate([], page)


@router.get("/badges/{code}")
async def get_badge(code: CodePath) -> dict[str, Any]:
    """A badge: always 404 on a local server."""
    raise NotFound("Badge not found.")


@router.get("/raids")
async def get_raids(
    page: StaticPageDep,
    name: NameQuery = None,
    active: Annotated[bool | None, Query()] = None,
) -> dict[str, Any]:
    """Raids (none in local worlds; the spec's filters are still validated)."""
    return paginate([], page)


@router.get("/raids/{code}")
async def get_raid(code: CodePath) -> dict[str, Any]:
    """A raid: always 404 in local worlds."""
    raise NotFound("Raid not found.")
