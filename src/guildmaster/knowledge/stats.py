"""A character's effective fight stats, from a ``CharacterSchema`` dict or from level + gear.

``CharacterSchema`` already carries the totals (base stats plus equipment), so they are used as
they are; the equipment is only read for the in-fight effects of runes and utilities. For a
hypothetical loadout (the planner asking "what if I wore this?") :func:`stats_from_equipment`
adds item effects to the base stats of a level (MECHANICS §2.2-2.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from guildmaster.knowledge.gamedata import GATHERING_SKILLS, GameData
from guildmaster.knowledge.model import ELEMENTS, StatEffect

__all__ = [
    "PLAIN_STAT_EFFECTS",
    "BaseStatsRule",
    "CombatStats",
    "stats_from_equipment",
]

_E4 = tuple[int, int, int, int]

#: Item effect codes that are plain stat adders (anything else acts inside fights or gathering).
PLAIN_STAT_EFFECTS: frozenset[str] = frozenset(
    {"hp", "dmg", "critical_strike", "initiative", "threat", "haste", "wisdom", "prospecting"}
    | {"inventory_space"}
    | {f"attack_{e}" for e in ELEMENTS}
    | {f"dmg_{e}" for e in ELEMENTS}
    | {f"res_{e}" for e in ELEMENTS}
)


@dataclass(frozen=True, slots=True)
class BaseStatsRule:
    """Base stats of a naked character by combat level: ``max_hp = hp_base + hp_per_level * L``."""

    hp_base: int = 115
    hp_per_level: int = 5
    initiative: int = 100

    def max_hp(self, level: int) -> int:
        """Return the base max HP at ``level``."""
        return self.hp_base + self.hp_per_level * level


@dataclass(frozen=True, slots=True)
class CombatStats:
    """Effective fight stats of one character (hashable, so predictions can be cached).

    Element tuples are in ``ELEMENTS`` order (fire, earth, water, air). ``effects`` holds the
    in-fight effects of runes and utilities (``burn``, ``restore``, ``boost_hp``, ...), and
    ``utility_quantities`` how many units of each utility effect are carried.
    """

    level: int
    hp: int
    max_hp: int
    attack: _E4
    dmg: int = 0
    dmg_element: _E4 = (0, 0, 0, 0)
    res: _E4 = (0, 0, 0, 0)
    critical_strike: int = 0
    initiative: int = 100
    haste: int = 0
    wisdom: int = 0
    prospecting: int = 0
    threat: int = 0
    effects: tuple[StatEffect, ...] = ()
    utility_quantities: tuple[tuple[str, int], ...] = ()

    def effect(self, code: str) -> int:
        """Return the summed value of in-fight effect ``code`` (0 when absent)."""
        return sum(e.value for e in self.effects if e.code == code)

    @property
    def total_attack(self) -> int:
        """Sum of the four element attacks."""
        return sum(self.attack)


def _e4(values: Mapping[str, int]) -> _E4:
    a, b, c, d = (int(values.get(e, 0)) for e in ELEMENTS)
    return (a, b, c, d)


def _fight_effects(
    equipment: Mapping[str, str], gamedata: GameData, quantities: Mapping[str, int]
) -> tuple[tuple[StatEffect, ...], tuple[tuple[str, int], ...]]:
    effects: list[StatEffect] = []
    qty: dict[str, int] = {}
    for slot, code in equipment.items():
        item = gamedata.items.get(code)
        if item is None:
            continue
        for eff in item.effects:
            if eff.code in PLAIN_STAT_EFFECTS or eff.code in GATHERING_SKILLS:
                continue
            effects.append(eff)
            if slot.startswith("utility"):
                qty[eff.code] = qty.get(eff.code, 0) + max(0, quantities.get(slot, 1))
    return tuple(effects), tuple(sorted(qty.items()))


def stats_from_equipment(
    level: int,
    equipment: Mapping[str, str],
    gamedata: GameData,
    *,
    hp: int | None = None,
    utility_quantities: Mapping[str, int] | None = None,
    rule: BaseStatsRule | None = None,
) -> CombatStats:
    """Compute stats from a combat level and a ``slot -> item code`` loadout.

    Unknown item codes are ignored. ``hp`` defaults to full health.
    """
    r = rule or BaseStatsRule()
    totals: dict[str, int] = {}
    for code in equipment.values():
        item = gamedata.items.get(code)
        if item is None:
            continue
        for eff in item.effects:
            if eff.code in PLAIN_STAT_EFFECTS:
                totals[eff.code] = totals.get(eff.code, 0) + eff.value
    max_hp = r.max_hp(level) + totals.get("hp", 0)
    effects, qty = _fight_effects(equipment, gamedata, utility_quantities or {})
    return CombatStats(
        level=level,
        hp=max_hp if hp is None else max(0, min(hp, max_hp)),
        max_hp=max_hp,
        attack=_e4({e: totals.get(f"attack_{e}", 0) for e in ELEMENTS}),
        dmg=totals.get("dmg", 0),
        dmg_element=_e4({e: totals.get(f"dmg_{e}", 0) for e in ELEMENTS}),
        res=_e4({e: totals.get(f"res_{e}", 0) for e in ELEMENTS}),
        critical_strike=totals.get("critical_strike", 0),
        initiative=r.initiative + totals.get("initiative", 0),
        haste=totals.get("haste", 0),
        wisdom=totals.get("wisdom", 0),
        prospecting=totals.get("prospecting", 0),
        threat=totals.get("threat", 0),
        effects=effects,
        utility_quantities=qty,
    )
