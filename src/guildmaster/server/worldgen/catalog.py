"""The mutable catalogue a world is built into, and its first layer: gathered and refined materials.

:class:`Catalog` holds the rng, the name forge and every item, resource and monster produced so
far, plus indexes the later stages need (which bar belongs to which tier, which monster parts
exist at which level). Each generation stage is a function ``add_*(catalog)``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from guildmaster.server.worldgen.balance import GATHER_TIERS
from guildmaster.server.worldgen.names import NameForge, display_name
from guildmaster.server.worldgen.vocab import ELEMENTS, build_effects

__all__ = ["Catalog", "MobPart", "add_materials", "drop", "ingredients"]

JsonDict = dict[str, Any]


def drop(code: str, rate: int, low: int = 1, high: int = 1) -> JsonDict:
    """Return a DropRateSchema-shaped dict."""
    return {"code": code, "rate": rate, "min_quantity": low, "max_quantity": high}


def ingredients(*pairs: tuple[str, int]) -> list[JsonDict]:
    """Return a recipe ingredient list, merging repeated codes."""
    merged: dict[str, int] = {}
    for code, quantity in pairs:
        merged[code] = merged.get(code, 0) + quantity
    return [{"code": code, "quantity": quantity} for code, quantity in merged.items()]


@dataclass(frozen=True)
class MobPart:
    """A material dropped by a monster, as the recipe stages see it."""

    code: str
    level: int
    monster: str
    kind: str
    rate: int


@dataclass
class Catalog:
    """Everything generated so far for one world (internal to the generator)."""

    seed: int
    rng: random.Random
    forge: NameForge
    items: dict[str, JsonDict] = field(default_factory=dict)
    resources: list[JsonDict] = field(default_factory=list)
    monsters: list[JsonDict] = field(default_factory=list)
    raw: dict[tuple[str, int], str] = field(default_factory=dict)
    refined: dict[tuple[str, int], str] = field(default_factory=dict)
    tier_word: dict[tuple[str, int], str] = field(default_factory=dict)
    gemstones: dict[str, str] = field(default_factory=dict)
    gems: dict[str, str] = field(default_factory=dict)
    by_products: dict[str, str] = field(default_factory=dict)
    parts: list[MobPart] = field(default_factory=list)
    currencies: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    starter_items: list[str] = field(default_factory=list)
    event_resources: list[str] = field(default_factory=list)
    event_monsters: list[str] = field(default_factory=list)
    _effect_text: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_seed(cls, seed: int) -> Catalog:
        """Return an empty catalogue whose randomness depends only on ``seed``."""
        catalog = cls(seed=seed, rng=random.Random(f"world:{seed}"), forge=NameForge(seed))
        catalog._effect_text = {e["code"]: e["description"] for e in build_effects()}
        return catalog

    def effect(self, code: str, value: int) -> JsonDict:
        """Return a SimpleEffectSchema dict for effect ``code`` with ``value``."""
        text = self._effect_text[code].replace("{value}", str(value))
        return {"code": code, "value": value, "description": text}

    def add_item(
        self,
        code: str,
        *,
        level: int,
        kind: str,
        subtype: str = "",
        description: str,
        effects: list[tuple[str, int]] | None = None,
        craft: JsonDict | None = None,
        conditions: list[JsonDict] | None = None,
        tradeable: bool = True,
    ) -> str:
        """Register an ItemSchema-shaped item under a unique code and return that code."""
        code = self.forge.claim(code)
        self.items[code] = {
            "name": display_name(code),
            "code": code,
            "level": level,
            "type": kind,
            "subtype": subtype,
            "description": description,
            "conditions": conditions or [],
            "effects": [self.effect(c, v) for c, v in (effects or [])],
            "craft": craft,
            "tradeable": tradeable,
            "recyclable": craft is not None
            and kind not in ("resource", "consumable", "utility", "currency"),
        }
        return code

    def parts_between(
        self, low: int, high: int, *, kinds: tuple[str, ...] = ("normal",)
    ) -> list[MobPart]:
        """Return monster parts dropped by monsters of ``kinds`` with level in ``[low, high]``."""
        return [p for p in self.parts if low <= p.level <= high and p.kind in kinds]


def _recipe(skill: str, level: int, items: list[JsonDict], quantity: int = 1) -> JsonDict:
    return {"skill": skill, "level": level, "items": items, "quantity": quantity}


_GATHER_FORMS = {
    # skill: (resource suffix, raw suffix, refined suffix or "", refined craft skill)
    "mining": ("rocks", "ore", "bar", "mining"),
    "woodcutting": ("tree", "log", "plank", "woodcutting"),
    "fishing": ("shoal", "fish", "", ""),
    "alchemy": ("bloom", "petal", "", ""),
}


def add_materials(catalog: Catalog) -> None:
    """Add gathering resources for every tier of the four gathering skills, plus refined goods."""
    rng = catalog.rng
    element: str
    for element in ELEMENTS:
        word = catalog.forge.word()
        catalog.gemstones[element] = catalog.add_item(
            f"{word}_stone",
            level=1,
            kind="resource",
            subtype="mining",
            description=f"A rough stone that hums with {element}.",
        )
    _add_by_products(catalog)
    for skill, (res_suffix, raw_suffix, ref_suffix, ref_skill) in _GATHER_FORMS.items():
        for tier in GATHER_TIERS:
            word = catalog.forge.word()
            catalog.tier_word[(skill, tier)] = word
            raw = catalog.add_item(
                f"{word}_{raw_suffix}",
                level=tier,
                kind="resource",
                subtype=skill,
                description=f"Raw {raw_suffix} gathered with {skill}.",
            )
            catalog.raw[(skill, tier)] = raw
            drops = [drop(raw, 1)]
            drops.extend(_side_drops(catalog, skill, tier))
            catalog.resources.append(
                {
                    "name": display_name(f"{word}_{res_suffix}"),
                    "code": catalog.forge.claim(f"{word}_{res_suffix}"),
                    "skill": skill,
                    "level": tier,
                    "drops": drops,
                }
            )
            if ref_suffix:
                catalog.refined[(ref_suffix, tier)] = catalog.add_item(
                    f"{word}_{ref_suffix}",
                    level=tier,
                    kind="resource",
                    subtype=ref_suffix,
                    description=f"A refined {ref_suffix} made from {display_name(raw)}.",
                    craft=_recipe(ref_skill, tier, ingredients((raw, rng.choice((6, 8, 10))))),
                )
    for element, stone in catalog.gemstones.items():
        catalog.gems[element] = catalog.add_item(
            stone.removesuffix("_stone") + "_gem",
            level=20,
            kind="resource",
            subtype="precious_stone",
            description=f"A cut gem that focuses {element}.",
            craft=_recipe("mining", 20, ingredients((stone, 5))),
        )
    _add_event_resources(catalog)


def _add_by_products(catalog: Catalog) -> None:
    specs = (
        ("resin_low", "resin", "sap", "Sticky resin of young trees."),
        ("resin_high", "resin", "sap", "Dark resin of ancient trees."),
        ("kelp", "kelp", "fishing", "Slippery weed caught with fish."),
        ("pearl", "pearl", "fishing", "A small pearl found in a shoal."),
    )
    for key, suffix, subtype, text in specs:
        word = catalog.forge.word()
        catalog.by_products[key] = catalog.add_item(
            f"{word}_{suffix}", level=1, kind="resource", subtype=subtype, description=text
        )
    for key, level, heal in (("fruit_low", 1, 50), ("fruit_high", 50, 300)):
        word = catalog.forge.word()
        catalog.by_products[key] = catalog.add_item(
            f"{word}_fruit",
            level=level,
            kind="consumable",
            subtype="food",
            description="A fruit that drops while chopping; eat it to heal.",
            effects=[("heal", heal)],
            conditions=[{"code": "level", "operator": "gt", "value": level - 1}],
        )


def _side_drops(catalog: Catalog, skill: str, tier: int) -> list[JsonDict]:
    bp = catalog.by_products
    if skill == "mining":
        rate = 200 if tier < 30 else 100
        return [drop(stone, rate) for stone in catalog.gemstones.values()]
    if skill == "woodcutting":
        side = [drop(bp["resin_low" if tier <= 20 else "resin_high"], 10)]
        if tier == 1:
            side.append(drop(bp["fruit_low"], 20))
        if tier == 50:
            side.append(drop(bp["fruit_high"], 20))
        return side
    if skill == "fishing":
        side = [drop(bp["kelp"], 10)]
        if tier >= 20:
            side.append(drop(bp["pearl"], 300 if tier < 40 else 100))
        return side
    return []


def _add_event_resources(catalog: Catalog) -> None:
    for skill, suffix, raw_suffix in (("mining", "rocks", "ore"), ("woodcutting", "tree", "log")):
        word = catalog.forge.word()
        raw = catalog.add_item(
            f"{word}_{raw_suffix}",
            level=35,
            kind="resource",
            subtype=skill,
            description=f"A rare {raw_suffix} that only appears during events.",
        )
        catalog.raw[(f"event_{skill}", 35)] = raw
        code = catalog.forge.claim(f"{word}_{suffix}")
        catalog.resources.append(
            {
                "name": display_name(code),
                "code": code,
                "skill": skill,
                "level": 35,
                "drops": [drop(raw, 1), *_side_drops(catalog, skill, 40)],
            }
        )
        catalog.event_resources.append(code)
