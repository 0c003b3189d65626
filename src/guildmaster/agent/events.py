"""The game's running events (``events/active``) as one character may use them.

An event puts content (a monster, a resource, a merchant) on a tile for a while. The agent
plans on the events its world shows; :class:`EventWatch` reads the running ones every so often
and keeps those the character could still reach before they end (:func:`usable_events`), and
:func:`ended_event` finds the event on a tile that is over before an action there could start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.clock import Clock
from guildmaster.knowledge.model import ActiveEvent
from guildmaster.planning.domains.state import Location

__all__ = ["EventWatch", "ended_event", "event_ends", "usable_events"]


def event_ends(event: ActiveEvent) -> datetime | None:
    """Return when ``event`` ends (its ``expiration``), ``None`` when unknown or unreadable."""
    text = event.expiration.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def usable_events(
    events: Iterable[ActiveEvent], arrival: Callable[[ActiveEvent], datetime | None]
) -> tuple[ActiveEvent, ...]:
    """Return the events still running when the character could get there.

    ``arrival(event)`` is when the character would reach the event's tile (``None``: unknown,
    the event is kept). An event without a readable expiration is kept.
    """
    kept: list[ActiveEvent] = []
    for event in events:
        ends = event_ends(event)
        reach = arrival(event) if ends is not None else None
        if ends is None or reach is None or ends > reach:
            kept.append(event)
    return tuple(kept)


def ended_event(
    events: Iterable[ActiveEvent], location: Location, starts: datetime
) -> ActiveEvent | None:
    """Return the event on ``location`` that has ended by ``starts`` (``None``: none)."""
    for event in events:
        ends = event_ends(event)
        if event.tile.key == location and ends is not None and ends <= starts:
            return event
    return None


class EventWatch:
    """The running events one character may use: read every so often, kept while reachable.

    ``EventWatch(running, *, clock, every, margin)``: ``running`` are the events known at the
    start; :meth:`read_if_due` reads them again at most every ``every`` game seconds, and
    :meth:`keep_reachable` keeps those the character could reach (``margin`` game seconds
    included) before they end. A dropped event stays dropped until the next read.
    """

    def __init__(
        self, running: Iterable[ActiveEvent], *, clock: Clock, every: float, margin: float
    ) -> None:
        self.running: tuple[ActiveEvent, ...] = tuple(running)
        self.read_at = -1.0
        """Game seconds of the last read (negative: read at the next check)."""
        self.clock = clock
        self.every = every
        self.margin = margin

    async def read_if_due(self, client: AsyncArtifactsClient) -> None:
        """Read the running events when the last read is ``every`` game seconds old."""
        now = self.clock.game_seconds()
        if self.read_at < 0 or now - self.read_at >= self.every:
            self.read_at = now
            raw = await client.fetch_catalogue("events/active")
            self.running = tuple(ActiveEvent.from_api(d) for d in raw)

    def read_next_time(self) -> None:
        """Read the events at the next check (one ended sooner than it said)."""
        self.read_at = -1.0

    def keep_reachable(
        self, travel: Callable[[ActiveEvent], float | None]
    ) -> tuple[ActiveEvent, ...]:
        """Keep and return the events the character could reach before they end.

        ``travel(event)``: the game seconds to the event's tile (``None``: unknown, kept).
        """

        def arrival(event: ActiveEvent) -> datetime | None:
            seconds = travel(event)
            if seconds is None:
                return None
            return self.clock.after_game(seconds + self.margin)

        self.running = usable_events(self.running, arrival)
        return self.running
