"""GameData.load through the real AsyncArtifactsClient over a mock HTTP server (paged data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from guildmaster.api import AsyncArtifactsClient
from guildmaster.clock import VirtualClock
from guildmaster.knowledge import CatalogueCache, GameData

_SNAPSHOT_KEYS = {"npcs/items": "npcs", "tasks/list": "tasks"}


def _server(world: dict[str, Any], calls: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        name = request.url.path.strip("/")
        calls.append(name)
        rows = list(world.get(_SNAPSHOT_KEYS.get(name, name)) or [])
        page = int(request.url.params.get("page", 1))
        size = int(request.url.params.get("size", 50))
        pages = max(1, -(-len(rows) // size))
        body = {
            "data": rows[(page - 1) * size : page * size],
            "total": len(rows),
            "page": page,
            "size": size,
            "pages": pages,
        }
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handle)


def test_load_through_the_client_and_cache(
    snapshot_path: Path, tmp_path: Path, clock: VirtualClock
) -> None:
    world = json.loads(snapshot_path.read_text())
    calls: list[str] = []
    client = AsyncArtifactsClient(
        "http://mock.test", None, transport=_server(world, calls), clock=clock
    )
    cache = CatalogueCache(tmp_path, clock=clock)

    async def both() -> tuple[GameData, int, GameData]:
        try:
            first = await GameData.load(client, cache=cache, server="http://mock.test")
            count = len(calls)
            return first, count, await GameData.load(client, cache=cache, server="http://mock.test")
        finally:
            await client.aclose()

    # The client's rate limiter waits on the clock: run in the clock's own (virtual) loop.
    data, pages_first, again = clock.run(both())
    expected = GameData.from_snapshot(world)
    assert len(data.maps) == len(expected.maps) == len(world["maps"])
    assert data.items == expected.items and data.monsters == expected.monsters
    assert data.raw_materials("iron_sword") == expected.raw_materials("iron_sword")
    # The second load only asks for the live active events; everything else is cached.
    assert pages_first > 12
    assert calls[pages_first:] == ["events/active"]
    assert again.items == data.items


@pytest.mark.parametrize("name", ["items", "maps"])
def test_every_page_is_read(snapshot_path: Path, clock: VirtualClock, name: str) -> None:
    world = json.loads(snapshot_path.read_text())
    calls: list[str] = []
    client = AsyncArtifactsClient(
        "http://mock.test", None, transport=_server(world, calls), clock=clock
    )

    async def fetch() -> list[dict[str, Any]]:
        try:
            return await client.fetch_catalogue(name)
        finally:
            await client.aclose()

    rows = clock.run(fetch())
    assert [r["code"] if name == "items" else r["map_id"] for r in rows] == [
        r["code"] if name == "items" else r["map_id"] for r in world[name]
    ]
