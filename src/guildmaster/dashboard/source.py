"""Where the dashboard's data comes from: the :class:`DashboardSource` protocol and a live one.

The dashboard only reads a source (and flips the coordinator's switches), so tests feed it fakes.
:class:`LiveSource` is the real thing, filled by the player process:

* :meth:`LiveSource.attach` takes the running :class:`~guildmaster.agent.team.Team` (the
  ``on_team`` hook of :func:`guildmaster.harness.run_team`); ``team_status()`` then asks every
  agent for its status at the moment of the request.
* :class:`EventRecorder` wraps the team's advisor (the coordinator, or nothing) and keeps the
  notable events the agents report (goals, deaths, tasks) in an :class:`EventLog`.
* Level and skill gains seen between two looks become ``level`` events.
* :meth:`LiveSource.run_refresh` reads the characters (``GET /my/characters``) once at the start
  (the table has them before the first status), then re-reads them every so often only while
  some agent's status lacks :data:`DETAIL_FIELDS` (position, task, XP to the next level...). The
  real ``CharacterAgent`` reports them all, so with real agents that is the only read.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from guildmaster.agent.advisor import Advice, Advisor
from guildmaster.agent.metrics import RunMetrics
from guildmaster.agent.team import Team
from guildmaster.clock import Clock
from guildmaster.planning.domains.state import GameState

__all__ = [
    "DETAIL_FIELDS",
    "CoordinatorControl",
    "DashboardEvent",
    "DashboardSource",
    "EventLog",
    "EventRecorder",
    "LiveSource",
]

logger = logging.getLogger(__name__)

#: Agent events worth showing (``action`` and ``bank`` come with every action: too many).
SHOWN_EVENTS: frozenset[str] = frozenset({"death", "goal", "goal_failed", "goal_reached", "task"})

#: Character fields the re-read contributes (the agents' status wins where it has them). An agent
#: whose status has every one of them (even ``None`` before its first read) is not re-read.
DETAIL_FIELDS: tuple[str, ...] = (
    "max_xp",
    "x",
    "y",
    "layer",
    "task",
    "task_type",
    "task_progress",
    "task_total",
    "hp",
    "max_hp",
    "gold",
    "level",
    "xp",
)


class CoordinatorControl(Protocol):
    """What the dashboard uses of the team coordinator (the real ``Coordinator`` fits)."""

    enabled: bool

    def set_manual(self, skill: str, recipe: str | None = None) -> Any:
        """Fix the plan on ``skill`` (and ``recipe``).

        Raises:
            ValueError: the team cannot run that plan.
        """

    def set_auto(self) -> None:
        """Return to automatic plans."""

    def status(self) -> dict[str, Any]:
        """A JSON-ready summary: enabled, plan, assignments, reservations, parties."""

    def surplus(self) -> Sequence[Any]:
        """Gear above quota (``code``, ``quantity``, ``action``, ``to``)."""


class DashboardSource(Protocol):
    """Everything the dashboard shows comes through this."""

    def label(self) -> str:
        """A short description of the game (world or server URL)."""

    def team_status(self) -> Mapping[str, Any]:
        """``{"at", "characters": [agent status...], "restarts": {name: n}}`` right now."""

    def coordinator(self) -> CoordinatorControl | None:
        """The team coordinator, or ``None`` when the team plays without one."""

    def metrics(self) -> RunMetrics | None:
        """The run's counters, or ``None``."""

    def events(self) -> Sequence[DashboardEvent]:
        """Recent notable events, oldest first."""


@dataclass(frozen=True)
class DashboardEvent:
    """One notable thing a character reported.

    >>> DashboardEvent("2026-01-01T00:00:00+00:00", "Alderwick", "death", "died to: wolf").kind
    'death'
    """

    at: str
    character: str
    kind: str
    text: str

    def to_json(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"at": self.at, "character": self.character, "kind": self.kind, "text": self.text}


class EventLog:
    """The last ``size`` events (a bounded queue)."""

    def __init__(self, *, size: int = 100) -> None:
        self._events: deque[DashboardEvent] = deque(maxlen=size)

    def add(self, event: DashboardEvent) -> None:
        """Append ``event`` (the oldest is dropped when full)."""
        self._events.append(event)

    def recent(self) -> tuple[DashboardEvent, ...]:
        """Every kept event, oldest first."""
        return tuple(self._events)


def describe_event(kind: str, data: Mapping[str, Any]) -> str:
    """A one-line text for an agent event.

    >>> describe_event("goal_failed", {"goal": "gather copper_ore", "reason": "no path"})
    'gave up gather copper_ore: no path'
    """
    goal = data.get("goal", "?")
    if kind == "goal":
        return f"new goal {goal} ({data.get('source', '?')})"
    if kind == "goal_reached":
        return f"reached {goal}"
    if kind == "goal_failed":
        return f"gave up {goal}: {data.get('reason', '?')}"
    if kind == "death":
        return f"died to: {data.get('monster', '?')}"
    if kind == "task":
        return (
            f"task {data.get('code', '?')} ({data.get('type', '?')}) "
            f"{data.get('progress', '?')}/{data.get('total', '?')}"
        )
    return f"{kind} {dict(data)}"


class EventRecorder:
    """An advisor wrapper that records the agents' notable events, then passes everything on.

    With ``inner=None`` it advises nothing (each character plans alone) but still records.
    It forwards :meth:`summoned` so boss parties keep working.
    """

    def __init__(self, inner: Advisor | None, log: EventLog, *, clock: Clock) -> None:
        self.inner = inner
        self.log = log
        self.clock = clock

    def advise(self, name: str, state: GameState) -> Advice | None:
        """The inner advisor's advice (``None`` without one)."""
        return None if self.inner is None else self.inner.advise(name, state)

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        """Record ``event`` if it is worth showing, then hand it to the inner advisor."""
        if event in SHOWN_EVENTS:
            at = self.clock.now().isoformat()
            self.log.add(DashboardEvent(at, name, event, describe_event(event, data)))
        if self.inner is not None:
            self.inner.report(name, event, data)

    def summoned(self, name: str) -> bool:
        """Whether the inner advisor calls ``name`` to a boss party."""
        caller = getattr(self.inner, "summoned", None)
        return bool(caller(name)) if callable(caller) else False


#: Reads ``[character as dict]`` from the server (e.g. ``GET /my/characters``).
CharacterReader = Callable[[], Awaitable[Sequence[Mapping[str, Any]]]]


class LiveSource:
    """The player process's dashboard source: a running team, its coordinator and metrics."""

    def __init__(
        self,
        *,
        label: str,
        clock: Clock,
        coordinator: CoordinatorControl | None = None,
        metrics: RunMetrics | None = None,
        events: EventLog | None = None,
    ) -> None:
        self._label = label
        self.clock = clock
        self._coordinator = coordinator
        self._metrics = metrics
        self.log = events if events is not None else EventLog()
        self._team: Team | None = None
        self._details: dict[str, dict[str, Any]] = {}
        self._seen: dict[str, dict[str, int]] = {}

    def recorder(self, inner: Advisor | None) -> EventRecorder:
        """An advisor for the team that records into this source's event log."""
        return EventRecorder(inner, self.log, clock=self.clock)

    def attach(self, team: Team) -> None:
        """Show ``team`` (pass this as ``run_team(on_team=...)``)."""
        self._team = team

    def label(self) -> str:
        """The game this team plays on."""
        return self._label

    def team_status(self) -> Mapping[str, Any]:
        """The team's status now, with the last re-read details filled in."""
        if self._team is None:
            return {"at": self.clock.now().isoformat(), "characters": [], "restarts": {}}
        report = self._team.status().to_json()
        characters = []
        for status in report["characters"]:
            merged = dict(self._details.get(str(status.get("name")), {}))
            merged.update({k: v for k, v in status.items() if v is not None})
            characters.append(merged)
            self._note_progress(merged)
        report["characters"] = characters
        return report

    def _note_progress(self, status: Mapping[str, Any]) -> None:
        """Add a ``level`` event for each level or skill level gained since the last look."""
        name = str(status.get("name"))
        levels: dict[str, int] = {}
        if isinstance(status.get("level"), int):
            levels["level"] = int(status["level"])
        skills = status.get("skills")
        if isinstance(skills, Mapping):
            levels.update({str(k): int(v) for k, v in skills.items() if isinstance(v, int)})
        before = self._seen.get(name)
        self._seen[name] = levels
        if before is None:
            return
        at = self.clock.now().isoformat()
        for key, level in levels.items():
            if level > before.get(key, level):
                what = "level" if key == "level" else f"{key} level"
                self.log.add(DashboardEvent(at, name, "level", f"reached {what} {level}"))

    def coordinator(self) -> CoordinatorControl | None:
        """The team coordinator (``None``: none)."""
        return self._coordinator

    def metrics(self) -> RunMetrics | None:
        """The run's counters."""
        return self._metrics

    def events(self) -> Sequence[DashboardEvent]:
        """Recent notable events."""
        return self.log.recent()

    def stale(self) -> list[str]:
        """Names of the attached team's characters whose status lacks some of :data:`DETAIL_FIELDS`.

        Without a team nothing is shown, so nothing is stale.
        """
        if self._team is None:
            return []
        return [
            str(status.get("name"))
            for status in self._team.status().characters
            if any(key not in status for key in DETAIL_FIELDS)
        ]

    async def refresh(self, read: CharacterReader, *, names: Collection[str] | None = None) -> None:
        """Re-read the characters once (position, task, XP to the next level).

        With ``names`` only those characters' details are replaced (one read either way).
        """
        for character in await read():
            name = str(character.get("name"))
            if names is None or name in names:
                self._details[name] = {k: character[k] for k in DETAIL_FIELDS if k in character}

    async def run_refresh(
        self, read: CharacterReader, stop: asyncio.Event, *, every: float = 10.0
    ) -> None:
        """Read every character once, then re-read the :meth:`stale` ones until ``stop``.

        The re-read comes every ``every`` seconds of clock time, and not at all while nobody is
        stale. A failed read is logged and tried again ``every`` seconds later.
        """
        first = True
        while not stop.is_set():
            names = None if first else self.stale()
            if names is None or names:
                try:
                    await self.refresh(read, names=names)
                    first = False
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the dashboard must never end the run
                    logger.warning("dashboard: reading the characters failed: %s", exc)
            await self.clock.sleep_or(every, stop)
