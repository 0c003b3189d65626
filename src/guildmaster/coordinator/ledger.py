"""``ReservationLedger``: who may withdraw which banked units, so no two characters race for them.

The bank is shared by the whole account; two characters planning against the same snapshot
would both try to withdraw the same units and one would fail with 478. The ledger hands out
reservations: ``available = bank - reservations of everyone else``, a grant never exceeds what
is available, so the grants of all owners never add up to more than the bank holds. A
reservation is cleared when its craft goal completes and expires after five game minutes (a
crashed character must not lock the bank forever).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from guildmaster.clock import Clock
from guildmaster.coordinator.store import CharacterName, StoredReservation, TeamStore

__all__ = ["RESERVATION_GAME_SECONDS", "ReservationLedger"]

logger = logging.getLogger(__name__)

#: How long a reservation lives (game seconds) unless renewed or cleared.
RESERVATION_GAME_SECONDS = 300.0


class ReservationLedger:
    """Reservations of banked items per character, persisted in a :class:`TeamStore`.

    >>> from guildmaster.clock import VirtualClock
    >>> ledger = ReservationLedger(TeamStore(), VirtualClock())
    >>> ledger.reserve("ann", {"ore": 8}, bank={"ore": 10})
    {'ore': 8}
    >>> ledger.reserve("bob", {"ore": 8}, bank={"ore": 10})
    {'ore': 2}
    """

    def __init__(
        self,
        store: TeamStore,
        clock: Clock,
        *,
        lifetime: float = RESERVATION_GAME_SECONDS,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lifetime = lifetime

    def _live(self) -> tuple[StoredReservation, ...]:
        """Return the unexpired reservations, deleting the expired ones."""
        now = self.clock.now()
        live: list[StoredReservation] = []
        dead: set[str] = set()
        for r in self.store.reservations():
            if datetime.fromisoformat(r.expires_at) <= now:
                dead.add(r.owner)
            else:
                live.append(r)
        if dead:
            logger.info("reservations expired: %s", ", ".join(sorted(dead)))
            self.store.delete_reservations(sorted(dead))
            live = [r for r in live if r.owner not in dead]
        return tuple(live)

    def expire(self) -> int:
        """Delete expired reservations; return how many owners still hold one."""
        return len({r.owner for r in self._live()})

    def held(self, owner: CharacterName) -> dict[str, int]:
        """Return what ``owner`` currently holds reserved."""
        return {r.code: r.quantity for r in self._live() if r.owner == owner}

    def reserved(self, *, excluding: CharacterName | None = None) -> dict[str, int]:
        """Return the total reserved per item (leaving out ``excluding``'s reservation)."""
        total: dict[str, int] = {}
        for r in self._live():
            if r.owner != excluding:
                total[r.code] = total.get(r.code, 0) + r.quantity
        return total

    def owners(self) -> dict[CharacterName, dict[str, int]]:
        """Return every live reservation, by owner."""
        result: dict[CharacterName, dict[str, int]] = {}
        for r in self._live():
            result.setdefault(r.owner, {})[r.code] = r.quantity
        return result

    def available(
        self, bank: Mapping[str, int], *, for_owner: CharacterName | None = None
    ) -> dict[str, int]:
        """Return ``bank - reservations`` (reservations of ``for_owner`` count as available)."""
        taken = self.reserved(excluding=for_owner)
        return {
            code: qty - taken.get(code, 0) for code, qty in bank.items() if qty > taken.get(code, 0)
        }

    def reserve(
        self, owner: CharacterName, items: Mapping[str, int], *, bank: Mapping[str, int]
    ) -> dict[str, int]:
        """Reserve up to ``items`` for ``owner`` out of ``bank``; return what was granted.

        The grant replaces ``owner``'s previous reservation (and renews its expiry); it never
        exceeds ``bank`` minus everyone else's reservations.
        """
        free = self.available(bank, for_owner=owner)
        granted = {
            code: min(qty, free.get(code, 0))
            for code, qty in sorted(items.items())
            if min(qty, free.get(code, 0)) > 0
        }
        expires = self.clock.after_game(self.lifetime).isoformat()
        self.store.replace_reservations(owner, granted, expires)
        return granted

    def consume(self, owner: CharacterName, items: Mapping[str, int]) -> None:
        """Reduce ``owner``'s reservation by what it withdrew (``items``), keeping the expiry."""
        live = [r for r in self._live() if r.owner == owner]
        if not live:
            return
        left = {r.code: r.quantity - items.get(r.code, 0) for r in live}
        self.store.replace_reservations(owner, left, live[0].expires_at)

    def release(self, owner: CharacterName) -> None:
        """Clear ``owner``'s reservation (its craft goal completed or was abandoned)."""
        self.store.delete_reservations([owner])

    def clear(self) -> None:
        """Clear every reservation (the plan completed)."""
        self.store.delete_reservations(None)
