from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from guildmaster.agent.metrics import CharacterProgress, RunMetrics, percentile
from guildmaster.agent.team import Team, TeamStatus
from guildmaster.clock import VirtualClock


class _Worker:
    """A fake agent that 'acts' every 10 s and crashes on its first ``crashes`` runs."""

    def __init__(self, name: str, clock: VirtualClock, *, crashes: int = 0) -> None:
        self.name = name
        self.clock = clock
        self.crashes = crashes
        self.actions = 0
        self.runs = 0

    async def run(self, stop: asyncio.Event) -> None:
        self.runs += 1
        while not stop.is_set():
            await self.clock.sleep(10)
            self.actions += 1
            if self.crashes:
                self.crashes -= 1
                raise RuntimeError("boom")

    def status(self) -> Mapping[str, Any]:
        return {"name": self.name, "level": 1, "actions": self.actions}


def test_team_restarts_crashed_agent_and_stops_cleanly() -> None:
    clock = VirtualClock()
    steady = _Worker("steady", clock)
    flaky = _Worker("flaky", clock, crashes=2)
    reports: list[TeamStatus] = []
    team = Team([steady, flaky], clock, status_interval=30, on_status=reports.append)

    async def main() -> None:
        runner = asyncio.create_task(team.run())
        await clock.sleep(600)
        team.stop()
        await runner

    clock.run(main())
    assert team.restarts == {"flaky": 2}
    assert flaky.runs == 3
    # the steady agent was never disturbed: one action per 10 s for 600 s
    assert steady.actions in (60, 61)  # the action in flight at stop time completes
    assert 0 < flaky.actions < steady.actions
    assert len(reports) >= 15
    assert reports[-1].to_json()["characters"][0]["name"] == "steady"


def test_metrics_report_shape_and_values() -> None:
    metrics = RunMetrics()
    metrics.record_action("a", 1200, reason="fight")
    metrics.record_action("a", 600, reason="rest()")
    metrics.record_action("b", 3600)
    for status in (200, 200, 429, 499, 404):
        metrics.record_response(status)
    for ms in (1.0, 2.0, 3.0, 100.0):
        metrics.record_decision(ms)
    team = [
        CharacterProgress("a", 3, 10, {"mining": 2, "cooking": 1}, 5),
        CharacterProgress("b", 5, 0, {"mining": 1, "cooking": 1}, 0),
    ]
    metrics.record_timeline(1.0, team)
    report = metrics.report(game_hours=1.0, wall_seconds=2.5, team=team)
    assert report["utilization"] == {"mean": 0.75, "min": 0.5}
    assert report["requests"] == 5 and report["http_429"] == 1
    assert report["cooldown_errors"] == 1 and report["other_errors"] == 1
    assert report["requests_per_action"] == round(5 / 3, 3)
    assert report["activity"] == {
        "a": {
            "fight": {"actions": 1, "seconds": 1200.0, "share": 0.6667},
            "rest": {"actions": 1, "seconds": 600.0, "share": 0.3333},
        }
    }
    assert report["decision_ms"]["max"] == 100.0
    assert report["team"] == {"min_level": 3, "mean_level": 4.0, "total_skill_levels": 5}
    assert report["timeline"][0]["game_hour"] == 1.0
    assert percentile([], 0.9) == 0.0
