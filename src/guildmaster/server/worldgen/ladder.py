"""Progression ladders: can a character reach level 50 in combat and in every skill?

For each combat level ``L`` there must be a permanently placed monster that pays XP at ``L`` and
that a level-``L`` character wins against (simulated with the server engine) wearing the best
obtainable gear of item level ``<= L``. For each skill and level there must be a placed resource
or an obtainable recipe that pays XP at that level. Combat checks sample a few seeded fights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from guildmaster.server.engine import (
    Fighter,
    character_stats,
    combat_xp,
    crafting_xp,
    estimate_fight,
    gathering_xp,
    monster_stats,
)
from guildmaster.server.worldgen.report import Problem
from guildmaster.server.worldgen.vocab import ELEMENTS, SKILLS

__all__ = [
    "best_loadout",
    "check_combat_ladder",
    "check_skill_ladders",
    "check_starter",
    "party_win_rates",
]

JsonDict = dict[str, Any]
_GEAR_SLOTS = ("weapon", "shield", "helmet", "body_armor", "leg_armor", "boots", "amulet")
_WIN_RATE = 0.5


def _effects(item: Mapping[str, Any]) -> dict[str, int]:
    return {str(e["code"]): int(e["value"]) for e in item.get("effects") or []}


def _weapon_score(item: Mapping[str, Any], monster: Mapping[str, Any]) -> float:
    fx = _effects(item)
    return sum(
        fx.get(f"attack_{e}", 0) * (1 - int(monster.get(f"res_{e}", 0)) / 100) for e in ELEMENTS
    )


def _piece_score(
    item: Mapping[str, Any], monster: Mapping[str, Any], weapon: Mapping[str, int]
) -> float:
    fx = _effects(item)
    gain = 0.0
    for e in ELEMENTS:
        hit = weapon.get(f"attack_{e}", 0) * (1 - int(monster.get(f"res_{e}", 0)) / 100)
        gain += hit * (fx.get(f"dmg_{e}", 0) + fx.get("dmg", 0)) / 100
        gain += int(monster.get(f"attack_{e}", 0)) * fx.get(f"res_{e}", 0) / 100
    turns = 20
    return gain * turns + fx.get("hp", 0) + fx.get("critical_strike", 0) * 0.5 * turns / 10


def best_loadout(
    gear: Sequence[Mapping[str, Any]], monster: Mapping[str, Any], level: int
) -> list[tuple[str, int]]:
    """Return the equipment effects of a good loadout against ``monster`` from ``gear``.

    Picks the weapon with the most damage after the monster's resistances, then per slot the
    piece adding the most damage, mitigation and HP; rings fill both ring slots, artifacts three.
    """
    usable = [g for g in gear if int(g["level"]) <= level]
    weapons = [g for g in usable if g["type"] == "weapon"]
    if not weapons:
        return []
    weapon = max(weapons, key=lambda g: (_weapon_score(g, monster), g["code"]))
    chosen: list[Mapping[str, Any]] = [weapon]
    wfx = _effects(weapon)
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for g in usable:
        by_type.setdefault(str(g["type"]), []).append(g)

    def ranked(kind: str) -> list[Mapping[str, Any]]:
        pieces = by_type.get(kind, [])
        return sorted(pieces, key=lambda g: (-_piece_score(g, monster, wfx), g["code"]))

    for slot in _GEAR_SLOTS[1:]:
        pieces = ranked(slot)
        if pieces:
            chosen.append(pieces[0])
    rings = ranked("ring")
    chosen.extend(rings[:1] * 2)
    chosen.extend(ranked("artifact")[:3])
    return [(code, value) for item in chosen for code, value in _effects(item).items()]


def _fighter(name: str, level: int, effects: Iterable[tuple[str, int]]) -> Fighter:
    stats = character_stats(level, list(effects))
    return Fighter(name, stats, hp=stats.max_hp)


def _monster_fighter(monster: Mapping[str, Any]) -> Fighter:
    fx = tuple((str(e["code"]), int(e["value"])) for e in monster.get("effects") or [])
    stats = monster_stats(monster)
    return Fighter(str(monster["code"]), stats, hp=stats.max_hp, effects=fx, is_monster=True)


def _win_rate(
    level: int,
    gear: Sequence[Mapping[str, Any]],
    monster: Mapping[str, Any],
    samples: int,
    seed: int,
) -> float:
    loadout = best_loadout(gear, monster, level)
    estimate = estimate_fight(
        [_fighter("hero", level, loadout)],
        _monster_fighter(monster),
        samples=samples,
        seed=seed,
        monster_type=str(monster["type"]),
    )
    return estimate.win_rate


def check_combat_ladder(
    monsters: Sequence[Mapping[str, Any]],
    gear: Sequence[Mapping[str, Any]],
    *,
    samples: int = 6,
    max_level: int = 50,
) -> list[Problem]:
    """Report every combat level with no monster that pays XP and can be beaten with gear <= L.

    ``monsters`` are the permanently placed ones; ``gear`` the obtainable equipment items.
    """
    problems: list[Problem] = []
    candidates = sorted(
        (m for m in monsters if m["type"] in ("normal", "elite")),
        key=lambda m: (-int(m["level"]), str(m["code"])),
    )
    current: Mapping[str, Any] | None = None
    for level in range(1, max_level + 1):

        def pays(m: Mapping[str, Any], lv: int = level) -> bool:
            xp = combat_xp(
                char_level=lv,
                monster_level=int(m["level"]),
                monster_hp=int(m["hp"]),
                monster_type=str(m["type"]),
                wisdom=0,
            )
            return xp > 0

        order = [m for m in candidates if int(m["level"]) <= level + 2 and pays(m)]
        if current is not None and current in order:
            order.remove(current)
            order.insert(0, current)
        found = None
        for monster in order[:6]:
            if _win_rate(level, gear, monster, samples, seed=level) >= _WIN_RATE:
                found = monster
                break
        current = found
        if found is None:
            problems.append(
                Problem(
                    "error",
                    "ladder",
                    f"combat level {level}: no placed monster pays XP and can be beaten "
                    f"with obtainable gear of level <= {level}",
                )
            )
    return problems


def check_starter(
    monsters: Sequence[Mapping[str, Any]],
    starter: Sequence[Mapping[str, Any]],
    *,
    samples: int = 10,
) -> list[Problem]:
    """Report an error unless a level-1 character with only the starter items beats a monster."""
    level_one = [m for m in monsters if int(m["level"]) <= 1]
    for monster in level_one:
        if _win_rate(1, starter, monster, samples, seed=1) >= _WIN_RATE:
            return []
    return [
        Problem(
            "error", "ladder", "a new character with the starter items beats no level-1 monster"
        )
    ]


def check_skill_ladders(
    resources: Sequence[Mapping[str, Any]],
    recipes: Sequence[Mapping[str, Any]],
    *,
    max_level: int = 50,
) -> list[Problem]:
    """Report every (skill, level) where no placed resource or obtainable recipe pays XP.

    ``resources`` are the permanently placed ones; ``recipes`` the obtainable crafted items.
    """
    problems: list[Problem] = []
    for skill in SKILLS:
        gathers = [int(r["level"]) for r in resources if r["skill"] == skill]
        crafts = [int(i["craft"]["level"]) for i in recipes if i["craft"]["skill"] == skill]
        missing: list[int] = []
        for level in range(1, max_level + 1):
            ok = any(
                lv <= level and gathering_xp(skill_level=level, resource_level=lv, wisdom=0) > 0
                for lv in gathers
            ) or any(
                lv <= level
                and crafting_xp(skill=skill, skill_level=level, item_level=lv, wisdom=0) > 0
                for lv in crafts
            )
            if not ok:
                missing.append(level)
        if missing:
            problems.append(
                Problem(
                    "error",
                    "ladder",
                    f"skill {skill}: no XP-paying resource or recipe at levels {_ranges(missing)}",
                )
            )
    return problems


def _ranges(levels: list[int]) -> str:
    parts: list[str] = []
    start = prev = levels[0]
    for lv in [*levels[1:], None]:
        if lv is not None and lv == prev + 1:
            prev = lv
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if lv is not None:
            start = prev = lv
    return ", ".join(parts)


def party_win_rates(
    boss: Mapping[str, Any], gear: Sequence[Mapping[str, Any]], *, samples: int = 10
) -> tuple[float, float]:
    """Return (solo win rate, party-of-3 win rate) of level-matched characters against ``boss``."""
    level = int(boss["level"])
    loadout = best_loadout(gear, boss, level)
    monster = _monster_fighter(boss)
    solo = estimate_fight(
        [_fighter("a", level, loadout)], monster, samples=samples, seed=7, monster_type="boss"
    )
    party = estimate_fight(
        [_fighter(name, level, loadout) for name in ("a", "b", "c")],
        monster,
        samples=samples,
        seed=7,
        monster_type="boss",
    )
    return solo.win_rate, party.win_rate
