"""ObservationStore: recording, learned costs with priors, and durability across kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildmaster.clock import VirtualClock
from guildmaster.knowledge import DEFAULT_DURATIONS, ObservationStore
from guildmaster.knowledge.observations import FightStats


@pytest.fixture
def store(tmp_path: Path, clock: VirtualClock) -> Iterator[ObservationStore]:
    s = ObservationStore(tmp_path / "obs.sqlite", clock=clock)
    yield s
    s.close()


def test_priors_when_nothing_was_observed(store: ObservationStore) -> None:
    assert store.mean_duration("gathering", "birch") == DEFAULT_DURATIONS["gathering"]
    assert store.mean_duration("strange_kind") == 3.0
    assert store.mean_duration("crafting", prior=12.0) == 12.0
    assert store.mean_yield("birch", "birch_wood", prior=1.0) == 1.0
    assert store.mean_yield("birch", "sap") == 0.0
    stats = store.fight_stats("wolf")
    assert stats.fights == 0 and stats.win_rate == 0.5 and stats.mean_seconds == 40.0


def test_durations_blend_the_prior_with_observations(store: ObservationStore) -> None:
    for seconds in (20.0, 22.0, 24.0):
        store.record(character="a", kind="gathering", code="birch", cooldown_seconds=seconds)
    store.record(character="a", kind="gathering", code="ash", cooldown_seconds=50.0)
    # A failed action's cooldown is not a gather duration.
    store.record(
        character="a", kind="gathering", code="birch", cooldown_seconds=0.0, outcome="error:497"
    )
    prior = DEFAULT_DURATIONS["gathering"]
    assert store.mean_duration("gathering", "birch") == pytest.approx((66 + prior) / 4)
    assert store.mean_duration("gathering", "birch", prior_weight=0) == pytest.approx(22.0)
    assert store.mean_duration("gathering", prior_weight=0) == pytest.approx(29.0)
    assert store.count("gathering") == 5 and store.count(code="ash") == 1


def test_yields_per_action(store: ObservationStore) -> None:
    for items in ({"wood": 1, "sap": 1}, {"wood": 1}, {"wood": 2}, {"wood": 1}):
        store.record(character="a", kind="gathering", code="tree", cooldown_seconds=30, items=items)
    assert store.mean_yield("tree", "wood", prior_weight=0) == pytest.approx(5 / 4)
    assert store.mean_yield("tree", "sap", prior_weight=0) == pytest.approx(1 / 4)
    # The prior (here the drop table's 0.1 per gather) pulls a small sample towards it.
    blended = store.mean_yield("tree", "sap", prior=0.1, prior_weight=4)
    assert blended == pytest.approx((1 + 0.4) / 8)


def test_fight_stats(store: ObservationStore) -> None:
    rows = [("win", 10, 30, 20.0), ("win", 14, 50, 28.0), ("loss", 20, 120, 40.0)]
    for outcome, turns, lost, seconds in rows:
        store.record(
            character="b",
            kind="fight",
            code="wolf",
            cooldown_seconds=seconds,
            outcome=outcome,
            turns=turns,
            hp_lost=lost,
            items={"wolf_bone": 1} if outcome == "win" else None,
            xp=50 if outcome == "win" else 0,
        )
    stats = store.fight_stats("wolf")
    assert (stats.fights, stats.wins) == (3, 2)
    assert stats.win_rate == pytest.approx(3 / 5)
    assert stats.mean_turns == pytest.approx(44 / 3)
    assert stats.mean_hp_lost == pytest.approx(200 / 3)
    assert stats.mean_seconds == pytest.approx(88 / 3)
    # Losses count as fights that yielded nothing.
    assert store.mean_yield("wolf", "wolf_bone", prior_weight=0) == pytest.approx(2 / 3)


def test_recent_returns_rows_with_items_and_clock_time(
    store: ObservationStore, clock: VirtualClock
) -> None:
    store.record(
        character="a",
        kind="crafting",
        code="bar",
        cooldown_seconds=5,
        items={"bar": 1},
        request={"code": "bar", "quantity": 1},
        response={"xp": 10},
    )
    clock.advance(60)
    store.record(character="b", kind="rest", cooldown_seconds=12)
    latest = store.recent(2)
    assert [r.kind for r in latest] == ["rest", "crafting"]
    assert latest[1].items == (("bar", 1),)
    assert latest[0].at > latest[1].at
    assert [r.character for r in store.recent(character="a")] == ["a"]


def test_the_database_is_in_wal_mode(tmp_path: Path, clock: VirtualClock) -> None:
    with ObservationStore(tmp_path / "w.sqlite", clock=clock) as s:
        s.record(character="a", kind="use", cooldown_seconds=3)
        conn = sqlite3.connect(tmp_path / "w.sqlite")
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            # Another connection sees the committed row while the store is still open.
            assert conn.execute("SELECT COUNT(*) FROM actions").fetchone()[0] == 1
        finally:
            conn.close()


def test_committed_actions_survive_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        from guildmaster.clock import VirtualClock
        from guildmaster.knowledge import ObservationStore
        store = ObservationStore({str(db)!r}, clock=VirtualClock())
        for i in range(200):
            store.record(character="k", kind="gathering", code="tree", cooldown_seconds=30,
                         items={{"wood": 1, "sap": i % 2}})
        print("ready", flush=True)
        sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == b"ready"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdin.close()  # type: ignore[union-attr]
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    with ObservationStore(db, clock=VirtualClock()) as reopened:
        assert reopened.count("gathering", "tree") == 200
        assert reopened.mean_yield("tree", "sap", prior_weight=0) == pytest.approx(0.5)


def test_record_response_reads_v8_action_payloads(store: ObservationStore) -> None:
    gather = {
        "cooldown": {"total_seconds": 28, "remaining_seconds": 28, "reason": "gathering"},
        "details": {
            "xp": 12,
            "items": [{"code": "ore", "quantity": 1}, {"code": "gem", "quantity": 1}],
        },
        "character": {"name": "ann", "inventory": ["..."]},
    }
    store.record_response(character="ann", kind="gathering", code="rocks", response=gather)
    fight = {
        "cooldown": {"total_seconds": 40, "reason": "fight"},
        "fight": {
            "result": "win",
            "turns": 20,
            "opponent": "wolf",
            "logs": ["Turn 1: ..."] * 20,
            "characters": [
                {"character_name": "bob", "xp": 5, "gold": 1, "drops": [], "final_hp": 10},
                {
                    "character_name": "ann",
                    "xp": 30,
                    "gold": 2,
                    "drops": [{"code": "bone", "quantity": 2}],
                    "final_hp": 90,
                },
            ],
        },
        "characters": [{"name": "ann"}],
    }
    store.record_response(
        character="ann",
        kind="fight",
        code="wolf",
        response=fight,
        hp_before=150,
        request={"participants": []},
    )
    lost = {
        "cooldown": {"total_seconds": 8},
        "fight": {"result": "loss", "turns": 4, "characters": []},
    }
    store.record_response(character="ann", kind="fight", code="wolf", response=lost)
    assert store.mean_duration("gathering", "rocks", prior_weight=0) == 28
    assert store.mean_yield("rocks", "gem", prior_weight=0) == 1.0
    stats = store.fight_stats("wolf")
    assert (stats.fights, stats.wins, stats.mean_hp_lost) == (2, 1, 60.0)
    assert store.mean_yield("wolf", "bone", prior_weight=0) == 1.0
    latest = store.recent(3)
    assert [r.outcome for r in latest] == ["loss", "win", "ok"]
    assert latest[1].xp == 30 and latest[1].turns == 20 and latest[1].items == (("bone", 2),)


def test_stored_summaries_leave_out_bulky_fields(store: ObservationStore) -> None:
    fight = {
        "cooldown": {"total_seconds": 4},
        "fight": {"result": "win", "turns": 2, "logs": ["x" * 500] * 50, "characters": []},
        "character": {"inventory": ["y" * 500] * 50},
    }
    store.record_response(character="a", kind="fight", code="m", response=fight)
    conn = sqlite3.connect(store.path)
    try:
        (text,) = conn.execute("SELECT response FROM actions").fetchone()
    finally:
        conn.close()
    assert '"turns":2' in text and "logs" not in text and "inventory" not in text


_KINDS = ("gathering", "fight", "multi_fight", "crafting", "movement")
_CODES = ("a", "b", None)
_OUTCOMES = ("ok", "win", "loss", "error:497")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_KINDS),
            st.sampled_from(_CODES),
            st.sampled_from(_OUTCOMES),
            st.integers(0, 60),
            st.one_of(st.none(), st.integers(0, 100)),
            st.one_of(st.none(), st.integers(0, 500)),
            st.dictionaries(st.sampled_from(("x", "y")), st.integers(0, 3), max_size=2),
        ),
        max_size=40,
    )
)
@settings(max_examples=60, deadline=None)
def test_running_totals_answer_like_a_scan_of_the_log(
    rows: list[tuple[str, str | None, str, int, int | None, int | None, dict[str, int]]],
) -> None:
    # The answers come from sums kept as actions are recorded; a store reopened on the same
    # log reads them back, and both must equal a fresh SQL scan of the rows.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "obs.db"
        clock = VirtualClock()
        with ObservationStore(path, clock=clock) as live:
            for kind, code, outcome, seconds, turns, hp, items in rows:
                live.record(
                    character="c",
                    kind=kind,
                    code=code,
                    cooldown_seconds=seconds,
                    outcome=outcome,
                    turns=turns,
                    hp_lost=hp,
                    items=items,
                )
            answers = _answers(live)
        with ObservationStore(path, clock=clock) as reopened:
            assert _answers(reopened) == answers
        conn = sqlite3.connect(str(path))
        try:
            assert answers == _scanned(conn)
        finally:
            conn.close()


def _answers(store: ObservationStore) -> list[object]:
    out: list[object] = [store.count()]
    for kind in (*_KINDS, None):
        for code in _CODES:
            out.append(store.count(kind, code))
    for kind in _KINDS:
        for code in _CODES:
            out.append(store.mean_duration(kind, code, prior=7.0))
    for code in ("a", "b"):
        for item in ("x", "y"):
            out.append(store.mean_yield(code, item, prior=1.5))
        out.append(store.fight_stats(code))
    return out


def _scanned(conn: sqlite3.Connection) -> list[object]:
    """The same answers as SQL scans of the log (the queries the store used to run)."""

    def one(sql: str, *args: object) -> tuple[Any, ...]:
        return tuple(conn.execute(sql, args).fetchone())

    out: list[object] = [one("SELECT COUNT(*) FROM actions")[0]]
    args: list[object]
    for kind in (*_KINDS, None):
        for code in _CODES:
            sql, args = "SELECT COUNT(*) FROM actions WHERE 1=1", []
            if kind is not None:
                sql, args = sql + " AND kind = ?", [*args, kind]
            if code is not None:
                sql, args = sql + " AND code = ?", [*args, code]
            out.append(one(sql, *args)[0])
    ok = ("ok", "win", "loss")
    for kind in _KINDS:
        for code in _CODES:
            sql = "SELECT COUNT(*), COALESCE(SUM(cooldown_seconds), 0) FROM actions"
            sql += " WHERE kind = ? AND outcome IN (?, ?, ?)"
            args = [kind, *ok]
            if code is not None:
                sql, args = sql + " AND code = ?", [*args, code]
            n, total = one(sql, *args)
            out.append((float(total) + 7.0) / (int(n) + 1.0))
    kinds = "('gathering', 'fight', 'multi_fight', 'raid_fight')"
    for code in ("a", "b"):
        for item in ("x", "y"):
            n = one(
                f"SELECT COUNT(*) FROM actions WHERE code = ? AND outcome IN (?, ?, ?)"
                f" AND kind IN {kinds}",
                code,
                *ok,
            )[0]
            got = one(
                "SELECT COALESCE(SUM(y.quantity), 0) FROM yields y JOIN actions a"
                " ON a.id = y.action_id WHERE a.code = ? AND y.item = ?"
                f" AND a.outcome IN (?, ?, ?) AND a.kind IN {kinds}",
                code,
                item,
                *ok,
            )[0]
            out.append((float(got) + 1.5 * 5.0) / (int(n) + 5.0))
        row = one(
            "SELECT COUNT(*), COALESCE(SUM(outcome = 'win'), 0), AVG(turns), AVG(hp_lost),"
            " AVG(cooldown_seconds) FROM actions WHERE kind IN ('fight', 'multi_fight')"
            " AND code = ? AND outcome IN ('win', 'loss')",
            code,
        )
        fights, wins = int(row[0]), int(row[1])
        turns = float(row[2]) if row[2] is not None else 20.0
        out.append(
            FightStats(
                monster=code,
                fights=fights,
                wins=wins,
                win_rate=(wins + 1.0) / (fights + 2.0),
                mean_turns=turns,
                mean_hp_lost=float(row[3]) if row[3] is not None else 0.0,
                mean_seconds=float(row[4]) if row[4] is not None else 2.0 * turns,
            )
        )
    return out
