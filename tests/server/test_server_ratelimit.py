"""Rate limits: buckets, windows on the injected clock, 429 + Retry-After, /my/rates."""

from __future__ import annotations

import math

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from server_fixtures import (
    DEFAULT_PASSWORD,
    auth_headers,
    fixture_settings,
    make_account,
    world_data,
)

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.ratelimit import RateLimiter, bucket_of, client_key
from guildmaster.server.settings import BucketLimits, RateLimitSettings
from guildmaster.server.world import parse_world


def _limited(**buckets: BucketLimits) -> RateLimitSettings:
    base = RateLimitSettings().buckets
    return RateLimitSettings(enabled=True, buckets={**base, **buckets})  # type: ignore[dict-item]


def _client(clock: VirtualClock, limits: RateLimitSettings) -> httpx.AsyncClient:
    app = create_app(fixture_settings(rate_limits=limits), clock, world=parse_world(world_data()))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.mark.parametrize(
    ("method", "path", "bucket"),
    [
        ("POST", "/my/Bob/action/move", "action"),
        ("POST", "/my/Bob/action/fight", "action"),
        ("GET", "/my/bank", "account"),
        ("POST", "/token", "account"),
        ("POST", "/accounts/create", "account"),
        ("GET", "/accounts/someone/achievements", "account"),
        ("POST", "/characters/create", "account"),
        ("POST", "/simulation/fight", "simulation"),
        ("GET", "/items", "data"),
        ("GET", "/characters/Bob", "data"),
        ("GET", "/", "data"),
    ],
)
def test_bucket_of(method: str, path: str, bucket: str) -> None:
    assert bucket_of(method, path) == bucket


def test_client_key_prefers_the_token() -> None:
    assert client_key("Bearer abc", "1.2.3.4") == client_key("Bearer abc", "5.6.7.8")
    assert client_key("Bearer abc", "1.2.3.4") != client_key("Bearer abd", "1.2.3.4")
    assert client_key(None, "1.2.3.4") == "ip:1.2.3.4"
    assert "abc" not in client_key("Bearer abc", None)


async def test_data_bucket_429_with_retry_after_then_recovers(clock: VirtualClock) -> None:
    limits = _limited(data=BucketLimits(second=3, minute=5))
    async with _client(clock, limits) as http:
        statuses = [(await http.get("/items")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        blocked = await http.get("/items")
        assert blocked.status_code == 429
        assert blocked.json()["error"]["code"] == 429
        wait = int(blocked.headers["Retry-After"])
        assert 1 <= wait <= 1
        clock.advance(wait)
        assert (await http.get("/items")).status_code == 200
        assert (await http.get("/items")).status_code == 200
        # the minute window (5) is now exhausted: Retry-After points to the minute's end
        blocked = await http.get("/items")
        assert blocked.status_code == 429
        assert 1 <= int(blocked.headers["Retry-After"]) <= 60


async def test_buckets_and_clients_are_independent(clock: VirtualClock) -> None:
    limits = _limited(data=BucketLimits(second=2), account=BucketLimits(second=100))
    async with _client(clock, limits) as http:
        token_a = await make_account(http, "rateaa")
        token_b = await make_account(http, "ratebb")
        for _ in range(2):
            assert (await http.get("/items", headers=auth_headers(token_a))).status_code == 200
        assert (await http.get("/items", headers=auth_headers(token_a))).status_code == 429
        assert (await http.get("/items", headers=auth_headers(token_b))).status_code == 200
        assert (await http.get("/my/bank", headers=auth_headers(token_a))).status_code == 200


async def test_tokens_of_one_account_share_its_buckets(clock: VirtualClock) -> None:
    limits = _limited(data=BucketLimits(second=2), account=BucketLimits(second=100))
    async with _client(clock, limits) as http:
        first = await make_account(http, "shared1")
        second = await http.post("/token", auth=httpx.BasicAuth("shared1", DEFAULT_PASSWORD))
        other = second.json()["token"]
        assert other != first
        assert (await http.get("/items", headers=auth_headers(first))).status_code == 200
        assert (await http.get("/items", headers=auth_headers(other))).status_code == 200
        assert (await http.get("/items", headers=auth_headers(first))).status_code == 429
        # an unknown token is counted on its own
        assert (await http.get("/items", headers=auth_headers("unknown"))).status_code == 200


async def test_rejected_requests_change_nothing(clock: VirtualClock) -> None:
    limits = _limited(account=BucketLimits(second=1))
    async with _client(clock, limits) as http:
        body = {"username": "limited1", "password": "secret", "email": "l1@example.com"}
        assert (await http.post("/accounts/create", json=body)).status_code == 200
        body2 = {"username": "limited2", "password": "secret", "email": "l2@example.com"}
        assert (await http.post("/accounts/create", json=body2)).status_code == 429
        clock.advance(1)
        basic = httpx.BasicAuth("limited2", "secret")
        assert (await http.post("/token", auth=basic)).status_code == 455


async def test_my_rates_reports_remaining(clock: VirtualClock) -> None:
    limits = _limited(account=BucketLimits(second=50, hour=300))
    async with _client(clock, limits) as http:
        token = await make_account(http, "ratecc")
        headers = auth_headers(token)
        first = (await http.get("/my/rates", headers=headers)).json()["data"]
        second = (await http.get("/my/rates", headers=headers)).json()["data"]
    assert first["account"]["hour"]["limit"] == 300
    assert second["account"]["hour"]["remaining"] == first["account"]["hour"]["remaining"] - 1
    assert first["account"]["minute"] is None
    assert first["data"]["minute"]["limit"] == 200
    assert first["action"]["hour"]["limit"] == 5000
    assert first["simulation"]["second"]["limit"] == 1


async def test_disabled_limits_never_429(clock: VirtualClock) -> None:
    limits = RateLimitSettings(enabled=False, buckets={"data": BucketLimits(second=1)})
    async with _client(clock, limits) as http:
        statuses = {(await http.get("/")).status_code for _ in range(20)}
    assert statuses == {200}


def test_scaled_limits() -> None:
    scaled = RateLimitSettings().scaled(10)
    assert scaled.buckets["action"].minute == 1000
    assert scaled.buckets["data"].day is None


@settings(max_examples=40, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=6),
    gaps=st.lists(st.floats(min_value=0.0, max_value=0.7), min_size=1, max_size=40),
)
def test_no_window_admits_more_than_its_limit(limit: int, gaps: list[float]) -> None:
    clock = VirtualClock()
    limiter = RateLimiter(RateLimitSettings(buckets={"data": BucketLimits(second=limit)}), clock)
    admitted: list[float] = []
    for gap in gaps:
        clock.advance(gap)
        wait = limiter.hit("k", "data")
        now = clock.now().timestamp()
        if wait is None:
            admitted.append(now)
        else:
            assert 0 < wait <= 1.0
    per_window: dict[int, int] = {}
    for moment in admitted:
        per_window[math.floor(moment)] = per_window.get(math.floor(moment), 0) + 1
    assert all(count <= limit for count in per_window.values())
