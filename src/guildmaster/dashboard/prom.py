"""``GET /metrics``: the team in the Prometheus text format (prometheus-client).

A :class:`TeamCollector` builds the metric families on every scrape from the source (no state of
its own), into a registry private to one dashboard app (never the global default registry).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from guildmaster.clock import Clock
from guildmaster.dashboard.snapshot import build_snapshot
from guildmaster.dashboard.source import DashboardSource

__all__ = ["TeamCollector", "metrics_registry", "render_metrics"]

_PREFIX = "guildmaster"


class TeamCollector:
    """Collects per-character gauges and the run's counters from a :class:`DashboardSource`."""

    def __init__(self, source: DashboardSource, clock: Clock) -> None:
        self.source = source
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        """Yield every metric family for one scrape."""
        snapshot = build_snapshot(self.source, now=self.clock.now())
        yield from self._characters(snapshot["characters"])
        team = snapshot["team"]
        yield _gauge("team_mean_level", "Mean character level of the team.", team["mean_level"])
        yield _gauge(
            "team_total_skill_levels",
            "Sum of every character's 8 skill levels.",
            team["total_skill_levels"],
        )
        coordinator = snapshot["coordinator"]
        if coordinator["available"]:
            yield _gauge(
                "coordinator_enabled",
                "1 when the team coordinator advises, 0 when switched off.",
                1.0 if coordinator["enabled"] else 0.0,
            )
        yield from self._run_counters()

    def _characters(self, characters: list[dict[str, Any]]) -> Iterator[Metric]:
        simple = {
            "level": "Character level.",
            "xp": "XP within the current level.",
            "hp": "Current hit points.",
            "gold": "Gold carried.",
            "cooldown": "Seconds of cooldown left.",
        }
        for field, doc in simple.items():
            family = GaugeMetricFamily(f"{_PREFIX}_character_{field}", doc, labels=["character"])
            for c in characters:
                family.add_metric([c["name"]], float(c[field]))
            yield family
        skills = GaugeMetricFamily(
            f"{_PREFIX}_character_skill_level",
            "Skill level per character and skill.",
            labels=["character", "skill"],
        )
        for c in characters:
            for skill, level in sorted(c["skills"].items()):
                skills.add_metric([c["name"], skill], float(level))
        yield skills
        for field, doc in (
            ("deaths", "Fights lost since the agent started."),
            ("errors", "Game errors the agent met."),
            ("restarts", "Times the team restarted the agent after a crash."),
        ):
            counter = CounterMetricFamily(f"{_PREFIX}_character_{field}", doc, labels=["character"])
            for c in characters:
                counter.add_metric([c["name"]], float(c[field]))
            yield counter

    def _run_counters(self) -> Iterator[Metric]:
        metrics = self.source.metrics()
        if metrics is None:
            return
        yield CounterMetricFamily(
            f"{_PREFIX}_actions", "Game actions performed by the team.", value=metrics.actions
        )
        actions = CounterMetricFamily(
            f"{_PREFIX}_character_actions",
            "Game actions by character and cooldown reason.",
            labels=["character", "reason"],
        )
        busy = CounterMetricFamily(
            f"{_PREFIX}_character_busy_seconds",
            "Game seconds of cooldown by character.",
            labels=["character"],
        )
        for character, kinds in sorted(metrics.activity.items()):
            for reason, (count, _seconds) in sorted(kinds.items()):
                actions.add_metric([character, reason], float(count))
        for character, seconds in sorted(metrics.busy_seconds.items()):
            busy.add_metric([character], seconds)
        yield actions
        yield busy
        yield CounterMetricFamily(
            f"{_PREFIX}_requests", "HTTP requests answered.", value=metrics.requests
        )
        errors = CounterMetricFamily(
            f"{_PREFIX}_http_errors", "HTTP error answers by status code.", labels=["code"]
        )
        for code, count in sorted(metrics.error_codes.items()):
            errors.add_metric([str(code)], float(count))
        yield errors


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{_PREFIX}_{name}", doc, value=float(value))


def metrics_registry(source: DashboardSource, clock: Clock) -> CollectorRegistry:
    """A fresh registry holding one :class:`TeamCollector` (no process-wide default metrics)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TeamCollector(source, clock))
    return registry


def render_metrics(registry: CollectorRegistry) -> bytes:
    """The Prometheus text exposition of ``registry``."""
    return generate_latest(registry)
