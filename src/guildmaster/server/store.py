"""SQLite persistence of the server state (implements :class:`~guildmaster.server.game.StateStore`).

One table per entity kind, each row a JSON record keyed by id. :meth:`SqliteStore.save` writes in
one transaction only the rows whose record changed since the last save (and deletes vanished
ones), appends new log and GE-history entries, and stores global values (next id, active events,
the game RNG's state, so a restarted server continues the same random sequence).
The database runs in WAL mode with ``synchronous=FULL``, so a committed save survives a kill -9:
a crash loses at most the request in flight.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

from guildmaster.server.auth import TokenRegistry
from guildmaster.server.game import GameServer
from guildmaster.server.state import (
    Account,
    BankState,
    Character,
    GEOrder,
    LogEntry,
    PendingItem,
    ServerState,
)
from guildmaster.server.world import Json

__all__ = ["SCHEMA_VERSION", "SqliteStore", "StoreError"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 1

_KEYED_TABLES: Final = ("accounts", "characters", "banks", "ge_orders", "pending_items", "tokens")
_LIST_TABLES: Final = ("logs", "ge_history")


class StoreError(RuntimeError):
    """The database cannot be used: corrupt, not SQLite, or from an unknown schema version."""


def _dump(record: Any) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def _record(entry: Any) -> Any:
    return entry.to_record() if isinstance(entry, LogEntry) else entry


class SqliteStore:
    """The server state in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        #: token registry persisted alongside the state (set by ``create_app``)
        self.tokens: TokenRegistry | None = None
        self._saved: dict[str, dict[str, str]] = {table: {} for table in _KEYED_TABLES}
        self._saved_lengths: dict[str, int] = {table: 0 for table in _LIST_TABLES}
        self._saved_globals: dict[str, str] = {}
        try:
            self._db = sqlite3.connect(str(self.path), isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open game database {self.path}: {exc}") from exc

    def _create_schema(self) -> None:
        with self._transaction():
            for table in _KEYED_TABLES:
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, record TEXT)"
                )
            for table in _LIST_TABLES:
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (seq INTEGER PRIMARY KEY, record TEXT)"
                )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS globals (key TEXT PRIMARY KEY, value TEXT)"
            )
            row = self._db.execute("SELECT value FROM globals WHERE key='schema'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO globals VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise StoreError(
                    f"game database {self.path} has schema {row[0]}, expected {SCHEMA_VERSION}"
                )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- load --------------------------------------------------------------------------------
    def load(self, game: GameServer, tokens: TokenRegistry) -> None:
        """Fill ``game.state`` and ``tokens`` from the database.

        Raises:
            StoreError: if a record cannot be decoded.
        """
        try:
            state = self._read_state()
            token_rows = self._rows("tokens")
            rng_state = self._rng_state()
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"game database {self.path} is corrupt: {exc}") from exc
        game.state = state
        if rng_state is not None:
            version, internal, gauss = rng_state
            game.rng.setstate((version, tuple(internal), gauss))
        for character in state.characters.values():
            character.refresh_stats(game.world, game.rules)
        for digest, account in token_rows:
            tokens.add(digest, str(account))
        self.tokens = tokens
        self._remember(game)
        logger.info(
            "loaded %d accounts, %d characters from %s",
            len(state.accounts),
            len(state.characters),
            self.path,
        )

    def _rng_state(self) -> list[Any] | None:
        row = self._db.execute("SELECT value FROM globals WHERE key = 'rng'").fetchone()
        return None if row is None else list(json.loads(row[0]))

    def _rows(self, table: str) -> list[tuple[str, Any]]:
        rows = self._db.execute(f"SELECT key, record FROM {table} ORDER BY rowid").fetchall()
        return [(str(key), json.loads(record)) for key, record in rows]

    def _list(self, table: str) -> list[Any]:
        rows = self._db.execute(f"SELECT record FROM {table} ORDER BY seq").fetchall()
        return [json.loads(record) for (record,) in rows]

    def _read_state(self) -> ServerState:
        state = ServerState()
        state.accounts = {k: Account.from_record(r) for k, r in self._rows("accounts")}
        state.characters = {k: Character.from_record(r) for k, r in self._rows("characters")}
        state.banks = {k: BankState.from_record(r) for k, r in self._rows("banks")}
        state.ge_orders = {k: GEOrder.from_record(r) for k, r in self._rows("ge_orders")}
        state.pending_items = {
            k: PendingItem.from_record(r) for k, r in self._rows("pending_items")
        }
        state.logs = [LogEntry(**record) for record in self._list("logs")]
        state.ge_history = self._list("ge_history")
        values = dict(self._db.execute("SELECT key, value FROM globals").fetchall())
        state.next_id = int(values.get("next_id", "1"))
        state.active_events = json.loads(values.get("active_events", "[]"))
        return state

    # -- save --------------------------------------------------------------------------------
    def _current(self, game: GameServer) -> dict[str, dict[str, str]]:
        state = game.state
        records: dict[str, Callable[[], Iterable[tuple[str, Json]]]] = {
            "accounts": lambda: ((k, v.to_record()) for k, v in state.accounts.items()),
            "characters": lambda: ((k, v.to_record()) for k, v in state.characters.items()),
            "banks": lambda: ((k, v.to_record()) for k, v in state.banks.items()),
            "ge_orders": lambda: ((k, v.to_record()) for k, v in state.ge_orders.items()),
            "pending_items": lambda: ((k, v.to_record()) for k, v in state.pending_items.items()),
        }
        current = {table: {k: _dump(r) for k, r in produce()} for table, produce in records.items()}
        entries = self.tokens.entries() if self.tokens is not None else []
        current["tokens"] = {digest: _dump(account) for digest, account in entries}
        return current

    def _globals(self, game: GameServer) -> dict[str, str]:
        return {
            "next_id": str(game.state.next_id),
            "active_events": _dump(game.state.active_events),
            "rng": _dump(game.rng.getstate()),
        }

    def _remember(self, game: GameServer) -> None:
        self._saved = self._current(game)
        self._saved_lengths = {
            "logs": len(game.state.logs),
            "ge_history": len(game.state.ge_history),
        }
        self._saved_globals = self._globals(game)

    def save(self, game: GameServer, *, accounts: set[str]) -> None:
        """Persist every change since the last save in one transaction.

        ``accounts`` names the accounts the caller touched; the store diffs the whole state
        anyway, so changes to other accounts (GE fills, gifts) are never lost.

        Raises:
            StoreError: if SQLite fails (the in-memory state is then ahead of the database).
        """
        current = self._current(game)
        sources: dict[str, list[Any]] = {
            "logs": game.state.logs,
            "ge_history": game.state.ge_history,
        }
        global_values = self._globals(game)
        try:
            with self._transaction():
                for table, rows in current.items():
                    saved = self._saved[table]
                    for key, record in rows.items():
                        if saved.get(key) != record:
                            self._db.execute(
                                f"INSERT OR REPLACE INTO {table} (key, record) VALUES (?, ?)",
                                (key, record),
                            )
                    for key in saved.keys() - rows.keys():
                        self._db.execute(f"DELETE FROM {table} WHERE key = ?", (key,))
                for table, entries in sources.items():
                    start = self._saved_lengths[table]
                    if len(entries) < start:  # trimmed in memory: rewrite
                        self._db.execute(f"DELETE FROM {table}")
                        start = 0
                    self._db.executemany(
                        f"INSERT INTO {table} (seq, record) VALUES (?, ?)",
                        [(i, _dump(_record(entries[i]))) for i in range(start, len(entries))],
                    )
                for key, value in global_values.items():
                    if self._saved_globals.get(key) != value:
                        self._db.execute(
                            "INSERT OR REPLACE INTO globals (key, value) VALUES (?, ?)",
                            (key, value),
                        )
        except sqlite3.Error as exc:
            raise StoreError(f"saving to {self.path} failed: {exc}") from exc
        self._saved = current
        self._saved_lengths = {table: len(entries) for table, entries in sources.items()}
        self._saved_globals = global_values


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")
