"""Drop and gold rolls with prospecting (MECHANICS §10)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DropRate", "drop_chance", "roll_drops", "roll_gold"]


@dataclass(frozen=True, slots=True)
class DropRate:
    """One drop table entry: ``1 in rate`` chance of ``min..max`` units.

    >>> DropRate.from_api({"code": "feather", "rate": 8, "min_quantity": 1, "max_quantity": 1})
    DropRate(code='feather', rate=8, min_quantity=1, max_quantity=1)
    """

    code: str
    rate: int
    min_quantity: int = 1
    max_quantity: int = 1

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> DropRate:
        """Build from a DropRateSchema-shaped dict."""
        return cls(
            code=str(d["code"]),
            rate=int(d["rate"]),
            min_quantity=int(d.get("min_quantity", 1)),
            max_quantity=int(d.get("max_quantity", 1)),
        )


def drop_chance(rate: int, prospecting: int) -> float:
    """Probability of one entry: ``min(1, 1/rate * (1 + prospecting/1000))``.

    >>> drop_chance(8, 0), drop_chance(8, 50), drop_chance(1, 0)
    (0.125, 0.13125, 1.0)
    """
    if rate <= 1:
        return 1.0
    return max(0.0, min(1.0, (1.0 / rate) * (1.0 + prospecting / 1000)))


def roll_drops(
    drops: Iterable[DropRate], *, prospecting: int, rng: random.Random
) -> list[tuple[str, int]]:
    """Roll every entry independently; returns ``(code, quantity)`` for each that dropped."""
    out: list[tuple[str, int]] = []
    for drop in drops:
        chance = drop_chance(drop.rate, prospecting)
        if chance < 1.0 and rng.random() >= chance:
            continue
        low = max(0, drop.min_quantity)
        high = max(low, drop.max_quantity)
        quantity = rng.randint(low, high)
        if quantity > 0:
            out.append((drop.code, quantity))
    return out


def roll_gold(min_gold: int, max_gold: int, rng: random.Random) -> int:
    """Gold for a won fight: uniform integer in ``[min_gold, max_gold]`` (never negative)."""
    low = max(0, min_gold)
    return rng.randint(low, max(low, max_gold))
