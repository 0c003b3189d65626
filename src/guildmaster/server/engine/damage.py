"""Damage of one elemental hit (MECHANICS §4.3), shared by the fight loop and tests."""

from __future__ import annotations

from guildmaster.server.engine.rounding import round_half_up

__all__ = ["boosted_attack", "critical_hit", "element_hit"]


def boosted_attack(attack: int, damage_percent: int) -> int:
    """Attacker-side value ``attack + round(attack * damage% / 100)``.

    >>> boosted_attack(16, 7), boosted_attack(100, 30)
    (17, 130)
    """
    return attack + round_half_up(attack * damage_percent / 100)


def element_hit(attack: int, damage_percent: int, resistance: int) -> int:
    """Damage of one element hit: boosted attack minus the blocked share, never below 0.

    >>> element_hit(16, 7, 25), element_hit(16, 7, -20), element_hit(6, 2, 25)
    (13, 20, 4)
    """
    out = boosted_attack(attack, damage_percent)
    blocked = round_half_up(out * resistance / 100)
    return max(0, out - blocked)


def critical_hit(hit: int, multiplier: float = 1.5) -> int:
    """A hit multiplied by the critical multiplier, rounded half up.

    >>> critical_hit(4), critical_hit(13)
    (6, 20)
    """
    return round_half_up(hit * multiplier)
