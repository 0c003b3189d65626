"""Test helpers for the API client: v8-shaped bodies and a scripted fake game server.

``FakeGame`` answers through ``httpx.MockTransport``: per-character cooldowns (499 while one
runs), a request log with virtual timestamps, and a queue of scripted responses
(``expect(...)`` / ``assert_done()``) that take precedence over the default behaviour.
"""

from __future__ import annotations

import types
import typing
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import httpx

from guildmaster.api.models import CharacterSchema
from guildmaster.clock import Clock

#: Cooldown ``reason`` (ActionType) of the actions whose path differs from it.
_REASONS = MappingProxyType(
    {"move": "movement", "bank/deposit/item": "deposit_item", "npc/buy": "buy_npc"}
)

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]

_CHARACTER_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "level": 1,
        "hp": 120,
        "max_hp": 120,
        "max_xp": 150,
        "inventory_max_items": 100,
        "skin": "men1",
        "account": "tester",
        "layer": "overworld",
        "map_id": 1,
    }
)


def _sample(annotation: Any, name: str) -> Any:
    if name in _CHARACTER_DEFAULTS:
        return _CHARACTER_DEFAULTS[name]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return None
    if origin is list:
        return []
    if annotation is int:
        return 1 if name.endswith("_level") else 0
    if annotation is str:
        return ""
    if annotation is datetime:
        return "2026-01-01T00:00:00Z"
    if annotation is bool:
        return False
    raise TypeError(f"no sample for {name}: {annotation!r}")


def iso(when: datetime) -> str:
    """Format like the server: ISO-8601 UTC with a Z."""
    return when.isoformat().replace("+00:00", "Z")


def character(name: str = "alice", **overrides: Any) -> dict[str, Any]:
    """A complete ``CharacterSchema`` body (every required field, spec types)."""
    body = {
        field: _sample(info.annotation, field)
        for field, info in CharacterSchema.model_fields.items()
        if info.is_required()
    }
    # The spec types cooldown_expiration as a (nullable) string; a past instant means "ready".
    body.update(name=name, cooldown_expiration="2026-01-01T00:00:00Z", inventory=[])
    body.update(overrides)
    return body


def cooldown(start: datetime, seconds: int, reason: str = "rest") -> dict[str, Any]:
    """A ``CooldownSchema`` body starting at ``start``."""
    return {
        "total_seconds": seconds,
        "remaining_seconds": seconds,
        "started_at": iso(start),
        "expiration": iso(start + timedelta(seconds=seconds)),
        "reason": reason,
    }


def map_tile(x: int = 0, y: int = 0, *, content: dict[str, str] | None = None) -> dict[str, Any]:
    """A ``MapSchema`` body."""
    return {
        "map_id": 100 + x * 10 + y,
        "name": "Spawn",
        "skin": "forest_1",
        "x": x,
        "y": y,
        "layer": "overworld",
        "access": {"type": "standard", "conditions": []},
        "interactions": {"content": content, "transition": None},
    }


def envelope(data: Any) -> dict[str, Any]:
    """Wrap like every successful v8 response."""
    return {"data": data}


def page_body(items: list[Any], page: int, size: int, total: int) -> dict[str, Any]:
    """A ``DataPage`` body."""
    pages = -(-total // size) if total else 0
    return {"data": items, "total": total, "page": page, "size": size, "pages": pages}


def error(code: int, message: str = "", **headers: str) -> httpx.Response:
    """A v8 error response (HTTP status = game code)."""
    body = {"error": {"code": code, "message": message or f"error {code}"}}
    return httpx.Response(code, json=body, headers=headers)


class FakeGame:
    """A scripted stand-in for the game server (see the module docstring)."""

    def __init__(self, clock: Clock, *, cooldown_seconds: int = 5) -> None:
        self.clock = clock
        self.cooldown_seconds = cooldown_seconds
        self.busy_until: dict[str, datetime] = {}
        self.log: list[tuple[float, str, str]] = []
        self.script: deque[httpx.Response | Handler] = deque()
        self.cooldown_message = "Character in cooldown: {remaining:.2f} seconds remaining."

    def transport(self) -> httpx.MockTransport:
        """The transport to give the client."""
        return httpx.MockTransport(self.handle)

    def expect(self, *responses: httpx.Response | Handler) -> None:
        """Queue responses (or handlers) for the next requests, in order."""
        self.script.extend(responses)

    def assert_done(self) -> None:
        """Every scripted response was consumed."""
        assert not self.script, f"{len(self.script)} scripted responses left"

    def paths(self) -> list[str]:
        """The logged request paths, in order."""
        return [path for _t, _m, path in self.log]

    def elapsed(self) -> float:
        """Clock seconds since the epoch."""
        return (self.clock.now() - self.clock.epoch).total_seconds()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request."""
        self.log.append((self.elapsed(), request.method, request.url.path))
        if self.script:
            scripted = self.script.popleft()
            if isinstance(scripted, httpx.Response):
                return scripted
            result = scripted(request)
            return result if isinstance(result, httpx.Response) else await result
        return self.default(request)

    def default(self, request: httpx.Request) -> httpx.Response:
        """Default game behaviour: character reads and cooldown-checked actions."""
        parts = request.url.path.strip("/").split("/")
        now = self.clock.now()
        if request.method == "GET" and parts[0] == "characters" and len(parts) == 2:
            until = self.busy_until.get(parts[1])
            return httpx.Response(
                200,
                json=envelope(
                    character(parts[1], cooldown_expiration=iso(until or self.clock.epoch))
                ),
            )
        if request.method == "POST" and parts[0] == "my" and parts[2] == "action":
            name, action = parts[1], "/".join(parts[3:])
            until = self.busy_until.get(name)
            if until is not None and until > now:
                remaining = (until - now).total_seconds()
                return error(499, self.cooldown_message.format(remaining=remaining))
            self.busy_until[name] = now + timedelta(seconds=self.cooldown_seconds)
            return httpx.Response(200, json=envelope(self.action_data(name, action, now)))
        return error(404, f"no route {request.method} {request.url.path}")

    def action_data(self, name: str, action: str, now: datetime) -> dict[str, Any]:
        """The ``data`` of a successful action (rest, move, gathering, fight)."""
        expiration = iso(now + timedelta(seconds=self.cooldown_seconds))
        body: dict[str, Any] = {
            "cooldown": cooldown(now, self.cooldown_seconds, reason=_REASONS.get(action, action)),
            "character": character(name, cooldown_expiration=expiration),
        }
        if action == "rest":
            body["hp_restored"] = 10
        elif action == "move":
            body.update(destination=map_tile(1, 1), path=[[0, 0], [1, 1]])
        elif action in ("gathering", "crafting"):
            body["details"] = {"xp": 5, "items": [{"code": "copper_ore", "quantity": 1}]}
        elif action == "fight":
            del body["character"]
            body["characters"] = [character(name, cooldown_expiration=expiration)]
            body["fight"] = {
                "result": "win",
                "turns": 3,
                "opponent": "chicken",
                "logs": [],
                "characters": [
                    {"character_name": name, "xp": 10, "gold": 1, "drops": [], "final_hp": 50}
                ],
            }
        return body
