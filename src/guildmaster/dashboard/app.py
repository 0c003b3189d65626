"""The dashboard web app: ``create_dashboard_app(source)``.

Routes (thin: parse, call the source or the coordinator, answer JSON):

* ``GET /``: the page (HTML + CSS + vanilla JS shipped in ``dashboard/static``; no CDN).
* ``GET /api/status``: one snapshot (:func:`~guildmaster.dashboard.snapshot.build_snapshot`).
* ``GET /api/events``: Server-Sent Events, a snapshot every ``interval`` seconds (``limit``
  ends the stream after that many; streams end when the app is closing).
* ``POST /api/coordinator`` ``{"enabled": bool}``: switch the coordinator on or off.
* ``POST /api/coordinator/plan`` ``{"skill": s, "recipe": r?}`` or ``{"auto": true}``.
* ``GET /metrics``: Prometheus exposition (:mod:`guildmaster.dashboard.prom`).

Errors are JSON ``{"error": message}``: 422 for a malformed body or an impossible plan (nothing
changes), 409 for coordinator routes when the team has no coordinator.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry
from pydantic import BaseModel, ConfigDict, StrictBool, field_validator, model_validator

from guildmaster.clock import Clock, RealClock
from guildmaster.dashboard.prom import metrics_registry, render_metrics
from guildmaster.dashboard.snapshot import StatusHistory, build_snapshot, coordinator_view
from guildmaster.dashboard.source import CoordinatorControl, DashboardSource
from guildmaster.planning.domains.state import SKILLS

__all__ = [
    "DashboardError",
    "DashboardState",
    "PlanRequest",
    "SwitchRequest",
    "create_dashboard_app",
]

logger = logging.getLogger(__name__)

_STATIC = ("index.html", "dashboard.css", "dashboard.js")
_MEDIA = {"html": "text/html", "css": "text/css", "js": "text/javascript"}


class DashboardError(Exception):
    """A request the dashboard refuses: answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SwitchRequest(BaseModel):
    """Body of ``POST /api/coordinator``."""

    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool


class PlanRequest(BaseModel):
    """Body of ``POST /api/coordinator/plan``: a manual plan, or back to automatic."""

    model_config = ConfigDict(extra="forbid")

    skill: str | None = None
    recipe: str | None = None
    auto: Literal[True] | None = None

    @field_validator("skill")
    @classmethod
    def _known_skill(cls, value: str | None) -> str | None:
        if value is not None and value not in SKILLS:
            raise ValueError(f"unknown skill {value!r} (one of {', '.join(SKILLS)})")
        return value

    @model_validator(mode="after")
    def _one_mode(self) -> PlanRequest:
        if self.auto and (self.skill is not None or self.recipe is not None):
            raise ValueError("give either {auto: true} or {skill, recipe?}, not both")
        if not self.auto and self.skill is None:
            raise ValueError("give a skill (and optionally a recipe) or {auto: true}")
        if self.recipe is not None and not self.recipe.strip():
            raise ValueError("recipe must not be empty")
        return self


@dataclass
class DashboardState:
    """What one dashboard app holds: its source, clock, level history, pages, metrics registry
    and closing flag."""

    source: DashboardSource
    clock: Clock
    history: StatusHistory
    pages: Mapping[str, str]
    registry: CollectorRegistry
    stream_interval: float = 2.0
    closing: asyncio.Event = field(default_factory=asyncio.Event)

    def snapshot(self) -> dict[str, Any]:
        """The status snapshot now (and a history point when one is due)."""
        return build_snapshot(self.source, now=self.clock.now(), history=self.history)

    def sample(self, *_: Any) -> None:
        """Record a history point (usable as the team's ``on_status`` callback)."""
        self.snapshot()

    def coordinator(self) -> CoordinatorControl:
        """The coordinator.

        Raises:
            DashboardError: (409) the team plays without a coordinator.
        """
        coordinator = self.source.coordinator()
        if coordinator is None:
            raise DashboardError(409, "this team plays without a coordinator")
        return coordinator


def _static(name: str) -> str:
    return resources.files("guildmaster.dashboard").joinpath("static", name).read_text("utf-8")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return "; ".join(parts) or "invalid request"


def create_dashboard_app(
    source: DashboardSource,
    *,
    clock: Clock | None = None,
    stream_interval: float = 2.0,
    history_every: float = 5.0,
) -> FastAPI:
    """The dashboard app reading ``source`` (time from ``clock``, wall time by default).

    ``stream_interval``: seconds between two snapshots of ``GET /api/events``;
    ``history_every``: the smallest spacing of the chart's points.

    Raises:
        ValueError: if ``stream_interval`` or ``history_every`` is not positive.
    """
    if stream_interval <= 0 or history_every <= 0:
        raise ValueError("stream_interval and history_every must be positive")
    clock = clock or RealClock()
    state = DashboardState(
        source=source,
        clock=clock,
        history=StatusHistory(every=history_every),
        pages={name: _static(name) for name in _STATIC},
        registry=metrics_registry(source, clock),
        stream_interval=stream_interval,
    )
    app = FastAPI(title="guildmaster dashboard", docs_url=None, redoc_url=None)
    app.state.dashboard = state
    app.state.closing = state.closing
    app.exception_handler(DashboardError)(_refused)
    app.exception_handler(RequestValidationError)(_invalid)
    app.include_router(_router)
    return app


async def _refused(_: Request, exc: DashboardError) -> JSONResponse:
    return JSONResponse({"error": exc.message}, status_code=exc.status)


async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"error": _validation_message(exc)}, status_code=422)


def _dashboard(request: Request) -> DashboardState:
    state: DashboardState = request.app.state.dashboard
    return state


#: The app's :class:`DashboardState`, as a route dependency.
_DashboardDep = Annotated[DashboardState, Depends(_dashboard)]

_router = APIRouter()


@_router.get("/", response_class=HTMLResponse, name="page")
async def _page(state: _DashboardDep) -> HTMLResponse:
    return HTMLResponse(state.pages["index.html"])


@_router.get("/static/{name}", name="static")
async def _static_file(name: str, state: _DashboardDep) -> Response:
    if name not in state.pages:
        raise DashboardError(404, f"no such file: {name}")
    media = _MEDIA[name.rsplit(".", 1)[-1]]
    return Response(state.pages[name], media_type=f"{media}; charset=utf-8")


@_router.get("/api/status", name="status")
async def _status(state: _DashboardDep) -> dict[str, Any]:
    return state.snapshot()


@_router.get("/api/events", name="events")
async def _events(
    request: Request,
    state: _DashboardDep,
    interval: Annotated[float | None, Query(gt=0, le=300)] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> StreamingResponse:
    every = interval if interval is not None else state.stream_interval
    return StreamingResponse(
        _stream(state, request, every, limit),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@_router.post("/api/coordinator", name="switch")
async def _switch(body: SwitchRequest, state: _DashboardDep) -> dict[str, Any]:
    coordinator = state.coordinator()
    coordinator.enabled = body.enabled
    logger.info("dashboard: coordinator %s", "on" if body.enabled else "off")
    return coordinator_view(coordinator)


@_router.post("/api/coordinator/plan", name="plan")
async def _plan(body: PlanRequest, state: _DashboardDep) -> dict[str, Any]:
    coordinator = state.coordinator()
    if body.auto:
        coordinator.set_auto()
        logger.info("dashboard: coordinator back to automatic plans")
    else:
        skill = str(body.skill)
        recipe = body.recipe.strip() if body.recipe is not None else None
        try:
            coordinator.set_manual(skill, recipe)
        except (ValueError, KeyError) as exc:
            raise DashboardError(422, f"cannot plan {skill} ({recipe or 'best'}): {exc}") from exc
        logger.info("dashboard: manual plan %s %s", skill, recipe or "(best recipe)")
    return coordinator_view(coordinator)


@_router.get("/metrics", name="metrics")
async def _metrics(state: _DashboardDep) -> Response:
    return Response(render_metrics(state.registry), media_type=CONTENT_TYPE_LATEST)


async def _stream(
    state: DashboardState, request: Request, every: float, limit: int | None
) -> AsyncIterator[str]:
    """Snapshots as SSE ``data:`` frames until ``limit``, a disconnect or the app closing."""
    sent = 0
    while True:
        yield f"data: {json.dumps(state.snapshot(), separators=(',', ':'))}\n\n"
        sent += 1
        if (limit is not None and sent >= limit) or state.closing.is_set():
            return
        await state.clock.sleep_or(every, state.closing)
        if state.closing.is_set() or await request.is_disconnected():
            return
