"""Account-wide rate limiting: sliding windows per scope, fair queues, 429 pauses.

One :class:`RateLimiter` is shared by every character of an account. Each scope (``account``,
``data``, ``action``, ...) has one sliding-window log per window (second, minute, hour, day);
a request may go when every window of its scope has room and the scope is not paused.

Waiting requests queue per scope and per *key* (usually the character name) and are served
round-robin across keys, FIFO within a key: three characters hammering the same scope get
interleaved service, and a character that queues ten requests at once cannot starve the
others. Only one timer per scope sleeps at a time (no thundering herd). All waiting goes
through the injected :class:`~guildmaster.clock.Clock`, so a ``VirtualClock`` run never
sleeps for real.

Limits start from the documented defaults (MECHANICS §21), are replaced by
:meth:`RateLimiter.configure_from_rates` with ``GET /my/rates``, and a 429 pauses its scope for
``Retry-After`` seconds (or a growing back-off when the header is missing).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Final, TypeAlias

from guildmaster.api.models import RateLimitScopeSchema, RateLimitsDataSchema
from guildmaster.clock import Clock, RealClock

__all__ = [
    "DEFAULT_LIMITS",
    "WINDOW_SECONDS",
    "RateLimiter",
    "ScopeName",
    "ScopeStats",
    "Window",
    "scope_for",
]

logger = logging.getLogger(__name__)

#: A scope name: ``account``, ``data``, ``action`` (others such as ``simulation`` allowed).
ScopeName: TypeAlias = str

#: Length in seconds of each window name used by ``GET /my/rates``.
WINDOW_SECONDS: Final[Mapping[str, float]] = MappingProxyType(
    {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
)


@dataclass(frozen=True)
class Window:
    """At most ``limit`` requests in any ``seconds``-long interval.

    >>> Window(limit=10, seconds=1.0)
    Window(limit=10, seconds=1.0)
    """

    limit: int
    seconds: float


#: Documented defaults (MECHANICS §21), used until ``configure_from_rates``.
DEFAULT_LIMITS: Final[Mapping[ScopeName, tuple[Window, ...]]] = MappingProxyType(
    {
        "account": (Window(10, 1.0), Window(300, 3600.0)),
        "data": (Window(10, 1.0), Window(200, 60.0), Window(2000, 3600.0)),
        "action": (Window(10, 1.0), Window(100, 60.0), Window(5000, 3600.0)),
        "simulation": (Window(1, 1.0),),
    }
)

#: Delays shorter than this count as "now": clocks report microseconds, and sleeping a
#: rounding error would spin without time advancing.
_EPSILON: Final = 1e-5

_ACCOUNT_EXACT = frozenset({"/token", "/characters/create", "/characters/delete"})


def scope_for(method: str, path: str) -> ScopeName:
    """Return the rate-limit scope of a request.

    ``POST /my/{name}/action/*`` is ``action``; other ``/my/*``, ``/token``, ``/accounts/*``
    and ``/characters/create|delete`` are ``account``; ``/simulation/*`` is ``simulation``
    (its own 1/s scope in ``/my/rates``, so a burst of simulations never pauses data reads);
    everything else is ``data``.

    >>> scope_for("POST", "/my/alice/action/move"), scope_for("GET", "/my/bank")
    ('action', 'account')
    >>> scope_for("GET", "/items"), scope_for("POST", "/characters/create")
    ('data', 'account')
    """
    path = "/" + path.split("?", 1)[0].strip("/")
    if path.startswith("/my/"):
        parts = path.split("/")
        if method.upper() == "POST" and len(parts) > 4 and parts[3] == "action":
            return "action"
        return "account"
    if path in _ACCOUNT_EXACT or path.startswith("/accounts/"):
        return "account"
    if path.startswith("/simulation/"):
        return "simulation"
    return "data"


@dataclass
class ScopeStats:
    """Counters of one scope (mutable, owned by the limiter)."""

    granted: int = 0
    waited: int = 0
    wait_seconds: float = 0.0
    rate_limited: int = 0


@dataclass
class _Scope:
    windows: tuple[Window, ...]
    logs: list[deque[float]] = field(default_factory=list)
    queues: OrderedDict[str | None, deque[asyncio.Future[None]]] = field(
        default_factory=OrderedDict
    )
    paused_until: float = 0.0
    strikes: int = 0
    timer: asyncio.Task[None] | None = None
    stats: ScopeStats = field(default_factory=ScopeStats)

    def __post_init__(self) -> None:
        if not self.logs:
            self.logs = [deque() for _ in self.windows]


class RateLimiter:
    """Per-account limiter shared by all characters; see the module docstring.

    ``margin`` seconds are added to every window so that requests granted exactly one window
    apart cannot reach the server inside the same window (network jitter).
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        limits: Mapping[ScopeName, Iterable[Window]] | None = None,
        margin: float = 0.05,
        default_pause: float = 1.0,
        max_pause: float = 60.0,
    ) -> None:
        self._clock = clock or RealClock()
        self._margin = margin
        self._default_pause = default_pause
        self._max_pause = max_pause
        self._scopes: dict[ScopeName, _Scope] = {}
        for name, windows in (limits or DEFAULT_LIMITS).items():
            self.set_limits(name, windows)

    @property
    def clock(self) -> Clock:
        """The clock every wait goes through."""
        return self._clock

    def _now(self) -> float:
        return (self._clock.now() - self._clock.epoch).total_seconds()

    def _to_seconds(self, when: datetime) -> float:
        return (when - self._clock.epoch).total_seconds()

    def set_limits(self, scope: ScopeName, windows: Iterable[Window]) -> None:
        """Replace the windows of ``scope`` (history of granted requests is kept).

        Raises:
            ValueError: if a window has a non-positive limit or length.
        """
        new = tuple(sorted(windows, key=lambda w: w.seconds))
        for window in new:
            if window.limit <= 0 or window.seconds <= 0:
                raise ValueError(f"invalid window {window} for scope {scope!r}")
        old = self._scopes.get(scope)
        state = _Scope(windows=new)
        if old is not None:
            # Every grant is appended to every log; the longest window keeps the most history.
            longest = max(range(len(old.windows)), key=lambda i: old.windows[i].seconds)
            history = list(old.logs[longest]) if old.logs else []
            for window, log in zip(new, state.logs, strict=True):
                horizon = self._now() - window.seconds - self._margin
                log.extend(t for t in history if t > horizon)
            state.queues = old.queues
            state.paused_until = old.paused_until
            state.strikes = old.strikes
            state.timer = old.timer
            state.stats = old.stats
        self._scopes[scope] = state
        if old is not None:
            self._pump(scope)

    def limits(self, scope: ScopeName) -> tuple[Window, ...]:
        """Return the windows currently enforced for ``scope``."""
        return self._scope(scope).windows

    def stats(self, scope: ScopeName) -> ScopeStats:
        """Return the counters of ``scope``."""
        return self._scope(scope).stats

    def configure_from_rates(self, rates: RateLimitsDataSchema) -> None:
        """Adopt the limits reported by ``GET /my/rates``.

        Requests already spent in a window (``limit - remaining``) are recorded as if made
        just before the window began, so they free up at the reported ``reset``.
        """
        scopes: dict[ScopeName, RateLimitScopeSchema | None] = {
            "account": rates.account,
            "data": rates.data,
            "action": rates.action,
            "simulation": rates.simulation,
        }
        for name, scope in scopes.items():
            if scope is None:
                continue
            windows: list[Window] = []
            spent: list[tuple[int, float]] = []
            for label, seconds in WINDOW_SECONDS.items():
                info = getattr(scope, label)
                if info is None or info.limit <= 0:
                    continue
                windows.append(Window(info.limit, seconds))
                used = max(0, info.limit - info.remaining)
                spent.append((used, self._to_seconds(info.reset) - seconds))
            if not windows:
                continue
            self.set_limits(name, windows)
            state = self._scope(name)
            ordered = sorted(zip(windows, spent, strict=True), key=lambda pair: pair[0].seconds)
            for (_window, (used, stamp)), log in zip(ordered, state.logs, strict=True):
                # Fill up to ``used`` entries, keeping what we recorded ourselves.
                while len(log) < used:
                    log.appendleft(min(stamp, log[0]) if log else stamp)
            logger.info("rate limits for %s: %s", name, windows)

    def _scope(self, scope: ScopeName) -> _Scope:
        state = self._scopes.get(scope)
        if state is None:
            # Unknown scopes get the strictest documented per-second default.
            state = _Scope(windows=(Window(10, 1.0),))
            self._scopes[scope] = state
        return state

    def _delay(self, state: _Scope, now: float) -> float:
        delay = max(0.0, state.paused_until - now)
        for window, log in zip(state.windows, state.logs, strict=True):
            span = window.seconds + self._margin
            while log and log[0] <= now - span:
                log.popleft()
            if len(log) >= window.limit:
                delay = max(delay, log[len(log) - window.limit] + span - now)
        return delay

    def _record(self, state: _Scope, now: float) -> None:
        for log in state.logs:
            log.append(now)
        state.stats.granted += 1

    async def acquire(self, scope: ScopeName, *, key: str | None = None) -> None:
        """Wait for a slot in ``scope``; ``key`` (a character name) sets the fairness queue."""
        state = self._scope(scope)
        now = self._now()
        if not any(state.queues.values()) and self._delay(state, now) <= _EPSILON:
            self._record(state, now)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        state.queues.setdefault(key, deque()).append(future)
        state.stats.waited += 1
        self._pump(scope)
        try:
            await future
        finally:
            state.stats.wait_seconds += self._now() - now

    def _pump(self, scope: ScopeName) -> None:
        """Grant slots to queued requests round-robin; arm one timer if they must wait."""
        state = self._scopes[scope]
        while True:
            self._drop_cancelled(state)
            if not state.queues:
                return
            now = self._now()
            delay = self._delay(state, now)
            if delay > _EPSILON:
                if state.timer is None or state.timer.done():
                    wake = max(delay, 10 * _EPSILON)
                    state.timer = asyncio.ensure_future(self._wake(scope, wake))
                return
            key, waiters = next(iter(state.queues.items()))
            future = waiters.popleft()
            # Round-robin: the served key goes to the back of the rotation.
            state.queues.move_to_end(key)
            if not waiters:
                del state.queues[key]
            self._record(state, now)
            future.set_result(None)

    @staticmethod
    def _drop_cancelled(state: _Scope) -> None:
        for key in list(state.queues):
            waiters = state.queues[key]
            while waiters and waiters[0].done():
                waiters.popleft()
            if not waiters:
                del state.queues[key]

    async def _wake(self, scope: ScopeName, delay: float) -> None:
        await self._clock.sleep(delay)
        self._scopes[scope].timer = None
        self._pump(scope)

    def penalize(self, scope: ScopeName, retry_after: float | None = None) -> float:
        """Pause ``scope`` after a 429 and return the pause in seconds.

        Without ``Retry-After`` the pause grows (1, 2, 4, ... up to ``max_pause``) with each
        consecutive 429 and resets after a success (:meth:`succeeded`).
        """
        state = self._scope(scope)
        state.stats.rate_limited += 1
        state.strikes += 1
        if retry_after is None or retry_after < 0:
            pause = min(self._max_pause, self._default_pause * 2.0 ** (state.strikes - 1))
        else:
            pause = min(self._max_pause * 60, float(retry_after))
        state.paused_until = max(state.paused_until, self._now() + pause)
        logger.warning("429 on scope %s: pausing %.2fs", scope, pause)
        return pause

    def succeeded(self, scope: ScopeName) -> None:
        """Note a request of ``scope`` that was not rate limited (resets the back-off)."""
        self._scope(scope).strikes = 0

    def paused_for(self, scope: ScopeName) -> float:
        """Seconds until ``scope`` may send again because of a 429 pause (0 if none)."""
        return max(0.0, self._scope(scope).paused_until - self._now())

    def queued(self, scope: ScopeName) -> int:
        """Number of requests waiting in ``scope``."""
        state = self._scope(scope)
        return sum(1 for q in state.queues.values() for f in q if not f.done())
