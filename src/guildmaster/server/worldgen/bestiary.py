"""Monsters of a generated world: levels 1 to 50, elites, party bosses and event monsters.

Numbers come from :func:`guildmaster.server.worldgen.balance.profile_monster`; this module names
the monsters, gives them drops (parts used by recipes, meat for cooking, keys, currencies,
artifacts) and records the parts in the catalogue for the recipe stages.
"""

from __future__ import annotations

from guildmaster.server.worldgen.balance import profile_monster
from guildmaster.server.worldgen.catalog import Catalog, JsonDict, MobPart, drop
from guildmaster.server.worldgen.names import display_name

__all__ = [
    "BOSS_LEVELS",
    "ELITE_LEVELS",
    "EVENT_LEVELS",
    "NORMAL_LEVELS",
    "add_monsters",
]

NORMAL_LEVELS = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24, 26, 27, 29, 30,
    32, 33, 35, 36, 38, 39, 41, 42, 44, 45, 47, 48, 50,
)  # fmt: skip
ELITE_LEVELS = (16, 25, 34, 43)
BOSS_LEVELS = (12, 22, 30, 38, 45, 50)
EVENT_LEVELS = (18, 24, 28, 33, 37, 42, 46, 50)

_PARTS = (
    "hide", "fang", "claw", "eye", "wing", "scale", "horn", "tooth", "tail", "spore", "plume",
    "bone", "core", "ichor", "gland", "husk", "mane", "pelt", "antler", "carapace", "tendril",
    "venom", "silk", "essence", "heart", "talon", "quill", "crest", "mandible", "wisp",
)  # fmt: skip
# Meat drops feed cooking; these normal levels get one.
_MEAT_LEVELS = frozenset((1, 3, 5, 8, 11, 15, 20, 24, 29, 33, 38, 42, 47))


def add_monsters(catalog: Catalog) -> None:
    """Add every monster (normal, elite, boss, event) with its drops to ``catalog``."""
    _add_currencies(catalog)
    for level in NORMAL_LEVELS:
        _add_monster(catalog, level, "normal")
    for level in ELITE_LEVELS:
        _add_monster(catalog, level, "elite")
    for level in BOSS_LEVELS:
        _add_monster(catalog, level, "boss")
    for level in EVENT_LEVELS:
        kind = "elite" if level in (33, 46) else "normal"
        code = _add_monster(catalog, level, kind, event=True)
        catalog.event_monsters.append(code)


def _add_currencies(catalog: Catalog) -> None:
    specs = (
        ("tasks", "seal", "A seal handed out by the tasks masters; traders accept it."),
        ("boss", "sigil", "A sigil torn from a fallen boss; some traders accept it."),
        ("event", "medal", "A medal earned from event monsters."),
    )
    for key, suffix, text in specs:
        word = catalog.forge.word()
        catalog.currencies[key] = catalog.add_item(
            f"{word}_{suffix}", level=1, kind="currency", description=text, tradeable=False
        )


def _add_part(catalog: Catalog, monster: str, level: int, kind: str, part: str, rate: int) -> str:
    code = catalog.add_item(
        f"{monster}_{part}",
        level=level,
        kind="resource",
        subtype="mob",
        description=f"A {part} taken from a {display_name(monster)}.",
    )
    catalog.parts.append(MobPart(code, level, monster, kind, rate))
    return code


def _add_monster(catalog: Catalog, level: int, kind: str, *, event: bool = False) -> str:
    rng = catalog.rng
    profile = profile_monster(rng, level, kind)
    code = catalog.forge.word()
    part_kind = "event" if event else kind
    parts = rng.sample(_PARTS, 3)
    drops: list[JsonDict] = []
    if kind == "normal":
        drops.append(
            drop(_add_part(catalog, code, level, part_kind, parts[0], r := rng.randint(3, 6)), r)
        )
        drops.append(
            drop(_add_part(catalog, code, level, part_kind, parts[1], r := rng.randint(8, 12)), r)
        )
        if level in _MEAT_LEVELS and not event:
            meat = catalog.add_item(
                f"{code}_meat",
                level=level,
                kind="resource",
                subtype="food",
                description=f"Raw meat of a {display_name(code)}; cook it before eating.",
            )
            catalog.parts.append(MobPart(meat, level, code, "meat", 2))
            drops.append(drop(meat, 2))
    elif kind == "elite":
        drops.append(drop(_add_part(catalog, code, level, part_kind, parts[0], 4), 4))
        drops.append(drop(_add_part(catalog, code, level, part_kind, parts[1], 8), 8))
        if not event:
            key = catalog.add_item(
                f"{code}_key",
                level=level,
                kind="resource",
                subtype="key",
                description="A key that opens the way to a boss lair.",
            )
            catalog.keys.append(key)
            drops.append(drop(key, 10))
    else:
        drops.append(drop(_add_part(catalog, code, level, part_kind, parts[0], 2), 2, 1, 2))
        drops.append(drop(_add_part(catalog, code, level, part_kind, parts[1], 5), 5))
        drops.append(drop(catalog.currencies["boss"], 1, 1, 3))
    if event:
        drops.append(drop(catalog.currencies["event"], 4))
    gold = 2 + level if kind == "normal" else 6 + 3 * level
    catalog.monsters.append(
        {
            "name": display_name(code),
            "code": code,
            "level": level,
            "type": kind,
            "hp": profile.hp,
            **{f"attack_{e}": v for e, v in profile.attack.items()},
            **{f"res_{e}": v for e, v in profile.res.items()},
            "critical_strike": profile.critical_strike,
            "initiative": profile.initiative,
            "effects": [catalog.effect(c, v) for c, v in profile.effects],
            "min_gold": 0,
            "max_gold": gold,
            "drops": drops,
        }
    )
    return code
