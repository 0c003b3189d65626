"""Observation store: every action the player performed, in one SQLite file (WAL).

Each :meth:`ObservationStore.record` is one transaction (an action row plus its item yields), so
a crash, even ``kill -9``, loses at most the action being written and never leaves half of one.
The queries turn the log into planning costs: mean cooldowns per action kind and target, mean
yield of an item per gather or fight, and fight statistics per monster. With little or no data
they fall back on priors (blended as pseudo-observations, so a first unlucky sample does not
swing the estimate).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from guildmaster.clock import Clock
from guildmaster.knowledge.tallies import Tallies

__all__ = [
    "DEFAULT_DURATIONS",
    "FightStats",
    "ObservationStore",
    "RecordedAction",
]

logger = logging.getLogger(__name__)

#: Prior cooldown seconds per action kind (MECHANICS §6.2 typical values), for empty stores.
DEFAULT_DURATIONS: Mapping[str, float] = MappingProxyType(
    {
        "gathering": 30.0,
        "crafting": 5.0,
        "fight": 30.0,
        "movement": 25.0,
        "rest": 40.0,
        "recycling": 3.0,
        "deposit_item": 3.0,
        "withdraw_item": 3.0,
        "equip": 3.0,
        "unequip": 3.0,
        "use": 3.0,
        "transition": 3.0,
    }
)
_FALLBACK_DURATION = 3.0
_SUCCESS = ("ok", "win", "loss")
_YIELDING = ("gathering", "fight", "multi_fight", "raid_fight")
_FIGHTS = ("fight", "multi_fight")
_MAX_JSON = 8000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    character TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT,
    request TEXT,
    response TEXT,
    cooldown_seconds REAL NOT NULL,
    outcome TEXT NOT NULL,
    xp INTEGER NOT NULL DEFAULT 0,
    turns INTEGER,
    hp_lost INTEGER
);
CREATE INDEX IF NOT EXISTS actions_kind_code ON actions (kind, code);
CREATE TABLE IF NOT EXISTS yields (
    action_id INTEGER NOT NULL REFERENCES actions (id),
    item TEXT NOT NULL,
    quantity INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS yields_action ON yields (action_id);
CREATE INDEX IF NOT EXISTS yields_item ON yields (item);
"""


@dataclass(frozen=True, slots=True)
class FightStats:
    """Observed fights against one monster (with a uniform prior on the win rate)."""

    monster: str
    fights: int
    wins: int
    win_rate: float
    mean_turns: float
    mean_hp_lost: float
    mean_seconds: float


@dataclass(frozen=True, slots=True)
class RecordedAction:
    """One stored action row."""

    id: int
    at: str
    character: str
    kind: str
    code: str | None
    cooldown_seconds: float
    outcome: str
    xp: int
    turns: int | None
    hp_lost: int | None
    items: tuple[tuple[str, int], ...]


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    text = json.dumps(value, separators=(",", ":"), default=str, sort_keys=True)
    return text if len(text) <= _MAX_JSON else text[: _MAX_JSON - 3] + "..."


class ObservationStore:
    """SQLite-backed log of actions and the learned costs derived from it."""

    def __init__(self, path: Path | str, *, clock: Clock) -> None:
        self.path = Path(path)
        self.clock = clock
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), isolation_level=None)
        # Several processes (player, dashboard) may share the file: wait rather than fail.
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(_SCHEMA)
        self._tallies = Tallies.from_log(self._conn)

    def close(self) -> None:
        """Close the database (checkpointing the WAL)."""
        self._conn.close()

    def __enter__(self) -> ObservationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def record(
        self,
        *,
        character: str,
        kind: str,
        cooldown_seconds: float,
        code: str | None = None,
        request: Any = None,
        response: Any = None,
        outcome: str = "ok",
        items: Mapping[str, int] | None = None,
        xp: int = 0,
        turns: int | None = None,
        hp_lost: int | None = None,
    ) -> int:
        """Store one action atomically and return its id.

        ``kind`` is the cooldown reason (``gathering``, ``crafting``, ``fight``, ``movement``, ...),
        ``code`` its target (resource, item or monster code), ``outcome`` ``ok``/``win``/``loss``
        or an error such as ``error:497``; ``items`` what it yielded.
        """
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO actions (at, character, kind, code, request, response,"
                " cooldown_seconds, outcome, xp, turns, hp_lost)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.clock.now().isoformat(),
                    character,
                    kind,
                    code,
                    _dump(request),
                    _dump(response),
                    float(cooldown_seconds),
                    outcome,
                    int(xp),
                    turns,
                    hp_lost,
                ),
            )
            action_id = int(cur.lastrowid or 0)
            yielded = [(item, int(q)) for item, q in (items or {}).items() if q]
            conn.executemany(
                "INSERT INTO yields (action_id, item, quantity) VALUES (?, ?, ?)",
                [(action_id, item, q) for item, q in yielded],
            )
        # Counted once the transaction holds: a failed write leaves the sums as they were.
        self._tallies.add(
            (kind, code, outcome),
            seconds=float(cooldown_seconds),
            turns=turns,
            hp_lost=hp_lost,
            items=yielded,
        )
        return action_id

    def record_response(
        self,
        *,
        character: str,
        kind: str,
        code: str | None,
        response: Mapping[str, Any],
        request: Any = None,
        hp_before: int | None = None,
    ) -> int:
        """Record an action from its raw response ``data`` (v8 shapes) and return its id.

        Reads ``cooldown.total_seconds``; ``details.{xp, items}`` of gathering/crafting; and
        for fights ``fight.{result, turns}`` plus this character's ``xp``, ``gold``, ``drops``
        and ``final_hp`` (``hp_lost`` needs ``hp_before``). The stored summary leaves out the
        bulky ``character`` objects and fight logs.
        """
        cooldown = response.get("cooldown") or {}
        seconds = float(cooldown.get("total_seconds") or 0)
        items: dict[str, int] = {}
        xp = 0
        outcome = "ok"
        turns: int | None = None
        hp_lost: int | None = None
        details = response.get("details")
        if isinstance(details, Mapping):
            xp = int(details.get("xp") or 0)
            for entry in details.get("items") or ():
                items[str(entry["code"])] = items.get(str(entry["code"]), 0) + int(
                    entry.get("quantity") or 0
                )
        fight = response.get("fight")
        if isinstance(fight, Mapping):
            outcome = "win" if fight.get("result") == "win" else "loss"
            turns = int(fight.get("turns") or 0)
            mine = next(
                (c for c in fight.get("characters") or () if c.get("character_name") == character),
                None,
            )
            if mine is not None:
                xp = int(mine.get("xp") or 0)
                for drop in mine.get("drops") or ():
                    items[str(drop["code"])] = items.get(str(drop["code"]), 0) + int(
                        drop.get("quantity") or 0
                    )
                if hp_before is not None and mine.get("final_hp") is not None:
                    hp_lost = max(0, hp_before - int(mine["final_hp"]))
        summary = {
            k: v for k, v in response.items() if k not in ("character", "characters", "bank")
        }
        if isinstance(fight, Mapping):
            summary["fight"] = {k: v for k, v in fight.items() if k != "logs"}
        return self.record(
            character=character,
            kind=kind,
            code=code,
            cooldown_seconds=seconds,
            request=request,
            response=summary,
            outcome=outcome,
            items=items,
            xp=xp,
            turns=turns,
            hp_lost=hp_lost,
        )

    def count(self, kind: str | None = None, code: str | None = None) -> int:
        """Return the number of recorded actions (of ``kind`` / ``code`` when given)."""
        return self._tallies.count(kind, code)

    def mean_duration(
        self,
        kind: str,
        code: str | None = None,
        *,
        prior: float | None = None,
        prior_weight: float = 1.0,
    ) -> float:
        """Return the mean cooldown of successful ``kind`` actions (on ``code`` when given).

        The prior (default: :data:`DEFAULT_DURATIONS`) counts as ``prior_weight`` observations.
        """
        base = prior if prior is not None else DEFAULT_DURATIONS.get(kind, _FALLBACK_DURATION)
        done = self._tallies.total((kind,), code, _SUCCESS)
        return (done.seconds + base * prior_weight) / (done.count + prior_weight)

    def mean_yield(
        self,
        source: str,
        item: str,
        *,
        prior: float = 0.0,
        prior_weight: float = 5.0,
    ) -> float:
        """Return the mean units of ``item`` obtained per successful action on ``source``.

        ``source`` is a resource or monster code; lost fights count (they yield nothing). The
        prior (e.g. the drop table's expectation) counts as ``prior_weight`` actions.
        """
        n = self._tallies.total(_YIELDING, source, _SUCCESS).count
        got = self._tallies.yielded(source, item, _YIELDING, _SUCCESS)
        return (float(got) + prior * prior_weight) / (int(n) + prior_weight)

    def fight_stats(
        self,
        monster: str,
        *,
        prior_turns: float = 20.0,
        prior_hp_lost: float = 0.0,
    ) -> FightStats:
        """Return observed fight statistics against ``monster`` (priors when never fought).

        The win rate has a uniform prior: ``(wins + 1) / (fights + 2)``.
        """
        fought = self._tallies.total(_FIGHTS, monster, ("win", "loss"))
        wins = self._tallies.total(_FIGHTS, monster, ("win",)).count
        turns = fought.turns / fought.turns_count if fought.turns_count else prior_turns
        return FightStats(
            monster=monster,
            fights=fought.count,
            wins=wins,
            win_rate=(wins + 1.0) / (fought.count + 2.0),
            mean_turns=turns,
            mean_hp_lost=fought.hp_lost / fought.hp_count if fought.hp_count else prior_hp_lost,
            mean_seconds=fought.seconds / fought.count if fought.count else 2.0 * turns,
        )

    def recent(self, limit: int = 50, *, character: str | None = None) -> list[RecordedAction]:
        """Return the latest actions, newest first (of ``character`` when given)."""
        sql = (
            "SELECT id, at, character, kind, code, cooldown_seconds, outcome, xp, turns, hp_lost"
            " FROM actions"
        )
        args: list[Any] = []
        if character is not None:
            sql += " WHERE character = ?"
            args.append(character)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        rows = self._conn.execute(sql, args).fetchall()
        out: list[RecordedAction] = []
        for r in rows:
            items = self._conn.execute(
                "SELECT item, quantity FROM yields WHERE action_id = ? ORDER BY item", (r[0],)
            ).fetchall()
            out.append(
                RecordedAction(
                    id=r[0],
                    at=r[1],
                    character=r[2],
                    kind=r[3],
                    code=r[4],
                    cooldown_seconds=r[5],
                    outcome=r[6],
                    xp=r[7],
                    turns=r[8],
                    hp_lost=r[9],
                    items=tuple((i, q) for i, q in items),
                )
            )
        return out
