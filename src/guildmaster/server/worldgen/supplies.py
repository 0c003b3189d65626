"""Consumables and extras of a generated world: food, potions, bags, artifacts, runes, purses.

Cooking turns every fish tier and the meat dropped by some monsters into food (``heal``), plus a
few stews. Alchemy brews restore potions and ``boost_*``/``antipoison`` utilities from petals,
kelp and monster parts. Artifacts come from boss drops and the tasks trader, runes from the rune
vendor, bags from gearcrafting.
"""

from __future__ import annotations

from guildmaster.server.worldgen.balance import GATHER_TIERS, gather_tier
from guildmaster.server.worldgen.catalog import Catalog, ingredients
from guildmaster.server.worldgen.names import display_name
from guildmaster.server.worldgen.vocab import ELEMENTS

__all__ = ["add_consumables", "add_extras"]


def _cond(level: int) -> list[dict[str, object]]:
    return [{"code": "level", "operator": "gt", "value": level - 1}]


def _heal(level: int) -> int:
    return 60 + 8 * level


def add_consumables(catalog: Catalog, *, spawn_map_id: int) -> None:
    """Add food (cooking) and potions (alchemy)."""
    for tier in GATHER_TIERS:
        fish = catalog.raw[("fishing", tier)]
        catalog.add_item(
            f"grilled_{catalog.tier_word[('fishing', tier)]}",
            level=tier,
            kind="consumable",
            subtype="food",
            description=f"Grilled {display_name(fish)}; heals when eaten.",
            effects=[("heal", _heal(tier))],
            craft={
                "skill": "cooking",
                "level": tier,
                "items": ingredients((fish, 1)),
                "quantity": 1,
            },
            conditions=_cond(tier),
        )
    meats = [p for p in catalog.parts if p.kind == "meat"]
    for meat in meats:
        catalog.add_item(
            f"roast_{meat.monster}",
            level=meat.level,
            kind="consumable",
            subtype="food",
            description=f"Roasted {display_name(meat.code)}.",
            effects=[("heal", _heal(meat.level))],
            craft={
                "skill": "cooking",
                "level": meat.level,
                "items": ingredients((meat.code, 1)),
                "quantity": 1,
            },
            conditions=_cond(meat.level),
        )
    for level in (15, 25, 35, 45):
        gt = gather_tier(level)
        meat = max((m for m in meats if m.level <= level), key=lambda m: m.level)
        word = catalog.forge.word()
        catalog.add_item(
            f"{word}_stew",
            level=level,
            kind="consumable",
            subtype="food",
            description="A hearty stew of fish, meat and herbs.",
            effects=[("heal", round(_heal(level) * 1.5))],
            craft={
                "skill": "cooking",
                "level": level,
                "items": ingredients(
                    (catalog.raw[("fishing", gt)], 1),
                    (meat.code, 1),
                    (catalog.raw[("alchemy", gt)], 1),
                ),
                "quantity": 2,
            },
            conditions=_cond(level),
        )
    kelp = catalog.by_products["kelp"]
    for level in (5, 15, 25, 35, 45):
        _potion(catalog, level, [("restore", 25 + 6 * level)], "draught", extra=(kelp, 1))
    for level, value in ((10, 10), (30, 16)):
        for element in ELEMENTS:
            _potion(catalog, level, [(f"boost_dmg_{element}", value)], f"{element}_fury")
    for level, value in ((20, 10), (40, 18)):
        for element in ELEMENTS:
            _potion(catalog, level, [(f"boost_res_{element}", value)], f"{element}_ward")
    for level, value in ((15, 10), (35, 40)):
        _potion(catalog, level, [("antipoison", value)], "antidote", extra=(kelp, 2))
    for level, value in ((25, 150), (45, 300)):
        _potion(catalog, level, [("boost_hp", value)], "vigor")
    catalog.add_item(
        f"{catalog.forge.word()}_homing_scroll",
        level=5,
        kind="consumable",
        subtype="teleport",
        description="Read it to return to the spawn.",
        effects=[("teleport", spawn_map_id)],
        craft={
            "skill": "alchemy",
            "level": 5,
            "items": ingredients((catalog.raw[("alchemy", 1)], 4), (kelp, 1)),
            "quantity": 1,
        },
        conditions=_cond(5),
    )


def _potion(
    catalog: Catalog,
    level: int,
    effects: list[tuple[str, int]],
    suffix: str,
    *,
    extra: tuple[str, int] | None = None,
) -> str:
    rng = catalog.rng
    gt = gather_tier(level)
    pairs = [(catalog.raw[("alchemy", gt)], rng.randint(2, 4))]
    if extra is not None:
        pairs.append(extra)
    parts = catalog.parts_between(max(1, level - 9), level)
    if parts and level >= 10:
        pairs.append((rng.choice(parts).code, 1))
    return catalog.add_item(
        f"{catalog.forge.word()}_{suffix}",
        level=level,
        kind="utility",
        subtype="potion",
        description="A potion to hang on a utility slot; it works inside fights.",
        effects=effects,
        craft={"skill": "alchemy", "level": level, "items": ingredients(*pairs), "quantity": 2},
        conditions=_cond(level),
    )


_ARTIFACTS = (
    (10, [("hp", 30), ("wisdom", 25)]),
    (15, [("prospecting", 40)]),
    (20, [("wisdom", 60)]),
    (25, [("critical_strike", 6)]),
    (30, [("hp", 150)]),
    (35, [("dmg", 6)]),
    (40, [("dmg", 8), ("hp", 60)]),
    (50, [("hp", 200), ("dmg", 12)]),
)
_RUNES = (
    (20, [("healing", 5)], 12_000),
    (20, [("shell", 40)], 12_000),
    (20, [("burn", 20)], 15_000),
    (20, [("lifesteal", 15)], 15_000),
    (40, [("healing_aura", 10), ("healing", 5)], 25_000),
    (40, [("lifesteal", 25), ("frenzy", 12)], 30_000),
    (40, [("guard", 50), ("shell", 30)], 30_000),
    (50, [("greed", 15), ("frenzy", 10)], 40_000),
)


def add_extras(catalog: Catalog) -> dict[str, list[str]]:
    """Add artifacts, runes, bags and gold purses; return their codes by kind."""
    out: dict[str, list[str]] = {"artifact": [], "rune": [], "bag": [], "purse": []}
    for level, effects in _ARTIFACTS:
        out["artifact"].append(
            catalog.add_item(
                f"{catalog.forge.word()}_relic",
                level=level,
                kind="artifact",
                description="An old relic that strengthens its bearer.",
                effects=effects,
                conditions=_cond(level),
            )
        )
    for level, effects, _price in _RUNES:
        out["rune"].append(
            catalog.add_item(
                f"{catalog.forge.word()}_rune",
                level=level,
                kind="rune",
                description="A carved rune that grants a fighting ability.",
                effects=effects,
                conditions=_cond(level),
            )
        )
    for level, space in ((5, 15), (20, 30), (40, 45)):
        gt = gather_tier(level)
        parts = catalog.parts_between(max(1, level - 9), level)
        out["bag"].append(
            catalog.add_item(
                f"{catalog.forge.word()}_satchel",
                level=level,
                kind="bag",
                description=f"A bag adding {space} inventory space.",
                effects=[("inventory_space", space)],
                craft={
                    "skill": "gearcrafting",
                    "level": level,
                    "items": ingredients(
                        (catalog.refined[("plank", gt)], 3), (catalog.rng.choice(parts).code, 4)
                    ),
                    "quantity": 1,
                },
                conditions=_cond(level),
            )
        )
    for gold in (500, 2500):
        out["purse"].append(
            catalog.add_item(
                f"{catalog.forge.word()}_purse",
                level=1,
                kind="consumable",
                subtype="bag",
                description=f"A purse holding {gold} gold.",
                effects=[("gold", gold)],
            )
        )
    return out


def rune_prices() -> tuple[int, ...]:
    """Return the gold price of each rune, in the order :func:`add_extras` creates them."""
    return tuple(price for _level, _effects, price in _RUNES)
