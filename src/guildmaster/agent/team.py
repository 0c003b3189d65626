"""Running several characters at once: one asyncio task each, isolated failures, clean stop.

:class:`Team` owns one task per :class:`Runnable` (a character agent) inside a TaskGroup. A
crash of one agent is logged and the agent is restarted after an exponential backoff, so one
failure never stops the others. :meth:`Team.stop` (wired to SIGINT/SIGTERM by the CLI) asks every
agent to finish its current action and return. Every ``status_interval`` seconds the team logs a
status line and hands the same data to the ``on_status`` callback (the dashboard's feed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from guildmaster.clock import Clock

__all__ = [
    "Runnable",
    "Team",
    "TeamStatus",
]

logger = logging.getLogger(__name__)


class Runnable(Protocol):
    """What the team runs: a character agent."""

    name: str

    async def run(self, stop: asyncio.Event) -> None:
        """Play until ``stop`` is set (finishing the current action), then return."""

    def status(self) -> Mapping[str, Any]:
        """A JSON-ready snapshot: level, skills, goal, action, cooldown..."""


@dataclass(frozen=True)
class TeamStatus:
    """One status report of the whole team."""

    at: str
    characters: tuple[Mapping[str, Any], ...]
    restarts: Mapping[str, int]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "at": self.at,
            "characters": [dict(c) for c in self.characters],
            "restarts": dict(self.restarts),
        }


@dataclass
class Team:
    """Runs agents concurrently with restart-on-crash and graceful shutdown."""

    agents: Sequence[Runnable]
    clock: Clock
    status_interval: float = 30.0
    max_backoff: float = 300.0
    on_status: Callable[[TeamStatus], None] | None = None
    restarts: dict[str, int] = field(default_factory=dict)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    def stop(self) -> None:
        """Ask every agent to stop after its current action."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    def status(self) -> TeamStatus:
        """The current status of every agent."""
        return TeamStatus(
            at=self.clock.now().isoformat(),
            characters=tuple(agent.status() for agent in self.agents),
            restarts=dict(self.restarts),
        )

    async def run(self) -> None:
        """Run every agent until :meth:`stop` is called (or all agents return)."""
        reporter: asyncio.Task[None] | None = None
        async with asyncio.TaskGroup() as group:
            for agent in self.agents:
                group.create_task(self._supervise(agent), name=f"agent:{agent.name}")
            reporter = asyncio.create_task(self._report_loop(), name="team-status")
        reporter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reporter

    async def _supervise(self, agent: Runnable) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                await agent.run(self._stop)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                count = self.restarts.get(agent.name, 0) + 1
                self.restarts[agent.name] = count
                logger.exception(
                    "agent %s crashed (restart %d in %.0f s)", agent.name, count, backoff
                )
                await self.clock.sleep_or(backoff, self._stop)
                backoff = min(self.max_backoff, backoff * 2)

    async def _report_loop(self) -> None:
        while not self._stop.is_set():
            await self.clock.sleep_or(self.status_interval, self._stop)
            report = self.status()
            summary = ", ".join(
                f"{c.get('name')} L{c.get('level')} {c.get('goal', '-')}/{c.get('action', '-')}"
                for c in report.characters
            )
            logger.info("team status: %s", summary)
            if self.on_status is not None:
                self.on_status(report)
