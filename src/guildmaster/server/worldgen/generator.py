"""``generate_world(seed)``: a whole world shaped like the API's data, deterministic per seed.

Stages, in order: materials and resources, monsters and their parts, the starter weapon, gear and
tools, food and potions, extras (relics, runes, bags, purses), the map, NPCs, tasks, events and
achievements. :func:`dump_world` serialises with sorted keys so one seed always gives the same
bytes.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from guildmaster.server.worldgen.bestiary import add_monsters
from guildmaster.server.worldgen.catalog import Catalog, add_materials, drop
from guildmaster.server.worldgen.economy import (
    build_achievements,
    build_events,
    build_npcs,
    build_tasks,
    build_tasks_rewards,
)
from guildmaster.server.worldgen.gear import add_gear, add_starter_weapon, add_tools
from guildmaster.server.worldgen.layout import Content, MapPlan, build_maps, map_id
from guildmaster.server.worldgen.supplies import add_consumables, add_extras, rune_prices
from guildmaster.server.worldgen.vocab import CRAFT_SKILLS, build_effects

__all__ = ["GENERATOR_VERSION", "dump_world", "generate_world"]

logger = logging.getLogger(__name__)

GENERATOR_VERSION = "1.0.0"
SPAWN_MAP_ID = map_id("overworld", 0, 0)


def generate_world(seed: int) -> dict[str, Any]:
    """Return a generated world (same seed, same world) with the snapshot's top-level keys."""
    catalog = Catalog.from_seed(seed)
    rng = catalog.rng
    add_monsters(catalog)
    # Materials after monsters would shift every name; keep this order stable across versions.
    _materials_then_gear(catalog)
    extras = add_extras(catalog)
    _give_bosses_relics(catalog, extras["artifact"])
    offers, npc_details, roster = build_npcs(catalog, extras, rune_prices())
    achievements = build_achievements(catalog, extras)
    plan = _map_plan(catalog, roster, achievements[-1]["code"])
    zone_names = [f"{catalog.forge.word().capitalize()} {noun}" for noun in
                  ("Meadow", "Woods", "Hills", "Marsh", "Highlands", "Wilds")]  # fmt: skip
    maps = build_maps(rng, plan, zone_names)
    events = build_events(catalog, roster, plan.free_tiles)
    world: dict[str, Any] = {
        "maps": maps,
        "items": sorted(catalog.items.values(), key=lambda i: (i["level"], i["code"])),
        "resources": sorted(catalog.resources, key=lambda r: (r["level"], r["code"])),
        "monsters": sorted(catalog.monsters, key=lambda m: (m["level"], m["code"])),
        "npcs": offers,
        "npc_details": npc_details,
        "tasks": build_tasks(catalog),
        "tasks_rewards": build_tasks_rewards(catalog, extras),
        "events": events,
        "effects": build_effects(),
        "achievements": achievements,
        "bank": {"slots": 50, "expansions": 0, "next_expansion_cost": 3500, "gold": 0},
        "meta": {
            "seed": seed,
            "generator_version": GENERATOR_VERSION,
            "starter_items": list(catalog.starter_items),
            "spawn": {"layer": "overworld", "x": 0, "y": 0, "map_id": SPAWN_MAP_ID},
            "tasks_currency": catalog.currencies["tasks"],
        },
    }
    logger.debug("generated world seed=%s items=%d", seed, len(world["items"]))
    return world


def dump_world(world: dict[str, Any]) -> str:
    """Serialise ``world`` deterministically (sorted keys, fixed separators, trailing newline)."""
    return json.dumps(world, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _materials_then_gear(catalog: Catalog) -> None:
    add_materials(catalog)
    add_starter_weapon(catalog)
    add_gear(catalog)
    add_tools(catalog)
    add_consumables(catalog, spawn_map_id=SPAWN_MAP_ID)


def _give_bosses_relics(catalog: Catalog, relics: list[str]) -> None:
    levels = {code: int(catalog.items[code]["level"]) for code in relics}
    for monster in catalog.monsters:
        if monster["type"] != "boss":
            continue
        fitting = [r for r in relics if levels[r] <= monster["level"]]
        if fitting:
            monster["drops"].append(drop(fitting[-1], 25))


def _map_plan(catalog: Catalog, roster: dict[str, str], achievement: str) -> MapPlan:
    def mon(code: str) -> Content:
        return Content("monster", code)

    def res(code: str) -> Content:
        return Content("resource", code)

    events = set(catalog.event_monsters) | set(catalog.event_resources)
    normals = [m for m in catalog.monsters if m["type"] == "normal" and m["code"] not in events]
    elites = [m for m in catalog.monsters if m["type"] == "elite" and m["code"] not in events]
    bosses = [m for m in catalog.monsters if m["type"] == "boss"]
    resources = [r for r in catalog.resources if r["code"] not in events]
    field: list[tuple[int, Content]] = []
    mine_a: list[Content] = []
    mine_b: list[Content] = []
    for resource in resources:
        level = int(resource["level"])
        copies = {1: 3, 10: 2, 20: 2}.get(level, 1)
        field.extend((level, res(resource["code"])) for _ in range(copies))
        if resource["skill"] == "mining" and level in (20, 30):
            mine_a.append(res(resource["code"]))
        if resource["skill"] == "mining" and level in (40, 50):
            mine_b.append(res(resource["code"]))
    for monster in normals:
        level = int(monster["level"])
        if 20 <= level <= 32 and len(mine_a) < 14 and level % 3 == 0:
            mine_a.append(mon(monster["code"]))
        elif level >= 40 and len(mine_b) < 14 and level % 3 == 0:
            mine_b.append(mon(monster["code"]))
        copies = 2 if level <= 20 else 1
        field.extend((level, mon(monster["code"])) for _ in range(copies))
    field.extend((int(m["level"]), mon(m["code"])) for m in elites[1:])
    field.append((int(bosses[0]["level"]), mon(bosses[0]["code"])))
    field.append((int(bosses[-1]["level"]), mon(bosses[-1]["code"])))
    services = [Content("workshop", skill) for skill in sorted(CRAFT_SKILLS)]
    services += [
        Content("bank", "bank"),
        Content("grand_exchange", "grand_exchange"),
        Content("tasks_master", "monsters"),
        Content("tasks_master", "items"),
        Content("npc", roster["merchant"]),
        Content("npc", roster["trader"]),
    ]
    return MapPlan(
        services=services,
        far_services=[Content("bank", "bank"), Content("npc", roster["relics"])],
        conditional=Content("bank", "bank"),
        conditional_achievement=achievement,
        overworld=field,
        mine_a=mine_a,
        mine_b=mine_b,
        lair_a=[mon(bosses[2]["code"])],
        lair_a_key=catalog.keys[0],
        lair_b=[mon(bosses[4]["code"])],
        lair_b_key=catalog.keys[2],
        house_1=[Content("npc", roster["runes"]), mon(normals[9]["code"])],
        house_2=[mon(bosses[3]["code"])],
        house_2_item=catalog.keys[1],
        grove=[mon(bosses[1]["code"]), mon(elites[0]["code"]), res(resources[-1]["code"])],
    )
