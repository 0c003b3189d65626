"""NPC trade: buy and sell for gold and for an item currency, every error code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_actions_helpers import act, add_character, fingerprint
from test_actions_helpers import light_game as game

from guildmaster.server.actions import npc
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer

__all__ = ["game"]

MERCHANT = (1, 2)


def test_buy_and_sell_for_gold(game: GameServer) -> None:
    hero = add_character(game, at=MERCHANT, gold=100, items={"raw_chicken": 4})
    data = act(game, hero, lambda c: npc.npc_buy(game, c, "cooked_chicken", 3))
    assert data["transaction"] == {
        "code": "cooked_chicken",
        "quantity": 3,
        "currency": "gold",
        "price": 10,
        "total_price": 30,
    }
    assert data["cooldown"]["reason"] == "buy_npc"
    assert hero.gold == 70 and hero.quantity("cooked_chicken") == 3
    result = npc.npc_sell(game, hero, "raw_chicken", 4)
    assert result.reason == "sell_npc"
    assert result.data["transaction"]["total_price"] == 4
    assert hero.gold == 74 and hero.quantity("raw_chicken") == 0


def test_buy_with_item_currency(game: GameServer) -> None:
    hero = add_character(game, at=MERCHANT, items={"tasks_coin": 7})
    result = npc.npc_buy(game, hero, "small_health_potion", 2)
    assert result.data["transaction"]["currency"] == "tasks_coin"
    assert hero.quantity("tasks_coin") == 1
    assert hero.quantity("small_health_potion") == 2
    with pytest.raises(GameError) as info:
        npc.npc_buy(game, hero, "small_health_potion", 1)
    assert info.value.code == 478


def test_npc_errors_change_nothing(game: GameServer) -> None:
    hero = add_character(game, at=MERCHANT, gold=5, items={"cooked_chicken": 1, "feather": 1})
    away = add_character(game, "away", gold=100)
    before = fingerprint(game)
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: npc.npc_buy(game, away, "cooked_chicken", 1), 598),
        (lambda: npc.npc_sell(game, away, "cooked_chicken", 1), 598),
        (lambda: npc.npc_buy(game, hero, "unknown_x", 1), 404),
        (lambda: npc.npc_sell(game, hero, "unknown_x", 1), 404),
        (lambda: npc.npc_buy(game, hero, "raw_chicken", 1), 441),  # buy_price is null
        (lambda: npc.npc_buy(game, hero, "feather", 1), 441),  # not offered at all
        (lambda: npc.npc_sell(game, hero, "small_health_potion", 1), 442),
        (lambda: npc.npc_sell(game, hero, "feather", 1), 442),
        (lambda: npc.npc_buy(game, hero, "cooked_chicken", 1), 492),
        (lambda: npc.npc_sell(game, hero, "cooked_chicken", 2), 478),
    ]
    for call, code in cases:
        with pytest.raises(GameError) as info:
            call()
        assert info.value.code == code
    assert fingerprint(game) == before


def test_buy_needs_room(game: GameServer) -> None:
    hero = add_character(game, at=MERCHANT, gold=10_000)
    hero.inventory[0] = ["feather", hero.inventory_max_items]
    with pytest.raises(GameError) as info:
        npc.npc_buy(game, hero, "cooked_chicken", 1)
    assert info.value.code == 497
    assert hero.gold == 10_000
