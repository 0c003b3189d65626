"""Running the player against a server: local game, account bootstrap, team runs, benchmarks.

This module is where the player and the local server meet in one process (the only player-side
module allowed to import :mod:`guildmaster.server`). The pieces:

* :class:`Endpoint`: where a server is (base URL + how to build a transport): an in-process app
  through ``httpx.ASGITransport`` or a real HTTP server.
* :class:`LocalGame`: the local server app built on a given clock and world spec.
* :func:`open_session`: account bootstrap (create the account if needed, token via
  ``POST /token``, rate limits from ``GET /my/rates``, N characters with original names).
* :class:`Session`: an authenticated account; it builds clients that share one rate limiter and
  report every HTTP status to a :class:`ResponseTap` (the bench's request counters).
* :func:`run_team`: N agents (+ the coordinator when enabled) in a
  :class:`~guildmaster.agent.team.Team` until a game-time horizon or a stop event, with a
  progress point every game hour.

The benchmark itself (``guildmaster bench``: all of this on a
:class:`~guildmaster.clock.VirtualClock`) is :func:`guildmaster.cli.bench.run_bench`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from guildmaster.agent.advisor import Advisor
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.metrics import CharacterProgress, RunMetrics
from guildmaster.agent.team import Runnable, Team, TeamStatus
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import CharacterNameTaken, UsernameTaken
from guildmaster.api.ratelimit import RateLimiter
from guildmaster.clock import Clock, stopwatch
from guildmaster.coordinator import (
    PARTY_SIZE,
    Coordinator,
    CoordinatorSettings,
    PartySettings,
    RoleSettings,
    TeamStore,
)
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.planning.domains.state import SKILLS
from guildmaster.server.app import create_app
from guildmaster.server.settings import RateLimitSettings, ServerSettings

__all__ = [
    "ORIGINAL_NAMES",
    "SKINS",
    "AccountSpec",
    "AgentFactory",
    "Endpoint",
    "LocalGame",
    "RecordingTransport",
    "ResponseTap",
    "Session",
    "TeamRun",
    "build_coordinator",
    "character_agent_factory",
    "character_names",
    "open_session",
    "read_progress",
    "run_team",
]

logger = logging.getLogger(__name__)

#: Names given to new characters, in order (original names, 3-12 characters).
ORIGINAL_NAMES: tuple[str, ...] = (
    "Alderwick",
    "Brisketta",
    "Cindervale",
    "Dunmorrow",
    "Emberlyn",
    "Fennimore",
    "Gorsebrook",
    "Hollowell",
    "Ivytide",
    "Juniperra",
)

#: Skins cycled through when creating characters (every server accepts these).
SKINS: tuple[str, ...] = ("men1", "women1", "men2", "women2", "men3")

_ONE_HOUR = 3600.0


# --------------------------------------------------------------------------- HTTP plumbing


class ResponseTap:
    """Fans every HTTP response status out to its listeners (and counts them)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[int], None]] = []
        self.count = 0

    def subscribe(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(status)`` for every later response."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[int], None]) -> None:
        """Stop calling ``listener`` (no-op if it was not subscribed)."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def publish(self, status: int) -> None:
        """Report one response status."""
        self.count += 1
        for listener in list(self._listeners):
            listener(status)


class RecordingTransport(httpx.AsyncBaseTransport):
    """A transport wrapper that reports each response's status to a :class:`ResponseTap`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, tap: ResponseTap) -> None:
        self._inner = inner
        self._tap = tap

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Forward ``request`` and publish the status of its response."""
        response = await self._inner.handle_async_request(request)
        self._tap.publish(response.status_code)
        return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()


@dataclass(frozen=True)
class Endpoint:
    """Where a server is: its base URL and how to build a transport to it."""

    base_url: str
    make_transport: Callable[[], httpx.AsyncBaseTransport]

    @classmethod
    def from_url(cls, url: str) -> Endpoint:
        """A real HTTP server at ``url``."""
        return cls(base_url=url.rstrip("/"), make_transport=httpx.AsyncHTTPTransport)

    @classmethod
    def from_app(cls, app: Any, *, base_url: str = "http://local.guildmaster") -> Endpoint:
        """An ASGI app in this process (``httpx.ASGITransport``; no socket)."""
        return cls(base_url=base_url, make_transport=lambda: httpx.ASGITransport(app=app))


class LocalGame:
    """The local game server app on ``clock``, reached in process through ASGITransport.

    ``world`` is ``generated:SEED`` or a world file path. Rate limits are on with the default
    numbers unless ``rate_limits=False``; ``rate_limit_scale`` multiplies them (the demo scales
    them with the clock so a faster game keeps the same requests per game second).

    Raises:
        WorldLoadError: if the world cannot be loaded.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        world: str = "generated:1",
        seed: int = 0,
        rate_limits: bool = True,
        rate_limit_scale: float = 1.0,
        db: str | None = None,
    ) -> None:
        limits = RateLimitSettings(enabled=rate_limits)
        if rate_limit_scale != 1.0:
            limits = limits.scaled(rate_limit_scale)
        self.clock = clock
        self.settings = ServerSettings(
            world=world, time_scale=clock.scale, db_path=db, seed=seed, rate_limits=limits
        )
        self.app = create_app(self.settings, clock)

    @property
    def endpoint(self) -> Endpoint:
        """The in-process endpoint of this game."""
        return Endpoint.from_app(self.app)


# --------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class AccountSpec:
    """Credentials of an account to create (or reuse) on a local server."""

    username: str = "guildmaster"
    password: str = "guildmaster-pass"
    email: str = "guildmaster@example.com"


def character_names(count: int, *, taken: Sequence[str] = ()) -> list[str]:
    """``count`` original character names not in ``taken`` (case-insensitive).

    >>> character_names(2, taken=["alderwick"])
    ['Brisketta', 'Cindervale']
    """
    used = {name.lower() for name in taken}
    names: list[str] = []
    index = 0
    while len(names) < count:
        base = ORIGINAL_NAMES[index % len(ORIGINAL_NAMES)]
        round_ = index // len(ORIGINAL_NAMES)
        candidate = base if round_ == 0 else f"{base[:9]}{round_}"
        if candidate.lower() not in used:
            names.append(candidate)
            used.add(candidate.lower())
        index += 1
    return names


@dataclass
class Session:
    """An authenticated account on a server, with the characters a run plays.

    Every client it builds shares one account-wide :class:`RateLimiter`; tapped clients report
    each response status to :attr:`tap`. :meth:`aclose` closes every client built.
    """

    endpoint: Endpoint
    clock: Clock
    token: str
    names: tuple[str, ...]
    limiter: RateLimiter
    tap: ResponseTap = field(default_factory=ResponseTap)
    _clients: list[AsyncArtifactsClient] = field(default_factory=list)

    def client(self, *, tapped: bool = True, seed: int = 0) -> AsyncArtifactsClient:
        """A new client of this account (closed by :meth:`aclose`)."""
        transport = self.endpoint.make_transport()
        if tapped:
            transport = RecordingTransport(transport, self.tap)
        client = AsyncArtifactsClient(
            self.endpoint.base_url,
            self.token,
            transport=transport,
            clock=self.clock,
            limiter=self.limiter,
            seed=seed,
        )
        self._clients.append(client)
        return client

    @property
    def clients(self) -> tuple[AsyncArtifactsClient, ...]:
        """Every client built so far."""
        return tuple(self._clients)

    async def aclose(self) -> None:
        """Close every client built."""
        for client in self._clients:
            await client.aclose()
        self._clients.clear()


async def open_session(
    endpoint: Endpoint,
    *,
    clock: Clock,
    token: str | None = None,
    account: AccountSpec | None = None,
    characters: int | Sequence[str] | None = 1,
    create_missing: bool = True,
) -> Session:
    """Log in (creating ``account`` first when no ``token``) and make sure the characters exist.

    ``characters`` is a count (the account's existing characters first, then new ones with
    original names), explicit names, or None (every character the account has). The shared
    limiter is configured from ``GET /my/rates``.

    Raises:
        ValueError: neither ``token`` nor ``account`` given, or a wanted character is missing
            and ``create_missing`` is false.
        ArtifactsError: any API failure (bad credentials, full account...).
    """
    limiter = RateLimiter(clock=clock)
    session = Session(endpoint=endpoint, clock=clock, token=token or "", names=(), limiter=limiter)
    setup = session.client(tapped=False)
    try:
        if token is None:
            if account is None:
                raise ValueError("give a token or an account to create")
            with contextlib.suppress(UsernameTaken):
                await setup.create_account(account.username, account.password, account.email)
                logger.info("account %s created", account.username)
            session.token = await setup.generate_token(account.username, account.password)
        await setup.configure_rate_limits()
        session.names = tuple(await _ensure_characters(setup, characters, create_missing))
    except BaseException:
        await session.aclose()
        raise
    logger.info("session on %s: %s", endpoint.base_url, ", ".join(session.names))
    return session


async def _ensure_characters(
    client: AsyncArtifactsClient, characters: int | Sequence[str] | None, create_missing: bool
) -> list[str]:
    existing = [c.name for c in await client.my_characters()]
    if characters is None:
        return existing
    if isinstance(characters, int):
        wanted = existing[:characters]
        fresh = character_names(characters - len(wanted), taken=existing)
    else:
        wanted = [name for name in characters if name in existing]
        fresh = [name for name in characters if name not in existing]
    if fresh and not create_missing:
        raise ValueError(f"characters not on this account: {', '.join(fresh)}")
    taken = list(existing) + fresh
    for name in fresh:
        candidate = name
        while True:
            try:
                skin = SKINS[len(wanted) % len(SKINS)]
                await client.create_character(candidate, skin)
                break
            except CharacterNameTaken:
                if not isinstance(characters, int):
                    raise
                # Names are global on a shared server: take the next original name.
                candidate = character_names(1, taken=taken)[0]
                taken.append(candidate)
        wanted.append(candidate)
        logger.info("character %s created", candidate)
    return wanted


async def read_progress(
    client: AsyncArtifactsClient, names: Sequence[str]
) -> list[CharacterProgress]:
    """The current level, XP, skills and gold of ``names`` (one ``GET /my/characters``)."""
    by_name = {c.name: c for c in await client.my_characters()}
    return [
        CharacterProgress.from_character(by_name[name].model_dump(), SKILLS)
        for name in names
        if name in by_name
    ]


# --------------------------------------------------------------------------- agents


class AgentFactory(Protocol):
    """Builds one character agent (a :class:`~guildmaster.agent.team.Runnable`)."""

    def __call__(
        self,
        name: str,
        *,
        client: AsyncArtifactsClient,
        gamedata: GameData,
        clock: Clock,
        metrics: RunMetrics,
        observations: ObservationStore | None,
        advisor: Advisor | None,
    ) -> Runnable:
        """Return the agent playing character ``name``."""
        ...


def character_agent_factory(
    name: str,
    *,
    client: AsyncArtifactsClient,
    gamedata: GameData,
    clock: Clock,
    metrics: RunMetrics,
    observations: ObservationStore | None,
    advisor: Advisor | None,
) -> Runnable:
    """The player's :class:`~guildmaster.agent.character.CharacterAgent` (the default factory)."""
    return CharacterAgent(
        name,
        client=client,
        gamedata=gamedata,
        clock=clock,
        metrics=metrics,
        observations=observations,
        advisor=advisor,
    )


def build_coordinator(
    gamedata: GameData,
    *,
    clock: Clock,
    names: Sequence[str],
    store_path: str = ":memory:",
    fighters: int = PARTY_SIZE,
) -> Coordinator:
    """The team coordinator for ``names`` (team state in ``store_path``): ``fighters`` of
    them fight for the team, the others produce (everyone fights in a team no larger)."""
    logger.info("coordinator on for %s (team state in %s)", ", ".join(names), store_path)
    settings = CoordinatorSettings(
        parties=PartySettings(enabled=True), roles=RoleSettings(fighters=fighters)
    )
    return Coordinator(
        gamedata, TeamStore(store_path), clock=clock, characters=tuple(names), settings=settings
    )


@dataclass(frozen=True)
class TeamRun:
    """What :func:`run_team` measured."""

    metrics: RunMetrics
    team: tuple[CharacterProgress, ...]
    game_hours: float
    wall_seconds: float
    restarts: dict[str, int]
    harness_requests: int

    def report(self, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """The DESIGN.md bench JSON object (plus ``extra`` keys)."""
        more: dict[str, Any] = {"restarts": dict(self.restarts)}
        more["harness_requests"] = self.harness_requests
        more.update(extra or {})
        return self.metrics.report(
            game_hours=self.game_hours,
            wall_seconds=self.wall_seconds,
            team=list(self.team),
            extra=more,
        )


async def run_team(
    session: Session,
    *,
    gamedata: GameData,
    game_hours: float | None,
    metrics: RunMetrics | None = None,
    agent_factory: AgentFactory = character_agent_factory,
    advisor: Advisor | None = None,
    observations: ObservationStore | None = None,
    stop: asyncio.Event | None = None,
    on_status: Callable[[TeamStatus], None] | None = None,
    status_interval: float = 30.0,
    grace_seconds: float = 120.0,
    on_team: Callable[[Team], None] | None = None,
) -> TeamRun:
    """Play every character of ``session`` until ``game_hours`` of game time or ``stop``.

    Each agent gets its own tapped client (shared limiter); every response status goes into
    ``metrics``; a progress point is recorded every game hour. After the horizon the team is
    asked to stop (each agent finishes its current action) and is cancelled if it has not
    stopped within ``grace_seconds`` of clock time. ``on_team`` receives the
    :class:`~guildmaster.agent.team.Team` before it starts (the dashboard's live view).

    Raises:
        ValueError: if ``game_hours`` is not positive.
    """
    if game_hours is not None and game_hours <= 0:
        raise ValueError(f"game_hours must be positive, got {game_hours}")
    clock = session.clock
    metrics = metrics if metrics is not None else RunMetrics()
    observer = session.client(tapped=False)
    agents = [
        agent_factory(
            name,
            client=session.client(seed=index),
            gamedata=gamedata,
            clock=clock,
            metrics=metrics,
            observations=observations,
            advisor=advisor,
        )
        for index, name in enumerate(session.names)
    ]
    team = Team(agents, clock, status_interval=status_interval, on_status=on_status)
    if on_team is not None:
        on_team(team)
    stop = stop if stop is not None else asyncio.Event()
    started_wall = stopwatch()
    started_game = clock.game_seconds()
    harness_before = observer.stats.requests
    session.tap.subscribe(metrics.record_response)
    runner = asyncio.create_task(team.run(), name="team")
    timeline = asyncio.create_task(
        _record_timeline(observer, session.names, metrics, started_game, game_hours),
        name="timeline",
    )
    waits: set[asyncio.Future[Any]] = {runner, asyncio.ensure_future(stop.wait())}
    if game_hours is not None:
        waits.add(asyncio.ensure_future(clock.sleep_game(game_hours * _ONE_HOUR)))
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        elapsed_hours = (clock.game_seconds() - started_game) / _ONE_HOUR
        team.stop()
        await _finish(runner, grace_seconds)
    finally:
        # Normally only the waiters are left; on cancellation (a second Ctrl+C) the team too.
        for task in [*waits, timeline]:
            task.cancel()
        for task in [runner, timeline]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        session.tap.unsubscribe(metrics.record_response)
    final = await read_progress(observer, session.names)
    if game_hours is not None:
        # The team may stop before the timeline task reached the horizon's point.
        last = float(math.floor(game_hours))
        if not metrics.timeline or metrics.timeline[-1]["game_hour"] < last:
            metrics.record_timeline(last, final)
    hours = game_hours if game_hours is not None else round(elapsed_hours, 4)
    return TeamRun(
        metrics=metrics,
        team=tuple(final),
        game_hours=hours,
        wall_seconds=stopwatch() - started_wall,
        restarts=dict(team.restarts),
        harness_requests=observer.stats.requests - harness_before,
    )


async def _finish(runner: asyncio.Task[None], grace: float) -> None:
    """Wait for the stopping team; cancel it after ``grace`` seconds."""
    try:
        await asyncio.wait_for(asyncio.shield(runner), timeout=grace)
    except TimeoutError:
        logger.warning("team did not stop within %.0f s; cancelling it", grace)
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner


async def _record_timeline(
    observer: AsyncArtifactsClient,
    names: Sequence[str],
    metrics: RunMetrics,
    started_game: float,
    game_hours: float | None,
) -> None:
    """A progress point at game hour 0, 1, 2... up to the horizon (inclusive)."""
    clock = observer.clock
    hour = 0
    while game_hours is None or hour <= game_hours:
        wait = started_game + hour * _ONE_HOUR - clock.game_seconds()
        if wait > 0:
            await clock.sleep_game(wait)
        try:
            progress = await read_progress(observer, names)
        except Exception as exc:  # a missed point must not end the run
            logger.warning("timeline point at hour %d failed: %s", hour, exc)
        else:
            metrics.record_timeline(float(hour), progress)
        hour += 1
