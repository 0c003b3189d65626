"""Movement (MECHANICS §18): ``move`` with server-side A* inside a layer, and ``transition``.

A move never crosses layers. Walkable tiles are ``standard`` ones and ``conditional`` ones whose
conditions hold; ``restricted`` tiles form closed regions entered through transitions, so a path
stays inside the kind of region it starts in. The cooldown is 5 game seconds per step.
"""

from __future__ import annotations

import copy
import heapq
import logging
from collections.abc import Iterator

from guildmaster.server.actions.common import check_conditions, require_gold, require_held
from guildmaster.server.engine.durations import move_seconds
from guildmaster.server.errors import (
    AlreadyAtDestination,
    GameError,
    InvalidPayload,
    MapBlocked,
    NoPathToDestination,
    NotFound,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = [
    "find_path",
    "is_walkable",
    "move",
    "transition",
]

logger = logging.getLogger(__name__)

_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def _access(tile: Json) -> tuple[str, list[Json]]:
    access = tile.get("access") or {}
    return str(access.get("type", "standard")), list(access.get("conditions") or [])


def _conditions_hold(game: GameServer, char: Character, conditions: list[Json]) -> bool:
    try:
        check_conditions(game, char, conditions)
    except GameError:
        return False
    return True


def is_walkable(game: GameServer, char: Character, tile: Json, *, restricted: bool) -> bool:
    """Whether a path may step on ``tile`` (``restricted``: the path runs in a closed region)."""
    kind, conditions = _access(tile)
    if kind == "blocked":
        return False
    if (kind == "restricted") != restricted:
        return False
    return not conditions or _conditions_hold(game, char, conditions)


def _neighbours(game: GameServer, layer: str, x: int, y: int) -> Iterator[tuple[int, int, Json]]:
    for dx, dy in _STEPS:
        tile = game.world.maps.get(layer, x + dx, y + dy)
        if tile is not None:
            yield x + dx, y + dy, tile


def find_path(
    game: GameServer, char: Character, goal: tuple[int, int]
) -> list[tuple[int, int]] | None:
    """Shortest 4-neighbour path in the character's layer, excluding the start; None if none."""
    start = (char.x, char.y)
    start_tile = game.world.maps.get(char.layer, char.x, char.y)
    restricted = start_tile is not None and _access(start_tile)[0] == "restricted"
    frontier: list[tuple[int, int, tuple[int, int]]] = [(0, 0, start)]
    came_from: dict[tuple[int, int], tuple[int, int] | None] = {start: None}
    cost: dict[tuple[int, int], int] = {start: 0}
    counter = 0
    while frontier:
        _, _, current = heapq.heappop(frontier)
        if current == goal:
            break
        for nx, ny, tile in _neighbours(game, char.layer, *current):
            step = (nx, ny)
            new_cost = cost[current] + 1
            if step in cost and cost[step] <= new_cost:
                continue
            if not is_walkable(game, char, tile, restricted=restricted):
                continue
            cost[step] = new_cost
            came_from[step] = current
            counter += 1
            estimate = new_cost + abs(goal[0] - nx) + abs(goal[1] - ny)
            heapq.heappush(frontier, (estimate, counter, step))
    if goal not in came_from:
        return None
    path: list[tuple[int, int]] = []
    node: tuple[int, int] | None = goal
    while node is not None and node != start:
        path.append(node)
        node = came_from[node]
    path.reverse()
    return path


def _destination(game: GameServer, char: Character, body: Json) -> Json:
    map_id = body.get("map_id")
    x, y = body.get("x"), body.get("y")
    if map_id is not None:
        tile = game.world.maps.by_id.get(int(map_id))
    elif x is not None and y is not None:
        tile = game.world.maps.get(char.layer, int(x), int(y))
    else:
        raise InvalidPayload("Provide either 'map_id' or both 'x' and 'y'.")
    if tile is None:
        raise NotFound("Map not found.")
    return tile


def move(game: GameServer, char: Character, body: Json) -> ActionResult:
    """``POST /action/move`` with ``{x, y}`` or ``{map_id}``.

    Raises:
        InvalidPayload: No destination.
        NotFound: Unknown map.
        AlreadyAtDestination: Already there.
        MapBlocked: Blocked or restricted destination.
        ConditionsNotMet: Destination conditions.
        NoPathToDestination: No path (or other layer).
    """
    tile = _destination(game, char, body)
    tx, ty, layer = int(tile["x"]), int(tile["y"]), str(tile["layer"])
    if (layer, tx, ty) == (char.layer, char.x, char.y):
        raise AlreadyAtDestination("The character is already at the destination.")
    kind, conditions = _access(tile)
    start_tile = game.world.maps.get(char.layer, char.x, char.y)
    inside = start_tile is not None and _access(start_tile)[0] == "restricted"
    if kind == "blocked" or (kind == "restricted" and not inside):
        raise MapBlocked("The map is blocked and cannot be accessed.")
    if conditions:
        check_conditions(game, char, conditions)
    if layer != char.layer:
        raise NoPathToDestination("No path available to the destination map.")
    path = find_path(game, char, (tx, ty))
    if path is None:
        raise NoPathToDestination("No path available to the destination map.")
    char.x, char.y, char.map_id = tx, ty, int(tile["map_id"])
    return ActionResult(
        seconds=move_seconds(len(path)),
        reason="movement",
        data={"destination": copy.deepcopy(tile), "path": [[px, py] for px, py in path]},
        description=f"{char.name} moved to ({tx}, {ty}).",
        content={"x": tx, "y": ty, "map_id": tile["map_id"], "layer": layer},
    )


def transition(game: GameServer, char: Character) -> ActionResult:
    """``POST /action/transition``: take the transition of the current tile, paying its costs.

    Raises:
        NotFound: No transition here.
        ConditionsNotMet: The transition's conditions do not hold.
        InsufficientGold: Gold cost.
        MissingItem: Item cost.
    """
    tile = game.tile_of(char)
    link = (tile.get("interactions") or {}).get("transition")
    if not link:
        raise NotFound("Transition not found.")
    conditions = list(link.get("conditions") or [])
    check_conditions(game, char, conditions)
    check_conditions(game, char, conditions, skip_costs=False)
    destination = game.world.maps.by_id.get(int(link["map_id"])) or game.world.maps.get(
        str(link["layer"]), int(link["x"]), int(link["y"])
    )
    if destination is None:
        raise NotFound("Transition not found.")
    for cond in conditions:
        if cond.get("operator") != "cost":
            continue
        amount = int(cond.get("value", 0))
        if cond.get("code") == "gold":
            require_gold(char, amount)
            char.gold -= amount
        else:
            require_held(char, [(str(cond["code"]), amount)])
            char.remove_item(str(cond["code"]), amount)
    char.layer = str(destination["layer"])
    char.x, char.y = int(destination["x"]), int(destination["y"])
    char.map_id = int(destination["map_id"])
    return ActionResult(
        seconds=game.rules.transition_cooldown_seconds,
        reason="transition",
        data={"destination": copy.deepcopy(destination), "transition": copy.deepcopy(link)},
        description=f"{char.name} took the transition to {char.layer} ({char.x}, {char.y}).",
        content={"map_id": char.map_id, "layer": char.layer},
    )
