"""ObservationStore: recording, learned costs with priors, and durability across kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from guildmaster.clock import VirtualClock
from guildmaster.knowledge import DEFAULT_DURATIONS, ObservationStore


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
