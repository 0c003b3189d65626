"""``TeamStore``: the coordinator's persistent team state in one SQLite file (WAL).

Plans, reservations, stage assignments, boss parties and production counters live here so a
restarted player (even after ``kill -9``) resumes where it stopped. Every mutation is one
transaction; reads see the last committed state. ``":memory:"`` gives a throw-away store for
tests and for runs that need no persistence.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

__all__ = ["CharacterName", "StoredReservation", "TeamStore"]

logger = logging.getLogger(__name__)

#: A character's name.
CharacterName: TypeAlias = str

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS reservations ("
    " owner TEXT NOT NULL, code TEXT NOT NULL, quantity INTEGER NOT NULL,"
    " expires_at TEXT NOT NULL, PRIMARY KEY (owner, code))",
    "CREATE TABLE IF NOT EXISTS assignments (name TEXT PRIMARY KEY, stage TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS parties (id TEXT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS production ("
    " code TEXT PRIMARY KEY, needed INTEGER NOT NULL, produced INTEGER NOT NULL)",
)


@dataclass(frozen=True, slots=True)
class StoredReservation:
    """One reserved bank stack: ``owner`` may withdraw ``quantity`` of ``code`` until then.

    >>> StoredReservation("ann", "copper_ore", 6, "2026-01-01T00:05:00+00:00").quantity
    6
    """

    owner: CharacterName
    code: str
    quantity: int
    expires_at: str


class TeamStore:
    """Atomic persistence of the team's shared state (stdlib ``sqlite3``, WAL journal)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=5000")
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed transaction survives a crash of the process or the machine.
        self._conn.execute("PRAGMA synchronous=FULL")
        with self.transaction() as cur:
            for statement in _SCHEMA:
                cur.execute(statement)

    def close(self) -> None:
        """Close the database (further calls fail)."""
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """Run the enclosed statements as one atomic transaction.

        Raises:
            sqlite3.Error: the database failed; nothing of the transaction is kept.
        """
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        else:
            cur.execute("COMMIT")
        finally:
            cur.close()

    # ----------------------------------------------------------------- key/value (JSON)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the JSON value stored under ``key`` (``default`` when absent)."""
        row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        """Store a JSON-ready ``value`` under ``key`` (``None`` deletes it)."""
        with self.transaction() as cur:
            if value is None:
                cur.execute("DELETE FROM kv WHERE key = ?", (key,))
            else:
                cur.execute(
                    "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                    (key, json.dumps(value, sort_keys=True)),
                )

    # ----------------------------------------------------------------- reservations

    def reservations(self) -> tuple[StoredReservation, ...]:
        """Return every stored reservation, ordered by owner and code."""
        rows = self._conn.execute(
            "SELECT owner, code, quantity, expires_at FROM reservations ORDER BY owner, code"
        ).fetchall()
        return tuple(StoredReservation(str(o), str(c), int(q), str(e)) for o, c, q, e in rows)

    def replace_reservations(self, owner: CharacterName, items: Mapping[str, int], at: str) -> None:
        """Make ``items`` (code -> quantity, expiring ``at``) the whole reservation of ``owner``."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM reservations WHERE owner = ?", (owner,))
            cur.executemany(
                "INSERT INTO reservations (owner, code, quantity, expires_at) VALUES (?, ?, ?, ?)",
                [(owner, code, qty, at) for code, qty in sorted(items.items()) if qty > 0],
            )

    def delete_reservations(self, owners: list[CharacterName] | None = None) -> None:
        """Delete the reservations of ``owners`` (every reservation when ``None``)."""
        with self.transaction() as cur:
            if owners is None:
                cur.execute("DELETE FROM reservations")
            else:
                cur.executemany("DELETE FROM reservations WHERE owner = ?", [(o,) for o in owners])

    # ----------------------------------------------------------------- assignments

    def assignments(self) -> dict[CharacterName, str]:
        """Return the stage id assigned to each character."""
        rows = self._conn.execute("SELECT name, stage FROM assignments ORDER BY name").fetchall()
        return {str(n): str(s) for n, s in rows}

    def save_assignments(self, assignments: Mapping[CharacterName, str]) -> None:
        """Replace every assignment by ``assignments``."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM assignments")
            cur.executemany(
                "INSERT INTO assignments (name, stage) VALUES (?, ?)",
                sorted(assignments.items()),
            )

    # ----------------------------------------------------------------- parties

    def parties(self) -> dict[str, dict[str, Any]]:
        """Return every stored party (id -> JSON data)."""
        rows = self._conn.execute("SELECT id, data FROM parties ORDER BY id").fetchall()
        return {str(i): json.loads(d) for i, d in rows}

    def save_party(self, party_id: str, data: Mapping[str, Any] | None) -> None:
        """Store a party's JSON data (``None`` deletes it)."""
        with self.transaction() as cur:
            if data is None:
                cur.execute("DELETE FROM parties WHERE id = ?", (party_id,))
            else:
                cur.execute(
                    "INSERT OR REPLACE INTO parties (id, data) VALUES (?, ?)",
                    (party_id, json.dumps(dict(data), sort_keys=True)),
                )

    # ----------------------------------------------------------------- production

    def production(self) -> dict[str, tuple[int, int]]:
        """Return ``code -> (needed, produced)`` counters."""
        rows = self._conn.execute(
            "SELECT code, needed, produced FROM production ORDER BY code"
        ).fetchall()
        return {str(c): (int(n), int(p)) for c, n, p in rows}

    def add_production(
        self, *, needed: Mapping[str, int] | None = None, produced: Mapping[str, int] | None = None
    ) -> None:
        """Add to the ``needed`` and ``produced`` counters, atomically."""
        changes: dict[str, list[int]] = {}
        for code, qty in (needed or {}).items():
            changes.setdefault(code, [0, 0])[0] += qty
        for code, qty in (produced or {}).items():
            changes.setdefault(code, [0, 0])[1] += qty
        if not changes:
            return
        with self.transaction() as cur:
            cur.executemany(
                "INSERT INTO production (code, needed, produced) VALUES (?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET needed = needed + excluded.needed, "
                "produced = produced + excluded.produced",
                [(code, n, p) for code, (n, p) in sorted(changes.items())],
            )
