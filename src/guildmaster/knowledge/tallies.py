"""Running totals of the observation log, kept as actions are recorded.

The planner asks the observation store for counts, mean cooldowns, mean yields and fight
statistics tens of thousands of times a game-day; scanning the log with SQL for each answer
grew slower as the log grew. :class:`Tallies` keeps the same sums per (kind, target, outcome)
and per yielded item, read once from the log when the store opens and updated by every
record, so each answer is a few dictionary lookups. Every figure is a count or a sum, so the
answers equal the SQL ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ActionKey", "Tallies", "Tally"]

#: ``(kind, code, outcome)`` of an action row.
ActionKey = tuple[str, str | None, str]


@dataclass(slots=True)
class Tally:
    """Sums over the actions of one (kind, target, outcome): how many, their cooldown seconds,
    and the turns and HP lost of those that report them."""

    count: int = 0
    seconds: float = 0.0
    turns_count: int = 0
    turns: int = 0
    hp_count: int = 0
    hp_lost: int = 0

    def add(self, seconds: float, turns: int | None, hp_lost: int | None) -> None:
        """Count one more action."""
        self.count += 1
        self.seconds += seconds
        if turns is not None:
            self.turns_count += 1
            self.turns += turns
        if hp_lost is not None:
            self.hp_count += 1
            self.hp_lost += hp_lost

    def merge(self, other: Tally) -> None:
        """Add ``other``'s sums to these."""
        self.count += other.count
        self.seconds += other.seconds
        self.turns_count += other.turns_count
        self.turns += other.turns
        self.hp_count += other.hp_count
        self.hp_lost += other.hp_lost


class Tallies:
    """The observation log's sums by (kind, code, outcome) and its yields by item."""

    def __init__(self) -> None:
        self._actions: dict[ActionKey, Tally] = {}
        self._by_kind: dict[tuple[str, str], Tally] = {}
        self._counts: dict[tuple[str | None, str | None], int] = {}
        self._yields: dict[tuple[str, str, str, str], int] = {}

    @classmethod
    def from_log(cls, conn: sqlite3.Connection) -> Tallies:
        """Read the sums of every action and yield already in the log."""
        tallies = cls()
        rows = conn.execute(
            "SELECT kind, code, outcome, COUNT(*), COALESCE(SUM(cooldown_seconds), 0),"
            " COUNT(turns), COALESCE(SUM(turns), 0), COUNT(hp_lost), COALESCE(SUM(hp_lost), 0)"
            " FROM actions GROUP BY kind, code, outcome"
        )
        for kind, code, outcome, *sums in rows:
            tallies._add_tally((kind, code, outcome), Tally(*sums))
        rows = conn.execute(
            "SELECT a.code, y.item, a.kind, a.outcome, SUM(y.quantity) FROM yields y"
            " JOIN actions a ON a.id = y.action_id WHERE a.code IS NOT NULL"
            " GROUP BY a.code, y.item, a.kind, a.outcome"
        )
        for code, item, kind, outcome, quantity in rows:
            tallies._yields[(code, item, kind, outcome)] = int(quantity)
        return tallies

    def add(
        self,
        key: ActionKey,
        *,
        seconds: float,
        turns: int | None,
        hp_lost: int | None,
        items: Iterable[tuple[str, int]],
    ) -> None:
        """Count one recorded action and what it yielded."""
        one = Tally()
        one.add(seconds, turns, hp_lost)
        self._add_tally(key, one)
        kind, code, outcome = key
        if code is None:
            return
        for item, quantity in items:
            at = (code, item, kind, outcome)
            self._yields[at] = self._yields.get(at, 0) + quantity

    def _add_tally(self, key: ActionKey, tally: Tally) -> None:
        kind, code, outcome = key
        self._actions.setdefault(key, Tally()).merge(tally)
        self._by_kind.setdefault((kind, outcome), Tally()).merge(tally)
        counted: tuple[tuple[str | None, str | None], ...] = ((None, None), (kind, None))
        if code is not None:  # a query by code never matches an action without one
            counted += ((None, code), (kind, code))
        for at in counted:
            self._counts[at] = self._counts.get(at, 0) + tally.count

    def count(self, kind: str | None = None, code: str | None = None) -> int:
        """Actions recorded (of ``kind`` / on ``code`` when given)."""
        return self._counts.get((kind, code), 0)

    def total(self, kinds: Iterable[str], code: str | None, outcomes: Iterable[str]) -> Tally:
        """The sums of the actions of ``kinds`` with one of ``outcomes`` (on ``code`` when
        given)."""
        wanted = tuple(outcomes)
        total = Tally()
        for kind in kinds:
            for outcome in wanted:
                found = (
                    self._by_kind.get((kind, outcome))
                    if code is None
                    else self._actions.get((kind, code, outcome))
                )
                if found is not None:
                    total.merge(found)
        return total

    def yielded(self, code: str, item: str, kinds: Iterable[str], outcomes: Iterable[str]) -> int:
        """Units of ``item`` the actions of ``kinds`` with ``outcomes`` on ``code`` yielded."""
        wanted = tuple(outcomes)
        return sum(self._yields.get((code, item, k, o), 0) for k in kinds for o in wanted)
