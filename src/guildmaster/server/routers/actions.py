"""Every ``POST /my/{name}/action/*`` endpoint: thin routes over the action services.

Each route parses its body with a model mirroring the v8 request schema (violations answer 422
through the app's validation handler), then runs the service inside the action frame:
``begin_action`` (498/486/499) -> service -> ``finish_action`` (cooldown, log, persistence),
releasing the busy mark in every case. The response is ``{"data": ...}``. The task routes take
the app's task rules through ``TaskSettingsDep``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, Field

from guildmaster.server.actions import (
    bank,
    combat,
    equipment,
    grandexchange,
    items,
    movement,
    npc,
    rest,
    skills,
    tasks,
)
from guildmaster.server.deps import AccountDep, GameDep, TaskSettingsDep
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character, EquipmentSlot
from guildmaster.server.world import Json

__all__ = [
    "CODE_PATTERN",
    "ChangeSkinBody",
    "CraftingBody",
    "DestinationBody",
    "EquipBody",
    "FightBody",
    "GiveGoldBody",
    "GiveItemsBody",
    "GoldBody",
    "NpcTradeBody",
    "OrderCancelBody",
    "OrderCreationBody",
    "OrderTradeBody",
    "RecyclingBody",
    "SimpleItemBody",
    "UnequipBody",
    "action_buy_expansion",
    "action_change_skin",
    "action_claim_item",
    "action_crafting",
    "action_delete",
    "action_deposit_gold",
    "action_deposit_item",
    "action_equip",
    "action_fight",
    "action_gathering",
    "action_ge_buy",
    "action_ge_buy_order",
    "action_ge_cancel",
    "action_ge_fill",
    "action_ge_sell",
    "action_give_gold",
    "action_give_item",
    "action_move",
    "action_npc_buy",
    "action_npc_sell",
    "action_recycling",
    "action_rest",
    "action_task_cancel",
    "action_task_complete",
    "action_task_exchange",
    "action_task_new",
    "action_task_trade",
    "action_transition",
    "action_unequip",
    "action_use",
    "action_withdraw_gold",
    "action_withdraw_item",
    "router",
    "run_action",
]

logger = logging.getLogger(__name__)

CODE_PATTERN = r"^[a-zA-Z0-9_-]+$"

Code = Annotated[str, Field(pattern=CODE_PATTERN)]
Quantity = Annotated[int, Field(ge=1)]
Price = Annotated[int, Field(ge=1, le=1_000_000_000)]
Slot = EquipmentSlot
CharacterName = Annotated[str, Path(pattern=CODE_PATTERN, description="Name of your character.")]


class DestinationBody(BaseModel):
    """``DestinationSchema``: either ``map_id`` or both ``x`` and ``y``."""

    x: int | None = None
    y: int | None = None
    map_id: int | None = None


class EquipBody(BaseModel):
    """``EquipSchema``."""

    code: Code
    slot: Slot
    quantity: Annotated[int, Field(ge=1, le=100)] = 1


class UnequipBody(BaseModel):
    """``UnequipSchema``."""

    slot: Slot
    quantity: Annotated[int, Field(ge=1, le=100)] = 1


class SimpleItemBody(BaseModel):
    """``SimpleItemSchema``."""

    code: Code
    quantity: Quantity


class FightBody(BaseModel):
    """``FightRequestSchema``."""

    participants: Annotated[list[str], Field(max_length=2)] = Field(default_factory=list)


class CraftingBody(BaseModel):
    """``CraftingSchema``."""

    code: Code
    quantity: Quantity = 1


class RecyclingBody(BaseModel):
    """``RecyclingSchema``."""

    code: Code
    quantity: Quantity = 1
    enhanced: bool = False


class GoldBody(BaseModel):
    """``DepositWithdrawGoldSchema``."""

    quantity: Quantity


class NpcTradeBody(BaseModel):
    """``NpcMerchantBuySchema`` (also the sell body)."""

    code: str
    quantity: Quantity


class OrderCreationBody(BaseModel):
    """``GEOrderCreationSchema`` / ``GEBuyOrderCreationSchema``."""

    code: Code
    quantity: Quantity
    price: Price


class OrderTradeBody(BaseModel):
    """``GEBuyOrderSchema`` / ``GEFillBuyOrderSchema``."""

    id: str
    quantity: Quantity


class OrderCancelBody(BaseModel):
    """``GECancelOrderSchema``."""

    id: str


class GiveGoldBody(BaseModel):
    """``GiveGoldSchema``."""

    quantity: Quantity
    character: Code


class GiveItemsBody(BaseModel):
    """``GiveItemsSchema``."""

    items: Annotated[list[SimpleItemBody], Field(min_length=1, max_length=20)]
    character: Code


class ChangeSkinBody(BaseModel):
    """``ChangeSkinCharacterSchema``."""

    skin: str


ItemList = Annotated[list[SimpleItemBody], Body(min_length=1, max_length=20)]
EquipList = Annotated[list[EquipBody], Body(min_length=1, max_length=20)]
UnequipList = Annotated[list[UnequipBody], Body(min_length=1, max_length=20)]


def _stacks(entries: list[SimpleItemBody]) -> list[tuple[str, int]]:
    return [(entry.code, entry.quantity) for entry in entries]


def run_action(
    game: GameServer,
    account: str,
    name: str,
    service: Callable[[Character], ActionResult],
) -> dict[str, Any]:
    """Run ``service`` in the action frame and return the ``{"data": ...}`` response body.

    Raises:
        GameError: whatever the frame or the service raises (nothing changed in that case).
    """
    char = game.begin_action(account, name)
    try:
        result = service(char)
        data = game.finish_action(char, result)
        if "characters" in data and not result.include_character:
            now = game.now()
            data["characters"] = [member.to_schema(now) for member in (char, *result.others)]
        return {"data": data}
    finally:
        game.end_action(char)


router = APIRouter(prefix="/my/{name}/action", tags=["My characters"])


@router.post("/move")
async def action_move(
    name: CharacterName, body: DestinationBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Move by ``{x, y}`` or ``{map_id}`` along a server-side path."""
    return run_action(game, account, name, lambda c: movement.move(game, c, body.model_dump()))


@router.post("/transition")
async def action_transition(
    name: CharacterName, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Take the transition of the current tile."""
    return run_action(game, account, name, lambda c: movement.transition(game, c))


@router.post("/rest")
async def action_rest(name: CharacterName, game: GameDep, account: AccountDep) -> dict[str, Any]:
    """Rest to full HP."""
    return run_action(game, account, name, lambda c: rest.rest(game, c))


@router.post("/equip")
async def action_equip(
    name: CharacterName, body: EquipList, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Equip up to 20 items."""
    entries: list[Json] = [entry.model_dump() for entry in body]
    return run_action(game, account, name, lambda c: equipment.equip(game, c, entries))


@router.post("/unequip")
async def action_unequip(
    name: CharacterName, body: UnequipList, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Unequip up to 20 slots."""
    entries: list[Json] = [entry.model_dump() for entry in body]
    return run_action(game, account, name, lambda c: equipment.unequip(game, c, entries))


@router.post("/use")
async def action_use(
    name: CharacterName, body: SimpleItemBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Use consumables."""
    return run_action(
        game, account, name, lambda c: items.use_item(game, c, body.code, body.quantity)
    )


@router.post("/fight")
async def action_fight(
    name: CharacterName,
    game: GameDep,
    account: AccountDep,
    body: Annotated[FightBody | None, Body()] = None,
) -> dict[str, Any]:
    """Fight the monster of the current tile (bosses: with up to 2 participants)."""
    participants = body.participants if body is not None else []
    return run_action(game, account, name, lambda c: combat.fight(game, c, participants))


@router.post("/gathering")
async def action_gathering(
    name: CharacterName, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Gather the resource of the current tile."""
    return run_action(game, account, name, lambda c: skills.gather(game, c))


@router.post("/crafting")
async def action_crafting(
    name: CharacterName, body: CraftingBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Craft ``quantity`` runs of a recipe."""
    return run_action(
        game, account, name, lambda c: skills.craft(game, c, body.code, body.quantity)
    )


@router.post("/recycling")
async def action_recycling(
    name: CharacterName, body: RecyclingBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Recycle crafted equipment."""
    return run_action(
        game,
        account,
        name,
        lambda c: skills.recycle(game, c, body.code, body.quantity, enhanced=body.enhanced),
    )


@router.post("/bank/deposit/gold")
async def action_deposit_gold(
    name: CharacterName, body: GoldBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Deposit gold in the bank."""
    return run_action(game, account, name, lambda c: bank.deposit_gold(game, c, body.quantity))


@router.post("/bank/deposit/item")
async def action_deposit_item(
    name: CharacterName, body: ItemList, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Deposit up to 20 stacks in the bank."""
    stacks = _stacks(body)
    return run_action(game, account, name, lambda c: bank.deposit_items(game, c, stacks))


@router.post("/bank/withdraw/item")
async def action_withdraw_item(
    name: CharacterName, body: ItemList, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Withdraw up to 20 stacks from the bank."""
    stacks = _stacks(body)
    return run_action(game, account, name, lambda c: bank.withdraw_items(game, c, stacks))


@router.post("/bank/withdraw/gold")
async def action_withdraw_gold(
    name: CharacterName, body: GoldBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Withdraw gold from the bank."""
    return run_action(game, account, name, lambda c: bank.withdraw_gold(game, c, body.quantity))


@router.post("/bank/buy_expansion")
async def action_buy_expansion(
    name: CharacterName, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Buy 20 more bank slots."""
    return run_action(game, account, name, lambda c: bank.buy_expansion(game, c))


@router.post("/npc/buy")
async def action_npc_buy(
    name: CharacterName, body: NpcTradeBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Buy from the NPC of the current tile."""
    return run_action(game, account, name, lambda c: npc.npc_buy(game, c, body.code, body.quantity))


@router.post("/npc/sell")
async def action_npc_sell(
    name: CharacterName, body: NpcTradeBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Sell to the NPC of the current tile."""
    return run_action(
        game, account, name, lambda c: npc.npc_sell(game, c, body.code, body.quantity)
    )


@router.post("/grandexchange/buy")
async def action_ge_buy(
    name: CharacterName, body: OrderTradeBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Buy from a sell order."""
    return run_action(
        game,
        account,
        name,
        lambda c: grandexchange.buy_from_order(game, c, body.id, body.quantity),
    )


@router.post("/grandexchange/create_sell_order")
async def action_ge_sell(
    name: CharacterName, body: OrderCreationBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """List items for sale."""
    return run_action(
        game,
        account,
        name,
        lambda c: grandexchange.create_sell_order(game, c, body.code, body.quantity, body.price),
    )


@router.post("/grandexchange/create_buy_order")
async def action_ge_buy_order(
    name: CharacterName, body: OrderCreationBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Create a buy order with locked gold."""
    return run_action(
        game,
        account,
        name,
        lambda c: grandexchange.create_buy_order(game, c, body.code, body.quantity, body.price),
    )


@router.post("/grandexchange/fill")
async def action_ge_fill(
    name: CharacterName, body: OrderTradeBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Sell items into a buy order."""
    return run_action(
        game,
        account,
        name,
        lambda c: grandexchange.fill_buy_order(game, c, body.id, body.quantity),
    )


@router.post("/grandexchange/cancel")
async def action_ge_cancel(
    name: CharacterName, body: OrderCancelBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Cancel an own order."""
    return run_action(game, account, name, lambda c: grandexchange.cancel_order(game, c, body.id))


@router.post("/task/new")
async def action_task_new(
    name: CharacterName, game: GameDep, account: AccountDep, task_settings: TaskSettingsDep
) -> dict[str, Any]:
    """Accept a new task."""
    return run_action(
        game, account, name, lambda c: tasks.new_task(game, c, settings=task_settings)
    )


@router.post("/task/complete")
async def action_task_complete(
    name: CharacterName, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Complete the current task."""
    return run_action(game, account, name, lambda c: tasks.complete_task(game, c))


@router.post("/task/exchange")
async def action_task_exchange(
    name: CharacterName, game: GameDep, account: AccountDep, task_settings: TaskSettingsDep
) -> dict[str, Any]:
    """Exchange tasks coins for a reward."""
    return run_action(
        game, account, name, lambda c: tasks.exchange_coins(game, c, settings=task_settings)
    )


@router.post("/task/trade")
async def action_task_trade(
    name: CharacterName, body: SimpleItemBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Hand items to the tasks master."""
    return run_action(
        game,
        account,
        name,
        lambda c: tasks.trade_task_items(game, c, body.code, body.quantity),
    )


@router.post("/task/cancel")
async def action_task_cancel(
    name: CharacterName, game: GameDep, account: AccountDep, task_settings: TaskSettingsDep
) -> dict[str, Any]:
    """Cancel the current task."""
    return run_action(
        game, account, name, lambda c: tasks.cancel_task(game, c, settings=task_settings)
    )


@router.post("/give/gold")
async def action_give_gold(
    name: CharacterName, body: GiveGoldBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Give gold to a character of the same account on the same map."""
    return run_action(
        game,
        account,
        name,
        lambda c: items.give_gold(game, c, body.quantity, body.character),
    )


@router.post("/give/item")
async def action_give_item(
    name: CharacterName, body: GiveItemsBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Give items to a character of the same account on the same map."""
    stacks = _stacks(body.items)
    return run_action(
        game, account, name, lambda c: items.give_items(game, c, stacks, body.character)
    )


@router.post("/claim_item/{id}")
async def action_claim_item(
    name: CharacterName,
    id: Annotated[str, Path(description="Pending item id.")],
    game: GameDep,
    account: AccountDep,
) -> dict[str, Any]:
    """Claim a pending item."""
    return run_action(game, account, name, lambda c: items.claim_item(game, c, id))


@router.post("/delete")
async def action_delete(
    name: CharacterName, body: SimpleItemBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Destroy held items."""
    return run_action(
        game, account, name, lambda c: items.delete_item(game, c, body.code, body.quantity)
    )


@router.post("/change_skin")
async def action_change_skin(
    name: CharacterName, body: ChangeSkinBody, game: GameDep, account: AccountDep
) -> dict[str, Any]:
    """Change skin: the local server owns no purchasable skins beyond the free ones."""
    return run_action(game, account, name, lambda c: items.change_skin(game, c, body.skin))
