"""HP recovery outside fights: rest and healing consumables (MECHANICS §5)."""

from __future__ import annotations

from guildmaster.server.engine.durations import rest_seconds

__all__ = ["rest", "use_heal"]


def rest(hp: int, max_hp: int) -> tuple[int, int]:
    """Rest to full HP; returns ``(hp_restored, cooldown_seconds)``.

    >>> rest(64, 120)
    (56, 47)
    >>> rest(120, 120)
    (0, 3)
    """
    restored = max(0, max_hp - hp)
    return restored, rest_seconds(hp, max_hp)


def use_heal(hp: int, max_hp: int, value: int, quantity: int) -> int:
    """New HP after using ``quantity`` consumables that heal ``value`` each (capped at max).

    Raises:
        ValueError: if ``quantity`` < 1 or ``value`` < 0.

    >>> use_heal(64, 120, 50, 1), use_heal(64, 120, 50, 2)
    (114, 120)
    """
    if quantity < 1:
        raise ValueError(f"quantity must be >= 1, got {quantity}")
    if value < 0:
        raise ValueError(f"heal value must be >= 0, got {value}")
    return max(hp, min(max_hp, hp + value * quantity))
