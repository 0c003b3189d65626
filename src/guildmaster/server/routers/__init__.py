"""HTTP routers of the local server: one module-level ``router`` per endpoint group.

Handlers only parse the request, call a service or a query and return the response body; they
reach the game through the ``Annotated`` dependencies of :mod:`guildmaster.server.deps`, which
read ``app.state``. :data:`ROUTERS` lists the groups in the order ``create_app`` registers them
(the order decides which of two matching paths wins).
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter

from guildmaster.server.routers import (
    accounts,
    actions,
    catalogue,
    characters,
    extras,
    maps,
    market,
    my,
    simulation,
)

__all__ = ["ROUTERS"]

ROUTERS: Final[tuple[APIRouter, ...]] = (
    extras.router,
    accounts.router,
    characters.router,
    my.router,
    catalogue.router,
    maps.router,
    market.router,
    simulation.router,
    actions.router,
)
