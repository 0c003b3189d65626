"""Loopback load test: ``python -m guildmaster.server.loadtest --seconds 10``.

Starts ``guildmaster server`` in a subprocess (uvicorn on 127.0.0.1, a random free port, rate
limits off), signs up one account with one character, then runs ``--concurrency`` client tasks
issuing a mix of GETs (catalogues, maps, characters, the account's own data) until ``--seconds``
have passed or ``--max-requests`` were sent, and reports the sustained requests per second. The
server is always stopped at the end.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import socket
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated

import httpx
import typer

from guildmaster.clock import RealClock, stopwatch

__all__ = [
    "LoadResult",
    "free_port",
    "main",
    "run_load",
    "start_server",
    "stop_server",
    "wait_ready",
]

logger = logging.getLogger(__name__)

_USER = "loadtest"
_PASSWORD = "loadtest-pass"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Outcome of one load run.

    >>> LoadResult(requests=10, errors=0, seconds=2.0).requests_per_second
    5.0
    """

    requests: int
    errors: int
    seconds: float
    statuses: dict[int, int] = field(default_factory=dict)
    concurrency: int = 1

    @property
    def requests_per_second(self) -> float:
        """Completed requests per second of the run."""
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    world: str, port: int, *, db: str | None = None, log_path: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start ``guildmaster server`` (rate limits off) in a subprocess."""
    command = [
        sys.executable,
        "-c",
        "from guildmaster.cli import main; main()",
        "server",
        "--world",
        world,
        "--port",
        str(port),
        "--no-rate-limits",
        "--log-level",
        "warning",
    ]
    if db is not None:
        command += ["--db", db]
    if log_path is None:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    with log_path.open("wb") as output:  # the child keeps its own descriptor
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)


def stop_server(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    """Stop the server subprocess (SIGKILL if ``kill``, else SIGTERM then SIGKILL)."""
    if process.poll() is not None:
        return
    if kill:
        process.kill()
    else:
        process.terminate()
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait(timeout=10)


async def wait_ready(
    base_url: str, *, timeout: float = 60.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll ``GET /`` until the server answers.

    Raises:
        RuntimeError: if the process exits or ``timeout`` seconds pass first.
    """
    clock = RealClock()
    start = stopwatch()
    async with httpx.AsyncClient(base_url=base_url, timeout=2.0) as http:
        while stopwatch() - start < timeout:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"server exited with code {process.returncode}")
            try:
                if (await http.get("/")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await clock.sleep(0.05)
    raise RuntimeError(f"server at {base_url} not ready after {timeout} s")


async def _sign_up(http: httpx.AsyncClient) -> dict[str, str]:
    await http.post(
        "/accounts/create",
        json={"username": _USER, "password": _PASSWORD, "email": "load@example.com"},
    )
    basic = base64.b64encode(f"{_USER}:{_PASSWORD}".encode()).decode()
    response = await http.post("/token", headers={"Authorization": f"Basic {basic}"})
    response.raise_for_status()
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    await http.post("/characters/create", json={"name": "Loader", "skin": "men1"}, headers=headers)
    return headers


async def _paths(http: httpx.AsyncClient) -> list[str]:
    items = (await http.get("/items", params={"size": 5})).json()["data"]
    monsters = (await http.get("/monsters", params={"size": 5})).json()["data"]
    paths = ["/", "/items?size=20", "/monsters", "/resources", "/maps?page=2&size=25"]
    paths += ["/maps/overworld/0/0", "/characters/Loader", "/npcs/details", "/tasks/list"]
    paths += [f"/items/{item['code']}" for item in items]
    paths += [f"/monsters/{monster['code']}" for monster in monsters]
    paths += ["/my/characters", "/my/bank", "/my/bank/items", "/my/details"]
    return paths


class _RawConnection:
    """A minimal keep-alive HTTP/1.1 GET client on one socket (far lighter than httpx, so the
    measurement reflects the server, not the client)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> _RawConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def get(self, path: str, headers: dict[str, str]) -> int:
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def run_load(
    base_url: str, *, seconds: float, max_requests: int = 1_000_000, concurrency: int = 4
) -> LoadResult:
    """Hammer ``base_url`` with GETs for ``seconds`` (or ``max_requests``) and count answers.

    Each of ``concurrency`` tasks holds one keep-alive connection.
    """
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as http:
        headers = await _sign_up(http)
        paths = await _paths(http)
    url = httpx.URL(base_url)
    host, port = url.host, url.port or 80
    statuses: Counter[int] = Counter()
    sent = 0
    errors = 0
    start = stopwatch()

    async def worker(offset: int) -> None:
        nonlocal sent, errors
        connection = await _RawConnection.open(host, port)
        index = offset
        try:
            while sent < max_requests and stopwatch() - start < seconds:
                sent += 1
                path = paths[index % len(paths)]
                index += 1
                try:
                    status = await connection.get(path, headers)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    await connection.close()
                    connection = await _RawConnection.open(host, port)
                    continue
                statuses[status] += 1
                errors += status >= 400
        finally:
            await connection.close()

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = stopwatch() - start
    return LoadResult(
        requests=sum(statuses.values()),
        errors=errors,
        seconds=elapsed,
        statuses=dict(statuses),
        concurrency=concurrency,
    )


async def _run(
    world: str, seconds: float, max_requests: int, concurrency: int, startup_timeout: float
) -> LoadResult:
    port = free_port()
    process = start_server(world, port)
    try:
        base_url = f"http://127.0.0.1:{port}"
        await wait_ready(base_url, timeout=startup_timeout, process=process)
        return await run_load(
            base_url, seconds=seconds, max_requests=max_requests, concurrency=concurrency
        )
    finally:
        stop_server(process)


def main(
    seconds: Annotated[float, typer.Option(help="how long to send requests")] = 10.0,
    world: Annotated[str, typer.Option(help="world the server loads")] = "generated:1",
    max_requests: Annotated[int, typer.Option(help="stop after this many requests")] = 200_000,
    concurrency: Annotated[int, typer.Option(help="concurrent connections")] = 4,
    startup_timeout: Annotated[float, typer.Option(help="seconds to wait for the server")] = 60.0,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the result here")] = None,
) -> None:
    """Measure the requests/second the local server sustains on loopback."""
    result = asyncio.run(_run(world, seconds, max_requests, concurrency, startup_timeout))
    summary = {**asdict(result), "requests_per_second": round(result.requests_per_second, 1)}
    if json_out is not None:
        json_out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    typer.echo(
        f"{result.requests} requests in {result.seconds:.1f} s = "
        f"{result.requests_per_second:.0f} req/s ({result.errors} errors, "
        f"{result.concurrency} concurrent)"
    )


if __name__ == "__main__":
    typer.run(main)
