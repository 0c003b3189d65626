"""Accounts, tokens and characters through HTTP."""

from __future__ import annotations

import base64
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from server_fixtures import (
    DEFAULT_PASSWORD,
    auth_headers,
    fixture_settings,
    make_account,
    make_character,
    world_data,
)

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import GameServer
from guildmaster.server.world import parse_world


async def test_account_token_character_roundtrip(
    client: httpx.AsyncClient, game: GameServer
) -> None:
    token = await make_account(client, "alice1")
    char = await make_character(client, token, "Alice")
    assert char["name"] == "Alice"
    assert char["account"] == "alice1"
    assert (char["x"], char["y"], char["layer"]) == (0, 0, "overworld")
    assert char["weapon_slot"] == "wooden_stick"
    assert char["hp"] == char["max_hp"] > 0
    assert game.state.characters["Alice"].account == "alice1"
    listed = await client.get("/my/characters", headers=auth_headers(token))
    assert [c["name"] for c in listed.json()["data"]] == ["Alice"]


async def test_wrong_password_gets_455(client: httpx.AsyncClient) -> None:
    await make_account(client, "bobbob")
    basic = base64.b64encode(b"bobbob:wrong-pass").decode()
    response = await client.post("/token", headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 455
    assert response.json()["error"]["code"] == 455


def test_server_runs_inside_a_virtual_time_loop() -> None:
    """The whole HTTP stack works in VirtualClock's loop, and time there is the clock's."""
    clock = VirtualClock()

    async def scenario() -> tuple[str, str, list[str]]:
        app = create_app(fixture_settings(), clock, world=parse_world(world_data()))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            token = await make_account(http, "virtual")
            await make_character(http, token, "Ghost")
            before = (await http.get("/")).json()["data"]["server_time"]
            await clock.sleep(3600)
            after = (await http.get("/")).json()["data"]["server_time"]
            mine = (await http.get("/my/characters", headers=auth_headers(token))).json()
        return before, after, [c["name"] for c in mine["data"]]

    before, after, names = clock.run(scenario())
    assert names == ["Ghost"]
    elapsed = datetime.fromisoformat(after) - datetime.fromisoformat(before)
    assert elapsed.total_seconds() == pytest.approx(3600, abs=1)
    assert clock.elapsed() == pytest.approx(3600, abs=1)


async def test_new_character_gets_the_world_starter_items(
    client: httpx.AsyncClient, game: GameServer
) -> None:
    game.world.meta["starter_items"] = ["wooden_stick", "cooked_chicken", "unknown_thing"]
    token = await make_account(client, "starter")
    char = await make_character(client, token, "Starter")
    assert char["weapon_slot"] == "wooden_stick"
    stacks = [(slot["code"], slot["quantity"]) for slot in char["inventory"] if slot["code"]]
    assert stacks == [("cooked_chicken", 1)]
    assert len(char["inventory"]) == 20


async def test_world_without_starter_meta_uses_the_settings_default(clock: VirtualClock) -> None:
    data = world_data()
    del data["meta"]
    plain = create_app(fixture_settings(), clock, world=parse_world(data))
    no_stick = world_data()
    del no_stick["meta"]
    no_stick["items"] = [i for i in no_stick["items"] if i["code"] != "wooden_stick"]
    bare = create_app(fixture_settings(), clock, world=parse_world(no_stick))
    weapons = []
    for app in (plain, bare):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            token = await make_account(http, "default")
            weapons.append((await make_character(http, token, "Default"))["weapon_slot"])
    assert weapons == ["wooden_stick", ""]


async def test_tokens_are_opaque_random_and_stored_hashed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    first = await make_account(client, "hashed")
    basic = httpx.BasicAuth("hashed", DEFAULT_PASSWORD)
    second = (await client.post("/token", auth=basic)).json()["token"]
    assert first != second and len(first) >= 32
    stored = [digest for digest, _ in app.state.tokens.entries()]
    assert first not in stored and second not in stored
    assert len(stored) == 2
    for token in (first, second):
        response = await client.get("/my/details", headers=auth_headers(token))
        assert response.json()["data"]["username"] == "hashed"
    assert "secret" not in app.state.game.state.accounts["hashed"].password_hash
