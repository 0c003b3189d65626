"""Test-only conversion of the real world snapshot into StaticFacts (Manhattan travel).

The production adapter belongs next to the knowledge layer; this one only exists so planning
tests can run on real content sizes without importing ``guildmaster.knowledge``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guildmaster.planning.domains import (
    Location,
    SimpleCondition,
    SimpleDrop,
    SimpleEffect,
    SimpleItem,
    SimpleMonster,
    SimpleOffer,
    SimpleQuantity,
    SimpleRecipe,
    SimpleResource,
    StaticFacts,
)


def _drops(raw: list[dict[str, Any]]) -> tuple[SimpleDrop, ...]:
    return tuple(
        SimpleDrop(d["code"], int(d["rate"]), int(d["min_quantity"]), int(d["max_quantity"]))
        for d in raw
    )


def _item(raw: dict[str, Any]) -> SimpleItem:
    craft = raw.get("craft")
    recipe = None
    if craft:
        recipe = SimpleRecipe(
            craft["skill"],
            int(craft["level"]),
            tuple(SimpleQuantity(i["code"], int(i["quantity"])) for i in craft["items"]),
            int(craft.get("quantity") or 1),
        )
    return SimpleItem(
        code=raw["code"],
        level=int(raw["level"]),
        type=raw["type"],
        subtype=raw.get("subtype") or "",
        tradeable=bool(raw.get("tradeable")),
        recyclable=bool(raw.get("recyclable")),
        conditions=tuple(
            SimpleCondition(c["code"], c["operator"], int(c["value"]))
            for c in raw.get("conditions") or ()
        ),
        effects=tuple(SimpleEffect(e["code"], int(e["value"])) for e in raw.get("effects") or ()),
        craft=recipe,
    )


def load_snapshot_facts(path: Path) -> StaticFacts:
    """Build StaticFacts from the snapshot JSON (tiles with content only)."""
    data = json.loads(path.read_text())
    tiles: dict[Location, tuple[str, str]] = {}
    for tile in data["maps"]:
        content = (tile.get("interactions") or {}).get("content")
        if content and tile["access"]["type"] in ("standard", "conditional"):
            tiles[(tile["layer"], int(tile["x"]), int(tile["y"]))] = (
                content["type"],
                content["code"],
            )
    return StaticFacts.build(
        items=[_item(i) for i in data["items"]],
        monsters=[
            SimpleMonster(
                m["code"],
                int(m["level"]),
                int(m["hp"]),
                _drops(m["drops"]),
                m["type"],
                int(m["min_gold"]),
                int(m["max_gold"]),
            )
            for m in data["monsters"]
        ],
        resources=[
            SimpleResource(r["code"], r["skill"], int(r["level"]), _drops(r["drops"]))
            for r in data["resources"]
        ],
        offers=[
            SimpleOffer(o["code"], o["npc"], o["currency"], o["buy_price"], o["sell_price"])
            for o in data["npcs"]
        ],
        tiles=tiles,
        # Layers meet through transitions; a flat surcharge stands in for the real routes.
        layer_change_seconds=30.0,
    )
