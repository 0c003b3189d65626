"""The server package's public surface: explicit, sorted, complete ``__all__`` lists."""

from __future__ import annotations

import importlib
import inspect

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from server_fixtures import fixture_settings, world_data

from guildmaster.clock import VirtualClock
from guildmaster.server.actions.tasks import TaskSettings
from guildmaster.server.app import create_app
from guildmaster.server.events import EventSettings, scheduler_of
from guildmaster.server.world import parse_world

MODULES = [
    "guildmaster.server",
    "guildmaster.server.app",
    "guildmaster.server.accounts",
    "guildmaster.server.auth",
    "guildmaster.server.deps",
    "guildmaster.server.loadtest",
    "guildmaster.server.pagination",
    "guildmaster.server.ratelimit",
    "guildmaster.server.schemas",
    "guildmaster.server.settings",
    "guildmaster.server.store",
    "guildmaster.server.routers",
    "guildmaster.server.routers.accounts",
    "guildmaster.server.routers.catalogue",
    "guildmaster.server.routers.characters",
    "guildmaster.server.routers.extras",
    "guildmaster.server.routers.maps",
    "guildmaster.server.routers.market",
    "guildmaster.server.routers.my",
    "guildmaster.server.routers.simulation",
]


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.{symbol}"


def test_package_reexports_the_factory() -> None:
    server = importlib.import_module("guildmaster.server")
    from guildmaster.server.app import create_app

    assert server.create_app is create_app


def _sync_calls(dependant: Dependant) -> list[str]:
    found = []
    for sub in dependant.dependencies:
        call = sub.call
        if call is not None and not inspect.iscoroutinefunction(call):
            found.append(getattr(call, "__name__", repr(call)))
        found.extend(_sync_calls(sub))
    return found


def test_every_route_and_dependency_is_async(app: FastAPI) -> None:
    """Sync routes or dependencies would run in threads, which break virtual time."""
    routes = [route for route in app.routes if isinstance(route, APIRoute)]
    assert len(routes) > 40
    for route in routes:
        assert inspect.iscoroutinefunction(route.endpoint), route.path
        assert _sync_calls(route.dependant) == [], route.path


async def test_settings_reach_the_event_scheduler_and_task_routes(clock: VirtualClock) -> None:
    events = EventSettings(enabled=False, max_active=1)
    tasks = TaskSettings(cancel_cost=4)
    settings = fixture_settings(events=events, tasks=tasks)
    app = create_app(settings, clock, world=parse_world(world_data()))
    assert scheduler_of(app.state.game).settings is events
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert (await http.get("/events/active")).json()["total"] == 0
        clock.advance(30 * 24 * 3600)
        assert (await http.get("/events/active")).json()["total"] == 0
    paths = {route.path for route in app.routes if isinstance(route, APIRoute)}
    assert "/my/{name}/action/task/cancel" in paths
