from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import pytest

from guildmaster.api.models import RateLimitsDataSchema
from guildmaster.api.ratelimit import DEFAULT_LIMITS, RateLimiter, Window, scope_for
from guildmaster.clock import VirtualClock


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("POST", "/my/alice/action/move", "action"),
        ("POST", "/my/alice/action/bank/deposit/item", "action"),
        ("GET", "/my/characters", "account"),
        ("GET", "/my/bank/items?page=2", "account"),
        ("GET", "/my/logs/alice", "account"),
        ("POST", "/token", "account"),
        ("POST", "/accounts/create", "account"),
        ("GET", "/accounts/bob/achievements", "account"),
        ("POST", "/characters/create", "account"),
        ("POST", "/characters/delete", "account"),
        ("GET", "/characters/alice", "data"),
        ("GET", "/items", "data"),
        ("GET", "/", "data"),
        ("POST", "/simulation/fight", "simulation"),
    ],
)
def test_scope_for(method: str, path: str, scope: str) -> None:
    assert scope_for(method, path) == scope


def _grant_times(limiter: RateLimiter, clock: VirtualClock, n: int, scope: str) -> list[float]:
    times: list[float] = []

    async def one() -> None:
        await limiter.acquire(scope)
        times.append(clock.elapsed())

    async def main() -> None:
        await asyncio.gather(*(one() for _ in range(n)))

    clock.run(main())
    return times


def _max_in_any_window(times: list[float], seconds: float) -> int:
    ordered = sorted(times)
    best = 0
    for i, start in enumerate(ordered):
        best = max(best, sum(1 for t in ordered[i:] if t < start + seconds))
    return best


def test_second_window_spreads_a_burst() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, limits={"data": [Window(10, 1.0)]}, margin=0.0)
    times = _grant_times(limiter, clock, 25, "data")
    assert len(times) == 25
    assert times.count(0.0) == 10
    assert _max_in_any_window(times, 1.0) == 10
    assert max(times) == pytest.approx(2.0)


def test_minute_window_binds_after_the_second_window() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, limits={"action": DEFAULT_LIMITS["action"]}, margin=0.05)
    times = _grant_times(limiter, clock, 130, "action")
    assert _max_in_any_window(times, 1.0) <= 10
    assert _max_in_any_window(times, 60.0) <= 100
    # The 101st request had to wait for the first minute to slide by.
    assert sorted(times)[100] >= 60.0
    assert max(times) < 75.0


def test_fair_service_interleaves_characters() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, limits={"action": [Window(1, 1.0)]}, margin=0.0)
    served: list[str] = []

    async def burst(name: str, count: int) -> None:
        await asyncio.gather(*(one(name) for _ in range(count)))

    async def one(name: str) -> None:
        await limiter.acquire("action", key=name)
        served.append(name)

    async def main() -> None:
        # "a" queues 6 requests at once before the others show up.
        await asyncio.gather(burst("a", 6), burst("b", 3), burst("c", 3))

    clock.run(main())
    # The very first request finds a free slot; after that keys take turns (round-robin),
    # FIFO within a key, so b and c are not stuck behind a's burst.
    assert served == ["a", "a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "a"]
    for prev, cur in itertools.pairwise(served[1:10]):
        assert prev != cur
    assert clock.elapsed() == pytest.approx(11.0)


def test_penalize_pauses_the_scope_only() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, margin=0.0)
    stamps: dict[str, float] = {}

    async def main() -> None:
        await limiter.acquire("action")
        assert limiter.penalize("action", retry_after=7.5) == 7.5
        assert limiter.paused_for("action") == pytest.approx(7.5)
        await limiter.acquire("data")
        stamps["data"] = clock.elapsed()
        await limiter.acquire("action", key="alice")
        stamps["action"] = clock.elapsed()

    clock.run(main())
    assert stamps == {"data": 0.0, "action": pytest.approx(7.5)}
    assert limiter.stats("action").rate_limited == 1


def test_penalize_without_retry_after_backs_off_exponentially() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, default_pause=1.0, max_pause=5.0)
    assert [limiter.penalize("data") for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    limiter.succeeded("data")
    assert limiter.penalize("data") == 1.0


def test_configure_from_rates_uses_limits_and_spent_requests() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, margin=0.0)
    reset = clock.now() + timedelta(seconds=30)
    window = {"limit": 5, "remaining": 2, "reset": reset.isoformat()}
    rates = RateLimitsDataSchema.model_validate(
        {
            "account": {"second": {"limit": 3, "remaining": 3, "reset": clock.now().isoformat()}},
            "data": {"minute": window},
            "action": {"second": None, "minute": None, "hour": None, "day": None},
            "simulation": {},
        }
    )
    limiter.configure_from_rates(rates)
    assert limiter.limits("account") == (Window(3, 1.0),)
    assert limiter.limits("data") == (Window(5, 60.0),)
    # Scopes reported without windows keep the defaults.
    assert limiter.limits("action") == DEFAULT_LIMITS["action"]
    times = _grant_times(limiter, clock, 3, "data")
    # 3 of 5 already spent: two go now, the third when the server's window resets.
    assert sorted(times) == [0.0, 0.0, pytest.approx(30.0)]


def test_cancelled_waiters_do_not_block_the_queue() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, limits={"data": [Window(1, 1.0)]}, margin=0.0)
    order: list[str] = []

    async def one(name: str) -> None:
        await limiter.acquire("data", key=name)
        order.append(name)

    async def main() -> None:
        await limiter.acquire("data")
        doomed = asyncio.ensure_future(one("doomed"))
        survivor = asyncio.ensure_future(one("survivor"))
        await asyncio.sleep(0)
        assert limiter.queued("data") == 2
        doomed.cancel()
        await survivor

    clock.run(main())
    assert order == ["survivor"]
    assert clock.elapsed() == pytest.approx(1.0)


def test_invalid_windows_are_rejected() -> None:
    with pytest.raises(ValueError, match="invalid window"):
        RateLimiter(limits={"data": [Window(0, 1.0)]})


def test_new_limits_keep_the_requests_already_made() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, limits={"data": [Window(10, 1.0)]}, margin=0.0)
    stamps: list[float] = []

    async def main() -> None:
        for _ in range(3):
            await limiter.acquire("data")
        # Three requests at the same instant must all count against the stricter limit.
        limiter.set_limits("data", [Window(3, 1.0), Window(100, 60.0)])
        await limiter.acquire("data")
        stamps.append(clock.elapsed())

    clock.run(main())
    assert stamps == [pytest.approx(1.0)]
