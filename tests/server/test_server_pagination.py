"""Pagination invariants: pages cover every entry exactly once, bounds come from settings."""

from __future__ import annotations

import math

import httpx
from hypothesis import given
from hypothesis import strategies as st
from server_fixtures import auth_headers, fixture_settings, make_account, world_data

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import Page, paginate
from guildmaster.server.world import parse_world


@given(
    entries=st.lists(st.integers(), max_size=60),
    size=st.integers(min_value=1, max_value=70),
)
def test_pages_cover_every_entry_exactly_once(entries: list[int], size: int) -> None:
    pages = math.ceil(len(entries) / size)
    seen: list[int] = []
    for number in range(1, pages + 2):
        body = paginate(entries, Page(page=number, size=size))
        assert body["total"] == len(entries)
        assert body["pages"] == pages
        assert (body["page"], body["size"]) == (number, size)
        assert len(body["data"]) <= size
        if number > pages:
            assert body["data"] == []
        seen.extend(body["data"])
    assert seen == entries


async def test_http_pages_walk_every_item_once(client: httpx.AsyncClient, game: GameServer) -> None:
    codes = sorted(game.world.items)
    for size in range(1, len(codes) + 2):
        walked: list[str] = []
        page = 1
        while True:
            body = (await client.get("/items", params={"page": page, "size": size})).json()
            walked.extend(item["code"] for item in body["data"])
            if page >= body["pages"]:
                break
            page += 1
        assert sorted(walked) == codes, size
        assert len(walked) == len(set(walked))


async def test_default_page_size_is_50(client: httpx.AsyncClient) -> None:
    body = (await client.get("/maps")).json()
    assert body["size"] == 50 and body["page"] == 1


async def test_page_caps_come_from_settings(clock: VirtualClock) -> None:
    settings = fixture_settings(max_page_size=5, max_static_page_size=7)
    app = create_app(settings, clock, world=parse_world(world_data()))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert (await http.get("/items?size=7")).status_code == 200
        assert (await http.get("/items?size=8")).status_code == 422
        token = await make_account(http, "capped")
        headers = auth_headers(token)
        assert (await http.get("/my/logs?size=5", headers=headers)).status_code == 200
        response = await http.get("/my/logs?size=6", headers=headers)
        assert response.status_code == 422
        assert "size" in response.json()["error"]["data"]
