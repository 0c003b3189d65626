"""The account bank (MECHANICS §13): items and gold in and out, expansions.

Each distinct code takes one bank slot whatever its quantity. Requests are processed one at a
time by the single-threaded server, so the 461 "already in another transaction" case cannot
arise here.
"""

from __future__ import annotations

import logging
from typing import Final

from guildmaster.server.actions.common import (
    merge_stacks,
    require_fits,
    require_gold,
    require_held,
    require_item,
    stack_list,
)
from guildmaster.server.engine.durations import DEFAULT_ACTION_SECONDS, bank_item_seconds
from guildmaster.server.errors import BankFull, BankGoldInsufficient, MissingItem
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import BankState, Character

__all__ = [
    "EXPANSION_COST_CAP",
    "EXPANSION_SLOTS",
    "bank_of",
    "buy_expansion",
    "deposit_gold",
    "deposit_items",
    "withdraw_gold",
    "withdraw_items",
]

logger = logging.getLogger(__name__)

EXPANSION_SLOTS: Final = 20
EXPANSION_COST_CAP: Final = 448_000


def bank_of(game: GameServer, account: str) -> BankState:
    """The account's bank, created from the world's starting bank on first use."""
    bank = game.state.banks.get(account)
    if bank is None:
        bank = BankState(**game.world.starting_bank)
        game.state.banks[account] = bank
    return bank


def _require_bank(game: GameServer, char: Character) -> BankState:
    game.require_content(char, "bank", "Bank")
    return bank_of(game, char.account)


def deposit_items(game: GameServer, char: Character, items: list[tuple[str, int]]) -> ActionResult:
    """``POST /action/bank/deposit/item`` (1..20 stacks).

    Raises:
        ContentNotOnMap: No bank here.
        NotFound: Unknown item.
        MissingItem: Not held.
        BankFull: Bank full.
    """
    bank = _require_bank(game, char)
    stacks = merge_stacks(items)
    for code, _ in stacks:
        require_item(game, code)
    require_held(char, stacks)
    new_codes = {code for code, _ in stacks if not bank.items.get(code)}
    used = sum(1 for qty in bank.items.values() if qty > 0)
    if used + len(new_codes) > bank.slots:
        raise BankFull("Your bank is full.")
    for code, quantity in stacks:
        char.remove_item(code, quantity)
        bank.items[code] = bank.items.get(code, 0) + quantity
    return ActionResult(
        seconds=bank_item_seconds(len(stacks)),
        reason="deposit_item",
        data={"items": stack_list(stacks), "bank": bank.item_list()},
        description=f"{char.name} deposited items in the bank.",
        content={"items": stack_list(stacks)},
    )


def withdraw_items(game: GameServer, char: Character, items: list[tuple[str, int]]) -> ActionResult:
    """``POST /action/bank/withdraw/item`` (1..20 stacks).

    Raises:
        ContentNotOnMap: No bank here.
        NotFound: Unknown item.
        MissingItem: Bank holds fewer.
        InventoryFull: No room.
    """
    bank = _require_bank(game, char)
    stacks = merge_stacks(items)
    for code, quantity in stacks:
        require_item(game, code)
        if bank.items.get(code, 0) < quantity:
            raise MissingItem(f"Missing required item(s) in the bank: {quantity} {code}.")
    require_fits(char, stacks)
    for code, quantity in stacks:
        bank.items[code] -= quantity
        if bank.items[code] <= 0:
            del bank.items[code]
        char.add_item(code, quantity)
    return ActionResult(
        seconds=bank_item_seconds(len(stacks)),
        reason="withdraw_item",
        data={"items": stack_list(stacks), "bank": bank.item_list()},
        description=f"{char.name} withdrew items from the bank.",
        content={"items": stack_list(stacks)},
    )


def deposit_gold(game: GameServer, char: Character, quantity: int) -> ActionResult:
    """``POST /action/bank/deposit/gold``.

    Raises:
        ContentNotOnMap: No bank here.
        InsufficientGold: Not enough gold.
    """
    bank = _require_bank(game, char)
    require_gold(char, quantity)
    char.gold -= quantity
    bank.gold += quantity
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="deposit_gold",
        data={"bank": {"quantity": bank.gold}},
        description=f"{char.name} deposited {quantity} gold.",
        content={"quantity": quantity},
    )


def withdraw_gold(game: GameServer, char: Character, quantity: int) -> ActionResult:
    """``POST /action/bank/withdraw/gold``.

    Raises:
        ContentNotOnMap: No bank here.
        BankGoldInsufficient: Not enough gold in the bank.
    """
    bank = _require_bank(game, char)
    if bank.gold < quantity:
        raise BankGoldInsufficient("Insufficient gold in your bank.")
    bank.gold -= quantity
    char.gold += quantity
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="withdraw_gold",
        data={"bank": {"quantity": bank.gold}},
        description=f"{char.name} withdrew {quantity} gold.",
        content={"quantity": quantity},
    )


def buy_expansion(game: GameServer, char: Character) -> ActionResult:
    """``POST /action/bank/buy_expansion``: +20 slots; the price doubles up to a cap.

    Raises:
        ContentNotOnMap: No bank here.
        InsufficientGold: Not enough gold.
    """
    bank = _require_bank(game, char)
    price = bank.next_expansion_cost
    require_gold(char, price)
    char.gold -= price
    bank.slots += EXPANSION_SLOTS
    bank.expansions += 1
    bank.next_expansion_cost = min(EXPANSION_COST_CAP, price * 2)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="buy_bank_expansion",
        data={"transaction": {"price": price}},
        description=f"{char.name} bought a bank expansion for {price} gold.",
        content={"price": price},
    )
