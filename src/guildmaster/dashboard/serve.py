"""Serving an ASGI app with uvicorn inside the running event loop (the demo's game server and
the dashboard share this).

uvicorn's own signal handling is off: the CLI decides what a Ctrl+C does (stop the team first,
then the servers). Leaving :func:`serve_app` tells the server to exit and waits for it; open
streams get ``graceful_seconds`` to end before uvicorn cancels them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import uvicorn

from guildmaster.clock import Clock, RealClock

__all__ = ["bind_socket", "dashboard_server", "serve_app", "serve_dashboard", "socket_url"]

logger = logging.getLogger(__name__)


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its own signal handling: the caller stops it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on ``host:port`` (port 0: any free port).

    Raises:
        OSError: if the address is in use or invalid.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def socket_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket (IPv6 hosts in brackets)."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"


@contextlib.asynccontextmanager
async def serve_app(
    app: Any,
    sock: socket.socket,
    *,
    clock: Clock,
    log_level: str = "warning",
    graceful_seconds: int | None = None,
) -> AsyncIterator[uvicorn.Server]:
    """Serve ``app`` with uvicorn on ``sock`` in this event loop while inside.

    Raises:
        RuntimeError: if the server fails to start.
    """
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=graceful_seconds,
    )
    server = _EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="uvicorn")
    try:
        while not server.started:
            if task.done():
                raise RuntimeError("the server did not start") from task.exception()
            await clock.sleep(0.02)
        yield server
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()


@contextlib.asynccontextmanager
async def dashboard_server(
    app: Any, *, host: str = "127.0.0.1", port: int = 0, clock: Clock | None = None
) -> AsyncIterator[str]:
    """Serve the dashboard ``app`` on ``host:port`` while inside; yields its URL.

    On the way out the app's live streams are told to end (``app.state.closing``), then uvicorn
    stops (at most 2 s for stragglers).

    Raises:
        OSError: if the address is in use or invalid.
        RuntimeError: if the server fails to start.
    """
    sock = bind_socket(host, port)
    url = socket_url(sock)
    closing = getattr(getattr(app, "state", None), "closing", None)
    async with serve_app(app, sock, clock=clock or RealClock(), graceful_seconds=2):
        logger.info("dashboard on %s", url)
        try:
            yield url
        finally:
            if isinstance(closing, asyncio.Event):
                closing.set()


async def serve_dashboard(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    stop: asyncio.Event,
    clock: Clock | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the dashboard ``app`` until ``stop`` is set; ``on_ready(url)`` once it listens.

    Raises:
        OSError: if the address is in use or invalid.
        RuntimeError: if the server fails to start.
    """
    async with dashboard_server(app, host=host, port=port, clock=clock) as url:
        if on_ready is not None:
            on_ready(url)
        await stop.wait()
