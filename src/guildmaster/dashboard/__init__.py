"""guildmaster.dashboard: the web UI served by the player process.

``create_dashboard_app(source)`` builds the FastAPI app (page, JSON status, Server-Sent Events,
coordinator switches, Prometheus metrics) over a :class:`DashboardSource`; :class:`LiveSource`
is the source of a running team; :func:`dashboard_server` / :func:`serve_dashboard` serve it with
uvicorn in the current event loop.
"""

from __future__ import annotations

from guildmaster.dashboard.app import (
    DashboardError,
    DashboardState,
    PlanRequest,
    SwitchRequest,
    create_dashboard_app,
)
from guildmaster.dashboard.prom import TeamCollector, metrics_registry, render_metrics
from guildmaster.dashboard.serve import (
    bind_socket,
    dashboard_server,
    serve_app,
    serve_dashboard,
    socket_url,
)
from guildmaster.dashboard.snapshot import (
    StatusHistory,
    build_snapshot,
    character_view,
    cooldown_left,
    coordinator_view,
    team_totals,
)
from guildmaster.dashboard.source import (
    DETAIL_FIELDS,
    CoordinatorControl,
    DashboardEvent,
    DashboardSource,
    EventLog,
    EventRecorder,
    LiveSource,
)

__all__ = [
    "DETAIL_FIELDS",
    "CoordinatorControl",
    "DashboardError",
    "DashboardEvent",
    "DashboardSource",
    "DashboardState",
    "EventLog",
    "EventRecorder",
    "LiveSource",
    "PlanRequest",
    "StatusHistory",
    "SwitchRequest",
    "TeamCollector",
    "bind_socket",
    "build_snapshot",
    "character_view",
    "cooldown_left",
    "coordinator_view",
    "create_dashboard_app",
    "dashboard_server",
    "metrics_registry",
    "render_metrics",
    "serve_app",
    "serve_dashboard",
    "socket_url",
    "team_totals",
]
