"""Skill actions (MECHANICS §7-§9): gathering with tools and prospecting, crafting, recycling."""

from __future__ import annotations

import logging

from guildmaster.server.actions.achievements import record_achievement
from guildmaster.server.actions.common import (
    award_skill_xp,
    deliver_items,
    inventory_is_full,
    require_fits,
    require_gold,
    require_held,
    stack_list,
)
from guildmaster.server.engine.drops import DropRate, roll_drops
from guildmaster.server.engine.durations import (
    crafting_seconds,
    gathering_seconds,
    recycling_seconds,
)
from guildmaster.server.engine.recycling import enhanced_recycle_cost, recycle_yield
from guildmaster.server.engine.xp import crafting_xp, gathering_xp
from guildmaster.server.errors import (
    ContentNotOnMap,
    InventoryFull,
    ItemNotRecyclable,
    NotFound,
    SkillTooLow,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = [
    "craft",
    "gather",
    "recycle",
    "tool_reduction",
]

logger = logging.getLogger(__name__)


def tool_reduction(game: GameServer, char: Character, skill: str) -> int:
    """The (negative) cooldown percentage of the equipped weapon for ``skill``, 0 if none."""
    code = char.equipment.get("weapon", "")
    item = game.world.item(code) if code else None
    if item is None:
        return 0
    return sum(int(e["value"]) for e in item.get("effects") or [] if e.get("code") == skill)


def gather(game: GameServer, char: Character) -> ActionResult:
    """``POST /action/gathering`` on a resource tile.

    Raises:
        ContentNotOnMap: No resource here.
        SkillTooLow: Skill too low.
        InventoryFull: Inventory full.
    """
    content = game.require_content(char, "resource", "Resource")
    resource = game.world.resources.get(str(content.get("code")))
    if resource is None:
        raise ContentNotOnMap("Resource not found on this map.")
    skill, level = str(resource["skill"]), int(resource.get("level", 1))
    if char.skill_level(skill) < level:
        raise SkillTooLow("The character's skill level is too low.")
    if inventory_is_full(char):
        raise InventoryFull("Character inventory is full.")
    table = [DropRate.from_api(d) for d in resource.get("drops") or []]
    items = roll_drops(table, prospecting=int(char.stats.get("prospecting", 0)), rng=game.rng)
    deliver_items(game, char, items, what="Gathered items")
    xp = gathering_xp(
        skill_level=char.skill_level(skill),
        resource_level=level,
        wisdom=int(char.stats.get("wisdom", 0)),
        rules=game.rules,
    )
    award_skill_xp(game, char, skill, xp)
    for code, quantity in items:
        record_achievement(game, char.account, "gathering", code, quantity)
    seconds = gathering_seconds(level, tool_reduction(game, char, skill), rules=game.rules)
    return ActionResult(
        seconds=seconds,
        reason="gathering",
        data={"details": {"xp": xp, "items": stack_list(items)}},
        description=f"{char.name} gathered {resource['code']}.",
        content={"resource": resource["code"], "xp": xp, "items": stack_list(items)},
    )


def _recipe(item: Json) -> list[tuple[str, int]]:
    recipe = item.get("craft") or {}
    return [(str(i["code"]), int(i["quantity"])) for i in recipe.get("items") or []]


def _require_workshop(game: GameServer, char: Character, skill: str) -> None:
    content = game.content_here(char)
    if content is None or content.get("type") != "workshop" or content.get("code") != skill:
        raise ContentNotOnMap("Workshop not found on this map.")


def craft(game: GameServer, char: Character, code: str, quantity: int) -> ActionResult:
    """``POST /action/crafting``: ``quantity`` runs of a recipe at its workshop.

    Raises:
        NotFound: No such craft.
        ContentNotOnMap: Wrong tile.
        SkillTooLow: Skill too low.
        MissingItem: Missing ingredients.
        InventoryFull: The result does not fit.
    """
    item = game.world.item(code)
    recipe = (item or {}).get("craft")
    if item is None or not recipe:
        raise NotFound("Craft not found.")
    skill, level = str(recipe["skill"]), int(recipe.get("level", 1))
    _require_workshop(game, char, skill)
    if char.skill_level(skill) < level:
        raise SkillTooLow("The character's skill level is too low.")
    ingredients = [(c, q * quantity) for c, q in _recipe(item)]
    require_held(char, ingredients)
    produced = [(code, int(recipe.get("quantity", 1)) * quantity)]
    require_fits(char, produced, removing=ingredients)
    for ingredient, amount in ingredients:
        char.remove_item(ingredient, amount)
    char.add_item(code, produced[0][1])
    xp = crafting_xp(
        skill=skill,
        skill_level=char.skill_level(skill),
        item_level=int(item.get("level", level)),
        wisdom=int(char.stats.get("wisdom", 0)),
        runs=quantity,
        rules=game.rules,
    )
    award_skill_xp(game, char, skill, xp)
    record_achievement(game, char.account, "crafting", code, produced[0][1])
    return ActionResult(
        seconds=crafting_seconds(quantity),
        reason="crafting",
        data={"details": {"xp": xp, "items": stack_list(produced)}},
        description=f"{char.name} crafted {produced[0][1]} {code}.",
        content={"code": code, "quantity": produced[0][1], "xp": xp},
    )


def recycle(
    game: GameServer, char: Character, code: str, quantity: int, *, enhanced: bool = False
) -> ActionResult:
    """``POST /action/recycling``: turn crafted equipment back into some of its ingredients.

    Raises:
        NotFound: Unknown item.
        ItemNotRecyclable: Not recyclable.
        ContentNotOnMap: Wrong tile.
        SkillTooLow: Skill too low.
        MissingItem: Not held.
        InsufficientGold: Not enough gold (enhanced).
        InventoryFull: The result does not fit.
    """
    item = game.world.item(code)
    if item is None:
        raise NotFound("Item not found.")
    recipe = item.get("craft")
    if not item.get("recyclable") or not recipe or not _recipe(item):
        raise ItemNotRecyclable("This item cannot be recycled.")
    skill, level = str(recipe["skill"]), int(recipe.get("level", 1))
    _require_workshop(game, char, skill)
    if char.skill_level(skill) < level:
        raise SkillTooLow("The character's skill level is too low.")
    require_held(char, [(code, quantity)])
    units = dict(_recipe(item))
    cost = 0
    if enhanced:
        cost = enhanced_recycle_cost(sum(units.values()), quantity, int(item.get("level", level)))
        require_gold(char, cost)
    items = recycle_yield(units, quantity, enhanced=enhanced, rng=game.rng, rules=game.rules)
    require_fits(char, items, removing=[(code, quantity)])
    char.remove_item(code, quantity)
    char.gold -= cost
    for got, amount in items:
        char.add_item(got, amount)
    record_achievement(game, char.account, "recycling", code, quantity)
    return ActionResult(
        seconds=recycling_seconds(quantity),
        reason="recycling",
        data={"details": {"items": stack_list(items), "enhanced": enhanced, "gold": cost}},
        description=f"{char.name} recycled {quantity} {code}.",
        content={"code": code, "quantity": quantity, "items": stack_list(items)},
    )
