"""Bad input gets the spec's error code and the error body shape, and changes nothing."""

from __future__ import annotations

import copy
import logging

import httpx
import pytest
from fastapi import FastAPI
from server_fixtures import auth_headers, make_account, make_character

from guildmaster.server.game import GameServer


def _snapshot(game: GameServer) -> object:
    state = game.state
    return copy.deepcopy(
        (
            {k: v.to_record() for k, v in state.accounts.items()},
            {k: v.to_record() for k, v in state.characters.items()},
            {k: v.to_record() for k, v in state.banks.items()},
            len(state.logs),
        )
    )


def _assert_error(response: httpx.Response, code: int) -> dict[str, object]:
    assert response.status_code == code, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error = body["error"]
    assert isinstance(error, dict)
    return error


async def test_malformed_json_is_422_and_creates_nothing(
    client: httpx.AsyncClient, game: GameServer
) -> None:
    before = _snapshot(game)
    response = await client.post(
        "/accounts/create",
        content=b'{"username": "broken",',
        headers={"Content-Type": "application/json"},
    )
    _assert_error(response, 422)
    assert _snapshot(game) == before


@pytest.mark.parametrize(
    "body",
    [
        {"username": "short", "password": "secret", "email": "a@b.io"},
        {"username": "has space", "password": "secret", "email": "a@b.io"},
        {"username": "x" * 33, "password": "secret", "email": "a@b.io"},
        {"username": "gooduser", "password": "abc", "email": "a@b.io"},
        {"username": "gooduser", "password": "with space", "email": "a@b.io"},
        {"username": "gooduser", "password": "secret", "email": "not-an-email"},
        {"username": "gooduser", "password": "secret"},
        [],
    ],
)
async def test_account_body_validation(
    client: httpx.AsyncClient, game: GameServer, body: object
) -> None:
    error = _assert_error(await client.post("/accounts/create", json=body), 422)
    assert isinstance(error.get("data"), dict)
    assert not game.state.accounts


async def test_duplicate_username_and_email(client: httpx.AsyncClient, game: GameServer) -> None:
    await make_account(client, "carol1")
    again = {"username": "CAROL1", "password": "secret", "email": "other@example.com"}
    _assert_error(await client.post("/accounts/create", json=again), 456)
    same_mail = {"username": "carol2", "password": "secret", "email": "carol1@example.com"}
    _assert_error(await client.post("/accounts/create", json=same_mail), 457)
    assert list(game.state.accounts) == ["carol1"]


@pytest.mark.parametrize(
    "header",
    [None, "Basic !!!notbase64", "Basic " + "bm9jb2xvbg==", "Bearer abc"],
)
async def test_token_generation_failures(client: httpx.AsyncClient, header: str | None) -> None:
    await make_account(client, "dave01")
    headers = {"Authorization": header} if header else {}
    _assert_error(await client.post("/token", headers=headers), 455)


async def test_missing_and_wrong_tokens(client: httpx.AsyncClient, game: GameServer) -> None:
    token = await make_account(client, "erin01")
    before = _snapshot(game)
    _assert_error(await client.get("/my/characters"), 454)
    _assert_error(await client.get("/my/bank", headers=auth_headers(token + "x")), 452)
    _assert_error(await client.get("/my/bank", headers={"Authorization": token}), 454)
    response = await client.post(
        "/characters/create", json={"name": "Sneaky", "skin": "men1"}, headers=auth_headers("no")
    )
    _assert_error(response, 452)
    assert _snapshot(game) == before


async def test_character_name_rules(client: httpx.AsyncClient, game: GameServer) -> None:
    token = await make_account(client, "frank1")
    headers = auth_headers(token)
    for name in ("ab", "x" * 13, "bad name", "semi;colon", ""):
        response = await client.post(
            "/characters/create", json={"name": name, "skin": "men1"}, headers=headers
        )
        _assert_error(response, 422)
    response = await client.post(
        "/characters/create", json={"name": "Skinny", "skin": "dragon"}, headers=headers
    )
    _assert_error(response, 550)
    assert not game.state.characters


async def test_name_taken_and_max_characters(client: httpx.AsyncClient, game: GameServer) -> None:
    token = await make_account(client, "grace1")
    other = await make_account(client, "heidi1")
    for index in range(5):
        await make_character(client, token, f"Grace{index}")
    response = await client.post(
        "/characters/create", json={"name": "grace0", "skin": "men1"}, headers=auth_headers(other)
    )
    _assert_error(response, 494)
    response = await client.post(
        "/characters/create", json={"name": "Grace5", "skin": "men1"}, headers=auth_headers(token)
    )
    _assert_error(response, 495)
    assert len(game.state.characters_of("grace1")) == 5
    assert not game.state.characters_of("heidi1")


async def test_other_accounts_character_is_498_without_data(
    client: httpx.AsyncClient, game: GameServer
) -> None:
    owner = await make_account(client, "ivan01")
    thief = await make_account(client, "judy01")
    await make_character(client, owner, "Ivan")
    before = _snapshot(game)
    for response in (
        await client.get("/my/logs/Ivan", headers=auth_headers(thief)),
        await client.post("/characters/delete", json={"name": "Ivan"}, headers=auth_headers(thief)),
        await client.get("/my/logs/Nobody", headers=auth_headers(thief)),
    ):
        error = _assert_error(response, 498)
        assert "data" not in error
        assert "Ivan" not in response.text or "not found" in response.text.lower()
    assert _snapshot(game) == before
    mine = await client.get("/my/characters", headers=auth_headers(thief))
    assert mine.json()["data"] == []


async def test_delete_own_character(client: httpx.AsyncClient, game: GameServer) -> None:
    token = await make_account(client, "kate01")
    await make_character(client, token, "Kate")
    response = await client.post(
        "/characters/delete", json={"name": "Kate"}, headers=auth_headers(token)
    )
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Kate"
    assert "Kate" not in game.state.characters
    _assert_error(await client.get("/characters/Kate"), 404)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/items/unknown_item", 404),
        ("/monsters/unknown", 404),
        ("/resources/unknown", 404),
        ("/npcs/details/unknown", 404),
        ("/npcs/items/unknown", 404),
        ("/tasks/list/unknown", 404),
        ("/tasks/rewards/unknown", 404),
        ("/effects/unknown", 404),
        ("/achievements/unknown", 404),
        ("/grandexchange/orders/unknown", 404),
        ("/grandexchange/history/unknown", 404),
        ("/maps/overworld/99/99", 404),
        ("/maps/id/123456", 404),
        ("/maps/moon", 422),
        ("/maps/overworld/a/1", 422),
        ("/items/bad%20code", 422),
        ("/accounts/nobody1", 404),
        ("/characters/Nobody", 404),
        ("/items?size=10001", 422),
        ("/items?size=0", 422),
        ("/items?page=0", 422),
        ("/items?page=-3", 422),
        ("/items?min_level=-1", 422),
        ("/items?type=sword", 422),
        ("/maps?transition=maybe", 422),
        ("/grandexchange/orders?size=101", 422),
        ("/leaderboard/characters?sort=speed", 422),
        ("/no/such/route", 404),
    ],
)
async def test_bad_reads(client: httpx.AsyncClient, url: str, code: int) -> None:
    _assert_error(await client.get(url), code)


async def test_account_page_bounds(client: httpx.AsyncClient) -> None:
    token = await make_account(client, "leo001")
    response = await client.get("/my/bank/items?size=101", headers=auth_headers(token))
    _assert_error(response, 422)
    response = await client.get("/my/bank/items?size=100", headers=auth_headers(token))
    assert response.status_code == 200


async def test_method_not_allowed_uses_error_body(client: httpx.AsyncClient) -> None:
    _assert_error(await client.delete("/items"), 405)


@pytest.mark.parametrize(
    "body",
    [
        {"characters": [], "monster": "chicken", "iterations": 1},
        {"characters": [{"level": 1}] * 4, "monster": "chicken", "iterations": 1},
        {"characters": [{"level": 0}], "monster": "chicken", "iterations": 1},
        {"characters": [{"level": 1}], "monster": "chicken", "iterations": 0},
        {"characters": [{"level": 1}], "monster": "chicken", "iterations": 101},
        {"characters": [{"level": 1, "utility1_slot_quantity": -2}], "monster": "chicken"},
    ],
)
async def test_simulation_validation(client: httpx.AsyncClient, body: object) -> None:
    token = await make_account(client, "mia001")
    response = await client.post("/simulation/fight", json=body, headers=auth_headers(token))
    _assert_error(response, 422)


async def test_simulation_unknown_item_is_404(client: httpx.AsyncClient) -> None:
    token = await make_account(client, "nina01")
    body: dict[str, object] = {"characters": [{"level": 1, "weapon_slot": "nope"}]}
    body.update(monster="chicken", iterations=1)
    response = await client.post("/simulation/fight", json=body, headers=auth_headers(token))
    _assert_error(response, 404)


async def test_unexpected_exception_is_500_and_logged(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/explode", explode)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="guildmaster.server.app"):
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.get("/explode")
    _assert_error(response, 500)
    assert "boom" not in response.text
    assert any("unhandled error" in record.message for record in caplog.records)
