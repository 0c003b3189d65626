"""Helpers for the action tests: direct account/character setup, action runner, fingerprints.

Setting characters up in the state directly (instead of over HTTP) keeps the many rule tests
fast; the HTTP tests use :func:`token_for` to get a bearer token without password hashing.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

import pytest
from server_fixtures import world_data

from guildmaster.clock import VirtualClock
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.routers.actions import run_action
from guildmaster.server.state import Account, BankState, Character
from guildmaster.server.world import Json, parse_world

__all__ = [
    "act",
    "add_account",
    "add_character",
    "fingerprint",
    "light_game",
    "place",
    "token_for",
    "total_gold",
    "total_items",
]


@pytest.fixture
def light_game(clock: VirtualClock) -> GameServer:
    """A GameServer on the fixture world without the HTTP app (fast service-level tests)."""
    return GameServer(world=parse_world(world_data()), clock=clock, rng=random.Random(7))


def add_account(game: GameServer, name: str = "tester1") -> Account:
    """Register an account (no password check needed) with the world's starting bank."""
    if name in game.state.accounts:
        return game.state.accounts[name]
    account = Account(username=name, password_hash="x", email=f"{name}@e.x", created_at="")
    game.state.accounts[name] = account
    game.state.banks[name] = BankState(**game.world.starting_bank)
    return account


def add_character(
    game: GameServer,
    name: str = "hero",
    *,
    account: str = "tester1",
    at: tuple[int, int] = (0, 0),
    layer: str = "overworld",
    items: dict[str, int] | None = None,
    gold: int = 0,
    level: int = 1,
    weapon: str = "wooden_stick",
) -> Character:
    """A character of ``account`` standing at ``at`` with full HP and the given items."""
    add_account(game, account)
    char = Character(name=name, account=account, skin="men1", level=level, gold=gold)
    char.equipment["weapon"] = weapon
    place(game, char, at, layer=layer)
    for code, quantity in (items or {}).items():
        char.add_item(code, quantity)
    char.refresh_stats(game.world, game.rules)
    char.hp = char.max_hp
    game.state.characters[name] = char
    return char


def place(
    game: GameServer, char: Character, at: tuple[int, int], *, layer: str = "overworld"
) -> None:
    """Teleport a character (test setup only)."""
    tile = game.world.maps.get(layer, *at)
    assert tile is not None, f"no tile at {layer} {at}"
    char.layer, (char.x, char.y), char.map_id = layer, at, int(tile["map_id"])


def act(game: GameServer, char: Character, service: Callable[[Character], ActionResult]) -> Json:
    """Run a service through the action frame (cooldown checks included); returns ``data``.

    The clock is NOT advanced: call ``game.clock.advance(...)`` between actions.
    """
    body = run_action(game, char.account, char.name, service)
    data = body["data"]
    assert isinstance(data, dict)
    return data


def token_for(app: Any, account: str) -> dict[str, str]:
    """Bearer headers for an account created with :func:`add_account`."""
    token, _ = app.state.tokens.issue(account)
    return {"Authorization": f"Bearer {token}"}


def fingerprint(game: GameServer) -> Json:
    """Everything an action may change, as plain data (compare before/after a failure)."""
    return copy.deepcopy(
        {
            "characters": {n: c.to_record() for n, c in game.state.characters.items()},
            "banks": {n: b.to_record() for n, b in game.state.banks.items()},
            "orders": {i: o.to_record() for i, o in game.state.ge_orders.items()},
            "pending": {i: p.to_record() for i, p in game.state.pending_items.items()},
            "history": game.state.ge_history,
            "achievements": {n: a.to_record() for n, a in game.state.accounts.items()},
            "events": game.state.active_events,
            "logs": len(game.state.logs),
        }
    )


def total_gold(game: GameServer) -> int:
    """Gold held by characters + banks + buy-order escrow + pending items."""
    chars = sum(c.gold for c in game.state.characters.values())
    banks = sum(b.gold for b in game.state.banks.values())
    escrow = sum(o.price * o.quantity for o in game.state.ge_orders.values() if o.type == "buy")
    pending = sum(p.gold for p in game.state.pending_items.values())
    return chars + banks + escrow + pending


def total_items(game: GameServer) -> dict[str, int]:
    """Item counts over inventories + equipment + banks + sell-order escrow + pending items."""
    totals: dict[str, int] = {}

    def add(code: str, quantity: int) -> None:
        if code and quantity:
            totals[code] = totals.get(code, 0) + quantity

    for char in game.state.characters.values():
        for code, quantity in char.inventory_items():
            add(code, quantity)
        for slot, code in char.equipment.items():
            add(code, char.utility_quantity[slot] if slot.startswith("utility") else 1)
    for bank in game.state.banks.values():
        for code, quantity in bank.items.items():
            add(code, quantity)
    for order in game.state.ge_orders.values():
        if order.type == "sell":
            add(order.code, order.quantity)
    for pending in game.state.pending_items.values():
        for item in pending.items:
            add(str(item["code"]), int(item["quantity"]))
    return totals
