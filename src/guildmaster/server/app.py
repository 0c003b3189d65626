"""The FastAPI application factory of the local game server.

``create_app(settings, clock, world=...)`` wires one :class:`GameServer` (``app.state.game``), the
account service, the rate limiter, the event scheduler and the SQLite store, registers every
router and the exception handlers that turn every failure into the API's
``{"error": {"code", "message"}}`` body. There are no import-time singletons.
"""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from guildmaster.clock import Clock
from guildmaster.server.accounts import AccountService
from guildmaster.server.auth import TokenRegistry
from guildmaster.server.errors import GameError, InvalidPayload, error_body
from guildmaster.server.events import scheduler_of
from guildmaster.server.game import GameServer
from guildmaster.server.ratelimit import RateLimiter, RateLimitMiddleware
from guildmaster.server.routers import ROUTERS
from guildmaster.server.settings import ServerSettings
from guildmaster.server.store import SqliteStore
from guildmaster.server.world import World, load_world

__all__ = ["create_app"]

logger = logging.getLogger(__name__)


def _validation_data(exc: RequestValidationError) -> dict[str, Any]:
    """``{field: [messages]}`` of a validation error (the spec's ``error.data``)."""
    data: dict[str, list[str]] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        data.setdefault(".".join(loc) or "body", []).append(str(error.get("msg", "invalid")))
    return data


async def _game_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GameError)
    return JSONResponse(exc.body(), status_code=exc.code)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    error = InvalidPayload("Invalid payload.", data=_validation_data(exc))
    return JSONResponse(error.body(), status_code=error.code)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI answers 400 for a body it cannot decode (bytes that are not UTF-8 JSON); the
        # API documents every invalid payload as 422.
        error = InvalidPayload("Invalid payload.", data={"body": [str(exc.detail)]})
        return JSONResponse(error.body(), status_code=error.code)
    message = "Not found." if exc.status_code == 404 else str(exc.detail)
    return JSONResponse(
        error_body(exc.status_code, message), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body(500, "Internal server error."), status_code=500)


def create_app(settings: ServerSettings, clock: Clock, *, world: World | None = None) -> FastAPI:
    """Build the server app for ``settings`` on ``clock`` (``world`` overrides ``settings.world``).

    Raises:
        WorldLoadError: if the world cannot be loaded.
        StoreError: if the database is corrupt or from another format.
    """
    if world is None:
        world = load_world(settings.world)
    game = GameServer(
        world=world, clock=clock, rules=settings.rules, rng=random.Random(settings.seed)
    )
    tokens = TokenRegistry()
    if settings.db_path is not None:
        store = SqliteStore(settings.db_path)
        store.load(game, tokens)
        store.tokens = tokens
        game.store = store
    accounts = AccountService(game, tokens, settings)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if isinstance(game.store, SqliteStore):
            game.store.close()
            logger.info("game database closed")

    app = FastAPI(
        title="guildmaster local ArtifactsMMO server",
        version=settings.version,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.game = game
    app.state.settings = settings
    app.state.accounts = accounts
    app.state.tokens = tokens
    app.state.limiter = RateLimiter(settings.rate_limits, clock, resolve_token=accounts.account_of)
    app.state.simulation_rng = random.Random(settings.seed + 1)
    if settings.events is not None:
        scheduler_of(game, settings.events)

    app.add_exception_handler(GameError, _game_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_middleware(RateLimitMiddleware, limiter=app.state.limiter)

    for router in ROUTERS:
        # Shared, not copied by include_router: building a route analyses its signature with
        # pydantic (a few ms each), and routes hold no per-app state (handlers reach the game
        # through the dependencies on app.state), so every app can serve the same route objects.
        app.router.routes.extend(router.routes)
    logger.info("server app ready: %d items, %d maps", len(world.items), len(world.maps.tiles))
    return app
