"""guildmaster.server: the local ArtifactsMMO v8 game server.

Build an app with :func:`create_app` (``ServerSettings`` + a clock) and serve it with uvicorn or
talk to it in process through ``httpx.ASGITransport``.
"""

from __future__ import annotations

from guildmaster.server.app import create_app
from guildmaster.server.errors import GameError
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.settings import BucketLimits, RateLimitSettings, ServerSettings
from guildmaster.server.store import SqliteStore, StoreError
from guildmaster.server.world import World, WorldLoadError, load_world, parse_world

__all__ = [
    "ActionResult",
    "BucketLimits",
    "GameError",
    "GameServer",
    "RateLimitSettings",
    "ServerSettings",
    "SqliteStore",
    "StoreError",
    "World",
    "WorldLoadError",
    "create_app",
    "load_world",
    "parse_world",
]
