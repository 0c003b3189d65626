"""Generated entries validate against the real v8 OpenAPI schemas, and the server plays them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from server_fixtures import auth_headers, fixture_settings, make_account, make_character

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.world import parse_world
from guildmaster.server.worldgen import generate_world

_URI = "urn:worldgen:openapi"
SCHEMAS = {
    "maps": "MapSchema",
    "items": "ItemSchema",
    "resources": "ResourceSchema",
    "monsters": "MonsterSchema",
    "npcs": "NPCItemSchema",
    "npc_details": "NPCSchema",
    "tasks": "TaskFullSchema",
    "tasks_rewards": "DropRateSchema",
    "events": "EventSchema",
    "effects": "EffectSchema",
    "achievements": "AchievementSchema",
}


def _nullable(node: Any) -> Any:
    """OpenAPI ``nullable: true`` -> JSON Schema ``type: [T, "null"]``, in place."""
    if isinstance(node, dict):
        if node.pop("nullable", False) and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        for value in node.values():
            _nullable(value)
    elif isinstance(node, list):
        for value in node:
            _nullable(value)
    return node


@pytest.fixture(scope="module")
def registry(openapi_path: Path) -> Registry[Any]:
    """A JSON-schema registry holding the real spec."""
    spec = _nullable(json.loads(openapi_path.read_text(encoding="utf-8")))
    resource: Resource[Any] = Resource.from_contents(spec, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_URI, resource)
    return registry


@pytest.mark.parametrize("key", sorted(SCHEMAS))
def test_entries_match_the_openapi_schema(registry: Registry[Any], key: str) -> None:
    world = generate_world(21)
    validator = Draft202012Validator(
        {"$ref": f"{_URI}#/components/schemas/{SCHEMAS[key]}"}, registry=registry
    )
    for entry in world[key]:
        errors = [
            f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(entry)
        ]
        assert not errors, (key, entry.get("code"), errors[:3])
    bank = Draft202012Validator(
        {"$ref": f"{_URI}#/components/schemas/BankSchema"}, registry=registry
    )
    assert not list(bank.iter_errors(world["bank"]))


async def test_server_plays_a_generated_world(clock: VirtualClock) -> None:
    raw = generate_world(2)
    app = create_app(fixture_settings(), clock, world=parse_world(raw))
    monsters = {m["code"]: m for m in raw["monsters"]}
    resources = {r["code"]: r for r in raw["resources"]}

    def tile_of(kind: str, table: dict[str, Any]) -> dict[str, Any]:
        return next(
            m
            for m in raw["maps"]
            if (c := m["interactions"]["content"])
            and c["type"] == kind
            and table[c["code"]]["level"] == 1
        )

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        token = await make_account(http, "worldgen01")
        hero = await make_character(http, token, "hero")
        headers = auth_headers(token)
        assert hero["weapon_slot"] == raw["meta"]["starter_items"][0]
        for target, action in (
            (tile_of("monster", monsters), "fight"),
            (tile_of("resource", resources), "gathering"),
        ):
            move = await http.post(
                "/my/hero/action/move", json={"x": target["x"], "y": target["y"]}, headers=headers
            )
            assert move.status_code == 200, move.text
            clock.advance(move.json()["data"]["cooldown"]["total_seconds"])
            done = await http.post(f"/my/hero/action/{action}", json={}, headers=headers)
            assert done.status_code == 200, done.text
            data = done.json()["data"]
            clock.advance(data["cooldown"]["total_seconds"])
            if action == "fight":
                assert data["fight"]["result"] == "win"
            else:
                assert data["details"]["xp"] > 0
