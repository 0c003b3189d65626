"""Counts that describe a world's scale, to compare a generated world with a real snapshot.

>>> table = describe_world({"maps": [], "items": [], "resources": [], "monsters": []})
>>> table["totals"]["items"]
0
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

__all__ = ["compare_worlds", "describe_world"]

Table = dict[str, dict[str, int]]


def _band(level: int) -> str:
    low = (max(1, level) - 1) // 10 * 10 + 1
    return f"L{low:02d}-{low + 9:02d}"


def describe_world(world: Mapping[str, Any]) -> Table:
    """Return section -> key -> count for maps, items, resources, monsters, recipes and more."""
    maps = world.get("maps") or []
    items = world.get("items") or []
    monsters = world.get("monsters") or []
    table: Table = {
        "totals": {
            key: len(world.get(key) or [])
            for key in ("maps", "items", "resources", "monsters", "npcs", "tasks", "events")
        }
        | {
            "effects": len(world.get("effects") or []),
            "achievements": len(world.get("achievements") or []),
            "recipes": sum(1 for i in items if i.get("craft")),
            "npc merchants": len({o.get("npc") for o in world.get("npcs") or []}),
        },
        "maps per layer/access": dict(Counter(f"{m['layer']}/{m['access']['type']}" for m in maps)),
        "map contents": dict(
            Counter(
                str(c.get("type"))
                for m in maps
                if (c := (m.get("interactions") or {}).get("content"))
            )
        ),
        "items per type": dict(Counter(str(i.get("type")) for i in items)),
        "resources per skill": dict(
            Counter(str(r.get("skill")) for r in world.get("resources") or [])
        ),
        "monsters per type": dict(Counter(str(m.get("type")) for m in monsters)),
        "monsters per level band": dict(Counter(_band(int(m.get("level", 1))) for m in monsters)),
        "recipes per craft skill": dict(
            Counter(str(i["craft"].get("skill")) for i in items if i.get("craft"))
        ),
        "tasks per type": dict(Counter(str(t.get("type")) for t in world.get("tasks") or [])),
        "events per content": dict(
            Counter(str((e.get("content") or {}).get("type")) for e in world.get("events") or [])
        ),
    }
    return {section: dict(sorted(rows.items())) for section, rows in table.items()}


def compare_worlds(
    left: Mapping[str, Any], right: Mapping[str, Any]
) -> list[tuple[str, str, int, int]]:
    """Return (section, key, left count, right count) rows over the union of both descriptions."""
    a, b = describe_world(left), describe_world(right)
    rows: list[tuple[str, str, int, int]] = []
    for section in a:
        keys = sorted(set(a[section]) | set(b.get(section, {})))
        rows.extend(
            (section, key, a[section].get(key, 0), b.get(section, {}).get(key, 0)) for key in keys
        )
    return rows
