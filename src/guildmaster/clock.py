"""The only place that knows time.

Three clocks share one interface:

* :class:`RealClock`: wall time, one game second per wall second.
* :class:`ScaledClock`: wall time, but ``scale`` game seconds pass per wall second; a server on
  this clock charges a 60 s cooldown as ``60 / scale`` wall seconds and reports expirations in
  wall time, so a player on a :class:`RealClock` simply waits until the reported expiration.
* :class:`VirtualClock`: simulated time inside an asyncio loop whose clock jumps to the next
  timer whenever every task is waiting, so a game-day runs in seconds. Player and server must run
  in that one loop (in process, through ``httpx.ASGITransport``) and must not use threads.

All datetimes are timezone-aware UTC. Measuring CPU work (decision times) is the one use of the
real monotonic counter outside a clock: :func:`stopwatch`.
"""

from __future__ import annotations

import asyncio
import contextlib
import selectors
import time
from abc import ABC, abstractmethod
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

__all__ = [
    "Clock",
    "RealClock",
    "ScaledClock",
    "VirtualClock",
    "stopwatch",
]

T = TypeVar("T")

#: The instant a VirtualClock starts at unless told otherwise.
DEFAULT_VIRTUAL_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def stopwatch() -> float:
    """Return a real monotonic counter in seconds, for measuring computation time only."""
    return time.perf_counter()


class Clock(ABC):
    """A source of time and of waiting.

    ``now()`` is the reporting time (wall time for real and scaled clocks). ``scale`` is the
    number of game seconds that pass per reported second.
    """

    scale: float = 1.0

    @abstractmethod
    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""

    @abstractmethod
    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time (not game time)."""

    def game_seconds(self) -> float:
        """Return game seconds elapsed since the clock's epoch (monotonic, scaled)."""
        return (self.now() - self.epoch).total_seconds() * self.scale

    @property
    @abstractmethod
    def epoch(self) -> datetime:
        """The instant the clock was created (its game-time origin)."""

    def game_to_wall(self, game_seconds: float) -> float:
        """Convert a game duration into this clock's seconds."""
        return game_seconds / self.scale

    def after_game(self, game_seconds: float, *, start: datetime | None = None) -> datetime:
        """Return the reporting time ``game_seconds`` of game time after ``start`` (or now)."""
        base = self.now() if start is None else start
        return base + timedelta(seconds=self.game_to_wall(game_seconds))

    async def sleep_until(self, when: datetime) -> None:
        """Wait until ``when`` (no-op if it has passed)."""
        delay = (when - self.now()).total_seconds()
        if delay > 0:
            await self.sleep(delay)

    async def sleep_game(self, game_seconds: float) -> None:
        """Wait ``game_seconds`` of game time."""
        await self.sleep(self.game_to_wall(game_seconds))

    async def sleep_or(self, seconds: float, event: asyncio.Event) -> None:
        """Wait ``seconds`` of this clock's time, or less if ``event`` is set meanwhile."""
        sleeper = asyncio.ensure_future(self.sleep(seconds))
        waiter = asyncio.ensure_future(event.wait())
        try:
            await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waiter):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


class RealClock(Clock):
    """Wall-clock time; one game second per second."""

    def __init__(self) -> None:
        self._epoch = datetime.now(UTC)

    @property
    def epoch(self) -> datetime:
        return self._epoch

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ScaledClock(RealClock):
    """Wall-clock time where ``factor`` game seconds pass per wall second.

    >>> ScaledClock(50).game_to_wall(100)
    2.0

    Raises:
        ValueError: if ``factor`` is not positive.
    """

    def __init__(self, factor: float) -> None:
        if factor <= 0:
            raise ValueError(f"time scale must be positive, got {factor}")
        super().__init__()
        self.scale = float(factor)


class _VirtualSelector:
    """Selector wrapper: instead of blocking for ``timeout`` it advances virtual time."""

    def __init__(self, inner: selectors.BaseSelector, clock: VirtualClock) -> None:
        self._inner = inner
        self._clock = clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._inner.select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            # Nothing is scheduled: only real I/O can wake us (a deadlock in pure virtual runs).
            return self._inner.select(None)
        self._clock._advance(timeout)
        return ready

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _VirtualLoop(asyncio.SelectorEventLoop):
    """An event loop whose ``time()`` is the virtual clock's."""

    def __init__(self, clock: VirtualClock) -> None:
        super().__init__()
        self._virtual_clock = clock
        inner: selectors.BaseSelector = getattr(self, "_selector")  # noqa: B009
        # Duck-typed wrapper: the loop only calls select/register/unregister/modify/get_map.
        setattr(self, "_selector", _VirtualSelector(inner, clock))  # noqa: B010

    def time(self) -> float:
        return self._virtual_clock._elapsed


class VirtualClock(Clock):
    """Simulated time: jumps to the next wake-up when every task waits.

    Use :meth:`run` to execute a coroutine in a loop driven by this clock. Outside that loop,
    :meth:`sleep` advances time directly (useful in synchronous tests).

    >>> clock = VirtualClock()
    >>> async def wait() -> float:
    ...     await clock.sleep(3600)
    ...     return clock.game_seconds()
    >>> clock.run(wait())
    3600.0
    """

    def __init__(self, *, epoch: datetime = DEFAULT_VIRTUAL_EPOCH, scale: float = 1.0) -> None:
        if epoch.tzinfo is None:
            raise ValueError("epoch must be timezone-aware")
        self._epoch = epoch
        self._elapsed = 0.0
        self.scale = scale
        self._loop: _VirtualLoop | None = None

    @property
    def epoch(self) -> datetime:
        return self._epoch

    def now(self) -> datetime:
        return self._epoch + timedelta(seconds=self._elapsed)

    def elapsed(self) -> float:
        """Seconds of virtual time since the epoch."""
        return self._elapsed

    def _advance(self, seconds: float) -> None:
        if seconds > 0:
            self._elapsed += seconds

    def advance(self, seconds: float) -> None:
        """Move time forward by hand (tests driving a server without a virtual loop).

        Raises:
            RuntimeError: if called while this clock's loop is running.
        """
        if self._loop is not None and self._loop.is_running():
            raise RuntimeError("cannot advance a VirtualClock by hand inside its own loop")
        self._advance(seconds)

    async def sleep(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        if loop is self._loop:
            await asyncio.sleep(max(0.0, seconds))
        else:
            # Not inside our loop (e.g. a test on a normal loop): time moves only for us.
            self._advance(seconds)
            await asyncio.sleep(0)

    def new_loop(self) -> asyncio.AbstractEventLoop:
        """Create (and remember) an event loop driven by this clock."""
        self._loop = _VirtualLoop(self)
        return self._loop

    def run(self, main: Coroutine[Any, Any, T]) -> T:
        """Run ``main`` to completion in a loop driven by this clock and return its result."""
        with asyncio.Runner(loop_factory=self.new_loop) as runner:
            return runner.run(main)
