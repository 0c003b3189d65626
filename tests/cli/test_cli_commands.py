"""The player-facing commands on real sockets: ``play``, ``status``, ``characters``, ``demo``.

``play``/``status``/``characters`` run against a local server served by uvicorn on loopback (a
subprocess); ``demo`` runs in this event loop with its own uvicorn. A stand-in agent (rest, rest,
rest...) replaces the player where the test is about the command, not about play.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from guildmaster import harness
from guildmaster.cli import app
from guildmaster.cli.demo import DemoOptions, bind_socket, run_demo
from guildmaster.cli.play import stop_on_signals
from guildmaster.cli.status import resolve_token

if TYPE_CHECKING:  # mypy: tests.standins; pytest: standins (tests/ is on sys.path)
    from tests.standins import RestingAgent
else:
    from standins import RestingAgent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server_process(*args: str, port: int, timeout: float = 30.0) -> Iterator[str]:
    """Run ``guildmaster server ARGS --port PORT`` and yield its URL once it answers ``GET /``.

    A test helper, so real waiting (``time.sleep``) between polls is fine here.
    """
    command = [sys.executable, "-c", "from guildmaster.cli import main; main()", "server"]
    command += [*args, "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(url + "/", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {process.stderr}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def make_account(url: str, username: str, characters: list[str]) -> str:
    """Create an account with ``characters`` on ``url`` and return its token."""
    with httpx.Client(base_url=url, timeout=10.0) as http:
        body = {"username": username, "password": "secret-pw", "email": f"{username}@example.com"}
        http.post("/accounts/create", json=body).raise_for_status()
        token = http.post("/token", auth=(username, "secret-pw")).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for name in characters:
            created = http.post(
                "/characters/create", json={"name": name, "skin": "men1"}, headers=headers
            )
            created.raise_for_status()
    return str(token)


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """A local server 50x faster than wall time (limits scaled alike), for this module."""
    args = ("--world", "generated:3", "--time-scale", "50", "--rate-limit-scale", "50")
    with server_process(*args, port=free_port()) as url:
        yield url


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _token_file(tmp_path: Path, token: str) -> Path:
    path = tmp_path / "token.txt"
    path.write_text(token + "\n", encoding="utf-8")
    return path


def test_resolve_token_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARTIFACTS_TOKEN", raising=False)
    with pytest.raises(typer.BadParameter):
        resolve_token(None, cwd=tmp_path)
    (tmp_path / "TOKEN").write_text("from-cwd\n", encoding="utf-8")
    assert resolve_token(None, cwd=tmp_path) == "from-cwd"
    monkeypatch.setenv("ARTIFACTS_TOKEN", "from-env")
    assert resolve_token(None, cwd=tmp_path) == "from-env"
    assert resolve_token(_token_file(tmp_path, "from-file")) == "from-file"
    (tmp_path / "empty").write_text("", encoding="utf-8")
    with pytest.raises(typer.BadParameter, match="empty"):
        resolve_token(tmp_path / "empty")


def test_status_and_characters_create_delete(
    server_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    token = _token_file(tmp_path, make_account(server_url, "statususer", ["Statler"]))
    common = ["--server", server_url, "--token-file", str(token)]
    shown = runner.invoke(app, ["status", *common])
    assert shown.exit_code == 0, shown.output
    assert re.search(r"Statler\s+│\s+1\s+│", shown.output)
    assert "overworld (0,0)" in shown.output

    created = runner.invoke(app, ["characters", "create", "Waldorf", "--skin", "women1", *common])
    assert created.exit_code == 0, created.output
    assert "created Waldorf" in created.output
    again = runner.invoke(app, ["characters", "create", "Waldorf", *common])
    assert again.exit_code == 1 and "error" in again.output
    assert "Waldorf" in runner.invoke(app, ["status", *common]).output

    deleted = runner.invoke(app, ["characters", "delete", "Waldorf", *common])
    assert deleted.exit_code == 0, deleted.output
    assert "Waldorf" not in runner.invoke(app, ["status", *common]).output


def test_status_without_token_is_a_usage_error(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARTIFACTS_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status", "--server", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "no token" in result.output


def test_play_runs_the_account_characters_and_stops(
    server_url: str, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harness, "character_agent_factory", RestingAgent)
    token = _token_file(tmp_path, make_account(server_url, "playuser", ["Player1", "Player2"]))
    args = ["play", "--server", server_url, "--token-file", str(token), "--characters", "Player2"]
    args += ["--wall-seconds", "3", "--status-every", "1", "--data-dir", str(tmp_path / "data")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "playing Player2 on" in result.output
    assert "rest #" in result.output  # the status table, printed every second
    actions = int(re.search(r"(\d+) actions", result.output).group(1))  # type: ignore[union-attr]
    assert actions > 3
    assert "0 x 429, 0 x 499" in result.output
    assert (tmp_path / "data" / "observations.sqlite").is_file()
    assert any((tmp_path / "data" / "cache").iterdir())  # the catalogues were cached
    # the server saw Player2 rest, and Player1 was left alone
    with httpx.Client(
        base_url=server_url, headers={"Authorization": f"Bearer {token.read_text().strip()}"}
    ) as http:
        logs = {
            name: [e["type"] for e in http.get(f"/my/logs/{name}").json()["data"]]
            for name in ("Player1", "Player2")
        }
    assert logs["Player2"].count("rest") == actions
    assert "rest" not in logs["Player1"]


def test_play_refuses_unknown_characters(
    server_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    token = _token_file(tmp_path, make_account(server_url, "ghostuser", ["Present"]))
    args = ["play", "--server", server_url, "--token-file", str(token), "--characters", "Ghost"]
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "Ghost" in result.output


async def test_demo_serves_its_port_prints_status_and_stops_cleanly() -> None:
    out = io.StringIO()
    console = Console(file=out, width=160)
    ready = asyncio.Event()
    options = DemoOptions(
        world="generated:3",
        time_scale=200.0,
        characters=2,
        port=0,
        wall_seconds=3.0,
        status_every=0.5,
        coordinator=False,
    )
    demo = asyncio.create_task(
        run_demo(options, console=console, agent_factory=RestingAgent, ready=ready)
    )
    await asyncio.wait_for(ready.wait(), timeout=20)
    url = out.getvalue().split("local server on ", 1)[1].split(" ", 1)[0]
    async with httpx.AsyncClient(base_url=url) as http:
        status = await http.get("/")
        assert status.status_code == 200
        assert status.json()["data"]["version"]
    run = await asyncio.wait_for(demo, timeout=30)
    text = out.getvalue()
    assert "team status at" in text and "rest #" in text
    assert [member.name for member in run.team] == ["Alderwick", "Brisketta"]
    report = run.report()
    assert report["actions"] > 10 and report["http_429"] == 0
    # 3 wall seconds at x200 is 600 game seconds, setup included: the team played less
    assert 100 / 3600 < run.game_hours < 700 / 3600
    # stopped cleanly: the port is free again
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(url.rsplit(":", 1)[1]))) != 0


def test_bind_socket_refuses_a_busy_port() -> None:
    first = bind_socket("127.0.0.1", 0)
    first.listen()
    try:
        with pytest.raises(OSError):
            bind_socket("127.0.0.1", first.getsockname()[1]).close()
    finally:
        first.close()


def test_plan_live_saves_a_state_that_explains_the_same_offline(
    server_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    token = _token_file(tmp_path, make_account(server_url, "planuser", ["Planner"]))
    saved = tmp_path / "state.json"
    args = ["plan", "--character", "Planner", "--explain", "--json", "--save-state", str(saved)]
    live = runner.invoke(app, [*args, "--server", server_url, "--token-file", str(token)])
    assert live.exit_code == 0, live.output
    decision = json.loads(live.output)
    assert decision["character"] == "Planner" and decision["chosen"]
    assert decision["alternatives"] and decision["plan"]
    assert decision["total_seconds"] == pytest.approx(sum(s["seconds"] for s in decision["plan"]))
    # offline, from the saved file, no server needed: the same decision
    offline = runner.invoke(app, ["plan", "--state", str(saved), "--json"])
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.output)["chosen_key"] == decision["chosen_key"]
    table = runner.invoke(
        app, ["plan", "--character", "Planner", "--state", str(saved), "--explain"]
    )
    assert table.exit_code == 0, table.output
    assert decision["chosen"] in table.output and "game seconds" in table.output
    wrong = runner.invoke(app, ["plan", "--character", "Someone", "--state", str(saved)])
    assert wrong.exit_code == 1 and "Planner" in wrong.output


async def test_first_signal_stops_gracefully_second_cancels() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers need the main thread")
    stop = asyncio.Event()

    async def main() -> str:
        with stop_on_signals(stop):
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(stop.wait(), timeout=5)
            try:
                os.kill(os.getpid(), signal.SIGINT)
                await asyncio.wait_for(asyncio.Event().wait(), timeout=5)
            except asyncio.CancelledError:
                return "cancelled"
        return "not cancelled"

    assert await asyncio.create_task(main()) == "cancelled"
    assert stop.is_set()
    # the handlers are gone again: the loop no longer intercepts these signals
    assert not asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)
