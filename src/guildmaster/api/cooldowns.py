"""Per-character cooldown bookkeeping for the client.

The client records every action response's cooldown here and, before sending an action,
waits (through the clock) until the character's known expiration. Expirations come from the
server's clock; :class:`CooldownTracker` converts them to the local clock with the offset
observed on action responses (``started_at`` is the server's "now"), so a skewed local clock
neither sends too early (a 499) nor waits too long.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from guildmaster.api.models import CharacterSchema, CooldownSchema
from guildmaster.clock import Clock

__all__ = ["CooldownTracker", "parse_remaining_seconds"]

logger = logging.getLogger(__name__)

_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:s\b|sec|second)", re.IGNORECASE)
#: A bare number (not part of a name such as ``bob2``), for messages without a unit.
_ANY_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])")


def parse_remaining_seconds(message: str) -> float | None:
    """Extract the remaining cooldown from a 499 message, or None if it names no duration.

    >>> parse_remaining_seconds("Character in cooldown: 12.5 seconds remaining.")
    12.5
    >>> parse_remaining_seconds("Character in cooldown: 3.20 seconds left.")
    3.2
    >>> parse_remaining_seconds("Participant bob2 is in cooldown.") is None
    True
    """
    match = _SECONDS.search(message) or _ANY_NUMBER.search(message)
    if match is None:
        return None
    return float(match.group(1))


class CooldownTracker:
    """Known cooldown expiration (local clock) of each character."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._expirations: dict[str, datetime] = {}
        #: server time minus local time, learnt from action responses.
        self._offset = timedelta(0)

    @property
    def offset(self) -> timedelta:
        """Estimated server-minus-local clock offset."""
        return self._offset

    def expiration(self, name: str) -> datetime | None:
        """Return the local-clock time ``name`` may act again (None if unknown)."""
        return self._expirations.get(name)

    def remaining(self, name: str) -> float:
        """Seconds (local clock) until ``name`` leaves its cooldown (0 if none known)."""
        when = self._expirations.get(name)
        if when is None:
            return 0.0
        return max(0.0, (when - self._clock.now()).total_seconds())

    def record_server_expiration(self, name: str, when: datetime | None) -> None:
        """Record an expiration given in server time (e.g. ``character.cooldown_expiration``)."""
        if when is None:
            return
        self._expirations[name] = when - self._offset

    def record_cooldown(self, name: str, cooldown: CooldownSchema) -> None:
        """Record an action response's cooldown (and learn the clock offset from it)."""
        now = self._clock.now()
        self._offset = cooldown.started_at - now
        self._expirations[name] = now + (cooldown.expiration - cooldown.started_at)

    def record_character(self, character: CharacterSchema) -> None:
        """Seed from a character read (``get_character`` / ``my_characters``)."""
        self.record_server_expiration(character.name, character.cooldown_expiration)

    def record_remaining(self, name: str, seconds: float) -> None:
        """Record that ``name`` has ``seconds`` of cooldown left from now."""
        self._expirations[name] = self._clock.now() + timedelta(seconds=max(0.0, seconds))

    async def wait(self, name: str) -> float:
        """Wait until ``name``'s known cooldown has passed; return the seconds waited."""
        delay = self.remaining(name)
        if delay > 0:
            logger.debug("%s waits %.2fs of cooldown", name, delay)
            await self._clock.sleep(delay)
        return delay
