"""Equipment of a generated world: weapons, armour, jewelry and gathering tools for every tier.

Every gear tier (1, 5, 10 ... 50) gets four weapons (one per element), three helmets, three body
armours, three leg armours, two boots, two shields, three rings and two amulets, crafted by
weaponcrafting, gearcrafting or jewelrycrafting at the tier's level from the tier's bars or planks,
monster parts of nearby levels and, from level 20, cut gems. Gathering tools (weapon slot,
subtype ``tool``) exist for each gathering skill at each gathering tier.
"""

from __future__ import annotations

from guildmaster.server.worldgen.balance import (
    GATHER_TIERS,
    GEAR_TIERS,
    gather_tier,
    slot_dmg,
    slot_hp,
    weapon_attack,
)
from guildmaster.server.worldgen.catalog import Catalog, MobPart, ingredients
from guildmaster.server.worldgen.vocab import ELEMENTS

__all__ = ["add_gear", "add_starter_weapon", "add_tools"]

# (noun, material) per slot; "bar"/"plank" recipes lean on refined goods, "part" on monster parts.
_NOUNS: dict[str, tuple[tuple[str, str], ...]] = {
    "weapon": (
        ("blade", "bar"), ("cleaver", "bar"), ("maul", "bar"), ("dirk", "bar"),
        ("pike", "bar"), ("rod", "plank"), ("longbow", "plank"), ("scepter", "plank"),
    ),
    "helmet": (("helm", "bar"), ("hood", "part"), ("circlet", "bar"), ("cowl", "part")),
    "body_armor": (("cuirass", "bar"), ("jerkin", "part"), ("robe", "part"), ("hauberk", "bar")),
    "leg_armor": (("greaves", "bar"), ("leggings", "part"), ("breeches", "part")),
    "boots": (("sabatons", "bar"), ("striders", "part"), ("treads", "part")),
    "shield": (("buckler", "plank"), ("bulwark", "bar"), ("targe", "plank")),
    "ring": (("band", "bar"), ("signet", "bar"), ("loop", "bar")),
    "amulet": (("pendant", "bar"), ("talisman", "plank"), ("locket", "bar")),
}  # fmt: skip
_PER_TIER = {
    "weapon": 4,
    "helmet": 3,
    "body_armor": 3,
    "leg_armor": 3,
    "boots": 2,
    "shield": 2,
    "ring": 3,
    "amulet": 2,
}
_CRAFT_SKILL = {"weapon": "weaponcrafting", "ring": "jewelrycrafting", "amulet": "jewelrycrafting"}
_TOOL_NOUNS = {"mining": "pick", "woodcutting": "hatchet", "fishing": "net", "alchemy": "sickle"}


def _level_condition(level: int, code: str = "level") -> list[dict[str, object]]:
    return [{"code": code, "operator": "gt", "value": level - 1}]


def _jitter(catalog: Catalog, value: float) -> int:
    return max(1, round(value * catalog.rng.uniform(0.92, 1.08)))


def _nearby_parts(catalog: Catalog, tier: int) -> list[MobPart]:
    low = max(1, tier - 9)
    pool = catalog.parts_between(low, tier)
    return pool or catalog.parts_between(1, tier)


def add_starter_weapon(catalog: Catalog) -> str:
    """Add the level-1 weapon new characters craft first (3 tier-1 logs) and return its code."""
    log = catalog.raw[("woodcutting", 1)]
    code = catalog.add_item(
        f"{catalog.tier_word[('woodcutting', 1)]}_cudgel",
        level=1,
        kind="weapon",
        description="A rough club whittled from a log; every adventurer starts with one.",
        effects=[("attack_earth", 4), ("critical_strike", 5)],
        craft={
            "skill": "weaponcrafting",
            "level": 1,
            "items": ingredients((log, 3)),
            "quantity": 1,
        },
        conditions=_level_condition(1),
    )
    catalog.starter_items.append(code)
    return code


def _stats(
    catalog: Catalog, slot: str, tier: int, element: str, index: int
) -> list[tuple[str, int]]:
    rng = catalog.rng
    if slot == "weapon":
        attack = weapon_attack(tier)
        if index == 3 and tier >= 10:
            other = ELEMENTS[(ELEMENTS.index(element) + 1) % 4]
            first = round(attack * 0.55)
            return [
                (f"attack_{element}", _jitter(catalog, first)),
                (f"attack_{other}", _jitter(catalog, attack - first)),
                ("critical_strike", 5),
            ]
        if index == 2:
            return [(f"attack_{element}", _jitter(catalog, attack * 0.85)), ("critical_strike", 20)]
        return [(f"attack_{element}", _jitter(catalog, attack)), ("critical_strike", 5)]
    stats: list[tuple[str, int]] = []
    hp = slot_hp(slot, tier)
    if hp and slot not in ("shield", "ring"):
        stats.append(("hp", _jitter(catalog, hp)))
    if slot == "shield":
        each = 2 + tier // 4
        stats.extend((f"res_{e}", each) for e in ELEMENTS)
        if tier >= 20:
            stats.append(("hp", _jitter(catalog, hp * 2)))
        return stats
    dmg = slot_dmg(slot, tier)
    if slot == "ring" and index == 2:
        stats.append(("dmg", max(1, round(dmg * 0.6))))
    elif dmg:
        stats.append((f"dmg_{element}", _jitter(catalog, dmg)))
    extra = rng.choice(("initiative", "wisdom", "prospecting", "res", "critical_strike", "haste"))
    if slot == "boots":
        stats.append(("haste", 1 + tier // 10) if index == 0 else ("wisdom", 5 + tier))
    elif extra == "res" and slot == "body_armor":
        stats.append((f"res_{element}", 2 + tier // 8))
    elif extra in ("initiative", "wisdom", "prospecting"):
        stats.append((extra, _jitter(catalog, 5 + tier)))
    elif extra == "critical_strike" and slot in ("ring", "amulet"):
        stats.append(("critical_strike", 1 + tier // 15))
    return stats


def _recipe_items(catalog: Catalog, slot: str, tier: int, material: str) -> list[dict[str, object]]:
    rng = catalog.rng
    gt = gather_tier(tier)
    pairs: list[tuple[str, int]] = []
    bar = catalog.refined[("bar", gt)]
    plank = catalog.refined[("plank", gt)]
    if material == "bar":
        pairs.append((bar, rng.randint(4, 7)))
    elif material == "plank":
        pairs.append((plank, rng.randint(4, 7)))
    else:
        pairs.append((rng.choice((bar, plank)), rng.randint(2, 3)))
    parts = _nearby_parts(catalog, tier)
    for part in rng.sample(parts, min(len(parts), 2 if material == "part" or tier >= 10 else 1)):
        pairs.append((part.code, rng.randint(2, 4)))
    if slot in ("ring", "amulet") and tier >= 20:
        pairs.append((rng.choice(list(catalog.gems.values())), 1))
    if tier >= 25 and rng.random() < 0.15:
        bosses = catalog.parts_between(1, tier, kinds=("boss", "elite"))
        if bosses:
            pairs.append((rng.choice(bosses).code, rng.randint(1, 2)))
    return ingredients(*pairs)


def add_gear(catalog: Catalog) -> None:
    """Add equipment for every slot and gear tier."""
    rng = catalog.rng
    for tier in GEAR_TIERS:
        for slot, count in _PER_TIER.items():
            nouns = rng.sample(_NOUNS[slot], count)
            elements = rng.sample(ELEMENTS, 4)
            for index, (noun, material) in enumerate(nouns):
                element = elements[index % 4]
                gt = gather_tier(tier)
                if material == "part" or tier % 10 == 5:
                    parts = _nearby_parts(catalog, tier)
                    prefix = rng.choice(parts).monster
                else:
                    skill = "woodcutting" if material == "plank" else "mining"
                    prefix = catalog.tier_word[(skill, gt)]
                skill_name = _CRAFT_SKILL.get(slot, "gearcrafting")
                catalog.add_item(
                    f"{prefix}_{noun}",
                    level=tier,
                    kind=slot,
                    description=f"A level {tier} {noun} attuned to {element}.",
                    effects=_stats(catalog, slot, tier, element, index),
                    craft={
                        "skill": skill_name,
                        "level": tier,
                        "items": _recipe_items(catalog, slot, tier, material),
                        "quantity": 1,
                    },
                    conditions=_level_condition(tier),
                )


def add_tools(catalog: Catalog) -> None:
    """Add a gathering tool per gathering skill and tier (weapon slot, negative skill effect)."""
    for skill, noun in _TOOL_NOUNS.items():
        for index, tier in enumerate(GATHER_TIERS):
            material = "plank" if skill in ("fishing", "alchemy") else "bar"
            word_skill = "woodcutting" if material == "plank" else "mining"
            element = ELEMENTS[(index + GATHER_TIERS.index(tier)) % 4]
            pairs = [(catalog.refined[(material, tier)], 5 if tier == 1 else 6)]
            if tier > 1:
                parts = catalog.parts_between(max(1, tier - 9), tier)
                if parts:
                    pairs.append((catalog.rng.choice(parts).code, 2))
            catalog.add_item(
                f"{catalog.tier_word[(word_skill, tier)]}_{noun}",
                level=tier,
                kind="weapon",
                subtype="tool",
                description=f"A {skill} tool: gathering with it is {10 * (index + 1)}% faster.",
                effects=[
                    (f"attack_{element}", max(3, weapon_attack(tier) // 2)),
                    (skill, -10 * (index + 1)),
                ],
                craft={
                    "skill": "weaponcrafting",
                    "level": tier,
                    "items": ingredients(*pairs),
                    "quantity": 1,
                },
                conditions=_level_condition(tier, f"{skill}_level"),
            )
