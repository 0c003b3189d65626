"""Smoke tests of the real commands with the real player: ``bench`` (CI) and ``demo`` (signals).

``bench`` runs one character for 2 game hours on a generated world on virtual time; the JSON
must carry every DESIGN.md key and show a well-behaved client (no 429, no cooldown error).
``demo`` runs as a subprocess, serves ``GET /`` on its port, and stops on SIGINT.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from guildmaster.cli import app
from guildmaster.planning.domains.state import SKILLS

DESIGN_KEYS = (
    "game_hours",
    "wall_seconds",
    "actions",
    "requests",
    "requests_per_action",
    "http_429",
    "cooldown_errors",
    "other_errors",
    "utilization",
    "decision_ms",
    "characters",
    "team",
    "timeline",
)


def test_bench_smoke_one_character_two_game_hours(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", "--world", "generated:7", "--characters", "1", "--game-hours", "2"]
    started = time.perf_counter()
    result = CliRunner().invoke(app, [*args, "--seed", "1", "--json", str(out)])
    wall = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert wall < 30
    report = json.loads(out.read_text(encoding="utf-8"))
    for key in DESIGN_KEYS:
        assert key in report, key
    assert report["game_hours"] == 2.0
    assert report["http_429"] == 0
    assert report["cooldown_errors"] == 0
    assert report["actions"] > 50  # ~25 s per action: a busy character does ~280 in 2 hours
    assert report["requests"] >= report["actions"]
    utilization = report["utilization"]
    assert 0.5 < utilization["min"] <= utilization["mean"] <= 1.0
    assert set(report["decision_ms"]) == {"p50", "p95", "p99", "max"}
    assert 0 < report["decision_ms"]["p50"] <= report["decision_ms"]["max"]
    (member,) = report["characters"]
    assert set(member) == {"name", "level", "xp", "skills", "gold"}
    assert set(member["skills"]) == set(SKILLS)
    assert report["team"]["min_level"] == member["level"]
    assert report["team"]["total_skill_levels"] == sum(member["skills"].values())
    # progress was made, and the timeline has a point per game hour, never going backwards
    assert member["level"] > 1 or report["team"]["total_skill_levels"] > len(SKILLS)
    timeline = report["timeline"]
    assert [point["game_hour"] for point in timeline] == [0.0, 1.0, 2.0]
    levels = [point["total_skill_levels"] for point in timeline]
    assert levels == sorted(levels) and levels[0] == len(SKILLS)
    assert "utilization mean" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_demo_subprocess_serves_its_port_and_stops_on_sigint(tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-c", "from guildmaster.cli import main; main()", "demo"]
    command += ["--port", str(port), "--time-scale", "100", "--characters", "2"]
    command += ["--world", "generated:3", "--status-every", "1"]
    log = (tmp_path / "demo.log").open("w+", encoding="utf-8")
    env = {**os.environ, "COLUMNS": "160"}
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 30
        served = False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                served = httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200
            except httpx.TransportError:
                served = False
            if served:
                break
            time.sleep(0.2)
        assert served, "the demo never answered GET /"
        # let the team play a little (status printed every second), then Ctrl+C
        time.sleep(3)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.seek(0)
        output = log.read()
        log.close()
    assert "team status at" in output
    assert "stopped cleanly" in output
    assert "Traceback" not in output
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_bench_sets_how_many_characters_fight_for_the_team(tmp_path: Path) -> None:
    roles: dict[str, dict[str, str]] = {}
    for fighters in ("1", "4"):
        out = tmp_path / f"bench{fighters}.json"
        args = ["bench", "--characters", "4", "--game-hours", "0.25", "--fighters", fighters]
        result = CliRunner().invoke(app, [*args, "--json", str(out)])
        assert result.exit_code == 0, result.output
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["fighters"] == int(fighters)
        roles[fighters] = report["coordinator_activity"]["roles"]
    # One fighter: the strongest fights, three produce. Four: the whole team fights.
    assert sorted(roles["1"].values()) == ["fighter", "producer", "producer", "producer"]
    assert roles["4"] == {}
    refused = CliRunner().invoke(app, ["bench", "--characters", "2", "--fighters", "-1"])
    assert refused.exit_code != 0 and "fighters" in refused.output
