"""Action endpoints (``POST /my/{name}/action/*``): one method each, typed results.

Every method waits for the character's known cooldown, sends the action through the shared
rate limiter, records the new cooldown and returns the response's ``data`` as a model. A 499
or 486 is resynchronised and retried once (see :meth:`ApiCore.action`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from guildmaster.api.core import ApiCore, _segment
from guildmaster.api.models import (
    BankExtensionTransactionSchema,
    BankGoldTransactionSchema,
    BankItemTransactionSchema,
    CharacterFightDataSchema,
    CharacterMovementDataSchema,
    CharacterRestDataSchema,
    CharacterTransitionDataSchema,
    ClaimPendingItemDataSchema,
    DeleteItemSchema,
    EquipmentTransactionSchema,
    GEOrderTransactionSchema,
    GETransactionListSchema,
    GiveGoldDataSchema,
    GiveItemDataSchema,
    NpcMerchantTransactionSchema,
    RecyclingDataSchema,
    RewardDataSchema,
    SkillDataSchema,
    TaskCancelledSchema,
    TaskDataSchema,
    TaskTradeDataSchema,
    UseItemSchema,
)

__all__ = ["ActionEndpoints", "ItemStacks"]

#: Item stacks for bank/give requests: ``{"code": qty}`` or ``[("code", qty), ...]``.
ItemStacks = Mapping[str, int] | Sequence[tuple[str, int]]


def _positive(name: str, value: int) -> int:
    if value < 1:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


class ActionEndpoints(ApiCore):
    """The action half of :class:`~guildmaster.api.client.AsyncArtifactsClient`.

    Raises (every method): the :mod:`guildmaster.api.errors` classes; ``ValueError`` for
    invalid arguments before anything is sent.
    """

    # --- movement and rest ---------------------------------------------------------------

    async def move(
        self, name: str, *, x: int | None = None, y: int | None = None, map_id: int | None = None
    ) -> CharacterMovementDataSchema:
        """Move ``name`` to ``(x, y)`` on its layer or to ``map_id`` (server pathfinds).

        Raises:
            ValueError: unless exactly one of ``map_id`` or both ``x`` and ``y`` is given.
        """
        if map_id is not None and x is None and y is None:
            body: dict[str, int] = {"map_id": map_id}
        elif map_id is None and x is not None and y is not None:
            body = {"x": x, "y": y}
        else:
            raise ValueError("give either map_id or both x and y")
        return await self.action(name, "move", CharacterMovementDataSchema, body)

    async def transition(self, name: str) -> CharacterTransitionDataSchema:
        """Take the transition on the character's tile."""
        return await self.action(name, "transition", CharacterTransitionDataSchema)

    async def rest(self, name: str) -> CharacterRestDataSchema:
        """Rest to recover HP."""
        return await self.action(name, "rest", CharacterRestDataSchema)

    # --- equipment and items -------------------------------------------------------------

    async def equip(
        self, name: str, code: str, slot: str, quantity: int = 1
    ) -> EquipmentTransactionSchema:
        """Equip one item (``quantity`` > 1 only for utilities)."""
        return await self.equip_many(name, [(code, slot, quantity)])

    async def equip_many(
        self, name: str, items: Iterable[tuple[str, str, int]]
    ) -> EquipmentTransactionSchema:
        """Equip up to 20 ``(code, slot, quantity)`` entries in one action.

        Raises:
            ValueError: for an empty list, more than 20 entries or a non-positive quantity.
        """
        body = [
            {"code": code, "slot": slot, "quantity": _positive("quantity", quantity)}
            for code, slot, quantity in items
        ]
        if not 1 <= len(body) <= 20:
            raise ValueError(f"between 1 and 20 items per equip, got {len(body)}")
        return await self.action(name, "equip", EquipmentTransactionSchema, body)

    async def unequip(self, name: str, slot: str, quantity: int = 1) -> EquipmentTransactionSchema:
        """Unequip one slot (``quantity`` > 1 only for utilities)."""
        return await self.unequip_many(name, [(slot, quantity)])

    async def unequip_many(
        self, name: str, slots: Iterable[tuple[str, int]]
    ) -> EquipmentTransactionSchema:
        """Unequip up to 20 ``(slot, quantity)`` entries in one action.

        Raises:
            ValueError: for an empty list, more than 20 entries or a non-positive quantity.
        """
        body = [{"slot": slot, "quantity": _positive("quantity", qty)} for slot, qty in slots]
        if not 1 <= len(body) <= 20:
            raise ValueError(f"between 1 and 20 slots per unequip, got {len(body)}")
        return await self.action(name, "unequip", EquipmentTransactionSchema, body)

    async def use(self, name: str, code: str, quantity: int = 1) -> UseItemSchema:
        """Use (consume) ``quantity`` of an item."""
        body = {"code": code, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "use", UseItemSchema, body)

    async def delete_item(self, name: str, code: str, quantity: int = 1) -> DeleteItemSchema:
        """Destroy ``quantity`` of an item from the inventory."""
        body = {"code": code, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "delete", DeleteItemSchema, body)

    # --- fighting and skills -------------------------------------------------------------

    async def fight(self, name: str, participants: Sequence[str] = ()) -> CharacterFightDataSchema:
        """Fight the monster on the tile, with up to 2 more characters for bosses.

        Raises:
            ValueError: with more than 2 extra participants.
        """
        if len(participants) > 2:
            raise ValueError("at most 2 additional participants")
        body = {"participants": list(participants)} if participants else None
        # Every participant must be out of cooldown too (as far as this client knows).
        for other in participants:
            await self.cooldowns.wait(other)
        return await self.action(name, "fight", CharacterFightDataSchema, body)

    async def gather(self, name: str) -> SkillDataSchema:
        """Gather the resource on the tile."""
        return await self.action(name, "gathering", SkillDataSchema)

    async def craft(self, name: str, code: str, quantity: int = 1) -> SkillDataSchema:
        """Craft ``quantity`` runs of ``code`` at the workshop on the tile."""
        body = {"code": code, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "crafting", SkillDataSchema, body)

    async def recycle(
        self, name: str, code: str, quantity: int = 1, *, enhanced: bool = False
    ) -> RecyclingDataSchema:
        """Recycle ``quantity`` of ``code`` at its workshop."""
        body: dict[str, Any] = {"code": code, "quantity": _positive("quantity", quantity)}
        if enhanced:
            body["enhanced"] = True
        return await self.action(name, "recycling", RecyclingDataSchema, body)

    # --- bank ----------------------------------------------------------------------------

    async def deposit_items(self, name: str, items: ItemStacks) -> BankItemTransactionSchema:
        """Deposit up to 20 item stacks in the bank."""
        body = self.items_body(items)
        return await self.action(name, "bank/deposit/item", BankItemTransactionSchema, body)

    async def withdraw_items(self, name: str, items: ItemStacks) -> BankItemTransactionSchema:
        """Withdraw up to 20 item stacks from the bank."""
        body = self.items_body(items)
        return await self.action(name, "bank/withdraw/item", BankItemTransactionSchema, body)

    async def deposit_gold(self, name: str, quantity: int) -> BankGoldTransactionSchema:
        """Deposit gold in the bank."""
        body = {"quantity": _positive("quantity", quantity)}
        return await self.action(name, "bank/deposit/gold", BankGoldTransactionSchema, body)

    async def withdraw_gold(self, name: str, quantity: int) -> BankGoldTransactionSchema:
        """Withdraw gold from the bank."""
        body = {"quantity": _positive("quantity", quantity)}
        return await self.action(name, "bank/withdraw/gold", BankGoldTransactionSchema, body)

    async def buy_bank_expansion(self, name: str) -> BankExtensionTransactionSchema:
        """Buy 20 more bank slots."""
        return await self.action(name, "bank/buy_expansion", BankExtensionTransactionSchema)

    # --- NPCs and the Grand Exchange -----------------------------------------------------

    async def npc_buy(
        self, name: str, code: str, quantity: int = 1
    ) -> NpcMerchantTransactionSchema:
        """Buy from the NPC on the tile."""
        body = {"code": code, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "npc/buy", NpcMerchantTransactionSchema, body)

    async def npc_sell(
        self, name: str, code: str, quantity: int = 1
    ) -> NpcMerchantTransactionSchema:
        """Sell to the NPC on the tile."""
        body = {"code": code, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "npc/sell", NpcMerchantTransactionSchema, body)

    async def ge_buy(self, name: str, order_id: str, quantity: int) -> GETransactionListSchema:
        """Buy ``quantity`` items from a GE sell order."""
        body = {"id": order_id, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "grandexchange/buy", GETransactionListSchema, body)

    async def ge_create_sell_order(
        self, name: str, code: str, quantity: int, price: int
    ) -> GEOrderTransactionSchema:
        """List ``quantity`` of ``code`` for sale at ``price`` each."""
        body = {
            "code": code,
            "quantity": _positive("quantity", quantity),
            "price": _positive("price", price),
        }
        path = "grandexchange/create_sell_order"
        return await self.action(name, path, GEOrderTransactionSchema, body)

    async def ge_create_buy_order(
        self, name: str, code: str, quantity: int, price: int
    ) -> GEOrderTransactionSchema:
        """Post a buy order for ``quantity`` of ``code`` at ``price`` each (gold locked)."""
        body = {
            "code": code,
            "quantity": _positive("quantity", quantity),
            "price": _positive("price", price),
        }
        path = "grandexchange/create_buy_order"
        return await self.action(name, path, GEOrderTransactionSchema, body)

    async def ge_fill(self, name: str, order_id: str, quantity: int) -> GETransactionListSchema:
        """Sell ``quantity`` items into a GE buy order."""
        body = {"id": order_id, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "grandexchange/fill", GETransactionListSchema, body)

    async def ge_cancel(self, name: str, order_id: str) -> GETransactionListSchema:
        """Cancel one of the account's GE orders."""
        body = {"id": order_id}
        return await self.action(name, "grandexchange/cancel", GETransactionListSchema, body)

    # --- tasks ---------------------------------------------------------------------------

    async def task_new(self, name: str) -> TaskDataSchema:
        """Accept a new task from the tasks master on the tile."""
        return await self.action(name, "task/new", TaskDataSchema)

    async def task_complete(self, name: str) -> RewardDataSchema:
        """Complete the current task and collect its rewards."""
        return await self.action(name, "task/complete", RewardDataSchema)

    async def task_exchange(self, name: str) -> RewardDataSchema:
        """Exchange task coins for a reward."""
        return await self.action(name, "task/exchange", RewardDataSchema)

    async def task_trade(self, name: str, code: str, quantity: int) -> TaskTradeDataSchema:
        """Hand in ``quantity`` items for an items task."""
        body = {"code": code, "quantity": _positive("quantity", quantity)}
        return await self.action(name, "task/trade", TaskTradeDataSchema, body)

    async def task_cancel(self, name: str) -> TaskCancelledSchema:
        """Cancel the current task (costs a task coin)."""
        return await self.action(name, "task/cancel", TaskCancelledSchema)

    # --- giving and claiming -------------------------------------------------------------

    async def give_gold(self, name: str, receiver: str, quantity: int) -> GiveGoldDataSchema:
        """Give gold to another character of the account on the same tile."""
        body = {"quantity": _positive("quantity", quantity), "character": receiver}
        return await self.action(name, "give/gold", GiveGoldDataSchema, body)

    async def give_items(self, name: str, receiver: str, items: ItemStacks) -> GiveItemDataSchema:
        """Give up to 20 item stacks to another character of the account on the same tile."""
        body = {"items": self.items_body(items), "character": receiver}
        return await self.action(name, "give/item", GiveItemDataSchema, body)

    async def claim_item(self, name: str, pending_id: str) -> ClaimPendingItemDataSchema:
        """Claim a pending item (achievement reward, GE delivery, ...)."""
        path = f"claim_item/{_segment(pending_id)}"
        return await self.action(name, path, ClaimPendingItemDataSchema)
