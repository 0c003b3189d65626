"""Game actions that exchange things: bank, NPC merchants, Grand Exchange and tasks."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from guildmaster.planning.domains.actions import GameAction
from guildmaster.planning.domains.context import BANK, GRAND_EXCHANGE
from guildmaster.planning.domains.facts import OfferInfo
from guildmaster.planning.domains.state import GameState, TaskState
from guildmaster.planning.subgoals import PRECONDITION, SubGoalRequest

__all__ = [
    "Deposit",
    "DepositGold",
    "GeBuy",
    "GeSellOrder",
    "NpcBuy",
    "NpcSell",
    "TaskCancel",
    "TaskComplete",
    "TaskExchange",
    "TaskNew",
    "TaskTrade",
    "Withdraw",
    "WithdrawGold",
    "bank_room",
    "new_bank_codes",
]

#: Coins a task exchange costs.
TASK_EXCHANGE_COINS = 6


def _refuse(reason: str, **params: Any) -> SubGoalRequest:
    return SubGoalRequest.of(PRECONDITION, reason=reason, **params)


@dataclass(frozen=True)
class Withdraw(GameAction):
    """Take ``quantity`` of ``item`` out of the bank."""

    item: str
    quantity: int
    kind: ClassVar[str] = "bank/withdraw/item"

    def label(self) -> str:
        return f"{self.item} x{self.quantity}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, BANK)
        if where is not None:
            return where
        if state.bank[self.item] < self.quantity:
            return _refuse("not in the bank", code=self.item)
        if not state.can_hold(self.item, self.quantity):
            return SubGoalRequest.inventory_full(self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        bank = state.bank.remove(self.item, self.quantity)
        room = state.bank_room
        if room is not None and bank[self.item] <= 0:
            room += 1  # the emptied stack frees its slot
        return state.gain(self.item, self.quantity).with_(bank=bank, bank_room=room)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.per_stack("withdraw_item", 1)


def bank_room(state: GameState) -> float:
    """New item codes the bank can still take (infinite when not known)."""
    return math.inf if state.bank_room is None else state.bank_room


def new_bank_codes(state: GameState, items: Iterable[tuple[str, int]]) -> set[str]:
    """The codes of ``items`` the bank holds none of (each needs a free bank slot)."""
    return {code for code, _ in items if state.bank[code] <= 0}


@dataclass(frozen=True)
class Deposit(GameAction):
    """Put ``items`` (``(code, quantity)`` pairs) into the bank in one call."""

    items: tuple[tuple[str, int], ...]
    kind: ClassVar[str] = "bank/deposit/item"

    def label(self) -> str:
        return ",".join(f"{c} x{q}" for c, q in self.items)

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, BANK)
        if where is not None:
            return where
        for code, qty in self.items:
            if state.inventory[code] < qty:
                return SubGoalRequest.item_missing(code, qty)
        if len(new_bank_codes(state, self.items)) > bank_room(state):
            return _refuse("the bank has no free slot for a new item")
        return None

    def apply(self, state: GameState) -> GameState:
        new, bank = state, state.bank
        opened = len(new_bank_codes(state, self.items))
        for code, qty in self.items:
            new, bank = new.lose(code, qty), bank.add(code, qty)
        room = None if state.bank_room is None else state.bank_room - opened
        return new.with_(bank=bank, bank_room=room)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.per_stack("deposit_item", len(self.items))


@dataclass(frozen=True)
class DepositGold(GameAction):
    """Put ``amount`` gold into the bank."""

    amount: int
    kind: ClassVar[str] = "bank/deposit/gold"

    def label(self) -> str:
        return str(self.amount)

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, BANK)
        if where is not None:
            return where
        return None if state.gold >= self.amount else SubGoalRequest.gold_missing(self.amount)

    def apply(self, state: GameState) -> GameState:
        return state.with_(gold=state.gold - self.amount, bank_gold=state.bank_gold + self.amount)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("deposit_gold")


@dataclass(frozen=True)
class WithdrawGold(GameAction):
    """Take ``amount`` gold out of the bank."""

    amount: int
    kind: ClassVar[str] = "bank/withdraw/gold"

    def label(self) -> str:
        return str(self.amount)

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, BANK)
        if where is not None:
            return where
        return None if state.bank_gold >= self.amount else _refuse("not enough gold in bank")

    def apply(self, state: GameState) -> GameState:
        return state.with_(gold=state.gold + self.amount, bank_gold=state.bank_gold - self.amount)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("withdraw_gold")


def _offer(action: GameAction, npc: str, item: str) -> OfferInfo | None:
    for offer in action.ctx.facts.npc_offers(item):
        if offer.npc == npc:
            return offer
    return None


@dataclass(frozen=True)
class NpcBuy(GameAction):
    """Buy ``quantity`` of ``item`` from ``npc`` (paying gold or a currency item)."""

    npc: str
    item: str
    quantity: int = 1
    kind: ClassVar[str] = "npc/buy"

    def label(self) -> str:
        return f"{self.npc}:{self.item} x{self.quantity}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        offer = _offer(self, self.npc, self.item)
        if offer is None or offer.buy_price is None:
            return _refuse("not for sale")
        where = self._where(state, ("npc", self.npc))
        if where is not None:
            return where
        total = offer.buy_price * self.quantity
        if offer.currency == "gold":
            if state.gold < total:
                return SubGoalRequest.gold_missing(total)
        elif state.inventory[offer.currency] < total:
            return SubGoalRequest.item_missing(offer.currency, total)
        if not state.can_hold(self.item, self.quantity):
            return SubGoalRequest.inventory_full(self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        offer = _offer(self, self.npc, self.item)
        if offer is None or offer.buy_price is None:
            return state
        total = offer.buy_price * self.quantity
        new = state.gain(self.item, self.quantity)
        if offer.currency == "gold":
            return new.with_(gold=state.gold - total)
        return new.lose(offer.currency, total)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("npc_buy")


@dataclass(frozen=True)
class NpcSell(GameAction):
    """Sell ``quantity`` of ``item`` to ``npc``."""

    npc: str
    item: str
    quantity: int = 1
    kind: ClassVar[str] = "npc/sell"

    def label(self) -> str:
        return f"{self.npc}:{self.item} x{self.quantity}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        offer = _offer(self, self.npc, self.item)
        if offer is None or offer.sell_price is None:
            return _refuse("not bought by this npc")
        where = self._where(state, ("npc", self.npc))
        if where is not None:
            return where
        if state.inventory[self.item] < self.quantity:
            return SubGoalRequest.item_missing(self.item, self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        offer = _offer(self, self.npc, self.item)
        new = state.lose(self.item, self.quantity)
        if offer is None or offer.sell_price is None:
            return new
        total = offer.sell_price * self.quantity
        if offer.currency == "gold":
            return new.with_(gold=state.gold + total)
        return new.gain(offer.currency, total)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("npc_sell")


@dataclass(frozen=True)
class GeSellOrder(GameAction):
    """List ``quantity`` of ``item`` on the Grand Exchange at ``price`` each (items escrowed)."""

    item: str
    quantity: int
    price: int
    kind: ClassVar[str] = "grandexchange/create_sell_order"

    def label(self) -> str:
        return f"{self.item} x{self.quantity}@{self.price}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        info = self.ctx.facts.item(self.item)
        if info is None or not info.tradeable:
            return _refuse("not tradeable")
        where = self._where(state, GRAND_EXCHANGE)
        if where is not None:
            return where
        if state.inventory[self.item] < self.quantity:
            return SubGoalRequest.item_missing(self.item, self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        # Gold arrives only when someone buys; the plan must not count on it.
        return state.lose(self.item, self.quantity)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("sell_ge")


@dataclass(frozen=True)
class GeBuy(GameAction):
    """Buy ``quantity`` of ``item`` from sell order ``order_id`` at ``price`` each."""

    order_id: str
    item: str
    quantity: int
    price: int
    kind: ClassVar[str] = "grandexchange/buy"

    def label(self) -> str:
        return f"{self.order_id}:{self.item} x{self.quantity}@{self.price}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, GRAND_EXCHANGE)
        if where is not None:
            return where
        total = self.price * self.quantity
        if state.gold < total:
            return SubGoalRequest.gold_missing(total)
        if not state.can_hold(self.item, self.quantity):
            return SubGoalRequest.inventory_full(self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        new = state.gain(self.item, self.quantity)
        return new.with_(gold=state.gold - self.price * self.quantity)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("buy_ge")


@dataclass(frozen=True)
class TaskNew(GameAction):
    """Accept a new task from the ``task_type`` master (the task itself is unknown)."""

    task_type: str
    kind: ClassVar[str] = "task/new"

    def label(self) -> str:
        return self.task_type

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, ("tasks_master", self.task_type))
        if where is not None:
            return where
        return None if state.task is None else _refuse("already has a task")

    def apply(self, state: GameState) -> GameState:
        # Placeholder task: the server decides which; refreshing replaces it.
        return state.with_(task=TaskState("", self.task_type, 0, 1))

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("task")


@dataclass(frozen=True)
class TaskTrade(GameAction):
    """Hand ``quantity`` of the items task's item to the items master."""

    item: str
    quantity: int
    kind: ClassVar[str] = "task/trade"

    def label(self) -> str:
        return f"{self.item} x{self.quantity}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        task = state.task
        if task is None or task.type != "items" or task.code != self.item:
            return _refuse("not the current items task")
        if task.progress + self.quantity > task.total:
            return _refuse("too many items for the task")
        where = self._where(state, ("tasks_master", "items"))
        if where is not None:
            return where
        if state.inventory[self.item] < self.quantity:
            return SubGoalRequest.item_missing(self.item, self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        task = state.task
        assert task is not None
        progress = TaskState(task.code, task.type, task.progress + self.quantity, task.total)
        return state.lose(self.item, self.quantity).with_(task=progress)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("task")


@dataclass(frozen=True)
class TaskComplete(GameAction):
    """Complete the finished task at a master of its type (rewards arrive on refresh)."""

    kind: ClassVar[str] = "task/complete"

    def label(self) -> str:
        return ""

    def check(self, state: GameState) -> SubGoalRequest | None:
        task = state.task
        if task is None:
            return _refuse("no task")
        where = self._where(state, ("tasks_master", task.type))
        if where is not None:
            return where
        return None if task.is_done else _refuse("task not finished")

    def apply(self, state: GameState) -> GameState:
        return state.with_(task=None)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("task")


@dataclass(frozen=True)
class TaskCancel(GameAction):
    """Abandon the current task for one tasks coin."""

    kind: ClassVar[str] = "task/cancel"

    def label(self) -> str:
        return ""

    def check(self, state: GameState) -> SubGoalRequest | None:
        task = state.task
        if task is None:
            return _refuse("no task")
        where = self._where(state, ("tasks_master", task.type))
        if where is not None:
            return where
        coin = self.ctx.options.tasks_coin
        return None if state.inventory[coin] >= 1 else SubGoalRequest.item_missing(coin, 1)

    def apply(self, state: GameState) -> GameState:
        return state.lose(self.ctx.options.tasks_coin, 1).with_(task=None)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("task")


@dataclass(frozen=True)
class TaskExchange(GameAction):
    """Trade six tasks coins for a random reward at the ``task_type`` master."""

    task_type: str = "items"
    kind: ClassVar[str] = "task/exchange"

    def label(self) -> str:
        return self.task_type

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, ("tasks_master", self.task_type))
        if where is not None:
            return where
        coin = self.ctx.options.tasks_coin
        if state.inventory[coin] < TASK_EXCHANGE_COINS:
            return SubGoalRequest.item_missing(coin, TASK_EXCHANGE_COINS)
        return None

    def apply(self, state: GameState) -> GameState:
        return state.lose(self.ctx.options.tasks_coin, TASK_EXCHANGE_COINS)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("task")
