"""Map layout of a generated world: an overworld plus underground mines and interior houses.

Each layer is a 17 x 28 grid (x -5..11, y -5..22) like the real world. The overworld has lakes
(blocked tiles), a restricted grove entered through a paid transition and one conditional tile;
every standard tile is reachable from the spawn at (0, 0). Services sit near the spawn and the
resources and monsters move away from it as their level rises. Two mines and two houses are
reached through transitions; three boss lairs are closed by keys (``cost``/``has_item``) or gold.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LAYERS", "X_RANGE", "Y_RANGE", "Content", "MapPlan", "build_maps", "map_id"]

LAYERS = ("overworld", "underground", "interior")
X_RANGE = range(-5, 12)
Y_RANGE = range(-5, 23)
_LAYER_SIZE = len(X_RANGE) * len(Y_RANGE)

Tile = tuple[int, int]


def map_id(layer: str, x: int, y: int) -> int:
    """Return the map_id of a tile (stable for every generated world).

    >>> map_id("overworld", 0, 0)
    91
    """
    return LAYERS.index(layer) * _LAYER_SIZE + (y - Y_RANGE.start) * len(X_RANGE) + x + 6


@dataclass(frozen=True)
class Content:
    """A map content (``{type, code}``)."""

    type: str
    code: str


@dataclass
class MapPlan:
    """What the layout must place, decided by the generator."""

    services: list[Content]
    far_services: list[Content]
    conditional: Content
    conditional_achievement: str
    overworld: list[tuple[int, Content]]
    mine_a: list[Content]
    mine_b: list[Content]
    lair_a: list[Content]
    lair_a_key: str
    lair_b: list[Content]
    lair_b_key: str
    house_1: list[Content]
    house_2: list[Content]
    house_2_item: str
    grove: list[Content]
    grove_price: int = 1500
    free_tiles: list[Tile] = field(default_factory=list)


def _neighbours(tile: Tile) -> list[Tile]:
    x, y = tile
    out = [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
    return [(a, b) for a, b in out if a in X_RANGE and b in Y_RANGE]


class _Layer:
    def __init__(self, name: str, walkable: bool) -> None:
        self.name = name
        self.access = {
            (x, y): "standard" if walkable else "blocked" for x in X_RANGE for y in Y_RANGE
        }
        self.content: dict[Tile, Content] = {}
        self.transition: dict[Tile, dict[str, Any]] = {}
        self.conditions: dict[Tile, list[dict[str, Any]]] = {}
        self.area: dict[Tile, str] = {}


def _carve(
    rng: random.Random, layer: _Layer, box: tuple[range, range], size: int, name: str
) -> list[Tile]:
    xs, ys = box
    start = (xs.start + len(xs) // 2, ys.start + len(ys) // 2)
    carved = [start]
    seen = {start}
    while len(carved) < size:
        base = rng.choice(carved)
        options = [t for t in _neighbours(base) if t[0] in xs and t[1] in ys and t not in seen]
        if not options:
            continue
        tile = rng.choice(options)
        seen.add(tile)
        carved.append(tile)
    for tile in carved:
        layer.access[tile] = "standard"
        layer.area[tile] = name
    return carved


def _bfs(layer: _Layer, start: Tile) -> dict[Tile, int]:
    dist = {start: 0}
    queue = deque([start])
    while queue:
        tile = queue.popleft()
        for nxt in _neighbours(tile):
            if nxt not in dist and layer.access[nxt] in ("standard", "conditional"):
                dist[nxt] = dist[tile] + 1
                queue.append(nxt)
    return dist


def _link(
    src: tuple[_Layer, Tile], dst: tuple[_Layer, Tile], conditions: list[dict[str, Any]]
) -> None:
    (src_layer, (sx, sy)), (dst_layer, (dx, dy)) = src, dst
    src_layer.transition[(sx, sy)] = {
        "map_id": map_id(dst_layer.name, dx, dy),
        "x": dx,
        "y": dy,
        "layer": dst_layer.name,
        "conditions": conditions,
    }


def _place(tiles: list[Tile], layer: _Layer, contents: list[Content]) -> None:
    free = [t for t in tiles if t not in layer.content]
    for tile, content in zip(free, contents, strict=False):
        layer.content[tile] = content


def _flood_lakes(rng: random.Random, over: _Layer) -> None:
    """Block eleven random lakes on the overworld, none within 4 steps of the spawn."""
    for _ in range(11):
        while True:
            centre = (rng.choice(X_RANGE), rng.choice(Y_RANGE))
            if abs(centre[0]) + abs(centre[1]) >= 5:
                break
        blob = [centre]
        for _ in range(rng.randint(8, 17)):
            options = [t for t in _neighbours(rng.choice(blob)) if abs(t[0]) + abs(t[1]) > 3]
            if options:
                blob.append(rng.choice(options))
        for tile in blob:
            over.access[tile] = "blocked"
            over.area[tile] = "lake"


def _fence_grove(over: _Layer, grove: list[Tile]) -> None:
    """Surround the grove with water and make it restricted (reached by a paid transition)."""
    for tile in grove:
        for nxt in _neighbours(tile):
            over.access[nxt] = "blocked"
            over.area[nxt] = "lake"
    for tile in grove:
        over.access[tile] = "restricted"
        over.area[tile] = "grove"


def _dig_areas(
    rng: random.Random,
    plan: MapPlan,
    over: _Layer,
    layers: tuple[_Layer, _Layer],
    entry_at: Callable[[float], Tile],
) -> None:
    """Carve the mines and houses (entered from the overworld) and the lairs behind the mines.

    ``entry_at(where)`` picks the overworld entry tile at ``where`` of the greatest distance.
    """
    under, inside = layers
    areas = (
        (under, (range(12), range(-5, 5)), 22, "mine_a", 0.2, plan.mine_a),
        (under, (range(12), range(12, 23)), 22, "mine_b", 0.7, plan.mine_b),
        (inside, (range(-5, -1), range(-5, -1)), 4, "house_1", 0.12, plan.house_1),
        (inside, (range(2, 6), range(-5, -1)), 4, "house_2", 0.5, plan.house_2),
    )
    entries: dict[str, tuple[_Layer, Tile]] = {}
    for layer, box, size, name, where, contents in areas:
        tiles = _carve(rng, layer, box, size, name)
        entry = entry_at(where)
        conditions: list[dict[str, Any]] = []
        if name == "house_2":
            conditions = [{"code": plan.house_2_item, "operator": "has_item", "value": 1}]
        _link((over, entry), (layer, tiles[0]), conditions)
        _link((layer, tiles[0]), (over, entry), [])
        # A mine keeps its last tile free: the door to its boss lair goes there.
        _place(tiles[1:-1] if name.startswith("mine") else tiles[1:], layer, contents)
        entries[name] = (layer, tiles[-1])
    for box, name, key, contents, parent in (
        ((range(-5, -2), range(-5, 0)), "lair_a", plan.lair_a_key, plan.lair_a, "mine_a"),
        ((range(-5, -2), range(16, 23)), "lair_b", plan.lair_b_key, plan.lair_b, "mine_b"),
    ):
        tiles = _carve(rng, under, box, 3, name)
        layer, door = entries[parent]
        _link((layer, door), (under, tiles[0]), [{"code": key, "operator": "cost", "value": 1}])
        _link((under, tiles[0]), (layer, door), [])
        _place(tiles[1:], under, contents)


def build_maps(rng: random.Random, plan: MapPlan, zone_names: list[str]) -> list[dict[str, Any]]:
    """Lay out the three layers for ``plan`` and return MapSchema dicts sorted by map_id.

    ``plan.free_tiles`` receives the overworld tiles left empty (for events).
    """
    over = _Layer("overworld", walkable=True)
    under = _Layer("underground", walkable=False)
    inside = _Layer("interior", walkable=False)
    spawn = (0, 0)
    _flood_lakes(rng, over)
    grove = [(-5, 20), (-4, 20), (-5, 21), (-4, 21), (-5, 22), (-4, 22)]
    _fence_grove(over, grove)
    dist = _bfs(over, spawn)
    for tile, access in over.access.items():
        if access == "standard" and tile not in dist:
            over.access[tile] = "blocked"
            over.area[tile] = "lake"
    ordered = sorted(dist, key=lambda t: (dist[t], rng.random()))
    max_dist = max(dist.values())

    def take_near(target: float) -> Tile:
        free = [
            t for t in ordered if t != spawn and t not in over.content and t not in over.transition
        ]
        return min(free, key=lambda t: (abs(dist[t] - target), dist[t]))

    _place([t for t in ordered if t != spawn], over, plan.services)
    for index, content in enumerate(plan.far_services):
        over.content[take_near(max_dist * (0.45 + 0.2 * index))] = content
    # The conditional tile is a dead end so it never blocks a path to anything else.
    dead_ends = [
        t
        for t in ordered
        if dist[t] > max_dist // 3
        and t not in over.content
        and sum(over.access[n] == "standard" for n in _neighbours(t)) == 1
    ]
    if dead_ends:
        tile = dead_ends[len(dead_ends) // 2]
        over.access[tile] = "conditional"
        over.conditions[tile] = [
            {"code": plan.conditional_achievement, "operator": "achievement_unlocked", "value": 1}
        ]
        over.content[tile] = plan.conditional
    grove_entry = min(
        (t for t in ordered if t not in over.content and t != spawn),
        key=lambda t: abs(t[0] + 4) + abs(t[1] - 21),
    )
    _link(
        (over, grove_entry),
        (over, (-4, 20)),
        [{"code": "gold", "operator": "cost", "value": plan.grove_price}],
    )
    _link((over, (-4, 20)), (over, grove_entry), [])
    _place(grove[1:], over, plan.grove)
    _dig_areas(rng, plan, over, (under, inside), lambda where: take_near(max_dist * where))
    for level, content in sorted(plan.overworld, key=lambda lc: lc[0]):
        over.content[take_near(2 + level * (max_dist - 3) / 50)] = content
    plan.free_tiles[:] = [
        t for t in ordered if t != spawn and t not in over.content and t not in over.transition
    ]
    return _render((over, under, inside), zone_names, max_dist, dist)


def _render(
    layers: tuple[_Layer, ...], zone_names: list[str], max_dist: int, dist: dict[Tile, int]
) -> list[dict[str, Any]]:
    maps: list[dict[str, Any]] = []
    for layer in layers:
        for (x, y), access in layer.access.items():
            area = layer.area.get((x, y), "")
            if (x, y) == (0, 0) and layer.name == "overworld":
                name, skin = "Spawn", "spawn"
            elif access == "blocked":
                name, skin = (
                    ("Lake", f"lake_{(x * 7 + y) % 4 + 1}")
                    if layer.name == "overworld"
                    else ("Empty", layer.name)
                )
            elif layer.name == "overworld" and area == "grove":
                name, skin = f"{zone_names[-1]} Grove", "grove_1"
            elif layer.name == "overworld":
                zone = min(
                    len(zone_names) - 2,
                    dist.get((x, y), 0) * (len(zone_names) - 1) // (max_dist + 1),
                )
                name, skin = zone_names[zone], f"zone{zone + 1}_{(x * 5 + y * 3) % 6 + 1}"
            else:
                label = zone_names[_hash_area(area) % len(zone_names)]
                name = f"{label} {'Mine' if layer.name == 'underground' else 'House'}"
                skin = f"{area}_{(x + y) % 3 + 1}"
            content = layer.content.get((x, y))
            maps.append(
                {
                    "map_id": map_id(layer.name, x, y),
                    "name": name,
                    "skin": skin,
                    "x": x,
                    "y": y,
                    "layer": layer.name,
                    "access": {"type": access, "conditions": layer.conditions.get((x, y), [])},
                    "interactions": {
                        "content": None
                        if content is None
                        else {"type": content.type, "code": content.code},
                        "transition": layer.transition.get((x, y)),
                    },
                }
            )
    return sorted(maps, key=lambda m: int(m["map_id"]))


def _hash_area(area: str) -> int:
    """Return a stable small hash of an area name (Python's ``hash`` is salted per process)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(area))
