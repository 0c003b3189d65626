"""Tasks (MECHANICS §16): new, trade, complete, cancel, and the tasks-coin exchange.

The assignment rule is a setting (:class:`TaskSettings`): by default a task master hands out a
random task of its own type whose level is at or below the character's level in the task's skill
(items tasks) or combat level (monster tasks), with a quantity uniform in
``[min_quantity, max_quantity]``. Trade, complete and cancel are accepted at any tasks master.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from guildmaster.server.actions.achievements import record_achievement
from guildmaster.server.actions.common import (
    merge_stacks,
    require_fits,
    require_held,
    stack_list,
)
from guildmaster.server.engine.durations import DEFAULT_ACTION_SECONDS
from guildmaster.server.errors import (
    NoTaskAssigned,
    NotFound,
    TaskAlreadyAssigned,
    TaskAlreadyCompleted,
    TaskNotCompleted,
    TaskNotOwned,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = [
    "DEFAULT_TASK_SETTINGS",
    "TaskSettings",
    "cancel_task",
    "complete_task",
    "eligible_tasks",
    "exchange_coins",
    "new_task",
    "reward_table",
    "task_coin",
    "trade_task_items",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TaskSettings:
    """Uncertain task rules (MECHANICS §16, §27.13) as settings.

    >>> TaskSettings().exchange_cost
    6
    """

    coin: str = "tasks_coin"
    cancel_cost: int = 1
    exchange_cost: int = 6
    level_margin: int = 0
    """A task is eligible when ``task.level <= character level + level_margin``."""
    items_use_skill_level: bool = True
    """Items tasks compare against the character's level in the task's ``skill``."""


DEFAULT_TASK_SETTINGS: Final = TaskSettings()


def task_coin(game: GameServer, settings: TaskSettings) -> str:
    """The tasks currency: the world's own (``meta.tasks_currency``) or the settings' default."""
    return str(game.world.meta.get("tasks_currency") or settings.coin)


def _master(game: GameServer, char: Character) -> str:
    content = game.require_content(char, "tasks_master", "Tasks Master")
    return str(content.get("code"))


def _reference_level(char: Character, task: Json, settings: TaskSettings) -> int:
    skill = task.get("skill")
    if task.get("type") == "items" and settings.items_use_skill_level and skill in char.skills:
        return char.skill_level(str(skill))
    return char.level


def eligible_tasks(
    game: GameServer,
    char: Character,
    task_type: str,
    settings: TaskSettings = DEFAULT_TASK_SETTINGS,
) -> list[Json]:
    """Tasks of ``task_type`` the character may be given (the lowest level ones if none fit)."""
    pool = [
        t
        for t in game.world.tasks.values()
        if t.get("type") == task_type
        and (t.get("type") != "monsters" or str(t["code"]) in game.world.monsters)
        and (t.get("type") != "items" or str(t["code"]) in game.world.items)
    ]
    fitting = [
        t
        for t in pool
        if int(t.get("level", 1)) <= _reference_level(char, t, settings) + settings.level_margin
    ]
    if fitting or not pool:
        return sorted(fitting, key=lambda t: str(t["code"]))
    lowest = min(int(t.get("level", 1)) for t in pool)
    return sorted(
        (t for t in pool if int(t.get("level", 1)) == lowest), key=lambda t: str(t["code"])
    )


def _rewards(task: Json) -> Json:
    rewards = task.get("rewards") or {}
    items = [(str(i["code"]), int(i["quantity"])) for i in rewards.get("items") or []]
    return {"items": stack_list(items), "gold": int(rewards.get("gold") or 0)}


def new_task(
    game: GameServer, char: Character, *, settings: TaskSettings = DEFAULT_TASK_SETTINGS
) -> ActionResult:
    """``POST /action/task/new`` at a tasks master: assign a task of the master's type.

    Raises:
        ContentNotOnMap: No tasks master here.
        TaskAlreadyAssigned: Already has a task.
        NotFound: No task available.
    """
    master = _master(game, char)
    if char.task:
        raise TaskAlreadyAssigned("The character already has an assigned task.")
    candidates = eligible_tasks(game, char, master, settings)
    if not candidates:
        raise NotFound("No task available from this tasks master.")
    task = game.rng.choice(candidates)
    low = max(1, int(task.get("min_quantity", 1)))
    total = game.rng.randint(low, max(low, int(task.get("max_quantity", low))))
    char.task, char.task_type = str(task["code"]), str(task["type"])
    char.task_progress, char.task_total = 0, total
    data = {"code": char.task, "type": char.task_type, "total": total, "rewards": _rewards(task)}
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="task",
        data={"task": data},
        log_type="new_task",
        description=f"{char.name} got task {char.task} x{total}.",
        content=data,
    )


def trade_task_items(game: GameServer, char: Character, code: str, quantity: int) -> ActionResult:
    """``POST /action/task/trade``: hand items of the current items task to the master.

    Raises:
        ContentNotOnMap: No tasks master here.
        TaskNotOwned: Not this task's item.
        TaskAlreadyCompleted: Task already complete or too many items.
        MissingItem: Not held.
    """
    _master(game, char)
    if char.task_type != "items" or char.task != code:
        raise TaskNotOwned("The character does not have this task.")
    if char.task_progress >= char.task_total or char.task_progress + quantity > char.task_total:
        raise TaskAlreadyCompleted("Task already completed or too many items submitted.")
    require_held(char, [(code, quantity)])
    char.remove_item(code, quantity)
    char.task_progress += quantity
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="task",
        data={"trade": {"code": code, "quantity": quantity}},
        log_type="task_trade",
        description=f"{char.name} traded {quantity} {code} for the task.",
        content={"code": code, "quantity": quantity},
    )


def complete_task(game: GameServer, char: Character) -> ActionResult:
    """``POST /action/task/complete``: collect the rewards of a finished task.

    Raises:
        ContentNotOnMap: No tasks master here.
        NoTaskAssigned: No task.
        TaskNotCompleted: Not finished.
        InventoryFull: No room.
    """
    _master(game, char)
    if not char.task:
        raise NoTaskAssigned("The character has no task assigned.")
    if char.task_progress < char.task_total:
        raise TaskNotCompleted("The character has not completed the task.")
    task = game.world.tasks.get(char.task) or {}
    rewards = _rewards(task)
    items = [(str(i["code"]), int(i["quantity"])) for i in rewards["items"]]
    require_fits(char, items)
    for code, quantity in items:
        char.add_item(code, quantity)
    char.gold += rewards["gold"]
    done = char.task
    char.task, char.task_type, char.task_progress, char.task_total = "", "", 0, 0
    record_achievement(game, char.account, "task", None, 1)
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="task",
        data={"rewards": rewards},
        log_type="task_completed",
        description=f"{char.name} completed task {done}.",
        content=rewards,
    )


def cancel_task(
    game: GameServer, char: Character, *, settings: TaskSettings = DEFAULT_TASK_SETTINGS
) -> ActionResult:
    """``POST /action/task/cancel``: drop the current task for ``cancel_cost`` tasks coins.

    Raises:
        ContentNotOnMap: No tasks master here.
        NoTaskAssigned: No task.
        MissingItem: Not enough coins.
    """
    _master(game, char)
    if not char.task:
        raise NoTaskAssigned("The character has no task assigned.")
    coin = task_coin(game, settings)
    require_held(char, [(coin, settings.cancel_cost)])
    char.remove_item(coin, settings.cancel_cost)
    dropped = char.task
    char.task, char.task_type, char.task_progress, char.task_total = "", "", 0, 0
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="task",
        log_type="task_cancelled",
        description=f"{char.name} cancelled task {dropped}.",
        content={"task": dropped},
    )


def reward_table(game: GameServer, settings: TaskSettings = DEFAULT_TASK_SETTINGS) -> list[Json]:
    """The exchange's reward table (DropRateSchema entries).

    The world's ``tasks_rewards`` when it has one; otherwise (the real snapshot lacks it) every
    item an NPC sells for tasks coins, each with rate 1 and quantity 1 [uncertain fallback].
    """
    table = [r for r in game.world.task_rewards if str(r.get("code")) in game.world.items]
    if table:
        return table
    codes = sorted(
        {
            str(offer["code"])
            for offer in game.world.npc_offers
            if offer.get("currency") == task_coin(game, settings)
            and str(offer["code"]) in game.world.items
        }
    )
    return [{"code": c, "rate": 1, "min_quantity": 1, "max_quantity": 1} for c in codes]


def exchange_coins(
    game: GameServer, char: Character, *, settings: TaskSettings = DEFAULT_TASK_SETTINGS
) -> ActionResult:
    """``POST /action/task/exchange``: trade ``exchange_cost`` coins for a random reward.

    Rewards come from :func:`reward_table`, weighted by ``1/rate``, with a quantity uniform in
    ``[min_quantity, max_quantity]``.

    Raises:
        ContentNotOnMap: No tasks master here.
        MissingItem: Not enough coins.
        NotFound: No reward table.
        InventoryFull: No room.
    """
    _master(game, char)
    coin = task_coin(game, settings)
    require_held(char, [(coin, settings.exchange_cost)])
    table = reward_table(game, settings)
    if not table:
        raise NotFound("No tasks rewards are available.")
    weights = [1.0 / max(1, int(r.get("rate", 1))) for r in table]
    reward = game.rng.choices(table, weights=weights, k=1)[0]
    low = max(1, int(reward.get("min_quantity", 1)))
    quantity = game.rng.randint(low, max(low, int(reward.get("max_quantity", low))))
    items = merge_stacks([(str(reward["code"]), quantity)])
    require_fits(char, items, removing=[(coin, settings.exchange_cost)])
    char.remove_item(coin, settings.exchange_cost)
    for code, amount in items:
        char.add_item(code, amount)
    rewards = {"items": stack_list(items), "gold": 0}
    return ActionResult(
        seconds=DEFAULT_ACTION_SECONDS,
        reason="task",
        data={"rewards": rewards},
        log_type="task_exchange",
        description=f"{char.name} exchanged tasks coins for {quantity} {reward['code']}.",
        content=rewards,
    )
