"""A team run: every character of a session plays until a game-time horizon or a stop event.

:func:`run_team` runs N agents (with the coordinator as their advisor when there is one) in a
:class:`~guildmaster.agent.team.Team`, counts every response status into the
:class:`~guildmaster.agent.metrics.RunMetrics` and records a progress point every game hour
(:func:`read_progress`); it returns a :class:`TeamRun`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from guildmaster.agent.advisor import Advisor
from guildmaster.agent.metrics import CharacterProgress, RunMetrics
from guildmaster.agent.team import Runnable, Team, TeamStatus
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.clock import stopwatch
from guildmaster.harness.agents import AgentFactory, character_agent_factory
from guildmaster.harness.session import Session
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore

__all__ = ["TeamRun", "read_progress", "run_team"]

logger = logging.getLogger(__name__)

_ONE_HOUR = 3600.0


async def read_progress(
    client: AsyncArtifactsClient, names: Sequence[str]
) -> list[CharacterProgress]:
    """The current level, XP, skills and gold of ``names`` (one ``GET /my/characters``)."""
    by_name = {c.name: c for c in await client.my_characters()}
    return [CharacterProgress.from_character(by_name[name]) for name in names if name in by_name]


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
    agents = _make_agents(session, agent_factory, gamedata, metrics, observations, advisor)
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
    _record_horizon(metrics, final, game_hours)
    hours = game_hours if game_hours is not None else round(elapsed_hours, 4)
    return TeamRun(
        metrics=metrics,
        team=tuple(final),
        game_hours=hours,
        wall_seconds=stopwatch() - started_wall,
        restarts=dict(team.restarts),
        harness_requests=observer.stats.requests - harness_before,
    )


def _make_agents(
    session: Session,
    agent_factory: AgentFactory,
    gamedata: GameData,
    metrics: RunMetrics,
    observations: ObservationStore | None,
    advisor: Advisor | None,
) -> list[Runnable]:
    """One agent per character of ``session``, each on its own tapped client (seeded by index)."""
    return [
        agent_factory(
            name,
            client=session.client(seed=index),
            gamedata=gamedata,
            clock=session.clock,
            metrics=metrics,
            observations=observations,
            advisor=advisor,
        )
        for index, name in enumerate(session.names)
    ]


def _record_horizon(
    metrics: RunMetrics, final: Sequence[CharacterProgress], game_hours: float | None
) -> None:
    """Record the horizon's progress point when the timeline task stopped short of it."""
    if game_hours is None:
        return
    # The team may stop before the timeline task reached the horizon's point.
    last = float(math.floor(game_hours))
    if not metrics.timeline or metrics.timeline[-1]["game_hour"] < last:
        metrics.record_timeline(last, final)


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
