"""The generator: determinism, API shape, structure like the real world, original names, speed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

import guildmaster.server.worldgen as worldgen
from guildmaster.server.worldgen import GENERATOR_VERSION, dump_world, generate_world
from guildmaster.server.worldgen.vocab import CRAFT_SKILLS, ELEMENTS, GATHERING_SKILLS


@pytest.fixture(scope="module")
def gen() -> dict[str, Any]:
    """The world of seed 11."""
    return generate_world(11)


def test_all_is_complete_and_sorted() -> None:
    public = {n for n in dir(worldgen) if not n.startswith("_") and n not in ("annotations",)}
    modules = {"balance", "bestiary", "catalog", "checks", "economy", "gear", "generator"}
    modules |= {"ladder", "layout", "names", "report", "stats", "supplies", "validate", "vocab"}
    assert set(worldgen.__all__) == public - modules
    assert list(worldgen.__all__) == sorted(worldgen.__all__)


def test_same_seed_same_bytes_across_processes() -> None:
    here = dump_world(generate_world(5))
    code = "from guildmaster.server.worldgen import dump_world, generate_world;"
    code += "import sys; sys.stdout.write(dump_world(generate_world(5)))"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert here == other


def test_different_seeds_give_different_worlds() -> None:
    first, second = generate_world(1), generate_world(2)
    assert {i["code"] for i in first["items"]} != {i["code"] for i in second["items"]}
    assert first["meta"]["seed"] == 1 and second["meta"]["seed"] == 2


def test_top_level_keys_cover_the_snapshot(gen: dict[str, Any], snapshot_path: Path) -> None:
    snapshot = json.loads(snapshot_path.read_text(encoding="utf-8"))
    wanted = set(snapshot) - {"version", "fetched_at"}
    assert wanted <= set(gen)
    assert {"npc_details", "tasks_rewards", "meta"} <= set(gen)
    assert gen["meta"]["generator_version"] == GENERATOR_VERSION


def _required(spec: dict[str, Any], name: str) -> list[str]:
    return list(spec["components"]["schemas"][name].get("required", []))


@pytest.mark.parametrize(
    ("key", "schema"),
    [
        ("maps", "MapSchema"),
        ("items", "ItemSchema"),
        ("resources", "ResourceSchema"),
        ("monsters", "MonsterSchema"),
        ("npcs", "NPCItemSchema"),
        ("npc_details", "NPCSchema"),
        ("tasks", "TaskFullSchema"),
        ("tasks_rewards", "DropRateSchema"),
        ("events", "EventSchema"),
        ("effects", "EffectSchema"),
        ("achievements", "AchievementSchema"),
    ],
)
def test_entries_have_the_api_required_fields(
    gen: dict[str, Any], openapi_path: Path, key: str, schema: str
) -> None:
    spec = json.loads(openapi_path.read_text(encoding="utf-8"))
    required = _required(spec, schema)
    assert required
    for entry in gen[key]:
        missing = [f for f in required if f not in entry]
        assert not missing, f"{key} {entry.get('code')} lacks {missing}"
    assert set(_required(spec, "BankSchema")) <= set(gen["bank"])


def test_enums_match_the_api(gen: dict[str, Any], openapi_path: Path) -> None:
    schemas = json.loads(openapi_path.read_text(encoding="utf-8"))["components"]["schemas"]
    content_types = set(schemas["MapContentType"]["enum"])
    assert {
        m["interactions"]["content"]["type"] for m in gen["maps"] if m["interactions"]["content"]
    } <= content_types
    assert {m["type"] for m in gen["monsters"]} == {"normal", "elite", "boss"}
    assert {m["layer"] for m in gen["maps"]} == set(schemas["MapLayer"]["enum"])
    assert {d["type"] for d in gen["npc_details"]} <= set(schemas["NPCType"]["enum"])
    crafts = {i["craft"]["skill"] for i in gen["items"] if i["craft"]}
    assert crafts == set(schemas["CraftSkill"]["enum"])
    assert {r["skill"] for r in gen["resources"]} == set(schemas["GatheringSkill"]["enum"])


def test_gathering_tiers_from_1_to_50(gen: dict[str, Any]) -> None:
    for skill in GATHERING_SKILLS:
        levels = sorted({r["level"] for r in gen["resources"] if r["skill"] == skill})
        assert levels[0] == 1 and levels[-1] == 50
        assert all(b - a <= 10 for a, b in pairwise(levels))


def test_every_craft_skill_has_recipes_at_every_tier(gen: dict[str, Any]) -> None:
    for skill in ("weaponcrafting", "gearcrafting", "jewelrycrafting", "cooking", "alchemy"):
        levels = sorted(
            {
                i["craft"]["level"]
                for i in gen["items"]
                if i["craft"] and i["craft"]["skill"] == skill
            }
        )
        assert levels[-1] >= 45
        assert all(b - a <= 10 for a, b in zip([1, *levels], levels, strict=False))


def test_recipes_consume_gathered_refined_and_dropped(gen: dict[str, Any]) -> None:
    items = {i["code"]: i for i in gen["items"]}
    used = Counter(
        items[x["code"]]["subtype"] for i in gen["items"] if i["craft"] for x in i["craft"]["items"]
    )
    assert used["bar"] and used["plank"] and used["mob"] and used["fishing"] and used["alchemy"]
    refined = [i for i in gen["items"] if i["subtype"] in ("bar", "plank")]
    assert {i["craft"]["skill"] for i in refined} == {"mining", "woodcutting"}


def test_equipment_for_every_slot_and_tier_with_elements(gen: dict[str, Any]) -> None:
    for slot in (
        "weapon",
        "shield",
        "helmet",
        "body_armor",
        "leg_armor",
        "boots",
        "ring",
        "amulet",
    ):
        tiers = {i["level"] for i in gen["items"] if i["type"] == slot and i["subtype"] != "tool"}
        assert {1, 10, 20, 30, 40, 50} <= tiers, slot
    weapons = [i for i in gen["items"] if i["type"] == "weapon" and i["subtype"] == ""]
    elements = {
        e["code"].removeprefix("attack_")
        for w in weapons
        for e in w["effects"]
        if e["code"].startswith("attack_")
    }
    assert elements == set(ELEMENTS)
    helmet = next(i for i in gen["items"] if i["type"] == "helmet" and i["level"] == 20)
    assert helmet["conditions"] == [{"code": "level", "operator": "gt", "value": 19}]


def test_tools_cut_gathering_time(gen: dict[str, Any]) -> None:
    tools = [i for i in gen["items"] if i["subtype"] == "tool"]
    for skill in GATHERING_SKILLS:
        cuts = sorted(e["value"] for t in tools for e in t["effects"] if e["code"] == skill)
        assert len(cuts) == 6 and all(v < 0 for v in cuts)
    assert all(t["type"] == "weapon" for t in tools)


def test_food_and_potions(gen: dict[str, Any]) -> None:
    food = [i for i in gen["items"] if i["type"] == "consumable" and i["subtype"] == "food"]
    assert all(any(e["code"] == "heal" for e in f["effects"]) for f in food)
    potions = {e["code"] for i in gen["items"] if i["type"] == "utility" for e in i["effects"]}
    assert "restore" in potions and any(c.startswith("boost_") for c in potions)


def test_monsters_levels_effects_and_party_bosses(gen: dict[str, Any]) -> None:
    normal = {m["level"] for m in gen["monsters"] if m["type"] == "normal"}
    assert min(normal) == 1 and max(normal) == 50
    assert sum(1 for m in gen["monsters"] if m["effects"]) >= 10
    codes = {e["code"] for e in gen["effects"]}
    assert all(e["code"] in codes for m in gen["monsters"] for e in m["effects"])
    assert sum(1 for m in gen["monsters"] if m["type"] == "boss") >= 4


def test_services_and_spawn(gen: dict[str, Any]) -> None:
    contents = {(c["type"], c["code"]) for m in gen["maps"] if (c := m["interactions"]["content"])}
    for skill in CRAFT_SKILLS:
        assert ("workshop", skill) in contents
    assert {("bank", "bank"), ("grand_exchange", "grand_exchange")} <= contents
    assert {("tasks_master", "monsters"), ("tasks_master", "items")} <= contents
    assert any(kind == "npc" for kind, _ in contents)
    spawn = next(m for m in gen["maps"] if (m["layer"], m["x"], m["y"]) == ("overworld", 0, 0))
    assert spawn["access"]["type"] == "standard" and spawn["interactions"]["content"] is None
    assert gen["meta"]["spawn"]["map_id"] == spawn["map_id"]


def test_layers_transitions_and_blocked_tiles(gen: dict[str, Any]) -> None:
    layers = Counter(m["layer"] for m in gen["maps"])
    assert layers == {"overworld": 476, "underground": 476, "interior": 476}
    assert sum(1 for m in gen["maps"] if m["access"]["type"] == "blocked") > 900
    transitions = [m for m in gen["maps"] if m["interactions"]["transition"]]
    assert {m["layer"] for m in transitions} == {"overworld", "underground", "interior"}
    ops = {
        c["operator"] for m in transitions for c in m["interactions"]["transition"]["conditions"]
    }
    assert {"cost", "has_item"} <= ops


def test_starter_weapon_is_craftable_from_level_one_logs(gen: dict[str, Any]) -> None:
    items = {i["code"]: i for i in gen["items"]}
    (starter,) = gen["meta"]["starter_items"]
    item = items[starter]
    assert item["type"] == "weapon" and item["craft"]["skill"] == "weaponcrafting"
    assert item["craft"]["level"] == 1
    for ingredient in item["craft"]["items"]:
        source = items[ingredient["code"]]
        assert source["level"] == 1 and source["subtype"] == "woodcutting"


def test_tasks_events_npcs(gen: dict[str, Any]) -> None:
    assert {t["type"] for t in gen["tasks"]} == {"monsters", "items"}
    currency = gen["meta"]["tasks_currency"]
    items = {i["code"]: i for i in gen["items"]}
    assert items[currency]["type"] == "currency"
    assert all(
        t["rewards"]["items"][0]["code"] == currency and t["rewards"]["gold"] > 0
        for t in gen["tasks"]
    )
    assert {e["content"]["type"] for e in gen["events"]} == {"monster", "resource", "npc"}
    event_resources = {e["content"]["code"] for e in gen["events"]}
    raw = {
        d["code"]
        for r in gen["resources"]
        if r["code"] not in event_resources
        for d in r["drops"]
        if d["rate"] == 1
    }
    merchants = {o["npc"] for o in gen["npcs"] if o["code"] in raw and o["sell_price"] == 1}
    assert any(raw <= {o["code"] for o in gen["npcs"] if o["npc"] == n} for n in merchants)


def test_names_are_original(gen: dict[str, Any], snapshot_path: Path) -> None:
    snapshot = json.loads(snapshot_path.read_text(encoding="utf-8"))
    real = set()
    for key in ("items", "monsters", "resources", "events", "achievements"):
        real |= {e["code"] for e in snapshot[key]}
    real |= {o["npc"] for o in snapshot["npcs"]}
    ours = set()
    for key in ("items", "monsters", "resources", "events", "achievements", "npc_details"):
        ours |= {e["code"] for e in gen[key]}
    assert not ours & real


def test_generation_is_fast() -> None:
    started = time.perf_counter()
    generate_world(123)
    assert time.perf_counter() - started < 2.0
