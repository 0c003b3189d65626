"""Structural checks of a world: shape, references, recipe cycles, obtainability, reachability.

Every check takes the world dict and returns :class:`Problem` values; none of them raises on
odd content except :func:`check_shape`, which raises :class:`WorldFileError` when the file is
not a world at all (so later checks may index fields freely).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from guildmaster.server.worldgen.report import Problem, WorldFileError
from guildmaster.server.worldgen.vocab import CRAFT_SKILLS, MAP_CONTENT_TYPES

__all__ = [
    "REQUIRED_FIELDS",
    "check_cycles",
    "check_references",
    "check_shape",
    "obtainable_items",
    "placed_content",
    "reachable_tiles",
    "spawn_tile",
]

World = Mapping[str, Any]
TileKey = tuple[str, int, int]

# Per list: field -> expected type. Only what the later checks rely on.
REQUIRED_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "maps": {"x": int, "y": int, "layer": str, "access": dict, "interactions": dict},
    "items": {"code": str, "level": int, "type": str},
    "resources": {"code": str, "skill": str, "level": int, "drops": list},
    "monsters": {"code": str, "level": int, "type": str, "hp": int, "drops": list},
    "npcs": {"code": str, "npc": str, "currency": str},
    "tasks": {"code": str, "level": int, "type": str},
    "events": {"code": str, "maps": list},
    "achievements": {"code": str, "objectives": list},
    "effects": {"code": str},
}
_MANDATORY = ("maps", "items", "resources", "monsters")


def check_shape(world: object) -> None:
    """Check the top-level shape and the fields later checks rely on.

    Raises:
        WorldFileError: the data is not an object, a mandatory list is missing, or entries lack
            required fields (the message lists the first few).
    """
    if not isinstance(world, dict):
        raise WorldFileError(f"a world must be a JSON object, got {type(world).__name__}")
    missing = [key for key in _MANDATORY if key not in world]
    if missing:
        raise WorldFileError(f"not a world file: missing top-level keys {missing}")
    issues: list[str] = []
    for key, fields in REQUIRED_FIELDS.items():
        value = world.get(key, [])
        if not isinstance(value, list):
            issues.append(f"'{key}' must be a list, got {type(value).__name__}")
            continue
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                issues.append(f"{key}[{index}] must be an object")
                continue
            for name, kind in fields.items():
                if not isinstance(entry.get(name), kind) or isinstance(entry.get(name), bool):
                    issues.append(
                        f"{key}[{index}] field '{name}' missing or not {_type_name(kind)}"
                    )
    for key in ("bank", "meta"):
        if key in world and not isinstance(world[key], dict | None):
            issues.append(f"'{key}' must be an object")
    if issues:
        more = f" (and {len(issues) - 8} more)" if len(issues) > 8 else ""
        raise WorldFileError("malformed world: " + "; ".join(issues[:8]) + more)


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", str: "a string", list: "a list", dict: "an object"}
    return names.get(kind, str(kind)) if isinstance(kind, type) else "of the right type"


def _list(world: World, key: str) -> list[dict[str, Any]]:
    value = world.get(key) or []
    return [v for v in value if isinstance(v, dict)]


def _codes(entries: list[dict[str, Any]]) -> set[str]:
    return {str(e.get("code")) for e in entries}


def _item_refs(world: World) -> Iterator[tuple[str, str]]:
    """Yield (where, item code) for every place a world names an item."""
    for item in _list(world, "items"):
        craft = item.get("craft") or {}
        for ing in craft.get("items") or []:
            yield f"item '{item['code']}' recipe", str(ing.get("code"))
        for cond in item.get("conditions") or []:
            if cond.get("operator") in ("cost", "has_item"):
                yield f"item '{item['code']}' condition", str(cond.get("code"))
    for key in ("resources", "monsters"):
        for entry in _list(world, key):
            for dropped in entry.get("drops") or []:
                yield f"{key[:-1]} '{entry['code']}' drops", str(dropped.get("code"))
    for offer in _list(world, "npcs"):
        yield f"npc '{offer['npc']}' offer", str(offer["code"])
        if offer["currency"] != "gold":
            yield f"npc '{offer['npc']}' currency", str(offer["currency"])
    for task in _list(world, "tasks"):
        if task["type"] == "items":
            yield f"task '{task['code']}'", str(task["code"])
        for reward in (task.get("rewards") or {}).get("items") or []:
            yield f"task '{task['code']}' reward", str(reward.get("code"))
    for reward in _list(world, "tasks_rewards"):
        yield "tasks_rewards", str(reward.get("code"))
    for ach in _list(world, "achievements"):
        for reward in (ach.get("rewards") or {}).get("items") or []:
            yield f"achievement '{ach['code']}' reward", str(reward.get("code"))
    for tile in _list(world, "maps"):
        transition = (tile.get("interactions") or {}).get("transition") or {}
        conditions = list(transition.get("conditions") or []) + list(
            (tile.get("access") or {}).get("conditions") or []
        )
        for cond in conditions:
            if cond.get("operator") in ("cost", "has_item") and cond.get("code") != "gold":
                yield f"map {_where(tile)} condition", str(cond.get("code"))
    for code in (world.get("meta") or {}).get("starter_items") or []:
        yield "meta.starter_items", str(code)


def _where(tile: Mapping[str, Any]) -> str:
    return f"({tile.get('layer')} {tile.get('x')},{tile.get('y')})"


def check_references(world: World) -> list[Problem]:
    """Report duplicate codes and references to items, monsters, NPCs or tiles that do not exist."""
    problems: list[Problem] = []

    def error(message: str) -> None:
        problems.append(Problem("error", "references", message))

    for key in ("items", "monsters", "resources", "achievements", "events"):
        seen: set[str] = set()
        for entry in _list(world, key):
            if entry["code"] in seen:
                error(f"duplicate {key[:-1]} code '{entry['code']}'")
            seen.add(entry["code"])
    items = _codes(_list(world, "items"))
    for where, code in _item_refs(world):
        if code not in items:
            error(f"{where} references unknown item '{code}'")
    monsters = _codes(_list(world, "monsters"))
    resources = _codes(_list(world, "resources"))
    npcs = {o["npc"] for o in _list(world, "npcs")} | _codes(_list(world, "npc_details"))
    achievements = _codes(_list(world, "achievements"))
    known = {"monster": monsters, "resource": resources, "npc": npcs}
    tiles = {(t["layer"], t["x"], t["y"]) for t in _list(world, "maps")}
    seen_tiles: set[TileKey] = set()
    for tile in _list(world, "maps"):
        tile_key = (tile["layer"], tile["x"], tile["y"])
        if tile_key in seen_tiles:
            error(f"duplicate map tile {_where(tile)}")
        seen_tiles.add(tile_key)
        interactions = tile["interactions"]
        content = interactions.get("content")
        if content:
            _check_content(content, f"map {_where(tile)}", known, error)
        transition = interactions.get("transition")
        if (
            transition
            and (transition.get("layer"), transition.get("x"), transition.get("y")) not in tiles
        ):
            error(f"map {_where(tile)} transition leads to a missing tile")
        conditions = list((transition or {}).get("conditions") or [])
        for cond in conditions + list(tile["access"].get("conditions") or []):
            if (
                cond.get("operator") == "achievement_unlocked"
                and cond.get("code") not in achievements
            ):
                error(f"map {_where(tile)} needs unknown achievement '{cond.get('code')}'")
    for event in _list(world, "events"):
        if event.get("content"):
            _check_content(event["content"], f"event '{event['code']}'", known, error)
        for spot in event["maps"]:
            if (spot.get("layer"), spot.get("x"), spot.get("y")) not in tiles:
                error(f"event '{event['code']}' uses a missing tile")
    for task in _list(world, "tasks"):
        if task["type"] == "monsters" and task["code"] not in monsters:
            error(f"task '{task['code']}' names an unknown monster")
    effects = _codes(_list(world, "effects"))
    if effects:
        for key in ("items", "monsters"):
            for entry in _list(world, key):
                for effect in entry.get("effects") or []:
                    if effect.get("code") not in effects:
                        name = f"{key[:-1]} '{entry['code']}'"
                        error(f"{name} has unknown effect '{effect.get('code')}'")
    return problems


def _check_content(
    content: Mapping[str, Any], where: str, known: Mapping[str, set[str]], error: Any
) -> None:
    kind, code = content.get("type"), content.get("code")
    if kind not in MAP_CONTENT_TYPES:
        error(f"{where} has unknown content type '{kind}'")
    elif kind in known and code not in known[kind]:
        error(f"{where} holds unknown {kind} '{code}'")
    elif kind == "workshop" and code not in CRAFT_SKILLS:
        error(f"{where} holds a workshop for unknown skill '{code}'")


def check_cycles(world: World) -> list[Problem]:
    """Report recipe cycles (an item that needs itself, directly or through other recipes)."""
    graph: dict[str, list[str]] = {}
    for item in _list(world, "items"):
        craft = item.get("craft") or {}
        graph[item["code"]] = [str(i.get("code")) for i in craft.get("items") or []]
    state: dict[str, int] = {}
    problems: list[Problem] = []
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                problems.append(Problem("error", "cycles", "recipe cycle: " + " -> ".join(cycle)))
            elif not state.get(child) and child in graph:
                state[child] = 1
                stack.append((child, iter(graph[child])))
                path.append(child)
    return problems


def spawn_tile(world: World) -> TileKey:
    """Return the spawn tile: ``meta.spawn`` if given, else overworld (0, 0)."""
    spawn = (world.get("meta") or {}).get("spawn") or {}
    return (str(spawn.get("layer", "overworld")), int(spawn.get("x", 0)), int(spawn.get("y", 0)))


def reachable_tiles(world: World) -> set[TileKey]:
    """Return the tiles a character can reach from the spawn by walking and transitions.

    Conditions (gold, items, achievements) are assumed satisfiable; whether the items exist is
    the business of the obtainability check.
    """
    access: dict[TileKey, str] = {}
    transitions: dict[TileKey, TileKey] = {}
    for tile in _list(world, "maps"):
        key = (tile["layer"], tile["x"], tile["y"])
        access[key] = str(tile["access"].get("type", "standard"))
        transition = tile["interactions"].get("transition")
        if transition:
            transitions[key] = (transition.get("layer"), transition.get("x"), transition.get("y"))
    start = spawn_tile(world)
    if access.get(start, "blocked") == "blocked":
        return set()
    seen = {start}
    queue = deque([start])
    while queue:
        layer, x, y = current = queue.popleft()
        steps = [(layer, x + 1, y), (layer, x - 1, y), (layer, x, y + 1), (layer, x, y - 1)]
        for nxt in steps:
            kind = access.get(nxt, "blocked")
            walkable = kind in ("standard", "conditional") or (
                kind == "restricted" and access[current] == "restricted"
            )
            if walkable and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
        target = transitions.get(current)
        if target and access.get(target, "blocked") != "blocked" and target not in seen:
            seen.add(target)
            queue.append(target)
    return seen


def placed_content(world: World, reachable: set[TileKey]) -> dict[str, set[str]]:
    """Return content codes by type found on reachable tiles or in events (key ``event_<type>``)."""
    placed: dict[str, set[str]] = {}
    for tile in _list(world, "maps"):
        content = tile["interactions"].get("content")
        if content and (tile["layer"], tile["x"], tile["y"]) in reachable:
            placed.setdefault(str(content.get("type")), set()).add(str(content.get("code")))
    for event in _list(world, "events"):
        content = event.get("content") or {}
        placed.setdefault(f"event_{content.get('type')}", set()).add(str(content.get("code")))
    return placed


def obtainable_items(world: World, placed: Mapping[str, set[str]]) -> set[str]:
    """Return the items a player can get: gathered, dropped, crafted, bought, rewarded or given."""
    got: set[str] = set((world.get("meta") or {}).get("starter_items") or [])
    monsters = placed.get("monster", set()) | placed.get("event_monster", set())
    resources = placed.get("resource", set()) | placed.get("event_resource", set())
    npcs = placed.get("npc", set()) | placed.get("event_npc", set())
    for entry in _list(world, "monsters"):
        if entry["code"] in monsters:
            got.update(str(d.get("code")) for d in entry["drops"])
    for entry in _list(world, "resources"):
        if entry["code"] in resources:
            got.update(str(d.get("code")) for d in entry["drops"])
    for ach in _list(world, "achievements"):
        got.update(str(r.get("code")) for r in (ach.get("rewards") or {}).get("items") or [])
    has_tasks = bool(placed.get("tasks_master"))
    if has_tasks:
        for task in _list(world, "tasks"):
            got.update(str(r.get("code")) for r in (task.get("rewards") or {}).get("items") or [])
    recipes = {
        i["code"]: [str(x.get("code")) for x in (i.get("craft") or {}).get("items") or []]
        for i in _list(world, "items")
        if i.get("craft") and (i["craft"].get("items") or [])
    }
    coins = {
        str(r.get("code"))
        for task in _list(world, "tasks")
        for r in (task.get("rewards") or {}).get("items") or []
    }
    offers = [
        o for o in _list(world, "npcs") if o.get("buy_price") is not None and o["npc"] in npcs
    ]
    changed = True
    while changed:
        changed = False
        for code, needs in recipes.items():
            if code not in got and all(n in got for n in needs):
                got.add(code)
                changed = True
        for offer in offers:
            if offer["code"] not in got and (
                offer["currency"] == "gold" or offer["currency"] in got
            ):
                got.add(offer["code"])
                changed = True
        if has_tasks and coins & got:
            new = {str(r.get("code")) for r in _list(world, "tasks_rewards")} - got
            if new:
                got |= new
                changed = True
    return got
