"""``GET /``: server status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from guildmaster.server.deps import GameDep, SettingsDep

__all__ = ["build_router"]


def build_router() -> APIRouter:
    """The status route."""
    router = APIRouter(tags=["server"])

    @router.get("/")
    async def get_status(request: Request, game: GameDep, settings: SettingsDep) -> dict[str, Any]:
        """Version, time, level caps, online characters and the configured rate limits."""
        rate_limits = []
        if settings.rate_limits.enabled:
            for bucket, limits in settings.rate_limits.buckets.items():
                for window, limit in limits.limits().items():
                    rate_limits.append({"type": bucket, "value": f"{limit}/{window}"})
        return {
            "data": {
                "version": settings.version,
                "server_time": game.now_iso(),
                "max_level": game.rules.max_level,
                "max_skill_level": game.rules.max_level,
                "characters_online": len(game.state.characters),
                "rate_limits": rate_limits,
            }
        }

    return router
