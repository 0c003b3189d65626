"""The limiter/cooldown check: N characters act as fast as allowed through one shared limiter.

:func:`run_limiter_check` gives each character its own client (as separate agents would have)
sharing one :class:`~guildmaster.api.ratelimit.RateLimiter`, configures it from
``GET /my/rates``, and has every character ``rest`` back to back (the shortest action, 3 s,
so five characters press against the 100 actions/minute cap) with a character read every few
actions. It counts what a well-behaved client must keep at zero (429s, 499s) and how many
requests each action costs. Works on any clock; on a ``VirtualClock`` with the local server in
process, two minutes of play take well under a second.

:func:`check_server_limits` runs it on wall time against a server URL, and
:func:`start_local_server` starts ``guildmaster server`` as a separate process on a free loopback
port, so the check crosses real HTTP (the ``guildmaster bench-limiter`` command).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import secrets
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import httpx

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError, MaxCharactersReached
from guildmaster.api.ratelimit import RateLimiter
from guildmaster.clock import Clock, RealClock
from guildmaster.harness.session import SKINS

__all__ = ["ClientFactory", "check_server_limits", "run_limiter_check", "start_local_server"]

logger = logging.getLogger(__name__)

#: Builds one authenticated client on the shared limiter (sync or async).
ClientFactory = Callable[[RateLimiter], AsyncArtifactsClient | Awaitable[AsyncArtifactsClient]]


async def _make_client(factory: ClientFactory, limiter: RateLimiter) -> AsyncArtifactsClient:
    made = factory(limiter)
    if inspect.isawaitable(made):
        return await made
    return made


async def _ensure_characters(
    client: AsyncArtifactsClient, count: int, names: Sequence[str] | None
) -> list[str]:
    """Return ``count`` character names of the account, creating missing ones if allowed."""
    existing = [c.name for c in await client.my_characters()]
    wanted = list(names) if names is not None else []
    if not wanted:
        wanted = existing[:count]
        index = 0
        while len(wanted) < count:
            candidate = f"loadcheck{index}"
            index += 1
            if candidate not in wanted:
                wanted.append(candidate)
    ready: list[str] = []
    for i, name in enumerate(wanted[:count]):
        if name not in existing:
            try:
                await client.create_character(name, SKINS[i % len(SKINS)])
            except MaxCharactersReached:
                logger.warning("account is full; checking with %d characters", len(ready))
                break
        ready.append(name)
    return ready


async def run_limiter_check(
    client_factory: ClientFactory,
    *,
    characters: int = 5,
    seconds: float = 120.0,
    clock: Clock,
    names: Sequence[str] | None = None,
    read_every: int = 5,
) -> dict[str, Any]:
    """Run the check for ``seconds`` of ``clock`` time and return its counters.

    The result has ``characters, seconds, elapsed_seconds, actions, requests,
    requests_per_action, actions_per_minute, http_429, cooldown_errors (499),
    in_progress_errors (486), other_errors, retries, per_character {name: actions}``.

    Raises:
        ValueError: if ``characters`` < 1 or ``seconds`` <= 0.
    """
    if characters < 1 or seconds <= 0:
        raise ValueError("need at least one character and a positive duration")
    limiter = RateLimiter(clock=clock)
    setup = await _make_client(client_factory, limiter)
    clients: list[AsyncArtifactsClient] = [setup]
    try:
        await setup.configure_rate_limits()
        cast = await _ensure_characters(setup, characters, names)
        for character in cast:
            await setup.get_character(character)
        clients.extend([await _make_client(client_factory, limiter) for _ in cast[1:]])
        start = clock.now()
        deadline = start + timedelta(seconds=seconds)
        per_character = {name: 0 for name in cast}
        errors: dict[str, int] = {}

        async def play(client: AsyncArtifactsClient, name: str) -> None:
            # Seed this client's view of the character's cooldown (one read per agent).
            await client.get_character(name)
            while clock.now() < deadline:
                try:
                    await client.rest(name)
                    per_character[name] += 1
                    if read_every > 0 and per_character[name] % read_every == 0:
                        await client.get_character(name)
                except ArtifactsError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    logger.warning("%s: %s", name, exc)
                    await clock.sleep(1.0)

        await asyncio.gather(*(play(c, n) for c, n in zip(clients, cast, strict=True)))
        elapsed = (clock.now() - start).total_seconds()
        # ``setup`` played the first character too, so sum every client once.
        totals = [c.stats for c in clients]
        actions = sum(s.actions for s in totals)
        requests = sum(s.requests for s in totals)
        return {
            "characters": len(cast),
            "seconds": seconds,
            "elapsed_seconds": elapsed,
            "actions": actions,
            "requests": requests,
            "requests_per_action": requests / actions if actions else 0.0,
            "actions_per_minute": actions / elapsed * 60 if elapsed > 0 else 0.0,
            "http_429": sum(s.http_429 for s in totals),
            "cooldown_errors": sum(s.cooldown_errors for s in totals),
            "in_progress_errors": sum(s.in_progress_errors for s in totals),
            "other_errors": sum(s.other_errors for s in totals),
            "retries": sum(s.retries for s in totals),
            "errors_by_type": errors,
            "per_character": per_character,
        }
    finally:
        for client in clients:
            await client.aclose()


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


async def check_server_limits(
    url: str, token: str | None, characters: int, seconds: float
) -> dict[str, Any]:
    """Run :func:`run_limiter_check` on wall time against the server at ``url``.

    Without a ``token`` a throwaway account is created first (a local server). The result has
    the counters of :func:`run_limiter_check` plus ``server``.

    Raises:
        ArtifactsError: any API failure (bad token, account creation refused...).
    """
    clock = RealClock()
    if token is None:
        token = await _bootstrap_token(url)

    def factory(limiter: RateLimiter) -> AsyncArtifactsClient:
        return AsyncArtifactsClient(url, token, clock=clock, limiter=limiter)

    result = await run_limiter_check(factory, characters=characters, seconds=seconds, clock=clock)
    result["server"] = url
    return result
