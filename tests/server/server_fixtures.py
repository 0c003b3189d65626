"""Shared server test fixtures: a small hand-built world, the app, an in-process client, helpers.

The world is built in code from API-shaped dicts (it never depends on the world generator):

* overworld 6x5 grid, x in -2..3, y in -2..2; spawn at (0,0); (-1,0) is blocked;
* (1,0) monster ``chicken``; (2,0) resource ``copper_rocks``; (0,1) bank;
  (1,1) workshop ``mining``; (2,1) workshop ``weaponcrafting``; (3,1) workshop ``cooking``;
  (0,2) grand exchange; (1,2) NPC ``general_merchant``; (2,2) tasks master ``monsters``;
* (3,0) transitions to underground (3,0) and back; underground (3,1) holds monster ``cave_bat``;
* event ``chicken_swarm`` spawns chickens at (-2,-2).

Use :func:`world_data` for the raw dict (e.g. to write a world file) and the fixtures
``world``, ``app``, ``game``, ``client`` in tests; :func:`make_account` / :func:`make_character`
create accounts and characters over HTTP.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import GameServer
from guildmaster.server.settings import RateLimitSettings, ServerSettings
from guildmaster.server.world import Json, World, parse_world

__all__ = [
    "DEFAULT_PASSWORD",
    "SpecValidator",
    "app",
    "auth_headers",
    "client",
    "fixture_settings",
    "game",
    "make_account",
    "make_character",
    "snapshot_world",
    "spec_validator",
    "world",
    "world_data",
]

DEFAULT_PASSWORD = "secret-pass"


def _effect(code: str, value: int) -> Json:
    return {"code": code, "value": value, "description": f"{code} {value}"}


def _item(
    code: str,
    item_type: str,
    *,
    level: int = 1,
    subtype: str = "",
    effects: list[Json] | None = None,
    craft: Json | None = None,
    tradeable: bool = True,
    conditions: list[Json] | None = None,
) -> Json:
    return {
        "name": code.replace("_", " ").title(),
        "code": code,
        "level": level,
        "type": item_type,
        "subtype": subtype,
        "description": f"The {code}.",
        "conditions": conditions or [],
        "effects": effects or [],
        "craft": craft,
        "tradeable": tradeable,
        "recyclable": craft is not None and item_type not in ("resource", "consumable"),
    }


def _items() -> list[Json]:
    return [
        _item(
            "wooden_stick",
            "weapon",
            effects=[_effect("attack_earth", 4), _effect("critical_strike", 5)],
            tradeable=False,
        ),
        _item(
            "copper_dagger",
            "weapon",
            effects=[_effect("attack_air", 6), _effect("critical_strike", 35)],
            craft={
                "skill": "weaponcrafting",
                "level": 1,
                "items": [{"code": "copper_bar", "quantity": 6}],
                "quantity": 1,
            },
        ),
        _item(
            "copper_helmet",
            "helmet",
            effects=[_effect("hp", 10)],
            craft={
                "skill": "gearcrafting",
                "level": 1,
                "items": [{"code": "copper_bar", "quantity": 6}],
                "quantity": 1,
            },
        ),
        _item("copper_ore", "resource", subtype="mining"),
        _item(
            "copper_bar",
            "resource",
            subtype="bar",
            craft={
                "skill": "mining",
                "level": 1,
                "items": [{"code": "copper_ore", "quantity": 10}],
                "quantity": 1,
            },
        ),
        _item("raw_chicken", "resource", subtype="food"),
        _item("feather", "resource", subtype="mob"),
        _item("bat_wing", "resource", subtype="mob"),
        _item(
            "cooked_chicken",
            "consumable",
            subtype="food",
            effects=[_effect("heal", 80)],
            craft={
                "skill": "cooking",
                "level": 1,
                "items": [{"code": "raw_chicken", "quantity": 1}],
                "quantity": 1,
            },
        ),
        _item(
            "small_health_potion",
            "utility",
            subtype="potion",
            effects=[_effect("restore", 30)],
        ),
        _item("tasks_coin", "currency"),
    ]


def _tile(
    map_id: int,
    x: int,
    y: int,
    *,
    layer: str = "overworld",
    content: Json | None = None,
    transition: Json | None = None,
    blocked: bool = False,
    name: str = "Plains",
) -> Json:
    return {
        "map_id": map_id,
        "name": name,
        "skin": f"{layer}_{x}_{y}",
        "x": x,
        "y": y,
        "layer": layer,
        "access": {"type": "blocked" if blocked else "standard", "conditions": []},
        "interactions": {"content": content, "transition": transition},
    }


def _maps() -> list[Json]:
    contents: dict[tuple[int, int], Json] = {
        (1, 0): {"type": "monster", "code": "chicken"},
        (2, 0): {"type": "resource", "code": "copper_rocks"},
        (0, 1): {"type": "bank", "code": "bank"},
        (1, 1): {"type": "workshop", "code": "mining"},
        (2, 1): {"type": "workshop", "code": "weaponcrafting"},
        (3, 1): {"type": "workshop", "code": "cooking"},
        (0, 2): {"type": "grand_exchange", "code": "grand_exchange"},
        (1, 2): {"type": "npc", "code": "general_merchant"},
        (2, 2): {"type": "tasks_master", "code": "monsters"},
    }
    tiles: list[Json] = []
    map_id = 1
    for y in range(-2, 3):
        for x in range(-2, 4):
            transition = None
            if (x, y) == (3, 0):
                transition = {"map_id": 101, "x": 3, "y": 0, "layer": "underground"}
                transition["conditions"] = []
            tiles.append(
                _tile(
                    map_id,
                    x,
                    y,
                    content=contents.get((x, y)),
                    transition=transition,
                    blocked=(x, y) == (-1, 0),
                    name="Spawn" if (x, y) == (0, 0) else "Plains",
                )
            )
            map_id += 1
    tiles.append(
        _tile(
            101,
            3,
            0,
            layer="underground",
            name="Cave",
            transition={"map_id": 16, "x": 3, "y": 0, "layer": "overworld", "conditions": []},
        )
    )
    tiles.append(
        _tile(
            102,
            3,
            1,
            layer="underground",
            name="Cave",
            content={"type": "monster", "code": "cave_bat"},
        )
    )
    return tiles


def _drop(code: str, rate: int, low: int = 1, high: int = 1) -> Json:
    return {"code": code, "rate": rate, "min_quantity": low, "max_quantity": high}


def _monster(code: str, level: int, hp: int, attack: dict[str, int], drops: list[Json]) -> Json:
    monster: Json = {"name": code.replace("_", " ").title(), "code": code, "level": level}
    monster.update(type="normal", hp=hp)
    for element in ("fire", "earth", "water", "air"):
        monster[f"attack_{element}"] = attack.get(element, 0)
    for element in ("fire", "earth", "water", "air"):
        monster[f"res_{element}"] = 0
    monster.update(
        critical_strike=0, initiative=50, min_gold=0, max_gold=3, drops=drops, effects=[]
    )
    return monster


def world_data() -> Json:
    """The fixture world as an API-shaped dict (a fresh copy on every call)."""
    return {
        "maps": _maps(),
        "items": _items(),
        "resources": [
            {
                "name": "Copper Rocks",
                "code": "copper_rocks",
                "skill": "mining",
                "level": 1,
                "drops": [_drop("copper_ore", 1)],
            }
        ],
        "monsters": [
            _monster(
                "chicken", 1, 60, {"water": 4}, [_drop("raw_chicken", 2), _drop("feather", 8)]
            ),
            _monster("cave_bat", 3, 90, {"air": 8}, [_drop("bat_wing", 3)]),
        ],
        "npcs": [
            {
                "code": "cooked_chicken",
                "npc": "general_merchant",
                "currency": "gold",
                "buy_price": 10,
                "sell_price": 2,
            },
            {
                "code": "raw_chicken",
                "npc": "general_merchant",
                "currency": "gold",
                "buy_price": None,
                "sell_price": 1,
            },
            {
                "code": "small_health_potion",
                "npc": "general_merchant",
                "currency": "tasks_coin",
                "buy_price": 3,
                "sell_price": None,
            },
        ],
        "npc_details": [
            {
                "name": "General Merchant",
                "code": "general_merchant",
                "description": "Sells food.",
                "type": "merchant",
            }
        ],
        "tasks": [
            {
                "code": "chicken",
                "level": 1,
                "type": "monsters",
                "min_quantity": 5,
                "max_quantity": 10,
                "rewards": {"items": [{"code": "tasks_coin", "quantity": 3}], "gold": 200},
                "skill": None,
            },
            {
                "code": "copper_ore",
                "level": 1,
                "type": "items",
                "min_quantity": 10,
                "max_quantity": 20,
                "rewards": {"items": [{"code": "tasks_coin", "quantity": 2}], "gold": 150},
                "skill": "mining",
            },
        ],
        "tasks_rewards": [_drop("small_health_potion", 2, 1, 2), _drop("feather", 1, 2, 5)],
        "events": [
            {
                "name": "Chicken Swarm",
                "code": "chicken_swarm",
                "maps": [{"map_id": 1, "x": -2, "y": -2, "layer": "overworld", "skin": "swarm"}],
                "duration": 60,
                "rate": 100,
                "content": {"type": "monster", "code": "chicken"},
                "cooldown": 0,
                "price": None,
                "transition": None,
            }
        ],
        "effects": [
            {
                "name": code.replace("_", " ").title(),
                "code": code,
                "description": f"{code} {{value}}",
                "type": kind,
                "subtype": subtype,
            }
            for code, kind, subtype in (
                ("attack_earth", "equipment", "stat"),
                ("attack_air", "equipment", "stat"),
                ("critical_strike", "equipment", "stat"),
                ("hp", "equipment", "stat"),
                ("heal", "consumable", "heal"),
                ("restore", "combat", "heal"),
            )
        ],
        "achievements": [
            {
                "name": "Chicken Slayer",
                "code": "chicken_slayer",
                "description": "Kill 10 chickens.",
                "points": 5,
                "objectives": [
                    {"type": "combat_kill", "total": 10, "target": "chicken", "progress": 0}
                ],
                "rewards": {"gold": 100, "items": []},
                "completed_at": None,
            }
        ],
        "bank": {"slots": 50, "expansions": 0, "next_expansion_cost": 4500, "gold": 0},
        "meta": {"seed": 0, "generator_version": "fixture", "starter_items": ["wooden_stick"]},
    }


def fixture_settings(**overrides: Any) -> ServerSettings:
    """Settings for in-process tests: memory-only, rate limits off unless overridden."""
    values: dict[str, Any] = {"world": "fixture", "rate_limits": RateLimitSettings(enabled=False)}
    values.update(overrides)
    return ServerSettings(**values)


def auth_headers(token: str) -> dict[str, str]:
    """``Authorization: Bearer`` header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


async def make_account(
    client: httpx.AsyncClient, name: str, *, password: str = DEFAULT_PASSWORD
) -> str:
    """Create account ``name`` (6..32 chars) over HTTP and return a fresh token for it."""
    response = await client.post(
        "/accounts/create",
        json={"username": name, "password": password, "email": f"{name}@example.com"},
    )
    assert response.status_code == 200, response.text
    basic = base64.b64encode(f"{name}:{password}".encode()).decode()
    response = await client.post("/token", headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    assert isinstance(token, str)
    return token


async def make_character(
    client: httpx.AsyncClient, token: str, name: str, *, skin: str = "men1"
) -> Json:
    """Create character ``name`` (3..12 chars) over HTTP and return its ``CharacterSchema``."""
    response = await client.post(
        "/characters/create", json={"name": name, "skin": skin}, headers=auth_headers(token)
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert isinstance(data, dict)
    return data


@pytest.fixture
def world() -> World:
    """The small hand-built fixture world."""
    return parse_world(world_data())


@pytest.fixture
def app(world: World, clock: VirtualClock) -> Any:
    """The FastAPI app on the fixture world and the shared virtual ``clock``."""
    return create_app(fixture_settings(), clock, world=world)


@pytest.fixture
def game(app: Any) -> GameServer:
    """The app's GameServer (``app.state.game``)."""
    server = app.state.game
    assert isinstance(server, GameServer)
    return server


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to ``app`` in process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


_SPEC_URI = "urn:artifactsmmo:openapi-v8"

_FORMATS = FormatChecker(formats=())


def _is_datetime(value: object) -> bool:
    """RFC 3339 date-time: a date, a time and an explicit offset (``Z`` or ``+hh:mm``)."""
    if not isinstance(value, str):
        return True
    moment = datetime.fromisoformat(value)
    return "T" in value.upper() and moment.tzinfo is not None


_FORMATS.checks("date-time", raises=ValueError)(_is_datetime)


def _nullable_to_type(node: Any) -> Any:
    """OpenAPI ``nullable: true`` -> JSON Schema ``type: [T, "null"]`` (in place)."""
    if isinstance(node, dict):
        if node.pop("nullable", False) and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        for value in node.values():
            _nullable_to_type(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_to_type(value)
    return node


class SpecValidator:
    """Validates responses against the real v8 OpenAPI spec (the contract test harness).

    ``validate(response)`` finds the spec path template of the request (or takes ``template``),
    takes the documented schema of the response's status (``ErrorResponseSchema`` for error
    statuses the path does not list) and raises ``AssertionError`` with every violation.
    ``visited`` records the ``(METHOD, template)`` pairs checked so far.
    """

    def __init__(self, openapi_path: Path) -> None:
        spec = _nullable_to_type(json.loads(openapi_path.read_text(encoding="utf-8")))
        self.spec: Json = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
        self.visited: set[tuple[str, str]] = set()
        self._templates: list[tuple[re.Pattern[str], str, int]] = []
        for template in spec["paths"]:
            pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
            literal = sum(1 for part in template.split("/") if part and "{" not in part)
            self._templates.append((re.compile(f"^{pattern}$"), template, literal))

    def template_of(self, path: str) -> str:
        """The spec path template matching a concrete path (most literal segments wins)."""
        matches = [(lit, t) for rx, t, lit in self._templates if rx.match(path)]
        assert matches, f"{path} matches no path of the spec"
        return max(matches)[1]

    def schema_ref(self, method: str, template: str, status: int) -> str:
        """The ``$ref`` of the documented response schema."""
        operation = self.spec["paths"][template][method.lower()]
        response = operation["responses"].get(str(status))
        if response is None:
            assert status >= 400, f"{method} {template}: undocumented success status {status}"
            return "#/components/schemas/ErrorResponseSchema"
        ref = response["content"]["application/json"]["schema"]["$ref"]
        assert isinstance(ref, str)
        return ref

    def validate_body(self, body: Any, ref: str) -> None:
        """Validate ``body`` against a ``#/components/schemas/...`` reference."""
        validator = Draft202012Validator(
            {"$ref": f"{_SPEC_URI}{ref}"}, registry=self.registry, format_checker=_FORMATS
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10]]
            raise AssertionError(f"{ref}: {len(errors)} violations\n" + "\n".join(lines))

    def validate(self, response: httpx.Response, *, template: str | None = None) -> Any:
        """Validate one response against the spec; returns its JSON body."""
        method = response.request.method
        template = template or self.template_of(response.request.url.path)
        self.visited.add((method, template))
        body = response.json()
        self.validate_body(body, self.schema_ref(method, template, response.status_code))
        return body


@pytest.fixture(scope="session")
def spec_validator(openapi_path: Path) -> SpecValidator:
    """A :class:`SpecValidator` on the real spec (skips when the game data is absent)."""
    return SpecValidator(openapi_path)


def snapshot_world(snapshot_path: Path) -> World:
    """The real snapshot world (a deep copy each call; it is mutable)."""
    return parse_world(copy.deepcopy(_load_json(snapshot_path)))


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
