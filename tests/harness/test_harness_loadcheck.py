"""The load check: N characters act flat out through one shared limiter, in process and over
real HTTP against a local server process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from guildmaster.api import AsyncArtifactsClient, RateLimiter
from guildmaster.clock import VirtualClock
from guildmaster.harness.loadcheck import check_server_limits, run_limiter_check, start_local_server
from guildmaster.server.app import create_app
from guildmaster.server.settings import ServerSettings

T = TypeVar("T")
PASSWORD = "secret-pass"


def _app(clock: VirtualClock, **settings: Any) -> Any:
    options: dict[str, Any] = {"world": "generated:1", "seed": 3, **settings}
    return create_app(ServerSettings(**options), clock)


async def _signed_up(
    app: Any, clock: VirtualClock, *, limiter: RateLimiter | None = None, user: str = "tester"
) -> AsyncArtifactsClient:
    client = AsyncArtifactsClient(
        "http://local", None, transport=httpx.ASGITransport(app=app), clock=clock, limiter=limiter
    )
    await client.create_account(user, PASSWORD, f"{user}@example.com")
    await client.generate_token(user, PASSWORD)
    return client


def _run(clock: VirtualClock, scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return clock.run(scenario())


def test_limiter_check_keeps_429_and_499_at_zero(clock: VirtualClock) -> None:
    app = _app(clock)

    async def scenario() -> dict[str, Any]:
        account = await _signed_up(app, clock)
        token = account._http.headers["Authorization"].removeprefix("Bearer ")
        await account.aclose()

        def factory(limiter: RateLimiter) -> AsyncArtifactsClient:
            transport = httpx.ASGITransport(app=app)
            return AsyncArtifactsClient(
                "http://local", token, transport=transport, clock=clock, limiter=limiter
            )

        return await run_limiter_check(factory, characters=5, seconds=120, clock=clock)

    report = _run(clock, scenario)
    assert report["characters"] == 5
    assert report["http_429"] == 0 and report["cooldown_errors"] == 0
    assert report["other_errors"] == 0
    # Five characters resting back to back press on the 100 actions/minute cap.
    assert 150 <= report["actions"] <= 210
    # Sliding minute window: never more than 100 per minute plus the first window's burst.
    assert report["actions"] <= 100 * (report["elapsed_seconds"] / 60 + 1)
    assert report["requests_per_action"] < 1.5
    assert min(report["per_character"].values()) >= 0.8 * max(report["per_character"].values())


def test_limiter_check_rejects_nonsense() -> None:
    clock = VirtualClock()

    def factory(limiter: RateLimiter) -> AsyncArtifactsClient:
        raise AssertionError("never called")

    with pytest.raises(ValueError, match="character"):
        clock.run(run_limiter_check(factory, characters=0, clock=clock))


@pytest.mark.slow
def test_limiter_bench_against_a_real_local_server_process() -> None:
    with start_local_server(world="generated:3", time_scale=100) as url:
        result = asyncio.run(check_server_limits(url, None, 3, 4.0))
    assert result["characters"] == 3
    assert result["actions"] > 0
    assert result["http_429"] == 0
    assert result["cooldown_errors"] == 0
    assert result["other_errors"] == 0
    # fair service: every character got to act
    assert all(count > 0 for count in result["per_character"].values())
