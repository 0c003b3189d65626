"""Bank crafting: turn the team's banked by-products into crafting XP.

Characters levelling on their own leave a lot in the shared bank: ore mined for mining XP,
monster drops of every fight, herbs, fish by-products. Crafting pays 50-1000 XP per 5 s run
against 5-36 XP per ~30 s gather, so the stock already in the bank is the cheapest XP the team
has. :func:`best_bank_craft` rates, for one character, every recipe it can craft out of its
bag and the free bank (one refining step allowed: ore the bank holds can become the bars a
recipe needs) in *levels per game-second* (XP over the XP its level needs), so each unit goes
to the character whose skill it raises most. Pure functions over game data and a state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from guildmaster.knowledge import GameData
from guildmaster.knowledge.model import Craft
from guildmaster.planning.domains import (
    MAX_LEVEL,
    GameState,
    crafting_xp,
    xp_to_next_level,
)

__all__ = ["CRAFT_SECONDS", "TRIP_SECONDS", "BankCraft", "best_bank_craft", "craft_value"]

#: Game seconds of one craft run (MECHANICS: 5 s per run).
CRAFT_SECONDS: Final = 5.0
#: Fixed cost of one bank-craft errand: bank and workshop moves, withdraws (game seconds).
TRIP_SECONDS: Final = 45.0
#: At most this many runs per errand (keeps one character from hoarding the stock).
_MAX_RUNS: Final = 10
#: Inventory units kept free beyond what the errand withdraws.
_ROOM_MARGIN: Final = 5


@dataclass(frozen=True)
class BankCraft:
    """An errand: craft ``runs`` of ``code`` out of the bag and the bank.

    ``step`` is what to craft now (``code`` itself, or an intermediate when ``refine`` runs of
    it must come first); ``inputs`` what the step consumes (bag + bank); ``withdraw`` the part
    of the whole errand the bank must supply; ``rate`` its levels per game-second.
    """

    code: str
    runs: int
    skill: str
    step: str
    step_runs: int
    inputs: tuple[tuple[str, int], ...]
    withdraw: tuple[tuple[str, int], ...]
    rate: float

    @property
    def refine(self) -> bool:
        """Whether the step is an intermediate (the final craft comes on a later errand)."""
        return self.step != self.code


def craft_value(gamedata: GameData, state: GameState, code: str) -> float:
    """Return the levels one run of ``code`` is worth to ``state`` (0 when it pays no XP)."""
    recipe = gamedata.recipe(code)
    item = gamedata.items.get(code)
    if recipe is None or item is None:
        return 0.0
    level = state.skill(recipe.skill)
    if level < recipe.level or level >= MAX_LEVEL:
        return 0.0
    xp = crafting_xp(recipe.skill, level, item.level)
    return xp / xp_to_next_level(level) if xp > 0 else 0.0


def _feasible(
    gamedata: GameData,
    state: GameState,
    recipe: Craft,
    runs: int,
    have: Mapping[str, int],
    stock: Mapping[str, int],
) -> tuple[dict[str, int], dict[str, int]] | None:
    """Return ``(refine runs per intermediate, bank withdrawals)`` for ``runs``, or ``None``."""
    pool = {c: have.get(c, 0) + stock.get(c, 0) for c in set(have) | set(stock)}
    refine: dict[str, int] = {}
    short: dict[str, int] = {}
    for ing in recipe.items:
        need = ing.quantity * runs
        got = min(need, pool.get(ing.code, 0))
        pool[ing.code] = pool.get(ing.code, 0) - got
        if got < need:
            short[ing.code] = need - got
    for code, missing in short.items():
        sub = gamedata.recipe(code)
        if sub is None or state.skill(sub.skill) < sub.level:
            return None
        n = math.ceil(missing / sub.quantity)
        for ing in sub.items:
            if pool.get(ing.code, 0) < ing.quantity * n:
                return None
            pool[ing.code] -= ing.quantity * n
        refine[code] = n
    used = {c: have.get(c, 0) + stock.get(c, 0) - q for c, q in pool.items()}
    withdraw = {
        c: u - have.get(c, 0) for c, u in used.items() if u - have.get(c, 0) > 0 and stock.get(c)
    }
    return refine, withdraw


def best_bank_craft(
    gamedata: GameData,
    state: GameState,
    stock: Mapping[str, int],
    *,
    max_runs: int = _MAX_RUNS,
    skip: frozenset[str] = frozenset(),
) -> BankCraft | None:
    """Return the errand worth most levels per game-second to ``state``, or ``None``.

    ``stock`` is what the bank may give this character; only recipes it can craft from its
    bag and ``stock`` (one refining step allowed, e.g. ore into the bars a ring needs) are
    rated, the withdrawn units must fit in its bag, and ``skip`` lists products not to make.
    """
    have = dict(state.inventory.items())
    room = state.free_space() - _ROOM_MARGIN
    best: BankCraft | None = None
    for item in gamedata.items.values():
        recipe = item.craft
        if recipe is None or item.code in skip:
            continue
        value = craft_value(gamedata, state, item.code)
        if value <= 0:
            continue
        if not all(have.get(i.code, 0) + stock.get(i.code, 0) > 0 for i in recipe.items) and not (
            _any_refinable(gamedata, recipe, have, stock)
        ):
            continue
        found: tuple[int, dict[str, int], dict[str, int]] | None = None
        for runs in range(max_runs, 0, -1):
            plan = _feasible(gamedata, state, recipe, runs, have, stock)
            if plan is not None and sum(plan[1].values()) <= room:
                found = (runs, plan[0], plan[1])
                break
        if found is None:
            continue
        runs, refine, withdraw = found
        levels = runs * value
        crafts = runs
        for code, n in refine.items():
            levels += n * craft_value(gamedata, state, code)
            crafts += n
        seconds = TRIP_SECONDS * (1 + len(refine)) + CRAFT_SECONDS * crafts
        rate = levels / seconds
        if best is not None and rate <= best.rate:
            continue
        if refine:
            step = min(refine)
            sub = gamedata.recipe(step)
            assert sub is not None
            step_runs = refine[step]
            inputs = tuple((i.code, i.quantity * step_runs) for i in sub.items)
        else:
            step, step_runs = item.code, runs
            inputs = tuple((i.code, i.quantity * runs) for i in recipe.items)
        best = BankCraft(
            code=item.code,
            runs=runs,
            skill=recipe.skill,
            step=step,
            step_runs=step_runs,
            inputs=inputs,
            withdraw=tuple(sorted(withdraw.items())),
            rate=rate,
        )
    return best


def _any_refinable(
    gamedata: GameData, recipe: Craft, have: Mapping[str, int], stock: Mapping[str, int]
) -> bool:
    """Whether every missing ingredient of ``recipe`` has a recipe whose inputs are held."""
    for ing in recipe.items:
        if have.get(ing.code, 0) + stock.get(ing.code, 0) > 0:
            continue
        sub = gamedata.recipe(ing.code)
        if sub is None or not all(
            have.get(i.code, 0) + stock.get(i.code, 0) > 0 for i in sub.items
        ):
            return False
    return True
