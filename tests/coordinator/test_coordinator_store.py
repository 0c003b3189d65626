"""TeamStore: everything survives a reopen, and a kill -9 right after a commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from guildmaster.coordinator import StoredReservation, TeamStore


def test_store_round_trips_every_table(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    store = TeamStore(path)
    store.put("plan", {"skill": "mining", "recipe": "copper_bar"})
    store.replace_reservations("ann", {"ore": 5, "wood": 0}, "2026-01-01T00:05:00+00:00")
    store.save_assignments({"ann": "craft:bar", "bob": "gather:rocks"})
    store.save_party("party-1", {"monster": "king", "phase": "forming"})
    store.add_production(needed={"ore": 10}, produced={"ore": 4})
    store.add_production(produced={"ore": 3, "bar": 1})
    store.close()

    again = TeamStore(path)
    assert again.get("plan") == {"skill": "mining", "recipe": "copper_bar"}
    assert again.get("missing", 7) == 7
    assert again.reservations() == (
        StoredReservation("ann", "ore", 5, "2026-01-01T00:05:00+00:00"),
    )
    assert again.assignments() == {"ann": "craft:bar", "bob": "gather:rocks"}
    assert again.parties() == {"party-1": {"monster": "king", "phase": "forming"}}
    assert again.production() == {"bar": (0, 1), "ore": (10, 7)}
    again.put("plan", None)
    again.save_party("party-1", None)
    assert again.get("plan") is None and again.parties() == {}


def test_a_failed_transaction_keeps_nothing() -> None:
    store = TeamStore()
    store.save_assignments({"ann": "a"})
    try:
        with store.transaction() as cur:
            cur.execute("DELETE FROM assignments")
            raise RuntimeError("crash in the middle")
    except RuntimeError:
        pass
    assert store.assignments() == {"ann": "a"}


_WRITER = """
import os, signal, sys
from guildmaster.coordinator.store import TeamStore
store = TeamStore(sys.argv[1])
store.put("plan", {"skill": "cooking"})
store.replace_reservations("ann", {"fish": 3}, "2026-01-01T00:05:00+00:00")
store.save_assignments({"ann": "craft:soup"})
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_state_survives_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    proc = subprocess.run(
        [sys.executable, "-c", _WRITER, str(path)], capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert os.path.exists(path)
    store = TeamStore(path)
    assert store.get("plan") == {"skill": "cooking"}
    assert [r.quantity for r in store.reservations()] == [3]
    assert store.assignments() == {"ann": "craft:soup"}
