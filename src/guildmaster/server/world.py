"""The static game world the server hosts: catalogues in the API's own JSON shape, indexed.

A world file has the top-level keys of the API data (``maps, items, resources, monsters, npcs``
(NPC item offers), ``tasks, events, effects, achievements``), optionally ``npc_details``,
``tasks_rewards``, ``bank`` (the starting bank) and ``meta {seed, generator_version, ...}``. The
real snapshot in ``shared/gamedata`` has this shape, and so has the output of the world generator.

Catalogue entries stay plain dicts because the server serves them back verbatim; only the map
content is mutable world state (events overlay tiles), and it lives in :class:`MapGrid`.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

__all__ = [
    "Json",
    "MapGrid",
    "TileKey",
    "World",
    "WorldLoadError",
    "load_world",
    "parse_world",
]

logger = logging.getLogger(__name__)

Json: TypeAlias = dict[str, Any]
TileKey: TypeAlias = tuple[str, int, int]

_REQUIRED_KEYS = ("maps", "items", "resources", "monsters", "npcs", "tasks", "events", "effects")


class WorldLoadError(ValueError):
    """A world file is missing, unreadable or not in the API's data shape."""


class MapGrid:
    """All tiles, indexed by ``(layer, x, y)`` and by ``map_id``; content is mutable."""

    def __init__(self, maps: list[Json]) -> None:
        self.tiles: list[Json] = maps
        self.by_key: dict[TileKey, Json] = {}
        self.by_id: dict[int, Json] = {}
        for tile in maps:
            self.by_key[(tile["layer"], int(tile["x"]), int(tile["y"]))] = tile
            self.by_id[int(tile["map_id"])] = tile

    def get(self, layer: str, x: int, y: int) -> Json | None:
        """The tile at a position, or None."""
        return self.by_key.get((layer, x, y))

    def content(self, tile: Json) -> Json | None:
        """The ``{type, code}`` content of a tile, or None."""
        interactions = tile.get("interactions") or {}
        content = interactions.get("content")
        return content if isinstance(content, dict) else None

    def find_content(self, content_type: str, code: str | None = None) -> Iterator[Json]:
        """Iterate tiles whose current content has this type (and code)."""
        for tile in self.tiles:
            content = self.content(tile)
            if (
                content
                and content.get("type") == content_type
                and (code is None or content.get("code") == code)
            ):
                yield tile

    def layers(self) -> set[str]:
        """The layer names present."""
        return {key[0] for key in self.by_key}


@dataclass
class World:
    """Catalogues of one world, indexed by code, plus the map grid."""

    items: dict[str, Json]
    monsters: dict[str, Json]
    resources: dict[str, Json]
    maps: MapGrid
    npc_offers: list[Json]
    npc_details: dict[str, Json]
    tasks: dict[str, Json]
    task_rewards: list[Json]
    events: dict[str, Json]
    effects: dict[str, Json]
    achievements: dict[str, Json]
    starting_bank: Json
    meta: Json = field(default_factory=dict)

    def item(self, code: str) -> Json | None:
        """An item by code, or None."""
        return self.items.get(code)

    def offers_of(self, npc: str) -> list[Json]:
        """The item offers of one NPC."""
        return [offer for offer in self.npc_offers if offer.get("npc") == npc]

    def offer(self, npc: str, code: str) -> Json | None:
        """The offer of ``npc`` for item ``code``, or None."""
        for offer in self.npc_offers:
            if offer.get("npc") == npc and offer.get("code") == code:
                return offer
        return None

    @property
    def starter_items(self) -> list[str]:
        """Item codes a new character starts with (from ``meta.starter_items``), if any."""
        raw = self.meta.get("starter_items", [])
        return [str(code) for code in raw if str(code) in self.items]


def _index(entries: list[Json], key: str = "code") -> dict[str, Json]:
    return {str(entry[key]): entry for entry in entries}


def _derive_npc_details(maps: list[Json], offers: list[Json]) -> list[Json]:
    """NPC details for worlds (like the snapshot) that only list NPC item offers."""
    codes = {str(offer["npc"]) for offer in offers}
    for tile in maps:
        content = (tile.get("interactions") or {}).get("content")
        if isinstance(content, dict) and content.get("type") == "npc":
            codes.add(str(content["code"]))
    details = []
    for code in sorted(codes):
        trades_items = any(
            offer.get("npc") == code and offer.get("currency") != "gold" for offer in offers
        )
        details.append(
            {
                "name": code.replace("_", " ").title(),
                "code": code,
                "description": "",
                "type": "trader" if trades_items else "merchant",
            }
        )
    return details


def _clear_event_content(maps: list[Json], events: list[Json]) -> None:
    """Remove event content captured in a snapshot: events overlay tiles themselves."""
    event_tiles: dict[TileKey, Json] = {}
    for event in events:
        for spot in event.get("maps", []):
            event_tiles[(spot["layer"], int(spot["x"]), int(spot["y"]))] = event.get("content", {})
    for tile in maps:
        key = (tile["layer"], int(tile["x"]), int(tile["y"]))
        content = (tile.get("interactions") or {}).get("content")
        expected = event_tiles.get(key)
        if content and expected and content.get("code") == expected.get("code"):
            tile["interactions"]["content"] = None


def parse_world(data: Mapping[str, Any]) -> World:
    """Build a :class:`World` from API-shaped data (deep-copied; the input is not modified).

    Raises:
        WorldLoadError: if a required catalogue is missing or malformed.
    """
    if not isinstance(data, Mapping):
        raise WorldLoadError("a world must be a JSON object")
    missing = [key for key in _REQUIRED_KEYS if not isinstance(data.get(key), list)]
    if missing:
        raise WorldLoadError(f"world is missing catalogues: {', '.join(missing)}")
    raw: dict[str, Any] = copy.deepcopy(dict(data))
    try:
        maps = list(raw["maps"])
        _clear_event_content(maps, raw["events"])
        details = raw.get("npc_details") or _derive_npc_details(maps, raw["npcs"])
        bank = raw.get("bank") or {}
        return World(
            items=_index(raw["items"]),
            monsters=_index(raw["monsters"]),
            resources=_index(raw["resources"]),
            maps=MapGrid(maps),
            npc_offers=list(raw["npcs"]),
            npc_details=_index(details),
            tasks=_index(raw["tasks"]),
            task_rewards=list(raw.get("tasks_rewards") or []),
            events=_index(raw["events"]),
            effects=_index(raw["effects"]),
            achievements=_index(raw.get("achievements") or []),
            starting_bank={
                "slots": int(bank.get("slots", 50)),
                "expansions": 0,
                "next_expansion_cost": int(bank.get("next_expansion_cost", 3500)),
                "gold": 0,
            },
            meta=dict(raw.get("meta") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise WorldLoadError(f"malformed world data: {exc!r}") from exc


def load_world(spec: str) -> World:
    """Load ``generated:SEED`` (generated in memory) or a world file PATH.

    Raises:
        WorldLoadError: if the file is missing, not JSON, or not a world.
    """
    if spec.startswith("generated:"):
        seed_text = spec.split(":", 1)[1]
        try:
            seed = int(seed_text)
        except ValueError as exc:
            raise WorldLoadError(f"bad seed in {spec!r}: expected an integer") from exc
        from guildmaster.server.worldgen import generate_world

        return parse_world(generate_world(seed))
    path = Path(spec)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldLoadError(f"cannot read world file {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorldLoadError(f"world file {path} is not valid JSON: {exc}") from exc
    logger.info("loaded world file %s", path)
    return parse_world(data)
