"""The dashboard as ``guildmaster demo`` and ``play`` serve it: on by default in the demo (a free
port, URL printed), live team and coordinator behind it, stopped with the team."""

from __future__ import annotations

import asyncio
import io
import socket
from typing import TYPE_CHECKING

import httpx
from rich.console import Console
from typer.testing import CliRunner

from guildmaster.agent.metrics import RunMetrics
from guildmaster.agent.team import TeamStatus
from guildmaster.cli import app
from guildmaster.cli.demo import DemoOptions, run_demo
from guildmaster.cli.play import team_dashboard
from guildmaster.clock import RealClock

if TYPE_CHECKING:  # mypy: tests.standins; pytest: standins (tests/ is on sys.path)
    from tests.standins import resting_agents
else:
    from standins import resting_agents


async def test_demo_serves_the_dashboard_of_its_team_and_stops_it() -> None:
    wall = RealClock()
    out = io.StringIO()
    console = Console(file=out, width=200)
    options = DemoOptions(
        world="generated:3", time_scale=200.0, characters=3, port=0, wall_seconds=3.0
    )
    demo = asyncio.create_task(
        run_demo(options, console=console, agent_factory=resting_agents(announce_goal=True))
    )
    while "dashboard on " not in out.getvalue():
        assert not demo.done(), out.getvalue()
        await wall.sleep(0.05)
    url = out.getvalue().split("dashboard on ", 1)[1].split()[0]
    async with httpx.AsyncClient(base_url=url, timeout=5) as http:
        page = await http.get("/")
        status = (await http.get("/api/status")).json()
        switched = await http.post("/api/coordinator", json={"enabled": False})
        for _ in range(100):  # the agents report their goal as soon as they start
            events = (await http.get("/api/status")).json()["events"]
            if len(events) == 3:
                break
            await wall.sleep(0.05)
    assert page.status_code == 200 and 'data-testid="characters-table"' in page.text
    assert [c["name"] for c in status["characters"]] == ["Alderwick", "Brisketta", "Cindervale"]
    assert all(c["level"] == 1 and c["goal"] == "rest" for c in status["characters"])
    assert status["coordinator"]["available"] and status["coordinator"]["enabled"]
    assert switched.status_code == 200 and switched.json()["enabled"] is False
    assert sorted(e["character"] for e in events) == ["Alderwick", "Brisketta", "Cindervale"]
    await asyncio.wait_for(demo, timeout=30)
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the dashboard still listens"


async def test_without_a_port_the_team_runs_as_before() -> None:
    reports: list[TeamStatus] = []
    async with team_dashboard(
        None,  # type: ignore[arg-type]  # never touched without a port
        coordinator=None,
        metrics=RunMetrics(),
        on_status=reports.append,
        label="x",
        port=None,
    ) as view:
        assert view.url is None and view.advisor is None and view.on_team is None
        report = TeamStatus(at="t", characters=(), restarts={})
        view.on_status(report)
    assert reports == [report]


def test_the_commands_offer_the_dashboard_options() -> None:
    runner = CliRunner()
    demo = runner.invoke(app, ["demo", "--help"], terminal_width=200)
    play = runner.invoke(app, ["play", "--help"], terminal_width=200)
    assert "--no-dashboard" in demo.output and "--dashboard-port" in demo.output
    assert "--dashboard-port" in play.output
    refused = runner.invoke(app, ["play", "--dashboard-port", "-1"])
    assert refused.exit_code == 2
