"""Map routes: all tiles, one layer, one position, one map id (with the spec's filters)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guildmaster.server.deps import GameDep
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import StaticPageDep, paginate
from guildmaster.server.routers.common import CodeQuery, MapContentType, MapLayer
from guildmaster.server.world import Json

__all__ = [
    "filter_maps",
    "get_layer_maps",
    "get_map",
    "get_map_by_id",
    "get_maps",
    "router",
]


def _event_map_ids(game: GameServer) -> set[int]:
    ids: set[int] = set()
    for event in game.state.active_events:
        tile = event.get("map") or {}
        if "map_id" in tile:
            ids.add(int(tile["map_id"]))
    return ids


def filter_maps(
    game: GameServer,
    *,
    layer: str | None = None,
    content_type: str | None = None,
    content_code: str | None = None,
    hide_blocked_maps: bool = False,
    hide_event: bool = False,
    transition: bool | None = None,
) -> list[Json]:
    """Tiles matching the ``GET /maps`` filters, in world order."""
    event_ids = _event_map_ids(game) if hide_event else set()
    grid = game.world.maps
    kept = []
    for tile in grid.tiles:
        content = grid.content(tile) or {}
        interactions = tile.get("interactions") or {}
        if (
            (layer is None or tile["layer"] == layer)
            and (content_type is None or content.get("type") == content_type)
            and (content_code is None or content.get("code") == content_code)
            and not (hide_blocked_maps and (tile.get("access") or {}).get("type") == "blocked")
            and not (hide_event and int(tile["map_id"]) in event_ids)
            and (transition is None or (interactions.get("transition") is not None) == transition)
        ):
            kept.append(tile)
    return kept


def _tile_by_id(game: GameServer, map_id: int) -> Json:
    tile = game.world.maps.by_id.get(map_id)
    if tile is None:
        raise NotFound("Map not found.")
    return tile


def _tile_at(game: GameServer, layer: str, x: int, y: int) -> Json:
    tile = game.world.maps.get(layer, x, y)
    if tile is None:
        raise NotFound("Map not found.")
    return tile


router = APIRouter(tags=["maps"])


@router.get("/maps")
async def get_maps(
    game: GameDep,
    page: StaticPageDep,
    layer: Annotated[MapLayer | None, Query()] = None,
    content_type: Annotated[MapContentType | None, Query()] = None,
    content_code: CodeQuery = None,
    hide_blocked_maps: bool = False,
    hide_event: bool = False,
    transition: bool | None = None,
) -> dict[str, Any]:
    """Every tile (filters: layer, content type/code, hide blocked/event, transition)."""
    tiles = filter_maps(
        game,
        layer=layer,
        content_type=content_type,
        content_code=content_code,
        hide_blocked_maps=hide_blocked_maps,
        hide_event=hide_event,
        transition=transition,
    )
    return paginate(tiles, page)


@router.get("/maps/id/{map_id}")
async def get_map_by_id(map_id: int, game: GameDep) -> dict[str, Any]:
    """One tile by map id (404 if unknown)."""
    return {"data": _tile_by_id(game, map_id)}


@router.get("/maps/{layer}")
async def get_layer_maps(
    layer: MapLayer,
    game: GameDep,
    page: StaticPageDep,
    content_type: Annotated[MapContentType | None, Query()] = None,
    content_code: CodeQuery = None,
    hide_blocked_maps: bool = False,
    hide_event: bool = False,
    transition: bool | None = None,
) -> dict[str, Any]:
    """The tiles of one layer (same filters as ``/maps``)."""
    tiles = filter_maps(
        game,
        layer=layer,
        content_type=content_type,
        content_code=content_code,
        hide_blocked_maps=hide_blocked_maps,
        hide_event=hide_event,
        transition=transition,
    )
    return paginate(tiles, page)


@router.get("/maps/{layer}/{x}/{y}")
async def get_map(layer: MapLayer, x: int, y: int, game: GameDep) -> dict[str, Any]:
    """One tile by position (404 if there is none)."""
    return {"data": _tile_at(game, layer, x, y)}
