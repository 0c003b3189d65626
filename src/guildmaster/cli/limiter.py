"""``guildmaster bench-limiter``: N characters act flat out through one shared rate limiter.

Against a server given with ``--server`` (token from ``--token-file``/``ARTIFACTS_TOKEN``), or,
by default, against a local server this command starts as a separate process with
``--time-scale`` (100 unless told otherwise), so the check crosses real HTTP on loopback. It
reports 429s, 499s and requests per action as JSON (see
:func:`guildmaster.api.loadcheck.run_limiter_check`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from guildmaster.api import AsyncArtifactsClient, RateLimiter
from guildmaster.api.loadcheck import run_limiter_check
from guildmaster.clock import RealClock

__all__ = ["register", "start_local_server"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def start_local_server(*, world: str, time_scale: float, timeout: float = 60.0) -> Iterator[str]:
    """Run ``guildmaster server`` in a subprocess on a free loopback port; yield its URL.

    Raises:
        RuntimeError: if the server does not answer ``GET /`` within ``timeout`` seconds.
    """
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from guildmaster.cli import main; main()",
        "server",
        "--world",
        world,
        "--port",
        str(port),
        "--time-scale",
        str(time_scale),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    with httpx.Client(timeout=1.0) as probe:
        for _ in range(int(timeout * 10)):
            if process.poll() is not None:
                raise RuntimeError(f"local server exited with code {process.returncode}")
            try:
                if probe.get(url + "/").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            # A blocking CLI helper outside any event loop: plain waiting is fine here.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)
    raise RuntimeError(f"local server at {url} did not start within {timeout} s")


async def _bootstrap_token(url: str) -> str:
    """Create a throwaway account on a local server and return its token."""
    username = f"limiter{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12)
    async with AsyncArtifactsClient(url, None, clock=RealClock()) as client:
        await client.create_account(username, password, f"{username}@example.invalid")
        return await client.generate_token(username, password)


async def _run(url: str, token: str | None, characters: int, seconds: float) -> dict[str, Any]:
    clock = RealClock()
    if token is None:
        token = await _bootstrap_token(url)

    def factory(limiter: RateLimiter) -> AsyncArtifactsClient:
        return AsyncArtifactsClient(url, token, clock=clock, limiter=limiter)

    result = await run_limiter_check(factory, characters=characters, seconds=seconds, clock=clock)
    result["server"] = url
    return result


def register(app: typer.Typer) -> None:
    """Add the ``bench-limiter`` command to ``app``."""

    @app.command("bench-limiter")
    def bench_limiter(
        server: Annotated[
            str | None, typer.Option(help="server URL (default: start a local one)")
        ] = None,
        token_file: Annotated[Path | None, typer.Option(help="token file for --server")] = None,
        world: Annotated[str, typer.Option(help="world of the local server")] = "generated:1",
        time_scale: Annotated[float, typer.Option(help="time scale of the local server")] = 100.0,
        characters: Annotated[int, typer.Option(min=1, max=5)] = 5,
        seconds: Annotated[float, typer.Option(min=1.0, help="wall seconds to run")] = 120.0,
        json_out: Annotated[
            Path | None, typer.Option("--json", help="write the result here")
        ] = None,
    ) -> None:
        """Check that N characters never trip a rate limit or a cooldown (0 x 429, 0 x 499)."""
        if server is not None:
            token = None
            if token_file is not None:
                token = token_file.read_text(encoding="utf-8").strip()
            token = token or os.environ.get("ARTIFACTS_TOKEN")
            if not token:
                raise typer.BadParameter("--server needs --token-file or ARTIFACTS_TOKEN")
            result = asyncio.run(_run(server, token, characters, seconds))
        else:
            with start_local_server(world=world, time_scale=time_scale) as url:
                result = asyncio.run(_run(url, None, characters, seconds))
        text = json.dumps(result, indent=2, sort_keys=True)
        if json_out is not None:
            json_out.write_text(text + "\n", encoding="utf-8")
        typer.echo(text)
        if result["http_429"] or result["cooldown_errors"]:
            raise typer.Exit(code=1)
