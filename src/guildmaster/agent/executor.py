"""Running one planned game action for real: one client call per step (a few for long moves).

:func:`perform` maps a planning action (:mod:`guildmaster.planning.domains`) to the matching
:class:`~guildmaster.api.AsyncArtifactsClient` method and returns an :class:`Outcome`: the
character as the server returned it, the cooldown charged, the bank contents when the action
touched the bank, and the fight or skill details; :meth:`Outcome.record` stores it in the
observation store. Cooldowns are honoured by the client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.models import CharacterSchema
from guildmaster.knowledge.facts import KnowledgeFacts
from guildmaster.knowledge.navigation import MoveStep, NoRoute, Passport, TransitionStep
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.planning.action import Action
from guildmaster.planning.domains.actions import (
    Craft,
    Equip,
    Fight,
    Gather,
    Move,
    Recycle,
    Rest,
    Unequip,
    Use,
)
from guildmaster.planning.domains.state import GameState
from guildmaster.planning.domains.trade import (
    Deposit,
    DepositGold,
    GeBuy,
    GeSellOrder,
    NpcBuy,
    NpcSell,
    TaskCancel,
    TaskComplete,
    TaskExchange,
    TaskNew,
    TaskTrade,
    Withdraw,
    WithdrawGold,
)

__all__ = ["Outcome", "UnsupportedAction", "perform"]

logger = logging.getLogger(__name__)


class UnsupportedAction(Exception):
    """The executor has no client call for this planning action."""


@dataclass(frozen=True)
class Outcome:
    """What the server answered to one planned action (possibly several calls for a move)."""

    character: CharacterSchema
    seconds: float
    """Game-seconds of cooldown charged (summed over the calls)."""
    calls: tuple[tuple[str, float], ...]
    """``(reason, seconds)`` of each API call made."""
    bank: Mapping[str, int] | None = None
    bank_gold: int | None = None
    fight_result: str | None = None
    monster: str | None = None
    xp: int = 0
    items: Mapping[str, int] = field(default_factory=dict)
    task: str | None = None
    others: tuple[CharacterSchema, ...] = ()
    """The other fighters of a multi-character (boss) fight, as the server returned them."""

    def record(self, store: ObservationStore, *, character: str, action: Action[GameState]) -> None:
        """Store this outcome of ``character``'s ``action`` when it took one call (a long move
        took several: nothing to learn from their sum)."""
        if len(self.calls) != 1:
            return
        reason, seconds = self.calls[0]
        code = (
            getattr(action, "monster", None)
            or getattr(action, "resource", None)
            or getattr(action, "item", None)
        )
        store.record(
            character=character,
            kind=reason,
            cooldown_seconds=seconds,
            code=code if isinstance(code, str) else None,
            outcome=self.fight_result or "ok",
            items=self.items,
            xp=self.xp,
        )


def _others_ok(result: Any, name: str) -> CharacterSchema:
    for character in getattr(result, "characters", None) or ():
        if isinstance(character, CharacterSchema) and character.name == name:
            return character
    character = getattr(result, "character", None)
    if isinstance(character, CharacterSchema):
        return character
    raise UnsupportedAction(f"no character in the answer to {type(result).__name__}")


async def _move(
    client: AsyncArtifactsClient,
    name: str,
    action: Move,
    state: GameState,
    facts: KnowledgeFacts | None,
    passport: Passport | None,
) -> Outcome:
    layer, x, y = action.destination
    calls: list[tuple[str, float]] = []
    if layer == state.location[0] or facts is None:
        result = await client.move(name, x=x, y=y)
        seconds = float(result.cooldown.total_seconds)
        return Outcome(result.character, seconds, (("movement", seconds),))
    try:
        route = facts.navigator.route(state.location, action.destination, passport)
    except (NoRoute, KeyError) as exc:
        raise UnsupportedAction(f"no route to {action.destination}: {exc}") from exc
    character: CharacterSchema | None = None
    for step in route.steps:
        if isinstance(step, MoveStep):
            moved = await client.move(name, x=step.x, y=step.y)
            calls.append(("movement", float(moved.cooldown.total_seconds)))
            character = moved.character
        elif isinstance(step, TransitionStep):
            crossed = await client.transition(name)
            calls.append(("transition", float(crossed.cooldown.total_seconds)))
            character = crossed.character
    if character is None:
        raise UnsupportedAction(f"empty route to {action.destination}")
    return Outcome(character, sum(s for _, s in calls), tuple(calls))


async def perform(
    client: AsyncArtifactsClient,
    name: str,
    action: Action[GameState],
    state: GameState,
    *,
    facts: KnowledgeFacts | None = None,
    passport: Passport | None = None,
    participants: Sequence[str] = (),
) -> Outcome:
    """Run ``action`` for character ``name`` (in ``state``) and return the server's answer.

    ``participants`` (a :class:`Fight` against a boss only): the other characters fighting
    alongside ``name``; their characters after the fight are in :attr:`Outcome.others`.

    Raises:
        UnsupportedAction: for an action the executor cannot map to a call.
        guildmaster.api.errors.ArtifactsError: whatever the client raises.
    """
    if isinstance(action, Move):
        return await _move(client, name, action, state, facts, passport)
    if isinstance(action, Fight):
        fought = await client.fight(name, participants=tuple(participants))
        seconds = float(fought.cooldown.total_seconds)
        mine = [c for c in fought.fight.characters if c.character_name == name]
        drops = {d.code: d.quantity for c in mine for d in c.drops}
        return Outcome(
            _others_ok(fought, name),
            seconds,
            (("fight", seconds),),
            fight_result=fought.fight.result,
            monster=action.monster,
            xp=sum(c.xp for c in mine),
            items=drops,
            others=tuple(c for c in fought.characters if c.name != name),
        )
    if isinstance(action, Gather | Craft):
        if isinstance(action, Gather):
            skilled = await client.gather(name)
        else:
            skilled = await client.craft(name, action.item, action.runs)
        seconds = float(skilled.cooldown.total_seconds)
        items = {i.code: i.quantity for i in skilled.details.items}
        reason = "gathering" if isinstance(action, Gather) else "crafting"
        return Outcome(
            skilled.character, seconds, ((reason, seconds),), xp=skilled.details.xp, items=items
        )
    simple = await _simple(client, name, action)
    seconds = float(simple.cooldown.total_seconds)
    bank = getattr(simple, "bank", None)
    bank_items: dict[str, int] | None = None
    bank_gold: int | None = None
    if isinstance(bank, list):
        bank_items = {i.code: i.quantity for i in bank}
    elif bank is not None and hasattr(bank, "quantity"):
        bank_gold = int(bank.quantity)
    task = getattr(getattr(simple, "task", None), "code", None)
    return Outcome(
        _others_ok(simple, name),
        seconds,
        ((action.name, seconds),),
        bank=bank_items,
        bank_gold=bank_gold,
        task=task if isinstance(task, str) else None,
    )


async def _simple(client: AsyncArtifactsClient, name: str, action: Action[GameState]) -> Any:
    if isinstance(action, Rest):
        return await client.rest(name)
    if isinstance(action, Use):
        return await client.use(name, action.item, action.quantity)
    if isinstance(action, Equip):
        return await client.equip(name, action.item, action.slot, action.quantity)
    if isinstance(action, Unequip):
        return await client.unequip(name, action.slot)
    if isinstance(action, Recycle):
        return await client.recycle(name, action.item, action.quantity)
    if isinstance(action, Deposit):
        return await client.deposit_items(name, list(action.items))
    if isinstance(action, Withdraw):
        return await client.withdraw_items(name, [(action.item, action.quantity)])
    if isinstance(action, DepositGold):
        return await client.deposit_gold(name, action.amount)
    if isinstance(action, WithdrawGold):
        return await client.withdraw_gold(name, action.amount)
    if isinstance(action, NpcBuy):
        return await client.npc_buy(name, action.item, action.quantity)
    if isinstance(action, NpcSell):
        return await client.npc_sell(name, action.item, action.quantity)
    if isinstance(action, GeBuy):
        return await client.ge_buy(name, action.order_id, action.quantity)
    if isinstance(action, GeSellOrder):
        return await client.ge_create_sell_order(name, action.item, action.quantity, action.price)
    if isinstance(action, TaskNew):
        return await client.task_new(name)
    if isinstance(action, TaskComplete):
        return await client.task_complete(name)
    if isinstance(action, TaskTrade):
        return await client.task_trade(name, action.item, action.quantity)
    if isinstance(action, TaskExchange):
        return await client.task_exchange(name)
    if isinstance(action, TaskCancel):
        return await client.task_cancel(name)
    raise UnsupportedAction(action.name)
