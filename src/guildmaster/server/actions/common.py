"""Checks and helpers shared by the action services.

Every service validates its whole request with these helpers BEFORE it changes any state, so a
request that fails leaves the game exactly as it was. The checks raise :class:`GameError` with the
code the v8 spec documents for the situation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from guildmaster.server.engine.xp import apply_xp
from guildmaster.server.errors import (
    ConditionsNotMet,
    InsufficientGold,
    InventoryFull,
    MissingItem,
    NotFound,
)
from guildmaster.server.game import GameServer
from guildmaster.server.state import INVENTORY_SLOTS, Character, PendingItem
from guildmaster.server.world import Json

__all__ = [
    "ItemStack",
    "add_pending_item",
    "award_combat_xp",
    "award_skill_xp",
    "character_attribute",
    "check_conditions",
    "deliver_items",
    "has_achievement",
    "inventory_is_full",
    "merge_stacks",
    "require_fits",
    "require_gold",
    "require_held",
    "require_item",
    "stack_list",
]

logger = logging.getLogger(__name__)

ItemStack = tuple[str, int]


def require_item(game: GameServer, code: str, *, what: str = "Item") -> Json:
    """The catalogue entry of an item.

    Raises:
        NotFound: The world has no such item.
    """
    item = game.world.item(code)
    if item is None:
        raise NotFound(f"{what} not found.")
    return item


def merge_stacks(items: Iterable[ItemStack]) -> list[ItemStack]:
    """Sum quantities per code, keeping the first-seen order.

    >>> merge_stacks([("a", 1), ("b", 2), ("a", 3)])
    [('a', 4), ('b', 2)]
    """
    totals: dict[str, int] = {}
    for code, quantity in items:
        totals[code] = totals.get(code, 0) + quantity
    return list(totals.items())


def stack_list(items: Iterable[ItemStack]) -> list[Json]:
    """``SimpleItemSchema``/``DropSchema`` dicts for ``(code, quantity)`` pairs."""
    return [{"code": code, "quantity": quantity} for code, quantity in items]


def require_held(char: Character, items: Iterable[ItemStack]) -> None:
    """Check the inventory holds every ``(code, quantity)`` (duplicates are summed).

    Raises:
        MissingItem: Any item is missing.
    """
    for code, quantity in merge_stacks(items):
        if char.quantity(code) < quantity:
            raise MissingItem(f"Missing required item(s): {quantity} {code}.")


def require_fits(
    char: Character, items: Iterable[ItemStack], *, removing: Iterable[ItemStack] = ()
) -> None:
    """Check the items fit in the inventory (after removing ``removing``).

    Raises:
        InventoryFull: The inventory would overflow.
    """
    if not char.can_add(list(items), removing=list(removing)):
        raise InventoryFull("Character inventory is full.")


def require_gold(char: Character, amount: int) -> None:
    """Check the character holds ``amount`` gold.

    Raises:
        InsufficientGold: The character holds less.
    """
    if char.gold < amount:
        raise InsufficientGold("The character does not have enough gold.")


def character_attribute(char: Character, code: str) -> int | None:
    """The integer value of a character attribute a condition names, or None if unknown."""
    if code == "level":
        return char.level
    if code.endswith("_level") and code[: -len("_level")] in char.skills:
        return char.skill_level(code[: -len("_level")])
    if code == "gold":
        return char.gold
    if code == "hp":
        return char.hp
    value = char.stats.get(code)
    return int(value) if isinstance(value, int) else None


def has_achievement(game: GameServer, account: str, code: str) -> bool:
    """Whether the account completed an achievement."""
    owner = game.state.accounts.get(account)
    return owner is not None and code in owner.completed_achievements


def _wears(char: Character, code: str) -> bool:
    return any(worn == code for worn in char.equipment.values())


def check_conditions(
    game: GameServer,
    char: Character,
    conditions: Iterable[Mapping[str, Any]] | None,
    *,
    skip_costs: bool = True,
) -> None:
    """Check ``ConditionSchema`` conditions (``cost`` ones are the caller's unless asked).

    Raises:
        ConditionsNotMet: A condition does not hold.
        MissingItem: An item ``cost`` condition is unmet (when ``skip_costs`` is False).
        InsufficientGold: A gold ``cost`` condition is unmet (when ``skip_costs`` is False).
    """
    for cond in conditions or ():
        code = str(cond.get("code", ""))
        operator = str(cond.get("operator", ""))
        value = int(cond.get("value", 0))
        if operator == "achievement_unlocked":
            ok = has_achievement(game, char.account, code)
        elif operator == "has_item":
            ok = char.quantity(code) >= max(1, value) or _wears(char, code)
        elif operator == "cost":
            if skip_costs:
                continue
            if code == "gold":
                require_gold(char, value)
            else:
                require_held(char, [(code, value)])
            continue
        else:
            actual = character_attribute(char, code)
            if actual is None:
                ok = False
            elif operator == "eq":
                ok = actual == value
            elif operator == "ne":
                ok = actual != value
            elif operator == "gt":
                ok = actual > value
            elif operator == "lt":
                ok = actual < value
            else:
                ok = False
        if not ok:
            raise ConditionsNotMet("The character does not meet the required conditions.")


def award_skill_xp(game: GameServer, char: Character, skill: str, xp: int) -> int:
    """Add skill XP (levels up as needed); returns the number of levels gained."""
    level, current = char.skills[skill]
    progress = apply_xp(level, current, max(0, xp), max_level=game.rules.max_level)
    char.skills[skill] = [progress.level, progress.xp]
    return progress.levels_gained


def award_combat_xp(game: GameServer, char: Character, xp: int) -> int:
    """Add combat XP, recompute stats on level-up; returns the number of levels gained."""
    progress = apply_xp(char.level, char.xp, max(0, xp), max_level=game.rules.max_level)
    char.level, char.xp = progress.level, progress.xp
    if progress.levels_gained:
        char.refresh_stats(game.world, game.rules)
        if game.rules.level_up_refills_hp:
            char.hp = char.max_hp
    return progress.levels_gained


def add_pending_item(
    game: GameServer,
    account: str,
    *,
    source: str,
    description: str,
    gold: int = 0,
    items: Iterable[ItemStack] = (),
    source_id: str | None = None,
) -> PendingItem:
    """Queue gold and items for an account to claim (``GET /my/pending_items``)."""
    pending = PendingItem(
        id=game.state.new_id("pending"),
        account=account,
        source=source,
        source_id=source_id,
        description=description,
        gold=gold,
        items=stack_list(merge_stacks(items)),
        created_at=game.now_iso(),
    )
    game.state.pending_items[pending.id] = pending
    logger.debug("pending item %s for %s: %s", pending.id, account, description)
    return pending


def inventory_is_full(char: Character) -> bool:
    """The pre-fight/pre-gather "inventory full" test: no free unit or no free slot."""
    used_slots = sum(1 for _ in char.inventory_items())
    return char.inventory_total() >= char.inventory_max_items or used_slots >= INVENTORY_SLOTS


def deliver_items(
    game: GameServer, char: Character, items: Iterable[ItemStack], *, what: str
) -> list[ItemStack]:
    """Put rewards in the inventory; what does not fit goes to pending items (returned)."""
    overflow: list[ItemStack] = []
    for code, quantity in items:
        if char.can_add([(code, quantity)]):
            char.add_item(code, quantity)
        else:
            overflow.append((code, quantity))
    if overflow:
        add_pending_item(
            game,
            char.account,
            source="other",
            description=f"{what} that did not fit in {char.name}'s inventory",
            items=overflow,
        )
    return overflow
