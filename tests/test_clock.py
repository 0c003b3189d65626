from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from guildmaster.clock import RealClock, ScaledClock, VirtualClock


def test_virtual_clock_jumps_to_next_wakeup() -> None:
    clock = VirtualClock()
    order: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        order.append((name, clock.elapsed()))

    async def main() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(sleeper("late", 86_400))
            group.create_task(sleeper("early", 30))

    clock.run(main())
    assert order == [("early", 30.0), ("late", 86_400.0)]
    assert clock.now() == clock.epoch + timedelta(days=1)


def test_virtual_clock_sleep_until_and_game_seconds() -> None:
    clock = VirtualClock(scale=2.0)

    async def main() -> float:
        await clock.sleep_until(clock.now() + timedelta(seconds=10))
        await clock.sleep_game(20)  # 20 game seconds = 10 clock seconds at scale 2
        return clock.elapsed()

    assert clock.run(main()) == pytest.approx(20.0)
    assert clock.game_seconds() == pytest.approx(40.0)


def test_sleep_or_ends_at_the_event_or_after_the_time_whichever_first() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[float, float, int]:
        event = asyncio.Event()
        await clock.sleep_or(60, event)  # nobody sets it: the full minute
        full = clock.elapsed()

        async def setter() -> None:
            await clock.sleep(5)
            event.set()

        task = asyncio.create_task(setter())
        await clock.sleep_or(3_600, event)
        await task
        early = clock.elapsed() - full
        # Neither helper task is left behind.
        return full, early, len(asyncio.all_tasks()) - 1

    assert clock.run(scenario()) == (60.0, 5.0, 0)


def test_virtual_clock_advance_by_hand() -> None:
    clock = VirtualClock()
    clock.advance(5)
    assert clock.elapsed() == 5


def test_scaled_clock_converts_game_durations() -> None:
    clock = ScaledClock(50)
    assert clock.game_to_wall(100) == 2.0
    start = clock.now()
    assert clock.after_game(50, start=start) == start + timedelta(seconds=1)
    with pytest.raises(ValueError, match="positive"):
        ScaledClock(0)


async def test_real_clock_sleeps_briefly() -> None:
    clock = RealClock()
    before = clock.now()
    await clock.sleep(0.01)
    assert clock.now() > before
