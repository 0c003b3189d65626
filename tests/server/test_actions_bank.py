"""Bank: deposit/withdraw items and gold, slots, expansions, every error code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_actions_helpers import act, add_character, fingerprint
from test_actions_helpers import light_game as game

from guildmaster.server.actions import bank
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer

__all__ = ["game"]

BANK = (0, 1)


def test_deposit_and_withdraw_items(game: GameServer) -> None:
    hero = add_character(game, at=BANK, items={"feather": 5, "copper_ore": 3})
    data = act(
        game, hero, lambda c: bank.deposit_items(game, c, [("feather", 4), ("copper_ore", 3)])
    )
    assert data["items"] == [
        {"code": "feather", "quantity": 4},
        {"code": "copper_ore", "quantity": 3},
    ]
    assert data["bank"] == [
        {"code": "copper_ore", "quantity": 3},
        {"code": "feather", "quantity": 4},
    ]
    assert data["cooldown"]["total_seconds"] == 6
    assert data["cooldown"]["reason"] == "deposit_item"
    assert hero.quantity("feather") == 1 and hero.quantity("copper_ore") == 0
    result = bank.withdraw_items(game, hero, [("feather", 4)])
    assert result.reason == "withdraw_item"
    assert result.data["bank"] == [{"code": "copper_ore", "quantity": 3}]
    assert hero.quantity("feather") == 5
    assert game.state.banks[hero.account].items == {"copper_ore": 3}


def test_gold_in_and_out(game: GameServer) -> None:
    hero = add_character(game, at=BANK, gold=500)
    data = act(game, hero, lambda c: bank.deposit_gold(game, c, 200))
    assert data["bank"] == {"quantity": 200}
    assert data["cooldown"]["reason"] == "deposit_gold"
    assert hero.gold == 300
    result = bank.withdraw_gold(game, hero, 150)
    assert result.data["bank"] == {"quantity": 50}
    assert hero.gold == 450


def test_bank_errors_change_nothing(game: GameServer) -> None:
    hero = add_character(game, at=BANK, items={"feather": 2}, gold=10)
    away = add_character(game, "away", items={"feather": 2}, gold=10)
    before = fingerprint(game)
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: bank.deposit_items(game, away, [("feather", 1)]), 598),
        (lambda: bank.deposit_gold(game, away, 1), 598),
        (lambda: bank.withdraw_gold(game, away, 1), 598),
        (lambda: bank.withdraw_items(game, away, [("feather", 1)]), 598),
        (lambda: bank.buy_expansion(game, away), 598),
        (lambda: bank.deposit_items(game, hero, [("unknown_x", 1)]), 404),
        (lambda: bank.deposit_items(game, hero, [("feather", 3)]), 478),
        (lambda: bank.deposit_items(game, hero, [("feather", 1), ("feather", 2)]), 478),
        (lambda: bank.withdraw_items(game, hero, [("feather", 1)]), 478),
        (lambda: bank.withdraw_items(game, hero, [("unknown_x", 1)]), 404),
        (lambda: bank.deposit_gold(game, hero, 11), 492),
        (lambda: bank.withdraw_gold(game, hero, 1), 460),
        (lambda: bank.buy_expansion(game, hero), 492),
    ]
    for call, code in cases:
        with pytest.raises(GameError) as info:
            call()
        assert info.value.code == code
    assert fingerprint(game) == before


def test_bank_full_is_462(game: GameServer) -> None:
    hero = add_character(game, at=BANK, items={"feather": 1, "copper_ore": 1})
    vault = game.state.banks[hero.account]
    vault.slots = 2
    vault.items = {"raw_chicken": 1, "bat_wing": 1}
    with pytest.raises(GameError) as info:
        bank.deposit_items(game, hero, [("feather", 1)])
    assert info.value.code == 462
    vault.items = {"raw_chicken": 1, "feather": 1}
    bank.deposit_items(game, hero, [("feather", 1)])  # an existing stack needs no new slot
    assert vault.items["feather"] == 2


def test_withdraw_needs_room_497(game: GameServer) -> None:
    hero = add_character(game, at=BANK)
    game.state.banks[hero.account].items = {"feather": 500}
    with pytest.raises(GameError) as info:
        bank.withdraw_items(game, hero, [("feather", 200)])
    assert info.value.code == 497
    assert game.state.banks[hero.account].items == {"feather": 500}


def test_expansion_price_doubles_up_to_the_cap(game: GameServer) -> None:
    hero = add_character(game, at=BANK, gold=10**7)
    vault = game.state.banks[hero.account]
    first = vault.next_expansion_cost
    prices = [bank.buy_expansion(game, hero).data["transaction"]["price"] for _ in range(10)]
    expected, price = [], first
    for _ in range(10):
        expected.append(price)
        price = min(bank.EXPANSION_COST_CAP, price * 2)
    assert expected[-1] == bank.EXPANSION_COST_CAP  # the cap is reached within 10 purchases
    assert prices == expected
    assert vault.slots == 50 + 10 * 20 and vault.expansions == 10
    assert hero.gold == 10**7 - sum(prices)


def test_bank_is_shared_by_the_account(game: GameServer) -> None:
    first = add_character(game, "first", at=BANK, items={"feather": 3})
    second = add_character(game, "second", at=BANK)
    bank.deposit_items(game, first, [("feather", 3)])
    bank.withdraw_items(game, second, [("feather", 2)])
    assert second.quantity("feather") == 2
    other = add_character(game, "outsider", at=BANK, account="someone2")
    with pytest.raises(GameError) as info:
        bank.withdraw_items(game, other, [("feather", 1)])
    assert info.value.code == 478
