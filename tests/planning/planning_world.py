"""A small hand-built world for the game-domain tests (no real game data)."""

from __future__ import annotations

from guildmaster.planning.domains import (
    GameState,
    Location,
    SimpleCondition,
    SimpleDrop,
    SimpleEffect,
    SimpleItem,
    SimpleMonster,
    SimpleOffer,
    SimpleQuantity,
    SimpleRecipe,
    SimpleResource,
    StaticFacts,
)
from guildmaster.planning.state import Multiset


def ow(x: int, y: int) -> Location:
    """An overworld location."""
    return ("overworld", x, y)


SPAWN = ow(0, 0)
COPPER_ROCKS = ow(2, 0)
ASH_TREE = ow(0, 3)
IRON_ROCKS = ow(6, 6)
MINING_WORKSHOP = ow(1, 5)
WEAPON_WORKSHOP = ow(2, 1)
BANK = ow(4, 1)
CHICKEN = ow(0, 1)
WOLF = ow(3, 3)
TASKS_MASTER = ow(1, 2)
MERCHANT = ow(3, 0)
ITEMS_MASTER = ow(-1, 2)
GRAND_EXCHANGE = ow(5, 1)


def _recipe(skill: str, level: int, *items: tuple[str, int], quantity: int = 1) -> SimpleRecipe:
    return SimpleRecipe(skill, level, tuple(SimpleQuantity(c, q) for c, q in items), quantity)


def build_facts() -> StaticFacts:
    """The test world: two rocks, a tree, two workshops, a bank, two monsters, a merchant."""
    items = [
        SimpleItem("copper_ore"),
        SimpleItem("iron_ore", level=10),
        SimpleItem("topaz_stone"),
        SimpleItem("ash_wood"),
        SimpleItem("feather"),
        SimpleItem("apple", type="consumable", effects=(SimpleEffect("heal", 50),)),
        SimpleItem("copper_bar", craft=_recipe("mining", 1, ("copper_ore", 3))),
        SimpleItem(
            "copper_dagger",
            type="weapon",
            recyclable=True,
            effects=(SimpleEffect("attack_fire", 8),),
            conditions=(SimpleCondition("level", "gt", 0),),
            craft=_recipe("weaponcrafting", 1, ("copper_bar", 2), ("feather", 1)),
        ),
        SimpleItem(
            "wooden_stick",
            type="weapon",
            effects=(SimpleEffect("attack_earth", 4),),
        ),
        SimpleItem(
            "copper_pickaxe",
            type="weapon",
            subtype="tool",
            effects=(SimpleEffect("mining", -10),),
            craft=_recipe("weaponcrafting", 1, ("copper_bar", 2), ("ash_wood", 1)),
        ),
        SimpleItem(
            "iron_helmet",
            type="helmet",
            effects=(SimpleEffect("hp", 20), SimpleEffect("res_fire", 5)),
            conditions=(SimpleCondition("level", "gt", 9),),
        ),
        SimpleItem("tasks_coin", type="currency", tradeable=False),
        SimpleItem("copper_ring", type="ring", effects=(SimpleEffect("attack_air", 2),)),
    ]
    resources = [
        SimpleResource(
            "copper_rocks",
            "mining",
            1,
            (SimpleDrop("copper_ore"), SimpleDrop("topaz_stone", rate=100)),
        ),
        SimpleResource("iron_rocks", "mining", 10, (SimpleDrop("iron_ore"),)),
        SimpleResource(
            "ash_tree", "woodcutting", 1, (SimpleDrop("ash_wood"), SimpleDrop("apple", rate=20))
        ),
    ]
    monsters = [
        SimpleMonster("chicken", level=1, hp=60, drops=(SimpleDrop("feather", rate=4),)),
        SimpleMonster("wolf", level=10, hp=300, max_gold=20),
    ]
    tiles = {
        COPPER_ROCKS: ("resource", "copper_rocks"),
        ASH_TREE: ("resource", "ash_tree"),
        IRON_ROCKS: ("resource", "iron_rocks"),
        MINING_WORKSHOP: ("workshop", "mining"),
        WEAPON_WORKSHOP: ("workshop", "weaponcrafting"),
        BANK: ("bank", "bank"),
        CHICKEN: ("monster", "chicken"),
        WOLF: ("monster", "wolf"),
        TASKS_MASTER: ("tasks_master", "monsters"),
        MERCHANT: ("npc", "merchant"),
        ITEMS_MASTER: ("tasks_master", "items"),
        GRAND_EXCHANGE: ("grand_exchange", "grand_exchange"),
    }
    offers = [SimpleOffer("apple", "merchant", buy_price=5, sell_price=1)]
    return StaticFacts.build(
        items=items, monsters=monsters, resources=resources, offers=offers, tiles=tiles
    )


def start_state(**changes: object) -> GameState:
    """A level-1 character on the spawn with full HP and every skill at level 1."""
    skills = Multiset(
        {
            s: 1
            for s in (
                "mining",
                "woodcutting",
                "fishing",
                "weaponcrafting",
                "gearcrafting",
                "jewelrycrafting",
                "cooking",
                "alchemy",
            )
        }
    )
    state = GameState(location=SPAWN, hp=120, max_hp=120, skills=skills, inventory_max=100)
    return state.with_(**changes)
