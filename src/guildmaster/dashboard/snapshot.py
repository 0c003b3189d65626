"""The dashboard's JSON: one snapshot of the team, its coordinator and recent events.

Whatever the agents report (their ``status()`` dicts differ in what they carry) is normalised to
one shape per character, so the page and the metrics never guess: ``name, level, xp, max_xp, hp,
max_hp, skills {8 skills}, goal, action, cooldown (seconds left), cooldown_expiration, position
{x, y, layer} | None, gold, task {code, type, progress, total} | None, deaths, errors,
restarts``. :class:`StatusHistory` keeps the team's levels over time for the page's chart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from guildmaster.dashboard.source import CoordinatorControl, DashboardSource
from guildmaster.planning.domains import xp_to_next_level
from guildmaster.planning.domains.state import SKILLS

__all__ = [
    "StatusHistory",
    "build_snapshot",
    "character_view",
    "cooldown_left",
    "coordinator_view",
    "team_totals",
]


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            return default
    return default


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def cooldown_left(expiration: Any, now: datetime) -> float:
    """Seconds until ``expiration`` (ISO text or datetime), 0.0 when past or unknown.

    >>> from datetime import UTC, datetime
    >>> cooldown_left("2026-01-01T00:00:30+00:00", datetime(2026, 1, 1, tzinfo=UTC))
    30.0
    """
    when: datetime | None = None
    if isinstance(expiration, datetime):
        when = expiration
    elif isinstance(expiration, str) and expiration:
        try:
            when = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
        except ValueError:
            return 0.0
    if when is None or when.tzinfo is None:
        return 0.0
    return round(max(0.0, (when - now).total_seconds()), 3)


def _position(status: Mapping[str, Any]) -> dict[str, Any] | None:
    raw = status.get("position")
    if isinstance(raw, Mapping):
        status = raw
    if status.get("x") is None or status.get("y") is None:
        return None
    return {"x": _int(status["x"]), "y": _int(status["y"]), "layer": _text(status.get("layer"))}


def _task(status: Mapping[str, Any]) -> dict[str, Any] | None:
    raw = status.get("task")
    if isinstance(raw, Mapping):
        code = _text(raw.get("code"))
        kind, progress, total = raw.get("type"), raw.get("progress"), raw.get("total")
    else:
        code = _text(raw)
        kind = status.get("task_type")
        progress, total = status.get("task_progress"), status.get("task_total")
    if not code:
        return None
    return {"code": code, "type": _text(kind), "progress": _int(progress), "total": _int(total)}


def character_view(
    status: Mapping[str, Any], *, now: datetime, restarts: int = 0
) -> dict[str, Any]:
    """One character's status in the dashboard's shape (missing values get neutral defaults)."""
    level = _int(status.get("level"), 1)
    raw_skills = status.get("skills")
    skills_in = raw_skills if isinstance(raw_skills, Mapping) else {}
    skills = {skill: _int(skills_in.get(skill), 1) for skill in SKILLS}
    max_xp = status.get("max_xp")
    return {
        "name": _text(status.get("name")) or "?",
        "level": level,
        "xp": _int(status.get("xp")),
        "max_xp": _int(max_xp) if max_xp is not None else xp_to_next_level(level),
        "hp": _int(status.get("hp")),
        "max_hp": _int(status.get("max_hp")),
        "skills": skills,
        "goal": _text(status.get("goal")),
        "action": _text(status.get("action")),
        "cooldown": cooldown_left(status.get("cooldown_expiration"), now),
        "cooldown_expiration": _text(status.get("cooldown_expiration")) or None,
        "position": _position(status),
        "gold": _int(status.get("gold")),
        "task": _task(status),
        "deaths": _int(status.get("deaths")),
        "errors": _int(status.get("errors")),
        "restarts": restarts,
    }


def team_totals(characters: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Team summary: size, min/mean/max level, total skill levels, gold, deaths.

    >>> team_totals([{"level": 2, "skills": {"mining": 3}, "gold": 5, "deaths": 0},
    ...              {"level": 4, "skills": {"mining": 1}, "gold": 0, "deaths": 1}])["mean_level"]
    3.0
    """
    if not characters:
        return {
            "characters": 0,
            "min_level": 0,
            "mean_level": 0.0,
            "max_level": 0,
            "total_skill_levels": 0,
            "gold": 0,
            "deaths": 0,
        }
    levels = [int(c["level"]) for c in characters]
    return {
        "characters": len(characters),
        "min_level": min(levels),
        "mean_level": round(sum(levels) / len(levels), 3),
        "max_level": max(levels),
        "total_skill_levels": sum(sum(int(v) for v in c["skills"].values()) for c in characters),
        "gold": sum(int(c.get("gold", 0)) for c in characters),
        "deaths": sum(int(c.get("deaths", 0)) for c in characters),
    }


def _surplus_json(entry: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        return dataclasses.asdict(entry)
    if isinstance(entry, Mapping):
        return dict(entry)
    return {"code": str(entry)}


def _mapping_or_none(value: object) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, Mapping) else None


def coordinator_view(coordinator: CoordinatorControl | None) -> dict[str, Any]:
    """The coordinator panel's data (``available: false`` when the team has none)."""
    if coordinator is None:
        return {"available": False, "enabled": False}
    status = dict(coordinator.status())
    return {
        "available": True,
        "enabled": bool(coordinator.enabled),
        "plan": _mapping_or_none(status.get("plan")),
        "assignments": dict(status.get("assignments") or {}),
        "roles": dict(status.get("roles") or {}),
        "reservations": dict(status.get("reservations") or {}),
        "parties": list(status.get("parties") or []),
        "best_boss_chance": _mapping_or_none(status.get("best_boss_chance")),
        "surplus": [_surplus_json(s) for s in coordinator.surplus()],
        "max_overproduction": status.get("max_overproduction"),
    }


class StatusHistory:
    """The team's levels over time, for the page's chart.

    A point is added at most every ``every`` seconds. When ``size`` points are kept, every
    other one is dropped and the spacing doubles, so the chart always spans the whole run.
    """

    def __init__(self, *, every: float = 5.0, size: int = 360) -> None:
        if size < 2:
            raise ValueError(f"size must be at least 2, got {size}")
        self.every = every
        self.size = size
        self._points: list[dict[str, Any]] = []
        self._last: datetime | None = None

    def record(self, now: datetime, characters: Sequence[Mapping[str, Any]]) -> bool:
        """Add a point for ``characters`` unless the last one is too recent; True if added."""
        if self._last is not None and (now - self._last).total_seconds() < self.every:
            return False
        if len(self._points) >= self.size:
            self._points = self._points[::2]
            self.every *= 2
        self._last = now
        totals = team_totals(characters)
        self._points.append(
            {
                "at": now.isoformat(),
                "mean_level": totals["mean_level"],
                "total_skill_levels": totals["total_skill_levels"],
                "levels": {str(c["name"]): int(c["level"]) for c in characters},
            }
        )
        return True

    def points(self) -> list[dict[str, Any]]:
        """Every kept point, oldest first."""
        return list(self._points)


def build_snapshot(
    source: DashboardSource, *, now: datetime, history: StatusHistory | None = None
) -> dict[str, Any]:
    """The ``GET /api/status`` object (and a history point when ``history`` is given)."""
    report = source.team_status()
    restarts = report.get("restarts") or {}
    characters = [
        character_view(c, now=now, restarts=_int(restarts.get(str(c.get("name")))))
        for c in report.get("characters") or ()
    ]
    if history is not None:
        history.record(now, characters)
    metrics = source.metrics()
    counters = None
    if metrics is not None:
        counters = {
            "actions": metrics.actions,
            "requests": metrics.requests,
            "http_429": metrics.http_429,
            "cooldown_errors": metrics.cooldown_errors,
            "other_errors": metrics.other_errors,
        }
    return {
        "at": now.isoformat(),
        "label": source.label(),
        "characters": characters,
        "team": team_totals(characters),
        "coordinator": coordinator_view(source.coordinator()),
        "metrics": counters,
        "events": [e.to_json() for e in reversed(source.events())],
        "history": history.points() if history is not None else [],
    }
