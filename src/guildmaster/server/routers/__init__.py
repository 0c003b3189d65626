"""HTTP routers of the local server, one module per endpoint group (actions live apart)."""

from __future__ import annotations

from fastapi import APIRouter

from guildmaster.server.routers import (
    accounts,
    catalogue,
    characters,
    maps,
    market,
    my,
    simulation,
    status,
)

__all__ = ["build_routers"]


def build_routers() -> list[APIRouter]:
    """Fresh routers of every core endpoint group (the action router is added by ``create_app``)."""
    return [
        status.build_router(),
        accounts.build_router(),
        characters.build_router(),
        my.build_router(),
        catalogue.build_router(),
        maps.build_router(),
        market.build_router(),
        simulation.build_router(),
    ]
