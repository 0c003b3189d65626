"""SQLite persistence: everything survives a restart, a kill -9 loses nothing committed."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st
from server_fixtures import auth_headers, fixture_settings, make_account, make_character, world_data

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.loadtest import free_port, start_server, stop_server, wait_ready
from guildmaster.server.state import GEOrder, LogEntry, PendingItem
from guildmaster.server.store import SqliteStore, StoreError
from guildmaster.server.world import parse_world


def _app(db: Path, clock: VirtualClock) -> FastAPI:
    return create_app(fixture_settings(db_path=str(db)), clock, world=parse_world(world_data()))


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _records(game: GameServer) -> dict[str, object]:
    state = game.state
    return {
        "accounts": {k: v.to_record() for k, v in state.accounts.items()},
        "characters": {k: v.to_record() for k, v in state.characters.items()},
        "banks": {k: v.to_record() for k, v in state.banks.items()},
        "orders": {k: v.to_record() for k, v in state.ge_orders.items()},
        "pending": {k: v.to_record() for k, v in state.pending_items.items()},
        "logs": [entry.to_record() for entry in state.logs],
        "history": state.ge_history,
        "events": state.active_events,
        "next_id": state.next_id,
    }


async def test_state_survives_restart(tmp_path: Path, clock: VirtualClock) -> None:
    db = tmp_path / "game.sqlite"
    app = _app(db, clock)
    game: GameServer = app.state.game
    async with _client(app) as http:
        token = await make_account(http, "persist")
        await make_character(http, token, "Keeper")
        await make_character(http, token, "Gone")
        await http.post("/characters/delete", json={"name": "Gone"}, headers=auth_headers(token))
    char = game.begin_action("persist", "Keeper")
    try:
        char.gold = 77
        char.add_item("copper_ore", 5)
        game.state.banks["persist"].items["feather"] = 3
        game.state.banks["persist"].gold = 12
        order_id = game.state.new_id("ge")
        game.state.ge_orders[order_id] = GEOrder(
            order_id, "sell", "persist", "copper_ore", 2, 9, game.now_iso()
        )
        game.state.ge_history.append(
            {
                "order_id": "x",
                "seller": "persist",
                "buyer": "other",
                "code": "feather",
                "quantity": 1,
                "price": 3,
                "sold_at": game.now_iso(),
            }
        )
        pending_id = game.state.new_id("pi")
        game.state.pending_items[pending_id] = PendingItem(
            pending_id, "persist", "other", None, "gift", 5, [], game.now_iso()
        )
        tile = game.world.maps.get("overworld", -2, -2)
        game.state.active_events.append(
            {
                "name": "Chicken Swarm",
                "code": "chicken_swarm",
                "map": tile,
                "previous_map": tile,
                "duration": 60,
                "expiration": "2099-01-01T00:00:00Z",
                "created_at": game.now_iso(),
            }
        )
        game.finish_action(char, ActionResult(seconds=30, reason="rest", log_type="rest"))
    finally:
        game.end_action(char)
    before = _records(game)

    reopened = _app(db, clock)
    again: GameServer = reopened.state.game
    assert _records(again) == before
    assert "Gone" not in again.state.characters
    keeper = again.state.characters["Keeper"]
    assert keeper.max_hp > 0 and keeper.stats  # derived stats rebuilt on load
    assert again.cooldown_left(keeper) > 0
    async with _client(reopened) as http:
        mine = await http.get("/my/characters", headers=auth_headers(token))
        assert [c["name"] for c in mine.json()["data"]] == ["Keeper"]
        logs = await http.get("/my/logs", headers=auth_headers(token))
        assert logs.json()["total"] == 1


def test_restart_continues_the_random_sequence(tmp_path: Path, clock: VirtualClock) -> None:
    db = tmp_path / "game.sqlite"
    game: GameServer = _app(db, clock).state.game
    game.rng.random()
    assert game.store is not None
    game.store.save(game, accounts=set())
    expected = [game.rng.random() for _ in range(3)]
    restarted: GameServer = _app(db, clock).state.game
    assert [restarted.rng.random() for _ in range(3)] == expected
    fresh: GameServer = _app(tmp_path / "other.sqlite", clock).state.game
    assert [fresh.rng.random() for _ in range(3)] != expected


async def test_incremental_saves_write_only_changes(tmp_path: Path, clock: VirtualClock) -> None:
    db = tmp_path / "game.sqlite"
    app = _app(db, clock)
    async with _client(app) as http:
        token = await make_account(http, "deltas")
        await make_character(http, token, "Delta")
    store = app.state.game.store
    assert isinstance(store, SqliteStore)
    changes_before = store._db.total_changes
    store.save(app.state.game, accounts={"deltas"})
    assert store._db.total_changes == changes_before  # nothing changed, nothing written
    app.state.game.state.characters["Delta"].gold = 5
    store.save(app.state.game, accounts={"deltas"})
    assert store._db.total_changes == changes_before + 1


def test_corrupt_database_is_a_clear_error(tmp_path: Path, clock: VirtualClock) -> None:
    db = tmp_path / "broken.sqlite"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"broken\.sqlite"):
        _app(db, clock)


def test_corrupt_record_is_a_clear_error(tmp_path: Path, clock: VirtualClock) -> None:
    db = tmp_path / "game.sqlite"
    _app(db, clock).state.game.store.close()
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO characters VALUES ('X', '{\"nonsense\": 1}')")
    with pytest.raises(StoreError, match="corrupt"):
        _app(db, clock)


def test_unknown_schema_version(tmp_path: Path, clock: VirtualClock) -> None:
    db = tmp_path / "game.sqlite"
    _app(db, clock).state.game.store.close()
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE globals SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="schema"):
        _app(db, clock)


async def test_kill_9_keeps_every_answered_request(tmp_path: Path) -> None:
    world_file = tmp_path / "world.json"
    world_file.write_text(json.dumps(world_data()), encoding="utf-8")
    db = tmp_path / "game.sqlite"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server(str(world_file), port, db=str(db), log_path=tmp_path / "log1")
    try:
        await wait_ready(base, process=process)
        async with httpx.AsyncClient(base_url=base) as http:
            token = await make_account(http, "killed")
            await make_character(http, token, "Survivor")
    finally:
        stop_server(process, kill=True)
    assert process.returncode == -9
    process = start_server(str(world_file), port, db=str(db), log_path=tmp_path / "log2")
    try:
        await wait_ready(base, process=process)
        async with httpx.AsyncClient(base_url=base) as http:
            mine = await http.get("/my/characters", headers=auth_headers(token))
            assert mine.status_code == 200, mine.text
            assert [c["name"] for c in mine.json()["data"]] == ["Survivor"]
    finally:
        stop_server(process)


_codes = st.sampled_from(["copper_ore", "feather", "raw_chicken", "tasks_coin"])
_edit = st.tuples(
    st.sampled_from(["gold", "item", "bank", "order", "cancel", "log", "delete"]),
    st.integers(min_value=0, max_value=2),
    _codes,
    st.integers(min_value=1, max_value=50),
)


@settings(max_examples=25, deadline=None)
@given(batches=st.lists(st.lists(_edit, max_size=6), min_size=1, max_size=5))
def test_any_sequence_of_saves_reloads_identically(
    batches: list[list[tuple[str, int, str, int]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "game.sqlite"
        clock = VirtualClock()
        app = _app(db, clock)
        game: GameServer = app.state.game
        accounts = app.state.accounts
        for index in range(3):
            accounts.create_account(f"acct{index:03d}", "secret", f"a{index}@example.com")
            accounts.create_character(f"acct{index:03d}", f"Hero{index}", "men1")
        for batch in batches:
            for kind, who, code, amount in batch:
                name, account = f"Hero{who}", f"acct{who:03d}"
                char = game.state.characters.get(name)
                if kind == "gold" and char is not None:
                    char.gold += amount
                elif kind == "item" and char is not None and char.can_add([(code, amount)]):
                    char.add_item(code, amount)
                elif kind == "bank":
                    game.state.banks[account].items[code] = amount
                elif kind == "order":
                    order_id = game.state.new_id("ge")
                    game.state.ge_orders[order_id] = GEOrder(
                        order_id, "sell", account, code, amount, 5, game.now_iso()
                    )
                elif kind == "cancel" and game.state.ge_orders:
                    game.state.ge_orders.pop(next(iter(game.state.ge_orders)))
                elif kind == "log":
                    game.state.logs.append(
                        LogEntry(name, account, "rest", code, {"n": amount}, 0, None, "t")
                    )
                elif kind == "delete":
                    game.state.characters.pop(name, None)
            assert game.store is not None
            game.store.save(game, accounts=set())
        expected = _records(game)
        assert isinstance(game.store, SqliteStore)
        game.store.close()
        reloaded = _app(db, clock)
        assert _records(reloaded.state.game) == expected
        reloaded.state.game.store.close()
