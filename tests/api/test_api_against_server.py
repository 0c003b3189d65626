"""The client against the real local server, in process (``httpx.ASGITransport``).

Skipped until ``guildmaster.server.app.create_app`` exists. The test imports the server; the
client package itself never does (import-linter).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from guildmaster.api import CATALOGUES, AsyncArtifactsClient, RateLimiter
from guildmaster.api.errors import AlreadyAtDestination, CharacterNameTaken, NotFound
from guildmaster.clock import VirtualClock

server_app = pytest.importorskip("guildmaster.server.app")
server_settings = pytest.importorskip("guildmaster.server.settings")

T = TypeVar("T")
PASSWORD = "secret-pass"


def _app(clock: VirtualClock, **settings: Any) -> Any:
    options: dict[str, Any] = {"world": "generated:1", "seed": 3, **settings}
    return server_app.create_app(server_settings.ServerSettings(**options), clock)


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


def test_account_flow_and_typed_reads(clock: VirtualClock) -> None:
    app = _app(clock)

    async def scenario() -> None:
        client = await _signed_up(app, clock)
        try:
            status = await client.status()
            assert status.max_level >= 1
            created = await client.create_character("alice", "men1")
            assert created.name == "alice" and created.level == 1
            with pytest.raises(CharacterNameTaken):
                await client.create_character("alice", "men1")
            mine = await client.my_characters()
            assert [c.name for c in mine] == ["alice"]
            assert (await client.get_character("alice")).account == "tester"
            with pytest.raises(NotFound):
                await client.get_character("nobody")
            details = await client.my_details()
            assert details.username == "tester"
            bank = await client.my_bank()
            assert bank.slots > 0
            assert isinstance(await client.my_bank_items(), list)
            rates = await client.configure_rate_limits()
            assert client.limiter.limits("action")[0].limit == rates.action.second.limit  # type: ignore[union-attr]
            logs = await client.my_logs()
            assert logs.page == 1
        finally:
            await client.aclose()

    _run(clock, scenario)


def test_every_catalogue_downloads_completely(clock: VirtualClock) -> None:
    app = _app(clock)

    async def scenario() -> dict[str, int]:
        async with AsyncArtifactsClient(
            "http://local", None, transport=httpx.ASGITransport(app=app), clock=clock
        ) as client:
            counts = {name: len(await client.fetch_catalogue(name)) for name in sorted(CATALOGUES)}
            assert len(await client.items()) == counts["items"]
            assert len(await client.maps()) == counts["maps"]
            assert client.stats.http_429 == 0
            return counts

    counts = _run(clock, scenario)
    assert counts["items"] > 100 and counts["maps"] > 100 and counts["monsters"] > 10


def test_actions_respect_cooldowns_without_499(clock: VirtualClock) -> None:
    app = _app(clock)

    async def scenario() -> None:
        client = await _signed_up(app, clock)
        try:
            hero = await client.create_character("alice", "men1")
            start = clock.elapsed()
            moved = await client.move("alice", x=hero.x + 1, y=hero.y)
            back = await client.move("alice", x=hero.x, y=hero.y)
            rested = await client.rest("alice")
            spent = moved.cooldown.total_seconds + back.cooldown.total_seconds
            assert clock.elapsed() - start >= spent
            assert rested.character.x == hero.x
            with pytest.raises(AlreadyAtDestination):
                await client.move("alice", x=hero.x, y=hero.y)
            assert client.stats.cooldown_errors == 0
            assert client.stats.actions == 3
        finally:
            await client.aclose()

    _run(clock, scenario)


def test_three_characters_share_one_limiter_without_errors(clock: VirtualClock) -> None:
    app = _app(clock)
    names = ("alice", "bob", "carol")

    async def scenario() -> tuple[int, int, int]:
        limiter = RateLimiter(clock=clock)
        client = await _signed_up(app, clock, limiter=limiter)
        try:
            heroes = [await client.create_character(n, "men1") for n in names]

            async def shuttle(x: int, y: int, name: str) -> None:
                for step in range(6):
                    await client.move(name, x=x + (step + 1) % 2, y=y)

            await asyncio.gather(*(shuttle(h.x, h.y, h.name) for h in heroes))
            stats = client.stats
            return stats.actions, stats.cooldown_errors, stats.http_429
        finally:
            await client.aclose()

    assert _run(clock, scenario) == (18, 0, 0)


def test_429s_from_a_stricter_server_are_absorbed(clock: VirtualClock) -> None:
    buckets = server_settings.RateLimitSettings().buckets
    strict = dict(buckets, data=server_settings.BucketLimits(second=3))
    app = _app(clock, rate_limits=server_settings.RateLimitSettings(buckets=strict))

    async def scenario() -> tuple[int, int]:
        client = await _signed_up(app, clock)
        try:
            # The client still believes in 10/s: the server refuses some, none fail.
            found = await asyncio.gather(*(client.status() for _ in range(12)))
            assert len(found) == 12
            refused = client.stats.http_429
            # After reading /my/rates the client paces itself and stops getting 429s.
            await client.configure_rate_limits()
            await asyncio.gather(*(client.status() for _ in range(12)))
            return refused, client.stats.http_429 - refused
        finally:
            await client.aclose()

    refused_before, refused_after = _run(clock, scenario)
    assert refused_before > 0
    assert refused_after == 0
