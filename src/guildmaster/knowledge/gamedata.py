"""``GameData``: every catalogue of the game, loaded once, with typed access and indexes.

Everything is derived from the server's data (or a world file of the same shape): recipes,
drop sources, locations, tier ladders, equipment by slot and gathering tools. Nothing names a
concrete item, monster or tile, so a generated world works exactly like the real one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from guildmaster.knowledge.cache import CATALOGUE_NAMES, CatalogueCache, CatalogueSource
from guildmaster.knowledge.model import (
    Achievement,
    ActiveEvent,
    Craft,
    Drop,
    EffectInfo,
    Event,
    Item,
    ItemCode,
    Monster,
    Npc,
    NpcOffer,
    Resource,
    Task,
    Tile,
    TileKey,
)
from guildmaster.planning.domains.actions import slot_item_type
from guildmaster.planning.domains.state import EQUIPMENT_SLOTS

__all__ = [
    "GATHERING_SKILLS",
    "WORLD_KEYS",
    "GameData",
    "ItemSources",
]

logger = logging.getLogger(__name__)

#: API catalogue name -> its key in a world file (the shape :meth:`GameData.from_snapshot` reads).
WORLD_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "items": "items",
        "monsters": "monsters",
        "resources": "resources",
        "maps": "maps",
        "npcs/details": "npc_details",
        "npcs/items": "npcs",
        "tasks/list": "tasks",
        "tasks/rewards": "tasks_rewards",
        "events": "events",
        "events/active": "active_events",
        "effects": "effects",
        "achievements": "achievements",
    }
)
#: Keys older world files use instead (read when the current key is missing or empty).
_OLD_WORLD_KEYS: Mapping[str, str] = MappingProxyType({"tasks/rewards": "task_rewards"})
#: Skills that gather (their tools carry a negative effect named after the skill).
GATHERING_SKILLS: tuple[str, ...] = ("mining", "woodcutting", "fishing", "alchemy")


@dataclass(frozen=True, slots=True)
class ItemSources:
    """Every known way to obtain one item.

    ``tasks`` are the task-exchange rewards (``GET /tasks/rewards``), ``task_completions`` the
    tasks whose completion pays the item, ``achievements`` those that reward it.
    """

    code: ItemCode
    resources: tuple[tuple[Resource, Drop], ...] = ()
    monsters: tuple[tuple[Monster, Drop], ...] = ()
    npcs: tuple[NpcOffer, ...] = ()
    tasks: tuple[Drop, ...] = ()
    craft: Craft | None = None
    task_completions: tuple[Task, ...] = ()
    achievements: tuple[Achievement, ...] = ()

    @property
    def is_obtainable(self) -> bool:
        """Return whether at least one source exists."""
        return bool(
            self.resources
            or self.monsters
            or self.npcs
            or self.tasks
            or self.craft
            or self.task_completions
            or self.achievements
        )


def _index(objs: Iterable[Any]) -> dict[str, Any]:
    return {o.code: o for o in objs}


@dataclass(frozen=True, eq=False)
class GameData:
    """All catalogues of one world, immutable, with precomputed indexes.

    Build with :meth:`load` (from the API, optionally through a :class:`CatalogueCache`) or
    :meth:`from_snapshot` (a world-file dict). Instances compare and hash by identity, so they
    can key caches.
    """

    items: Mapping[ItemCode, Item]
    monsters: Mapping[str, Monster]
    resources: Mapping[str, Resource]
    maps: Mapping[TileKey, Tile]
    npcs: Mapping[str, Npc]
    npc_offers: tuple[NpcOffer, ...]
    tasks: Mapping[str, Task]
    task_rewards: tuple[Drop, ...]
    events: Mapping[str, Event]
    active_events: tuple[ActiveEvent, ...]
    effects: Mapping[str, EffectInfo]
    achievements: Mapping[str, Achievement]
    _by_map_id: dict[int, Tile] = field(init=False, repr=False, compare=False)
    _used_in: dict[ItemCode, tuple[Item, ...]] = field(init=False, repr=False, compare=False)
    _locations: dict[tuple[str, str], tuple[Tile, ...]] = field(
        init=False, repr=False, compare=False
    )
    _sources: dict[ItemCode, ItemSources] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "_by_map_id", {t.map_id: t for t in self.maps.values()})
        used: dict[ItemCode, list[Item]] = defaultdict(list)
        for item in self.items.values():
            if item.craft:
                for ing in item.craft.items:
                    used[ing.code].append(item)
        set_(self, "_used_in", {k: tuple(v) for k, v in used.items()})
        locs: dict[tuple[str, str], list[Tile]] = defaultdict(list)
        for tile in sorted(self.maps.values(), key=lambda t: t.map_id):
            if tile.content is not None:
                locs[(tile.content.type, tile.content.code)].append(tile)
        set_(self, "_locations", {k: tuple(v) for k, v in locs.items()})
        set_(self, "_sources", self._build_sources())

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_api(cls, catalogues: Mapping[str, list[dict[str, Any]]]) -> GameData:
        """Build from raw catalogues keyed by API name (``items``, ``npcs/details``, ...)."""

        def get(name: str) -> list[dict[str, Any]]:
            return list(catalogues.get(name) or ())

        offers = tuple(NpcOffer.from_api(d) for d in get("npcs/items"))
        maps = [Tile.from_api(d) for d in get("maps")]
        npcs: dict[str, Npc] = _index(Npc.from_api(d) for d in get("npcs/details"))
        # Worlds without an NPC catalogue (snapshots) still name their NPCs in offers and maps.
        for code in sorted(
            {o.npc for o in offers}
            | {t.content.code for t in maps if t.content and t.content.type == "npc"}
        ):
            if code not in npcs:
                npcs[code] = Npc(code=code, name=code, type="merchant")
        return cls(
            items=MappingProxyType(_index(Item.from_api(d) for d in get("items"))),
            monsters=MappingProxyType(_index(Monster.from_api(d) for d in get("monsters"))),
            resources=MappingProxyType(_index(Resource.from_api(d) for d in get("resources"))),
            maps=MappingProxyType({t.key: t for t in maps}),
            npcs=MappingProxyType(npcs),
            npc_offers=offers,
            tasks=MappingProxyType(_index(Task.from_api(d) for d in get("tasks/list"))),
            task_rewards=tuple(Drop.from_api(d) for d in get("tasks/rewards")),
            events=MappingProxyType(_index(Event.from_api(d) for d in get("events"))),
            active_events=tuple(ActiveEvent.from_api(d) for d in get("events/active")),
            effects=MappingProxyType(_index(EffectInfo.from_api(d) for d in get("effects"))),
            achievements=MappingProxyType(
                _index(Achievement.from_api(d) for d in get("achievements"))
            ),
        )

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> GameData:
        """Build from a world-file dict (keys ``maps, items, ..., npcs`` = NPC offers)."""
        catalogues: dict[str, list[dict[str, Any]]] = {}
        for api, key in WORLD_KEYS.items():
            entries = snapshot.get(key)
            if not entries and api in _OLD_WORLD_KEYS:
                entries = snapshot.get(_OLD_WORLD_KEYS[api])
            if entries:
                catalogues[api] = list(entries)
        return cls.from_api(catalogues)

    @classmethod
    async def load(
        cls,
        source: CatalogueSource,
        *,
        cache: CatalogueCache | None = None,
        server: str | None = None,
    ) -> GameData:
        """Fetch every catalogue from ``source`` (through ``cache`` when given) and index it.

        ``server`` keys the cache; by default the source's ``base_url`` attribute, if any.
        Active events are always fetched live (they change by the minute); if that fails they
        are taken as none.

        Raises:
            CatalogueUnavailable: a catalogue could be neither fetched nor read from the cache.
        """
        key = server or str(getattr(source, "base_url", "") or "default")

        async def one(name: str) -> list[dict[str, Any]]:
            if name == "events/active":
                try:
                    return await source.fetch_catalogue(name)
                except Exception as exc:
                    logger.warning("active events unavailable (%s); assuming none", exc)
                    return []
            if cache is None:
                return await source.fetch_catalogue(name)
            return await cache.get(key, name, functools.partial(source.fetch_catalogue, name))

        # All catalogues at once (the client's rate limiter paces the requests); every fetch
        # finishes before the first failure, if any, is raised.
        results = await asyncio.gather(*(one(n) for n in CATALOGUE_NAMES), return_exceptions=True)
        catalogues: dict[str, list[dict[str, Any]]] = {}
        for name, result in zip(CATALOGUE_NAMES, results, strict=True):
            if isinstance(result, BaseException):
                raise result
            catalogues[name] = result
        data = cls.from_api(catalogues)
        logger.info(
            "game data loaded: %d items, %d monsters, %d resources, %d tiles",
            len(data.items),
            len(data.monsters),
            len(data.resources),
            len(data.maps),
        )
        return data

    # ----------------------------------------------------------------- maps and locations

    def tile(self, layer: str, x: int, y: int) -> Tile:
        """Return the tile at (layer, x, y).

        Raises:
            KeyError: no such tile.
        """
        return self.maps[(layer, x, y)]

    def tile_by_id(self, map_id: int) -> Tile:
        """Return the tile with ``map_id``.

        Raises:
            KeyError: no such tile.
        """
        return self._by_map_id[map_id]

    def locations(self, content_type: str, code: str | None = None) -> tuple[Tile, ...]:
        """Return the tiles holding content ``content_type`` (of ``code`` when given)."""
        if code is not None:
            return self._locations.get((content_type, code), ())
        return tuple(
            t
            for (kind, _), tiles in sorted(self._locations.items())
            if kind == content_type
            for t in tiles
        )

    def workshops(self, skill: str) -> tuple[Tile, ...]:
        """Return the workshop tiles of crafting ``skill``."""
        return self.locations("workshop", skill)

    def banks(self) -> tuple[Tile, ...]:
        """Return the bank tiles."""
        return self.locations("bank")

    def grand_exchanges(self) -> tuple[Tile, ...]:
        """Return the Grand Exchange tiles."""
        return self.locations("grand_exchange")

    def tasks_masters(self, task_type: str | None = None) -> tuple[Tile, ...]:
        """Return the tasks-master tiles (of one task type, e.g. ``monsters``, when given)."""
        return self.locations("tasks_master", task_type)

    def npc_tiles(self, npc: str) -> tuple[Tile, ...]:
        """Return the tiles where NPC ``npc`` stands."""
        return self.locations("npc", npc)

    def monster_tiles(self, monster: str) -> tuple[Tile, ...]:
        """Return the tiles where ``monster`` can be fought."""
        return self.locations("monster", monster)

    def resource_tiles(self, resource: str) -> tuple[Tile, ...]:
        """Return the tiles where ``resource`` can be gathered."""
        return self.locations("resource", resource)

    def events_with(self, content_type: str, code: str | None = None) -> tuple[Event, ...]:
        """Return the events that bring content ``content_type`` (of ``code`` when given)."""
        return tuple(
            e
            for e in self.events.values()
            if e.content is not None
            and e.content.type == content_type
            and (code is None or e.content.code == code)
        )

    def with_active_events(self, active: Iterable[ActiveEvent]) -> GameData:
        """Return a copy whose tiles reflect ``active`` (the latest ``GET /events/active``).

        Tiles of events that ended get their ``previous`` content back; tiles of running events
        show the event's content. Indexes are rebuilt; navigators must be rebuilt by the caller.
        """
        running = tuple(active)
        maps = dict(self.maps)
        still = {a.tile.key for a in running}
        for ended in self.active_events:
            if ended.tile.key not in still and ended.previous is not None:
                maps[ended.tile.key] = ended.previous
        for event in running:
            maps[event.tile.key] = event.tile
        return replace(self, maps=MappingProxyType(maps), active_events=running)

    def is_event_only(self, content_type: str, code: str) -> bool:
        """Return whether ``code`` appears only through events (no permanent tile holds it).

        Tiles occupied by an active event do not count as permanent.
        """
        active = {a.tile.key for a in self.active_events}
        permanent = [t for t in self.locations(content_type, code) if t.key not in active]
        return not permanent and bool(self.events_with(content_type, code))

    # ----------------------------------------------------------------- recipes

    def recipe(self, code: ItemCode) -> Craft | None:
        """Return the recipe of item ``code`` or ``None`` when it cannot be crafted."""
        item = self.items.get(code)
        return item.craft if item else None

    def used_in(self, code: ItemCode) -> tuple[Item, ...]:
        """Return the craftable items whose recipe consumes ``code``."""
        return self._used_in.get(code, ())

    def raw_materials(self, code: ItemCode, quantity: int = 1) -> dict[ItemCode, int]:
        """Return the full bill of uncraftable materials for ``quantity`` units of ``code``.

        Intermediate items are aggregated before rounding up to whole craft runs, so shared
        intermediates are not over-counted. An uncraftable ``code`` is its own bill.

        Raises:
            ValueError: the recipe graph has a cycle through ``code``.
        """
        order = self._topological(code)
        need: dict[ItemCode, int] = defaultdict(int)
        need[code] = quantity
        raw: dict[ItemCode, int] = {}
        for current in order:
            amount = need.get(current, 0)
            if amount <= 0:
                continue
            craft = self.recipe(current)
            if craft is None:
                raw[current] = amount
                continue
            runs = math.ceil(amount / craft.quantity)
            for ing in craft.items:
                need[ing.code] += ing.quantity * runs
        return raw

    def craft_runs(self, code: ItemCode, quantity: int = 1) -> dict[ItemCode, int]:
        """Return how many craft runs of each intermediate (and ``code``) ``quantity`` needs."""
        order = self._topological(code)
        need: dict[ItemCode, int] = defaultdict(int)
        need[code] = quantity
        runs: dict[ItemCode, int] = {}
        for current in order:
            craft = self.recipe(current)
            if craft is None or need.get(current, 0) <= 0:
                continue
            n = math.ceil(need[current] / craft.quantity)
            runs[current] = n
            for ing in craft.items:
                need[ing.code] += ing.quantity * n
        return runs

    def _topological(self, code: ItemCode) -> list[ItemCode]:
        """Items reachable through recipes from ``code``, each before its ingredients."""
        post: list[ItemCode] = []
        state: dict[ItemCode, int] = {}  # 1 = on the stack, 2 = done

        def visit(c: ItemCode) -> None:
            mark = state.get(c)
            if mark == 2:
                return
            if mark == 1:
                raise ValueError(f"recipe cycle through {c!r}")
            state[c] = 1
            craft = self.recipe(c)
            if craft:
                for ing in craft.items:
                    visit(ing.code)
            state[c] = 2
            post.append(c)

        visit(code)
        return post[::-1]

    # ----------------------------------------------------------------- sources

    def _build_sources(self) -> dict[ItemCode, ItemSources]:
        res: dict[ItemCode, list[tuple[Resource, Drop]]] = defaultdict(list)
        mon: dict[ItemCode, list[tuple[Monster, Drop]]] = defaultdict(list)
        npc: dict[ItemCode, list[NpcOffer]] = defaultdict(list)
        task: dict[ItemCode, list[Drop]] = defaultdict(list)
        for r in self.resources.values():
            for d in r.drops:
                res[d.code].append((r, d))
        for m in self.monsters.values():
            for d in m.drops:
                mon[d.code].append((m, d))
        for o in self.npc_offers:
            if o.buy_price is not None:
                npc[o.code].append(o)
        for d in self.task_rewards:
            task[d.code].append(d)
        done: dict[ItemCode, list[Task]] = defaultdict(list)
        for t in self.tasks.values():
            for reward in t.reward_items:
                done[reward.code].append(t)
        ach: dict[ItemCode, list[Achievement]] = defaultdict(list)
        for a in self.achievements.values():
            for reward in a.reward_items:
                ach[reward.code].append(a)
        codes = set(self.items) | set(res) | set(mon) | set(npc) | set(task) | set(done) | set(ach)
        return {
            c: ItemSources(
                code=c,
                resources=tuple(sorted(res[c], key=lambda p: (p[1].rate, p[0].level))),
                monsters=tuple(sorted(mon[c], key=lambda p: (p[1].rate, p[0].level))),
                npcs=tuple(sorted(npc[c], key=lambda o: (o.buy_price or 0, o.npc))),
                tasks=tuple(task[c]),
                craft=self.recipe(c),
                task_completions=tuple(sorted(done[c], key=lambda t: (t.level, t.code))),
                achievements=tuple(ach[c]),
            )
            for c in codes
        }

    def sources(self, code: ItemCode) -> ItemSources:
        """Return every way to obtain item ``code`` (best drop rate first)."""
        return self._sources.get(code) or ItemSources(code=code)

    def npc_offers_of(self, npc: str) -> tuple[NpcOffer, ...]:
        """Return the offers of NPC ``npc``."""
        return tuple(o for o in self.npc_offers if o.npc == npc)

    def sell_offers(self, code: ItemCode) -> tuple[NpcOffer, ...]:
        """Return the NPC offers that buy item ``code`` from players (``sell_price`` set)."""
        return tuple(o for o in self.npc_offers if o.code == code and o.sell_price is not None)

    # ----------------------------------------------------------------- ladders and gear

    def gathering_ladder(self, skill: str) -> tuple[Resource, ...]:
        """Return the resources of gathering ``skill`` sorted by level."""
        return tuple(
            sorted(
                (r for r in self.resources.values() if r.skill == skill),
                key=lambda r: (r.level, r.code),
            )
        )

    def crafting_ladder(self, skill: str) -> tuple[Item, ...]:
        """Return the items crafted with ``skill`` sorted by recipe level."""
        return tuple(
            sorted(
                (i for i in self.items.values() if i.craft and i.craft.skill == skill),
                key=lambda i: (i.craft.level if i.craft else 0, i.code),
            )
        )

    def combat_ladder(self, *, types: Iterable[str] | None = None) -> tuple[Monster, ...]:
        """Return the monsters sorted by level (only of ``types``, e.g. ``{"boss"}``, if given)."""
        allowed = set(types) if types is not None else None
        return tuple(
            sorted(
                (m for m in self.monsters.values() if allowed is None or m.type in allowed),
                key=lambda m: (m.level, m.code),
            )
        )

    def equipment(self, slot: str, *, max_level: int | None = None) -> tuple[Item, ...]:
        """Return the items wearable in ``slot`` (up to ``max_level``) sorted by level.

        Raises:
            KeyError: ``slot`` is not an equipment slot.
        """
        if slot not in EQUIPMENT_SLOTS:
            raise KeyError(slot)
        item_type = slot_item_type(slot)
        return tuple(
            sorted(
                (
                    i
                    for i in self.items.values()
                    if i.type == item_type and (max_level is None or i.level <= max_level)
                ),
                key=lambda i: (i.level, i.code),
            )
        )

    def gathering_tools(self, skill: str) -> tuple[Item, ...]:
        """Return the weapons that shorten ``skill`` gathering (negative effect), by level."""
        return tuple(
            sorted(
                (i for i in self.items.values() if i.type == "weapon" and i.effect(skill) < 0),
                key=lambda i: (i.level, i.effect(skill), i.code),
            )
        )
