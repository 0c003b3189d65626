"""Every client method sends the method, path, query and body the real v8 spec defines."""

from __future__ import annotations

import inspect
import json
import re
import typing
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx
import jsonschema
import pytest

from guildmaster.api import AsyncArtifactsClient, TransportFailure
from guildmaster.api.models import FakeCharacterSchema, Page
from guildmaster.clock import VirtualClock

Call = Callable[[AsyncArtifactsClient], Awaitable[Any]]

CALLS: Mapping[str, Call] = MappingProxyType(
    {
        "move_xy": lambda c: c.move("alice", x=1, y=2),
        "move_id": lambda c: c.move("alice", map_id=42),
        "transition": lambda c: c.transition("alice"),
        "rest": lambda c: c.rest("alice"),
        "equip": lambda c: c.equip("alice", "wooden_shield", "shield"),
        "equip_many": lambda c: c.equip_many("alice", [("small_potion", "utility1", 5)]),
        "unequip": lambda c: c.unequip("alice", "weapon"),
        "use": lambda c: c.use("alice", "cooked_chicken", 2),
        "fight": lambda c: c.fight("alice"),
        "fight_party": lambda c: c.fight("alice", ["bob", "carol"]),
        "gather": lambda c: c.gather("alice"),
        "craft": lambda c: c.craft("alice", "copper_bar", 3),
        "recycle": lambda c: c.recycle("alice", "copper_dagger", enhanced=True),
        "deposit_items": lambda c: c.deposit_items("alice", {"copper_ore": 5, "ash_wood": 2}),
        "withdraw_items": lambda c: c.withdraw_items("alice", [("copper_ore", 5)]),
        "deposit_gold": lambda c: c.deposit_gold("alice", 100),
        "withdraw_gold": lambda c: c.withdraw_gold("alice", 100),
        "buy_bank_expansion": lambda c: c.buy_bank_expansion("alice"),
        "npc_buy": lambda c: c.npc_buy("alice", "apple", 3),
        "npc_sell": lambda c: c.npc_sell("alice", "apple"),
        "ge_buy": lambda c: c.ge_buy("alice", "order-1", 2),
        "ge_create_sell_order": lambda c: c.ge_create_sell_order("alice", "copper_ore", 10, 5),
        "ge_create_buy_order": lambda c: c.ge_create_buy_order("alice", "copper_ore", 10, 5),
        "ge_fill": lambda c: c.ge_fill("alice", "order-2", 1),
        "ge_cancel": lambda c: c.ge_cancel("alice", "order-3"),
        "task_new": lambda c: c.task_new("alice"),
        "task_complete": lambda c: c.task_complete("alice"),
        "task_exchange": lambda c: c.task_exchange("alice"),
        "task_trade": lambda c: c.task_trade("alice", "copper_ore", 10),
        "task_cancel": lambda c: c.task_cancel("alice"),
        "give_gold": lambda c: c.give_gold("alice", "bob", 50),
        "give_items": lambda c: c.give_items("alice", "bob", {"copper_ore": 1}),
        "claim_item": lambda c: c.claim_item("alice", "pending-9"),
        "delete_item": lambda c: c.delete_item("alice", "apple", 1),
        "status": lambda c: c.status(),
        "create_account": lambda c: c.create_account("someuser", "password1", "u@example.com"),
        "generate_token": lambda c: c.generate_token("user", "password1"),
        "create_character": lambda c: c.create_character("alice", "men1"),
        "delete_character": lambda c: c.delete_character("alice"),
        "get_character": lambda c: c.get_character("alice"),
        "character_stats": lambda c: c.character_stats("alice"),
        "my_characters": lambda c: c.my_characters(),
        "my_details": lambda c: c.my_details(),
        "my_rates": lambda c: c.my_rates(),
        "account": lambda c: c.account("someone"),
        "account_achievements": lambda c: c.account_achievements("someone", completed=True),
        "my_bank": lambda c: c.my_bank(),
        "my_bank_items": lambda c: c.my_bank_items(item_code="copper_ore"),
        "my_logs": lambda c: c.my_logs(),
        "my_logs_one": lambda c: c.my_logs("alice", page=2, size=10),
        "my_ge_orders": lambda c: c.my_ge_orders(type="sell"),
        "my_ge_history": lambda c: c.my_ge_history(code="copper_ore"),
        "my_pending_items": lambda c: c.my_pending_items(),
        "items": lambda c: c.items(type="resource", max_level=10),
        "item": lambda c: c.item("copper_ore"),
        "monsters": lambda c: c.monsters(drop="feather"),
        "monster": lambda c: c.monster("chicken"),
        "resources": lambda c: c.resources(skill="mining"),
        "resource": lambda c: c.resource("copper_rocks"),
        "maps": lambda c: c.maps(content_type="monster", hide_blocked_maps=True),
        "maps_layer": lambda c: c.maps(layer="underground"),
        "map_at": lambda c: c.map_at("overworld", -2, 3),
        "map_by_id": lambda c: c.map_by_id(17),
        "npcs": lambda c: c.npcs(type="merchant"),
        "npc": lambda c: c.npc("fish_merchant"),
        "npc_items_all": lambda c: c.npc_items(currency="gold"),
        "npc_items_one": lambda c: c.npc_items("fish_merchant"),
        "tasks": lambda c: c.tasks(type="monsters"),
        "task": lambda c: c.task("chicken"),
        "task_rewards": lambda c: c.task_rewards(),
        "task_reward": lambda c: c.task_reward("jasper_crystal"),
        "events": lambda c: c.events(),
        "active_events": lambda c: c.active_events(),
        "effects": lambda c: c.effects(),
        "effect": lambda c: c.effect("poison"),
        "achievements": lambda c: c.achievements(),
        "achievement": lambda c: c.achievement("a_peaceful_island"),
        "ge_orders": lambda c: c.ge_orders(code="copper_ore"),
        "ge_order": lambda c: c.ge_order("order-1"),
        "ge_history": lambda c: c.ge_history("copper_ore"),
        "leaderboard_characters": lambda c: c.leaderboard_characters(sort="mining"),
        "leaderboard_accounts": lambda c: c.leaderboard_accounts(),
        "simulate_fight": lambda c: c.simulate_fight(
            [FakeCharacterSchema.model_validate({"level": 5})], "chicken", iterations=10
        ),
        "fetch_catalogue": lambda c: c.fetch_catalogue("npcs/items"),
    }
)


@pytest.fixture(scope="module")
def spec(openapi_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(openapi_path.read_text(encoding="utf-8"))
    return loaded


def _operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            # Prefer literal matches (``/maps/id/17`` over ``/maps/{layer}/{x}``).
            operation: dict[str, Any] = operations[method.lower()]
            if "{" not in template or not any(
                re.match("^" + t + "$", path) for t in spec["paths"] if "{" not in t
            ):
                return operation
    return None


def _capture(call: Call) -> httpx.Request:
    clock = VirtualClock()
    seen: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ConnectError("recorded", request=request)

    async def main() -> None:
        async with AsyncArtifactsClient(
            "http://spec.test",
            "token",
            transport=httpx.MockTransport(refuse),
            clock=clock,
            max_attempts=1,
        ) as client:
            with pytest.raises(TransportFailure):
                await call(client)

    clock.run(main())
    assert len(seen) == 1
    return seen[0]


@pytest.mark.parametrize("label", sorted(CALLS))
def test_request_matches_the_spec(spec: dict[str, Any], label: str) -> None:
    request = _capture(CALLS[label])
    operation = _operation(spec, request.method, request.url.path)
    assert operation is not None, f"{request.method} {request.url.path} is not in the spec"
    known = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    assert set(request.url.params) <= known, (set(request.url.params), known)
    body_spec = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not request.content:
        assert body_spec is None or not operation["requestBody"].get("required", False)
        return
    assert body_spec is not None, f"{label} sends a body the endpoint does not take"
    schema = {**body_spec["schema"], "components": spec["components"]}
    body = json.loads(request.content)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(body)]
    assert not errors, errors


def _spec_result(spec: dict[str, Any], operation: dict[str, Any]) -> tuple[str, bool]:
    """(schema name, is a list) of the 200 response, with the ``data`` envelope removed."""
    content = operation["responses"]["200"]["content"]["application/json"]["schema"]
    name = content["$ref"].rsplit("/", 1)[-1]
    props = spec["components"]["schemas"][name].get("properties", {})
    if "data" not in props:
        return name, False
    data = props["data"]
    if data.get("type") == "array":
        return data["items"]["$ref"].rsplit("/", 1)[-1], True
    return data["$ref"].rsplit("/", 1)[-1], False


def _method_result(method_name: str) -> tuple[str, bool]:
    hint = typing.get_type_hints(getattr(AsyncArtifactsClient, method_name))["return"]
    if typing.get_origin(hint) is list:
        (inner,) = typing.get_args(hint)
        return inner.__name__, True
    if isinstance(hint, type) and issubclass(hint, Page):
        (inner,) = hint.__pydantic_generic_metadata__["args"]
        return inner.__name__, True
    return hint.__name__, False


@pytest.mark.parametrize("label", sorted(set(CALLS) - {"fetch_catalogue", "generate_token"}))
def test_result_type_matches_the_spec(spec: dict[str, Any], label: str) -> None:
    method_name = re.findall(r"c\.(\w+)\(", inspect.getsource(CALLS[label]))[0]
    request = _capture(CALLS[label])
    operation = _operation(spec, request.method, request.url.path)
    assert operation is not None
    assert _method_result(method_name) == _spec_result(spec, operation)
