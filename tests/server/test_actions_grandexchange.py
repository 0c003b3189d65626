"""Grand Exchange: sell/buy orders with escrow, listing fee, buy, fill, cancel, history, 433-438."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_actions_helpers import act, add_character, fingerprint, total_gold, total_items
from test_actions_helpers import light_game as game

from guildmaster.server.actions import grandexchange as ge
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer
from guildmaster.server.state import Character

__all__ = ["game"]

GE = (0, 2)


def _traders(game: GameServer) -> tuple[Character, Character]:
    seller = add_character(game, "seller", at=GE, gold=1000, items={"feather": 50})
    buyer = add_character(game, "buyer", at=GE, gold=1000, account="someone2")
    return seller, buyer


def test_sell_order_escrows_items_and_charges_the_fee(game: GameServer) -> None:
    seller, _ = _traders(game)
    data = act(game, seller, lambda c: ge.create_sell_order(game, c, "feather", 20, 10))
    order = data["order"]
    assert order["code"] == "feather" and order["quantity"] == 20 and order["price"] == 10
    assert order["total_price"] == 200 and order["created_at"]
    assert data["cooldown"]["reason"] == "sell_ge"
    fee = ge.listing_fee(200, game.rules.ge_listing_fee_percent)
    assert fee == 6
    assert seller.gold == 1000 - fee
    assert seller.quantity("feather") == 30
    stored = game.state.ge_orders[order["id"]]
    assert (stored.type, stored.account, stored.quantity) == ("sell", "tester1", 20)


def test_buy_from_sell_order_pays_the_seller_through_pending_items(game: GameServer) -> None:
    seller, buyer = _traders(game)
    order_id = ge.create_sell_order(game, seller, "feather", 20, 10).data["order"]["id"]
    data = act(game, buyer, lambda c: ge.buy_from_order(game, c, order_id, 5))
    assert data["order"] == {
        "id": order_id,
        "code": "feather",
        "quantity": 5,
        "price": 10,
        "total_price": 50,
    }
    assert data["cooldown"]["reason"] == "buy_ge"
    assert buyer.gold == 950 and buyer.quantity("feather") == 5
    assert game.state.ge_orders[order_id].quantity == 15
    payments = [p for p in game.state.pending_items.values() if p.account == "tester1"]
    assert [(p.source, p.gold) for p in payments] == [("grand_exchange", 50)]
    assert game.state.ge_history[-1]["seller"] == "tester1"
    assert game.state.ge_history[-1]["buyer"] == "someone2"
    assert game.state.ge_history[-1]["quantity"] == 5
    ge.buy_from_order(game, buyer, order_id, 15)
    assert order_id not in game.state.ge_orders  # sold out


def test_buy_order_locks_gold_and_fill_delivers_to_pending(game: GameServer) -> None:
    seller, buyer = _traders(game)
    data = act(game, buyer, lambda c: ge.create_buy_order(game, c, "feather", 10, 7))
    assert data["cooldown"]["reason"] == "create_buy_order_ge"
    order_id = data["order"]["id"]
    assert buyer.gold == 930
    result = ge.fill_buy_order(game, seller, order_id, 4)
    assert result.reason == "fill_buy_order_ge"
    assert seller.gold == 1028 and seller.quantity("feather") == 46
    deliveries = [p for p in game.state.pending_items.values() if p.account == "someone2"]
    assert [p.items for p in deliveries] == [[{"code": "feather", "quantity": 4}]]
    assert game.state.ge_orders[order_id].quantity == 6
    cancelled = ge.cancel_order(game, buyer, order_id)
    assert cancelled.data["order"]["quantity"] == 6
    assert buyer.gold == 930 + 42
    assert order_id not in game.state.ge_orders


def test_cancel_sell_order_returns_items_not_the_fee(game: GameServer) -> None:
    seller, _ = _traders(game)
    order_id = ge.create_sell_order(game, seller, "feather", 20, 10).data["order"]["id"]
    data = act(game, seller, lambda c: ge.cancel_order(game, c, order_id))
    assert data["cooldown"]["reason"] == "cancel_ge"
    assert seller.quantity("feather") == 50
    assert seller.gold == 994


def test_ge_errors_change_nothing(game: GameServer) -> None:
    seller, buyer = _traders(game)
    sell_id = ge.create_sell_order(game, seller, "feather", 10, 10).data["order"]["id"]
    buy_id = ge.create_buy_order(game, seller, "feather", 2, 10).data["order"]["id"]
    away = add_character(game, "away", gold=1000, items={"feather": 5})
    before = fingerprint(game)
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: ge.create_sell_order(game, away, "feather", 1, 1), 598),
        (lambda: ge.create_buy_order(game, away, "feather", 1, 1), 598),
        (lambda: ge.buy_from_order(game, away, sell_id, 1), 598),
        (lambda: ge.fill_buy_order(game, away, buy_id, 1), 598),
        (lambda: ge.cancel_order(game, away, sell_id), 598),
        (lambda: ge.create_sell_order(game, seller, "unknown_x", 1, 1), 404),
        (lambda: ge.create_sell_order(game, seller, "wooden_stick", 1, 1), 437),
        (lambda: ge.create_buy_order(game, seller, "wooden_stick", 1, 1), 437),
        (lambda: ge.create_sell_order(game, seller, "feather", 41, 1), 478),
        (lambda: ge.create_sell_order(game, seller, "feather", 101, 1), 422),
        (lambda: ge.create_buy_order(game, buyer, "feather", 1001, 1), 492),
        (lambda: ge.buy_from_order(game, buyer, "nope", 1), 404),
        (lambda: ge.buy_from_order(game, buyer, buy_id, 1), 404),  # not a sell order
        (lambda: ge.buy_from_order(game, seller, sell_id, 1), 435),
        (lambda: ge.buy_from_order(game, buyer, sell_id, 11), 434),
        (lambda: ge.fill_buy_order(game, buyer, buy_id, 1), 478),
        (lambda: ge.fill_buy_order(game, seller, buy_id, 1), 435),
        (lambda: ge.fill_buy_order(game, buyer, sell_id, 1), 404),
        (lambda: ge.cancel_order(game, buyer, sell_id), 438),
        (lambda: ge.cancel_order(game, buyer, "nope"), 404),
    ]
    for call, code in cases:
        with pytest.raises(GameError) as info:
            call()
        assert info.value.code == code
    buyer.gold = 99
    with pytest.raises(GameError) as info:
        ge.buy_from_order(game, buyer, sell_id, 10)
    assert info.value.code == 492
    buyer.gold = 1000
    assert fingerprint(game) == before


def test_fill_needs_items_and_buy_needs_room(game: GameServer) -> None:
    seller, buyer = _traders(game)
    sell_id = ge.create_sell_order(game, seller, "feather", 10, 1).data["order"]["id"]
    buyer.inventory[0] = ["copper_ore", buyer.inventory_max_items]
    with pytest.raises(GameError) as info:
        ge.buy_from_order(game, buyer, sell_id, 1)
    assert info.value.code == 497
    seller.inventory[1] = ["copper_ore", seller.inventory_max_items]
    with pytest.raises(GameError) as info:
        ge.cancel_order(game, seller, sell_id)
    assert info.value.code == 497
    assert sell_id in game.state.ge_orders


def test_order_cap_433(game: GameServer) -> None:
    seller, _ = _traders(game)
    seller.gold = 10**6
    for _ in range(ge.MAX_ORDERS_PER_ACCOUNT):
        ge.create_buy_order(game, seller, "feather", 1, 1)
    with pytest.raises(GameError) as info:
        ge.create_buy_order(game, seller, "feather", 1, 1)
    assert info.value.code == 433
    with pytest.raises(GameError) as info:
        ge.create_sell_order(game, seller, "feather", 1, 1)
    assert info.value.code == 433


def test_full_round_conserves_gold_and_items_except_fees(game: GameServer) -> None:
    seller, buyer = _traders(game)
    gold, items = total_gold(game), total_items(game)
    sell_id = ge.create_sell_order(game, seller, "feather", 30, 5).data["order"]["id"]
    fee = ge.listing_fee(150, game.rules.ge_listing_fee_percent)
    ge.buy_from_order(game, buyer, sell_id, 12)
    buy_id = ge.create_buy_order(game, buyer, "feather", 8, 6).data["order"]["id"]
    ge.fill_buy_order(game, seller, buy_id, 8)
    ge.cancel_order(game, seller, sell_id)
    assert total_gold(game) == gold - fee
    assert total_items(game) == items
