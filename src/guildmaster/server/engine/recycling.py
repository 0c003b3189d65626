"""Recycling yields and enhanced-recycling gold cost (MECHANICS §9)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping

from guildmaster.server.engine.rounding import round_half_up
from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings

__all__ = [
    "enhanced_recycle_cost",
    "recycle_gold_per_unit",
    "recycle_units_per_item",
    "recycle_yield",
]


def recycle_units_per_item(recipe_total_units: int, *, enhanced: bool) -> int:
    """Units returned per recycled item: ``floor((T-1)/5)+1``, enhanced ``min(T, round(x*1.3))``.

    >>> recycle_units_per_item(8, enhanced=False), recycle_units_per_item(8, enhanced=True)
    (2, 3)
    """
    total = max(1, recipe_total_units)
    per_item = (total - 1) // 5 + 1
    if enhanced:
        per_item = min(total, round_half_up(per_item * 1.3))
    return per_item


def recycle_gold_per_unit(item_level: int) -> int:
    """Enhanced recycling gold per recipe unit by item level (5, 10, 15, 20, 25).

    >>> recycle_gold_per_unit(10), recycle_gold_per_unit(21), recycle_gold_per_unit(46)
    (5, 10, 25)
    """
    if item_level <= 20:
        return 5
    if item_level <= 30:
        return 10
    if item_level <= 40:
        return 15
    if item_level <= 45:
        return 20
    return 25


def enhanced_recycle_cost(recipe_total_units: int, quantity: int, item_level: int) -> int:
    """Gold cost of enhanced recycling: ``T * n * g(level)``.

    >>> enhanced_recycle_cost(8, 1, 10)
    40
    """
    return recipe_total_units * quantity * recycle_gold_per_unit(item_level)


def recycle_yield(
    recipe_units: Mapping[str, int],
    quantity: int,
    *,
    enhanced: bool,
    rng: random.Random,
    rules: RuleSettings = DEFAULT_RULES,
) -> list[tuple[str, int]]:
    """Items returned by recycling ``quantity`` items with the recipe ``recipe_units``.

    Each returned unit is drawn at random from the recipe (weighted by recipe quantity by
    default). Returns ``(code, quantity)`` in recipe order, omitting codes not drawn.

    Raises:
        ValueError: if the recipe is empty or ``quantity`` < 1.
    """
    codes = [code for code, units in recipe_units.items() if units > 0]
    if not codes:
        raise ValueError("cannot recycle an item without a recipe")
    if quantity < 1:
        raise ValueError(f"quantity must be >= 1, got {quantity}")
    total = sum(recipe_units[c] for c in codes)
    draws = recycle_units_per_item(total, enhanced=enhanced) * quantity
    if rules.recycle_draw == "weighted":
        pool = [c for c in codes for _ in range(recipe_units[c])]
    else:
        pool = codes
    counts = Counter(rng.choice(pool) for _ in range(draws))
    return [(c, counts[c]) for c in codes if counts[c] > 0]
