"""``world snapshot``: paginated catalogues of a server become one world file."""

from __future__ import annotations

import json
from typing import Any

import httpx

from guildmaster.cli.world import fetch_snapshot
from guildmaster.server.worldgen import generate_world, validate_world

_PATHS = {
    "/maps": "maps",
    "/items": "items",
    "/resources": "resources",
    "/monsters": "monsters",
    "/npcs/items": "npcs",
    "/npcs/details": "npc_details",
    "/tasks/list": "tasks",
    "/tasks/rewards": "tasks_rewards",
    "/events": "events",
    "/effects": "effects",
    "/achievements": "achievements",
}


def _server(world: dict[str, Any], calls: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/my/bank":
            return httpx.Response(200, json={"data": world["bank"]})
        entries = world[_PATHS[request.url.path]]
        page, size = int(request.url.params["page"]), int(request.url.params["size"])
        pages = max(1, -(-len(entries) // size))
        chunk = entries[(page - 1) * size : page * size]
        body = {"data": chunk, "total": len(entries), "page": page, "size": size, "pages": pages}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handle)


def test_snapshot_collects_every_page() -> None:
    world = generate_world(6)
    calls: list[str] = []
    with httpx.Client(transport=_server(world, calls), base_url="http://game.test") as client:
        snap = fetch_snapshot(client, with_bank=True)
    for key in _PATHS.values():
        assert snap[key] == json.loads(json.dumps(world[key])), key
    assert snap["bank"] == world["bank"]
    assert calls.count("/maps") == 15  # 1428 tiles in pages of 100
    snap["meta"]["starter_items"] = world["meta"]["starter_items"]
    assert validate_world(snap, samples=2).is_valid
