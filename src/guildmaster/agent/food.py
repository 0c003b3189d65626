"""Food and batches for goal selection: cooking owned ingredients, the rest food saves combat,
and how many items one crafting-for-XP goal makes.

Eating costs 3 s for any quantity while resting costs 1 s per missing percent of HP, so healing
food is worth the combat time it gives back. These helpers score for goal selection over a
:class:`~guildmaster.agent.rates.Rater`; no item is named here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from guildmaster.agent.candidates import Candidate, Rate
from guildmaster.agent.rates import Rater
from guildmaster.agent.staging import healing_items, item_effect, restore_potions
from guildmaster.planning.domains import ObtainItem
from guildmaster.planning.domains.actions import has_levels_for
from guildmaster.planning.domains.rules import crafting_xp
from guildmaster.planning.domains.state import GameState

__all__ = ["Kitchen", "batch_size", "food_value"]

#: Crafting for XP makes a batch worth this many chunks of play, at most ``BATCH_MAX``.
BATCH_CHUNKS = 3
BATCH_MAX = 30
#: Cooking food from owned ingredients waits for at least this many runs.
FOOD_MIN = 5
#: Seconds of one craft run, and the flat allowance for the walk and bank trip of a batch.
CRAFT_RUN_SECONDS = 5.0
BATCH_OVERHEAD = 30.0


def food_value(rater: Rater, state: GameState, rate: Rate) -> float:
    """Value per second of making ``rate.via`` as food or a restore potion: the rest it
    saves combat.

    Each healing item gives combat back the rest it avoids; worth nothing once the character
    owns ``config.food_stock`` items of its kind (food, or potions: bag, worn, and its
    ``bank_share`` of the bank), or when it cannot fight.
    """
    world = rater.world
    info = world.facts.item(rate.via)
    heal, kind = item_effect(info, "heal"), healing_items
    if heal <= 0:
        # A restore potion heals inside the fight instead: the same rest saved.
        heal, kind = item_effect(info, "restore"), restore_potions
    if heal <= 0 or rate.seconds <= 0 or info is None:
        return 0.0
    if not has_levels_for(state, info.conditions):
        return 0.0
    held = {*state.bank, *state.inventory, *(code for _, code in state.equipment)}
    banked_elsewhere = 1.0 - rater.bank_share  # a teammate's part of the banked units
    stock = sum(
        state.owns(code) - state.bank[code] * banked_elsewhere for code in kind(world, state, held)
    )
    fighting = rater.combat_rate(state)
    if stock >= rater.config.food_stock or fighting is None:
        return 0.0
    saved = 100.0 * min(heal, state.max_hp) / max(1, state.max_hp)
    combat = rater.expected_rate("level:combat", fighting.xp_per_second)
    return rater.value(state, "combat", combat) * saved / rate.seconds


@dataclass
class Kitchen:
    """Cooking healing food from owned ingredients, rated by a
    :class:`~guildmaster.agent.rates.Rater`; caches what the world can cook."""

    rater: Rater
    _cookable: tuple[str, ...] | None = field(default=None, repr=False)

    def candidates(self, state: GameState) -> list[Candidate]:
        """Cook healing food from ingredients already owned (monster drops, bought fish).

        Each batch earns its crafting XP quickly and saves combat the rest it replaces.
        """
        found: list[Candidate] = []
        rater = self.rater
        world = rater.world
        facts, gamedata = world.facts, world.gamedata
        for code in healing_items(world, state, self.cookable()):
            recipe = gamedata.recipe(code)
            info = facts.item(code)
            if recipe is None or info is None or state.skills[recipe.skill] < recipe.level:
                continue
            runs = min(state.owns(i.code) // max(1, i.quantity) for i in recipe.items)
            space = state.free_space() - rater.config.min_free_space
            runs = min(runs, space, BATCH_MAX)
            if runs < FOOD_MIN:
                continue
            seconds = CRAFT_RUN_SECONDS * runs + BATCH_OVERHEAD
            xp = crafting_xp(recipe.skill, state.skills[recipe.skill], info.level) * runs
            rate = Rate(recipe.skill, xp / seconds, code, seconds / runs)
            score = rater.value(state, recipe.skill, rate.xp_per_second)
            score += food_value(rater, state, rate)
            goal = ObtainItem(code, state.inventory[code] + runs, ctx=world.ctx)
            detail = f"{runs} from owned ingredients"
            hide = frozenset({code})
            found.append(Candidate(f"food:{code}", goal, score, recipe.skill, detail, hide))
        return found

    def cookable(self) -> tuple[str, ...]:
        """Crafted consumables of the world (cached): what food can be cooked."""
        if self._cookable is None:
            gamedata = self.rater.world.gamedata
            self._cookable = tuple(
                sorted(
                    code
                    for code, item in gamedata.items.items()
                    if item.type == "consumable" and gamedata.recipe(code) is not None
                )
            )
        return self._cookable


def batch_size(rater: Rater, state: GameState, rate: Rate) -> int:
    """How many of ``rate.via`` to make in one go: about ``BATCH_CHUNKS`` chunks of play, as
    many as the bag holds the raw materials for (one trip, one craft action per run)."""
    try:
        units = sum(rater.world.gamedata.raw_materials(rate.via, 1).values())
    except ValueError:
        return 1
    config = rater.config
    room = (state.free_space() - config.min_free_space) // max(1, units)
    wanted = math.ceil(BATCH_CHUNKS * config.chunk_seconds / max(rate.seconds, 1.0))
    return max(1, min(room, wanted, BATCH_MAX))
