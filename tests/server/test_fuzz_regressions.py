"""Regression tests for the server bugs the schemathesis fuzzing (``test_fuzz_schema``) found."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from server_fixtures import SpecValidator, auth_headers, make_account, make_character

from guildmaster.server.game import GameServer


def _error(response: httpx.Response, code: int) -> dict[str, Any]:
    assert response.status_code == code, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    error = body["error"]
    assert isinstance(error, dict) and error["message"]
    return error


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/my/Hero/action/move", b"\xff\xfe\x1e\xb5Q"),
        ("/my/Hero/action/bank/deposit/item", b"N\xd7\x0c"),
        ("/accounts/create", b"\x80\x81"),
        ("/simulation/fight", b"\xc3\x28"),
    ],
)
async def test_undecodable_json_body_is_422_and_changes_nothing(
    client: httpx.AsyncClient, game: GameServer, path: str, content: bytes
) -> None:
    """Bytes that are not UTF-8 JSON were an undocumented 400; now the API's 422 payload error."""
    token = await make_account(client, "bytesowner")
    await make_character(client, token, "Hero")
    before = copy.deepcopy(game.state.characters["Hero"].to_schema(game.now()))
    headers = {**auth_headers(token), "Content-Type": "application/json"}
    response = await client.post(path, content=content, headers=headers)
    error = _error(response, 422)
    assert error["message"] == "Invalid payload."
    assert game.state.characters["Hero"].to_schema(game.now()) == before
    assert set(game.state.accounts) == {"bytesowner"}


async def test_undecodable_body_error_matches_the_spec(
    client: httpx.AsyncClient, spec_validator: SpecValidator
) -> None:
    """The 422 body is an ``ErrorResponseSchema`` (what the spec documents for the action)."""
    token = await make_account(client, "specbytes")
    await make_character(client, token, "Hero")
    headers = {**auth_headers(token), "Content-Type": "application/json"}
    response = await client.post("/my/Hero/action/move", content=b"\xff\xfe", headers=headers)
    assert response.status_code == 422
    spec_validator.validate(response)


@pytest.mark.parametrize("slot_code", ["not a code!", "ümlaut", "x/y"])
async def test_simulation_slot_codes_follow_the_spec(
    client: httpx.AsyncClient, slot_code: str
) -> None:
    """Slots have no pattern in the spec: any string is valid input, an unknown code a 404.

    The server used to answer 422 (pattern mismatch) for valid requests.
    """
    token = await make_account(client, "simslots")
    body = {
        "characters": [{"level": 3, "weapon_slot": slot_code}],
        "monster": "chicken",
        "iterations": 2,
    }
    response = await client.post("/simulation/fight", json=body, headers=auth_headers(token))
    error = _error(response, 404)
    assert slot_code in error["message"]


async def test_simulation_empty_slot_string_is_an_empty_slot(client: httpx.AsyncClient) -> None:
    """An empty slot string (valid for the spec) means no item, like null."""
    token = await make_account(client, "simempty")
    body = {"characters": [{"level": 3, "weapon_slot": ""}], "monster": "chicken", "iterations": 3}
    response = await client.post("/simulation/fight", json=body, headers=auth_headers(token))
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]["results"]) == 3


@pytest.mark.parametrize(
    "query",
    ["active=maybe", "active=%C3%87", "name=bad%21name", "name=%0Dtab", "size=0", "page=0"],
)
async def test_raids_filters_are_validated(client: httpx.AsyncClient, query: str) -> None:
    """``GET /raids`` ignored its ``name``/``active`` filters, so invalid values got a 200."""
    response = await client.get(f"/raids?{query}")
    error = _error(response, 422)
    assert error["data"]


@pytest.mark.parametrize("query", ["", "active=true", "active=false", "name=Some%20raid&size=5"])
async def test_raids_valid_filters_still_answer_an_empty_page(
    client: httpx.AsyncClient, query: str
) -> None:
    """Valid filters keep answering the (empty) raid page of a local world."""
    response = await client.get(f"/raids?{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == [] and body["total"] == 0 and body["pages"] == 0
