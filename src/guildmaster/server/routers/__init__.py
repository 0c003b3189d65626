"""HTTP routers of the local server, one module per endpoint group (actions live apart)."""

from __future__ import annotations

import functools

from fastapi import APIRouter
from starlette.routing import BaseRoute

from guildmaster.server.routers import (
    accounts,
    catalogue,
    characters,
    extras,
    maps,
    market,
    my,
    simulation,
)

__all__ = ["build_routers", "core_routes"]


def build_routers() -> list[APIRouter]:
    """Fresh routers of every core endpoint group (the action router is added by ``create_app``)."""
    return [
        extras.router,
        accounts.router,
        characters.router,
        my.router,
        catalogue.router,
        maps.router,
        market.router,
        simulation.router,
    ]


@functools.cache
def core_routes() -> tuple[BaseRoute, ...]:
    """The routes of :func:`build_routers`, built once per process.

    Building a FastAPI route analyses its signature with pydantic (a few ms each); routes hold no
    per-app state (they reach the game through ``request.app.state``), so every app shares them.
    """
    return tuple(route for router in build_routers() for route in router.routes)
