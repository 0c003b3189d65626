"""Contract test: every core endpoint's response body validates against the real v8 spec.

Runs on the hand-built fixture world and on the real snapshot world. The harness
(:class:`server_fixtures.SpecValidator`, fixture ``spec_validator``) validates any response; the
action tests add their own cases with ``spec_validator.validate(response)``.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_fixtures import (
    DEFAULT_PASSWORD,
    SpecValidator,
    auth_headers,
    fixture_settings,
    make_account,
    make_character,
    snapshot_world,
)
from server_fixtures import world_data as fixture_world_data

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import GameServer
from guildmaster.server.state import GEOrder, LogEntry, PendingItem
from guildmaster.server.world import World, parse_world

#: Every (method, path template) of the core this test must cover.
CORE_ENDPOINTS = {
    ("GET", "/"),
    ("POST", "/token"),
    ("POST", "/accounts/create"),
    ("GET", "/accounts/{account}"),
    ("GET", "/accounts/{account}/characters"),
    ("GET", "/accounts/{account}/achievements"),
    ("POST", "/characters/create"),
    ("POST", "/characters/delete"),
    ("GET", "/characters/{name}"),
    ("GET", "/my/characters"),
    ("GET", "/my/details"),
    ("GET", "/my/rates"),
    ("GET", "/my/bank"),
    ("GET", "/my/bank/items"),
    ("GET", "/my/logs"),
    ("GET", "/my/logs/{name}"),
    ("GET", "/my/grandexchange/orders"),
    ("GET", "/my/grandexchange/history"),
    ("GET", "/my/pending_items"),
    ("GET", "/items"),
    ("GET", "/items/{code}"),
    ("GET", "/monsters"),
    ("GET", "/monsters/{code}"),
    ("GET", "/resources"),
    ("GET", "/resources/{code}"),
    ("GET", "/maps"),
    ("GET", "/maps/{layer}"),
    ("GET", "/maps/{layer}/{x}/{y}"),
    ("GET", "/maps/id/{map_id}"),
    ("GET", "/npcs/details"),
    ("GET", "/npcs/details/{code}"),
    ("GET", "/npcs/items"),
    ("GET", "/npcs/items/{code}"),
    ("GET", "/tasks/list"),
    ("GET", "/tasks/list/{code}"),
    ("GET", "/tasks/rewards"),
    ("GET", "/tasks/rewards/{code}"),
    ("GET", "/events"),
    ("GET", "/events/active"),
    ("GET", "/effects"),
    ("GET", "/effects/{code}"),
    ("GET", "/achievements"),
    ("GET", "/achievements/{code}"),
    ("GET", "/grandexchange/orders"),
    ("GET", "/grandexchange/orders/{id}"),
    ("GET", "/grandexchange/history/{code}"),
    ("GET", "/leaderboard/characters"),
    ("GET", "/leaderboard/accounts"),
    ("POST", "/simulation/fight"),
    ("GET", "/characters/active"),
    ("GET", "/characters/{name}/stats"),
    ("GET", "/skins"),
    ("GET", "/skins/{code}"),
    ("GET", "/badges"),
    ("GET", "/badges/{code}"),
    ("GET", "/raids"),
    ("GET", "/raids/{code}"),
}


PASSWORD = DEFAULT_PASSWORD.encode()


def _populate(game: GameServer, account: str, character: str) -> None:
    """Put one of everything into the state: order, history, pending item, log, active event."""
    state = game.state
    now = game.now_iso()
    code = next(iter(game.world.items))
    state.ge_orders["ge00000001"] = GEOrder(
        id="ge00000001",
        type="sell",
        account=account,
        code=code,
        quantity=3,
        price=12,
        created_at=now,
    )
    state.ge_history.append(
        {
            "order_id": "ge00000000",
            "seller": account,
            "buyer": "someone",
            "code": code,
            "quantity": 1,
            "price": 10,
            "sold_at": now,
        }
    )
    state.pending_items["pi00000001"] = PendingItem(
        id="pi00000001",
        account=account,
        source="achievement",
        source_id="x",
        description="reward",
        gold=10,
        items=[{"code": code, "quantity": 1}],
        created_at=now,
    )
    state.logs.append(
        LogEntry(
            character=character,
            account=account,
            type="rest",
            description="rested",
            content={"hp_restored": 5},
            cooldown=3,
            cooldown_expiration=now,
            created_at=now,
        )
    )
    state.banks[account].items[code] = 4
    event = next(iter(game.world.events.values()))
    spot = event["maps"][0]
    tile = game.world.maps.get(spot["layer"], spot["x"], spot["y"])
    assert tile is not None
    state.active_events.append(
        {
            "name": event["name"],
            "code": event["code"],
            "map": tile,
            "previous_map": tile,
            "duration": event["duration"],
            "expiration": "2099-01-01T00:00:00Z",
            "created_at": now,
        }
    )


def _first(catalogue: dict[str, Any]) -> str:
    return str(next(iter(catalogue)))


async def _exercise(client: httpx.AsyncClient, game: GameServer, spec: SpecValidator) -> None:
    check = spec.validate
    check(await client.post("/accounts/create", json={"username": "contract", "password": "p"}))
    token = await make_account(client, "contract")
    basic = {"Authorization": "Basic " + base64.b64encode(b"contract:" + PASSWORD).decode()}
    check(await client.post("/token", headers=basic))
    check(await client.post("/token", headers={"Authorization": "Basic bm9wZTpub3Bl"}))
    headers = auth_headers(token)
    await make_character(client, token, "Alpha")
    temp = await client.post(
        "/characters/create", json={"name": "Tempo", "skin": "women1"}, headers=headers
    )
    check(temp)
    check(await client.post("/characters/delete", json={"name": "Tempo"}, headers=headers))
    check(await client.post("/characters/delete", json={"name": "Tempo"}, headers=headers))
    _populate(game, "contract", "Alpha")
    world = game.world
    event = next(iter(world.events.values()))
    item, monster = _first(world.items), _first(world.monsters)
    tile = world.maps.tiles[0]
    reward = world.task_rewards[0]["code"] if world.task_rewards else "no_reward"
    responses = [
        await client.get("/"),
        await client.get("/accounts/contract"),
        await client.get("/accounts/nobody-here"),
        await client.get("/accounts/contract/characters"),
        await client.get("/accounts/contract/achievements"),
        await client.get("/characters/Alpha"),
        await client.get("/characters/Nobody"),
        await client.get("/characters/active"),
        await client.get("/characters/Alpha/stats"),
        await client.get("/characters/Nobody/stats"),
        await client.get("/skins"),
        await client.get("/skins/men1"),
        await client.get("/skins/dragon"),
        await client.get("/badges"),
        await client.get("/badges/any"),
        await client.get("/raids"),
        await client.get("/raids/any"),
        await client.get("/my/characters", headers=headers),
        await client.get("/my/characters"),
        await client.get("/my/details", headers=headers),
        await client.get("/my/rates", headers=headers),
        await client.get("/my/bank", headers=headers),
        await client.get("/my/bank/items", headers=headers),
        await client.get("/my/logs", headers=headers),
        await client.get("/my/logs/Alpha", headers=headers),
        await client.get("/my/logs/Nobody", headers=headers),
        await client.get("/my/grandexchange/orders", headers=headers),
        await client.get("/my/grandexchange/history", headers=headers),
        await client.get("/my/pending_items", headers=headers),
        await client.get("/items", params={"size": 10000}),
        await client.get(f"/items/{item}"),
        await client.get("/items/no_such_item"),
        await client.get("/monsters", params={"size": 10000}),
        await client.get(f"/monsters/{monster}"),
        await client.get("/resources", params={"size": 10000}),
        await client.get(f"/resources/{_first(world.resources)}"),
        await client.get("/maps", params={"size": 10000}),
        await client.get("/maps/overworld", params={"content_type": "monster"}),
        await client.get(f"/maps/{tile['layer']}/{tile['x']}/{tile['y']}"),
        await client.get(f"/maps/id/{tile['map_id']}"),
        await client.get("/maps/id/999999"),
        await client.get("/npcs/details", params={"size": 10000}),
        await client.get(f"/npcs/details/{_first(world.npc_details)}"),
        await client.get("/npcs/items", params={"size": 10000}),
        await client.get(f"/npcs/items/{_first(world.npc_details)}"),
        await client.get("/tasks/list", params={"size": 10000}),
        await client.get(f"/tasks/list/{_first(world.tasks)}"),
        await client.get("/tasks/rewards"),
        await client.get(f"/tasks/rewards/{reward}"),
        await client.get("/events", params={"size": 10000}),
        await client.get("/events/active"),
        await client.get("/effects", params={"size": 10000}),
        await client.get(f"/effects/{_first(world.effects)}"),
        await client.get("/achievements", params={"size": 10000}),
        await client.get(f"/achievements/{_first(world.achievements)}"),
        await client.get("/grandexchange/orders"),
        await client.get("/grandexchange/orders/ge00000001"),
        await client.get(f"/grandexchange/history/{item}"),
        await client.get("/leaderboard/characters"),
        await client.get("/leaderboard/accounts", params={"sort": "gold"}),
        await client.post(
            "/simulation/fight",
            json={"characters": [{"level": 5}], "monster": monster, "iterations": 3},
            headers=headers,
        ),
        await client.post(
            "/simulation/fight",
            json={"characters": [{"level": 5}], "monster": "nope", "iterations": 3},
            headers=headers,
        ),
        await client.get("/items", params={"size": 10001}),
    ]
    for response in responses:
        assert response.status_code < 500, response.text
        check(response)
    active = (await client.get("/events/active")).json()["data"]
    assert [event["code"] for event in active] == [event["code"]]
    assert any(r.status_code == 200 and r.json()["data"] for r in responses)


async def test_core_contract_fixture_world(
    spec_validator: SpecValidator, clock: VirtualClock
) -> None:
    spec_validator.visited.clear()
    app = create_app(fixture_settings(), clock, world=parse_world(fixture_world_data()))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        await _exercise(http, app.state.game, spec_validator)
    missing = CORE_ENDPOINTS - spec_validator.visited
    assert not missing, f"core endpoints not covered by the contract test: {sorted(missing)}"


async def test_core_contract_snapshot_world(
    spec_validator: SpecValidator, snapshot_path: Path, clock: VirtualClock
) -> None:
    world: World = snapshot_world(snapshot_path)
    app = create_app(fixture_settings(), clock, world=world)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        await _exercise(http, app.state.game, spec_validator)
        alpha = (await http.get("/characters/Alpha")).json()["data"]
    # The snapshot has no meta.starter_items: the settings default equips wooden_stick.
    assert alpha["weapon_slot"] == "wooden_stick"


def test_harness_rejects_bodies_that_break_the_spec(spec_validator: SpecValidator) -> None:
    good = {
        "message": "ok",
    }
    spec_validator.validate_body(good, "#/components/schemas/ResponseSchema")
    order = {
        "id": "ge1",
        "type": "sell",
        "code": "copper_ore",
        "quantity": 1,
        "price": 1,
        "created_at": "2026-01-01T00:00:00Z",
    }
    ref = "#/components/schemas/GEOrderResponseSchema"
    spec_validator.validate_body({"data": order}, ref)
    broken = [
        {**order, "created_at": "2026-01-01"},  # not a date-time
        {**order, "quantity": 0},  # below minimum
        {**order, "type": "swap"},  # not in the enum
        {key: value for key, value in order.items() if key != "price"},  # missing field
    ]
    for body in broken:
        with pytest.raises(AssertionError):
            spec_validator.validate_body({"data": body}, ref)
    with pytest.raises(AssertionError, match="matches no path"):
        spec_validator.template_of("/definitely/not/a/path")
