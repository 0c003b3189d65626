"""Accounts, tokens and characters through HTTP."""

from __future__ import annotations

import base64

import httpx
from server_fixtures import auth_headers, make_account, make_character

from guildmaster.server.game import GameServer


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
