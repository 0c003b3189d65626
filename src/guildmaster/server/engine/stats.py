"""Character and monster combat stats (MECHANICS §2.2-§2.4, §11)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings

__all__ = [
    "BASE_INITIATIVE",
    "ELEMENTS",
    "STAT_EFFECT_CODES",
    "CombatStats",
    "Element",
    "base_max_hp",
    "character_stats",
    "inventory_capacity",
    "monster_stats",
]

Element = Literal["fire", "earth", "water", "air"]
ELEMENTS: Final[tuple[Element, ...]] = ("fire", "earth", "water", "air")
BASE_INITIATIVE: Final = 100

_SCALAR_STATS: Final = (
    "critical_strike",
    "initiative",
    "threat",
    "haste",
    "wisdom",
    "prospecting",
    "inventory_space",
)
STAT_EFFECT_CODES: Final[frozenset[str]] = frozenset(
    {"hp", "dmg", *_SCALAR_STATS}
    | {f"{kind}_{e}" for kind in ("attack", "dmg", "res") for e in ELEMENTS}
)
"""Effect codes that are plain stat adders on equipment (§2.3)."""


def _zeros() -> dict[Element, int]:
    return dict.fromkeys(ELEMENTS, 0)


@dataclass(frozen=True)
class CombatStats:
    """Effective stats of a combatant.

    >>> s = character_stats(1, [("attack_earth", 4), ("critical_strike", 5)])
    >>> (s.max_hp, s.attack["earth"], s.critical_strike, s.initiative)
    (120, 4, 5, 100)
    """

    level: int
    max_hp: int
    attack: Mapping[Element, int] = field(default_factory=_zeros)
    dmg: int = 0
    dmg_element: Mapping[Element, int] = field(default_factory=_zeros)
    res: Mapping[Element, int] = field(default_factory=_zeros)
    critical_strike: int = 0
    initiative: int = 0
    threat: int = 0
    haste: int = 0
    wisdom: int = 0
    prospecting: int = 0
    inventory_space: int = 0

    @property
    def total_attack(self) -> int:
        """Sum of the four elemental attacks."""
        return sum(self.attack.get(e, 0) for e in ELEMENTS)

    def with_changes(self, **changes: Any) -> CombatStats:
        """A copy with some fields replaced (e.g. ``critical_strike=0``)."""
        return replace(self, **changes)


def base_max_hp(level: int) -> int:
    """Base max HP at a combat level: ``115 + 5 * level`` (§2.2).

    >>> base_max_hp(1), base_max_hp(50)
    (120, 365)
    """
    return 115 + 5 * level


def character_stats(level: int, equipment_effects: Iterable[tuple[str, int]]) -> CombatStats:
    """Base stats for ``level`` plus every stat-adder effect of the equipment (§2.3).

    Non-stat effects (gathering tools, runes, utilities, consumables) are ignored here.
    """
    attack = _zeros()
    dmg_element = _zeros()
    res = _zeros()
    scalars: dict[str, int] = dict.fromkeys(_SCALAR_STATS, 0)
    scalars["initiative"] = BASE_INITIATIVE
    hp = base_max_hp(level)
    dmg = 0
    for code, value in equipment_effects:
        if code == "hp":
            hp += value
        elif code == "dmg":
            dmg += value
        elif code in scalars:
            scalars[code] += value
        else:
            kind, _, element = code.partition("_")
            if element not in ELEMENTS:
                continue
            target = {"attack": attack, "dmg": dmg_element, "res": res}.get(kind)
            if target is not None:
                target[element] += value
    return CombatStats(
        level=level,
        max_hp=hp,
        attack=attack,
        dmg=dmg,
        dmg_element=dmg_element,
        res=res,
        critical_strike=scalars["critical_strike"],
        initiative=scalars["initiative"],
        threat=scalars["threat"],
        haste=scalars["haste"],
        wisdom=scalars["wisdom"],
        prospecting=scalars["prospecting"],
        inventory_space=scalars["inventory_space"],
    )


def monster_stats(monster: Mapping[str, Any]) -> CombatStats:
    """Stats of a monster from a MonsterSchema-shaped dict (monsters have no dmg stats)."""
    return CombatStats(
        level=int(monster.get("level", 1)),
        max_hp=int(monster["hp"]),
        attack={e: int(monster.get(f"attack_{e}", 0)) for e in ELEMENTS},
        res={e: int(monster.get(f"res_{e}", 0)) for e in ELEMENTS},
        critical_strike=int(monster.get("critical_strike", 0)),
        initiative=int(monster.get("initiative", 0)),
    )


def inventory_capacity(
    level: int, inventory_space: int, rules: RuleSettings = DEFAULT_RULES
) -> int:
    """Total item capacity ``base + per_level * level + inventory_space`` (§11).

    >>> inventory_capacity(12, 0), inventory_capacity(30, 35)
    (124, 195)
    """
    return rules.inventory_base + rules.inventory_per_level * level + inventory_space
