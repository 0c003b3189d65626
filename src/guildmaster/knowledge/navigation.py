"""Navigation: A* over the map's tiles, layers and transitions.

The server moves a character along its own shortest path within ONE layer over walkable tiles
(``standard`` access, and ``conditional`` tiles whose conditions hold) and charges 5 s per tile;
crossing layers (or jumping across the map) needs a ``transition`` action on a tile that has one,
whose conditions (gold or item cost, item held, achievement) must hold. ``restricted`` tiles are
only reachable from other restricted tiles, i.e. after a transition into the region. ``blocked``
tiles are never entered.

A :class:`Route` is a list of steps the executor can replay: :class:`MoveStep` (one move action,
with the tile count the server will charge) and :class:`TransitionStep`.
"""

from __future__ import annotations

import heapq
import logging
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeAlias

from guildmaster.api.fields import condition_levels, equipment
from guildmaster.api.models import CharacterSchema
from guildmaster.knowledge.model import Condition, Tile, TileKey
from guildmaster.planning.domains.rules import MOVE_SECONDS_PER_TILE

__all__ = [
    "TRANSITION_SECONDS",
    "MoveStep",
    "Navigator",
    "NoRoute",
    "Passport",
    "Route",
    "RouteStep",
    "TransitionStep",
]

logger = logging.getLogger(__name__)

#: Cooldown of a transition action.
TRANSITION_SECONDS = 3.0


class NoRoute(LookupError):
    """Raised when no route exists between two tiles for a given passport."""


@dataclass(frozen=True, slots=True)
class Passport:
    """What a character can show at conditional tiles and transitions.

    ``attributes`` holds numeric character fields (``level``, ``mining_level``, ...) for the
    ``eq/ne/gt/lt`` operators; ``items`` what it holds or wears; ``gold`` what it can pay.

    >>> Passport(gold=1000).can_meet(Condition("gold", "cost", 1000))
    True
    """

    gold: int = 0
    items: frozenset[tuple[str, int]] = frozenset()
    achievements: frozenset[str] = frozenset()
    attributes: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def build(
        cls,
        *,
        gold: int = 0,
        items: Mapping[str, int] | None = None,
        achievements: Iterable[str] = (),
        attributes: Mapping[str, int] | None = None,
    ) -> Passport:
        """Build from plain mappings (they are frozen so the passport is hashable)."""
        return cls(
            gold=gold,
            items=frozenset((items or {}).items()),
            achievements=frozenset(achievements),
            attributes=frozenset((attributes or {}).items()),
        )

    @classmethod
    def from_character(
        cls, character: CharacterSchema, *, achievements: Iterable[str] = ()
    ) -> Passport:
        """Build from the API's character (its bag, what it wears, its gold and levels)."""
        items: dict[str, int] = {}
        for slot in character.inventory or ():
            if slot.code:
                items[slot.code] = items.get(slot.code, 0) + slot.quantity
        for code in equipment(character).values():
            items[code] = items.get(code, 0) + 1
        return cls.build(
            gold=character.gold,
            items=items,
            achievements=achievements,
            attributes=condition_levels(character),
        )

    def quantity(self, code: str) -> int:
        """Return how many ``code`` the character holds or wears."""
        return sum(q for c, q in self.items if c == code)

    def can_meet(self, condition: Condition) -> bool:
        """Return whether ``condition`` holds for this passport (unknown operators fail)."""
        op, code, value = condition.operator, condition.code, condition.value
        if op == "cost":
            return self.gold >= value if code == "gold" else self.quantity(code) >= value
        if op == "has_item":
            return self.quantity(code) >= max(1, value)
        if op == "achievement_unlocked":
            return code in self.achievements
        attrs = dict(self.attributes)
        if code not in attrs:
            return False
        have = attrs[code]
        checks = {"eq": have == value, "ne": have != value, "gt": have > value, "lt": have < value}
        return checks.get(op, False)

    def can_meet_all(self, conditions: Iterable[Condition]) -> bool:
        """Return whether every condition holds."""
        return all(self.can_meet(c) for c in conditions)


@dataclass(frozen=True, slots=True)
class MoveStep:
    """One ``move`` action within ``layer`` to (x, y); ``tiles`` is the charged path length."""

    layer: str
    x: int
    y: int
    map_id: int
    tiles: int

    @property
    def seconds(self) -> float:
        """The cooldown the server will charge."""
        return self.tiles * MOVE_SECONDS_PER_TILE


@dataclass(frozen=True, slots=True)
class TransitionStep:
    """One ``transition`` action taken on ``source`` to ``destination`` (paying its costs)."""

    source: TileKey
    destination: TileKey
    map_id: int
    conditions: tuple[Condition, ...]

    @property
    def seconds(self) -> float:
        """The cooldown the server will charge."""
        return TRANSITION_SECONDS

    @property
    def gold_cost(self) -> int:
        """Gold consumed by the transition."""
        return sum(c.value for c in self.conditions if c.operator == "cost" and c.code == "gold")


RouteStep: TypeAlias = MoveStep | TransitionStep


@dataclass(frozen=True, slots=True)
class Route:
    """A route: the steps to perform and their totals."""

    start: TileKey
    goal: TileKey
    steps: tuple[RouteStep, ...] = field(default=())

    @property
    def tiles(self) -> int:
        """Total tiles walked (what the server charges 5 s each for)."""
        return sum(s.tiles for s in self.steps if isinstance(s, MoveStep))

    @property
    def seconds(self) -> float:
        """Total cooldown seconds of every step."""
        return sum(s.seconds for s in self.steps)

    @property
    def gold_cost(self) -> int:
        """Total gold paid for transitions."""
        return sum(s.gold_cost for s in self.steps if isinstance(s, TransitionStep))

    def is_affordable(self, passport: Passport) -> bool:
        """Return whether ``passport`` can pay every cost of the route together.

        The search checks each transition on its own; this checks the totals.
        """
        if self.gold_cost > passport.gold:
            return False
        return all(passport.quantity(code) >= n for code, n in self.item_costs.items())

    @property
    def item_costs(self) -> dict[str, int]:
        """Items consumed by transitions (keys and the like)."""
        out: dict[str, int] = {}
        for s in self.steps:
            if isinstance(s, TransitionStep):
                for c in s.conditions:
                    if c.operator == "cost" and c.code != "gold":
                        out[c.code] = out.get(c.code, 0) + c.value
        return out


_NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))


class Navigator:
    """Route finder over a map (A* with layers and transitions), with a bounded route cache.

    ``gold_seconds`` converts transition gold costs into seconds for route ranking, so a free
    walk is preferred to a paid shortcut unless the shortcut saves enough time.
    """

    def __init__(
        self,
        tiles: Iterable[Tile] | Mapping[TileKey, Tile],
        *,
        gold_seconds: float = 0.05,
        item_seconds: float = 600.0,
        cache_size: int = 4096,
    ) -> None:
        values = tiles.values() if isinstance(tiles, Mapping) else tiles
        self._tiles: dict[TileKey, Tile] = {t.key: t for t in values}
        self._gold_seconds = gold_seconds
        self._item_seconds = item_seconds
        self._cache: OrderedDict[tuple[Any, ...], Route | None] = OrderedDict()
        self._cache_size = cache_size
        self._fields: OrderedDict[tuple[TileKey, Passport], Mapping[TileKey, float]] = OrderedDict()
        self._field_cache_size = max(1, cache_size // 16)
        self._portals: dict[str, list[TileKey]] = {}
        for t in self._tiles.values():
            if t.transition is not None:
                self._portals.setdefault(t.layer, []).append(t.key)

    def tile(self, key: TileKey) -> Tile:
        """Return the tile at ``key``.

        Raises:
            KeyError: unknown tile.
        """
        return self._tiles[key]

    def can_enter(self, tile: Tile, passport: Passport) -> bool:
        """Return whether ``tile`` is a walkable destination for ``passport`` (not restricted)."""
        if tile.access == "standard":
            return True
        if tile.access == "conditional":
            return passport.can_meet_all(tile.access_conditions)
        return False

    def _can_walk(self, src: Tile, dst: Tile, passport: Passport) -> bool:
        if dst.access == "restricted":
            return src.access == "restricted"
        if src.access == "restricted":
            return False
        return self.can_enter(dst, passport)

    def _transition_target(self, tile: Tile, passport: Passport) -> TileKey | None:
        tr = tile.transition
        if tr is None or tr.key not in self._tiles or not passport.can_meet_all(tr.conditions):
            return None
        return tr.key

    def _transition_cost(self, tile: Tile) -> float:
        tr = tile.transition
        cost = TRANSITION_SECONDS
        if tr is not None:
            for c in tr.conditions:
                if c.operator == "cost":
                    w = self._gold_seconds if c.code == "gold" else self._item_seconds
                    cost += w * c.value
        return cost

    def _edges(self, key: TileKey, passport: Passport) -> list[tuple[TileKey, float, float, bool]]:
        """Edges out of ``key``: (destination, ranking cost, seconds, is a transition)."""
        tile = self._tiles[key]
        out: list[tuple[TileKey, float, float, bool]] = []
        for dx, dy in _NEIGHBOURS:
            nk = (key[0], key[1] + dx, key[2] + dy)
            nt = self._tiles.get(nk)
            if nt is not None and self._can_walk(tile, nt, passport):
                out.append((nk, MOVE_SECONDS_PER_TILE, MOVE_SECONDS_PER_TILE, False))
        dest = self._transition_target(tile, passport)
        if dest is not None:
            out.append((dest, self._transition_cost(tile), TRANSITION_SECONDS, True))
        return out

    def distances_from(
        self, start: TileKey, passport: Passport | None = None
    ) -> Mapping[TileKey, float]:
        """Return the seconds from ``start`` to every reachable tile (one cached search).

        Routes are ranked as in :meth:`route` (paid transitions weighed by their price); the
        values are the chosen routes' cooldown seconds. Cheaper than many :meth:`route` calls
        when one origin is asked about many destinations.

        Raises:
            KeyError: ``start`` is not a tile.
        """
        if start not in self._tiles:
            raise KeyError(start)
        pp = passport or Passport()
        key = (start, pp)
        found = self._fields.get(key)
        if found is not None:
            self._fields.move_to_end(key)
            return found
        best: dict[TileKey, float] = {start: 0.0}
        seconds: dict[TileKey, float] = {start: 0.0}
        heap: list[tuple[float, int, TileKey]] = [(0.0, 0, start)]
        seq = 0
        while heap:
            g, _, node = heapq.heappop(heap)
            if g > best[node]:
                continue
            for nk, cost, secs, _ in self._edges(node, pp):
                ng = g + cost
                if ng < best.get(nk, float("inf")):
                    best[nk] = ng
                    seconds[nk] = seconds[node] + secs
                    seq += 1
                    heapq.heappush(heap, (ng, seq, nk))
        field_ = MappingProxyType(seconds)
        self._fields[key] = field_
        if len(self._fields) > self._field_cache_size:
            self._fields.popitem(last=False)
        return field_

    def _heuristic(self, key: TileKey, goals: frozenset[TileKey]) -> float:
        layer, x, y = key
        best = float("inf")
        for gl, gx, gy in goals:
            if gl == layer:
                best = min(best, abs(gx - x) + abs(gy - y))
        for _, px, py in self._portals.get(layer, ()):
            best = min(best, abs(px - x) + abs(py - y))
        return 0.0 if best == float("inf") else best * MOVE_SECONDS_PER_TILE

    def _search(
        self, start: TileKey, goals: frozenset[TileKey], passport: Passport
    ) -> Route | None:
        if start not in self._tiles:
            raise KeyError(start)
        # Each node: (f, g, seq, key). ``came`` records (previous key, via transition?).
        came: dict[TileKey, tuple[TileKey, bool] | None] = {start: None}
        g_best: dict[TileKey, float] = {start: 0.0}
        seq = 0
        heap: list[tuple[float, float, int, TileKey]] = [
            (self._heuristic(start, goals), 0.0, seq, start)
        ]
        while heap:
            _, g, _, key = heapq.heappop(heap)
            if g > g_best.get(key, float("inf")):
                continue
            if key in goals:
                return self._route(start, key, came)
            for nk, cost, _, via in self._edges(key, passport):
                ng = g + cost
                if ng < g_best.get(nk, float("inf")):
                    g_best[nk] = ng
                    came[nk] = (key, via)
                    seq += 1
                    heapq.heappush(heap, (ng + self._heuristic(nk, goals), ng, seq, nk))
        return None

    def _route(
        self,
        start: TileKey,
        goal: TileKey,
        came: Mapping[TileKey, tuple[TileKey, bool] | None],
    ) -> Route:
        # Walk back, then collapse runs of walking into one MoveStep each.
        chain: list[tuple[TileKey, TileKey, bool]] = []
        cur = goal
        while (prev := came[cur]) is not None:
            chain.append((prev[0], cur, prev[1]))
            cur = prev[0]
        chain.reverse()
        steps: list[RouteStep] = []
        walked = 0
        last = start
        for src, dst, via in chain:
            if via:
                if walked:
                    steps.append(self._move(last, walked))
                    walked = 0
                tile = self._tiles[src]
                assert tile.transition is not None
                steps.append(
                    TransitionStep(
                        source=src,
                        destination=dst,
                        map_id=self._tiles[dst].map_id,
                        conditions=tile.transition.conditions,
                    )
                )
            else:
                walked += 1
            last = dst
        if walked:
            steps.append(self._move(last, walked))
        return Route(start=start, goal=goal, steps=tuple(steps))

    def _move(self, dst: TileKey, tiles: int) -> MoveStep:
        return MoveStep(
            layer=dst[0], x=dst[1], y=dst[2], map_id=self._tiles[dst].map_id, tiles=tiles
        )

    def _cached(
        self, key: tuple[Any, ...], start: TileKey, goals: frozenset[TileKey], passport: Passport
    ) -> Route | None:
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        route = self._search(start, goals, passport)
        self._cache[key] = route
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return route

    def route(self, start: TileKey, goal: TileKey, passport: Passport | None = None) -> Route:
        """Return the cheapest route from ``start`` to ``goal``.

        Raises:
            KeyError: ``start`` or ``goal`` is not a tile.
            NoRoute: the goal cannot be reached with ``passport``.
        """
        if goal not in self._tiles:
            raise KeyError(goal)
        pp = passport or Passport()
        found = self._cached(("route", start, goal, pp), start, frozenset({goal}), pp)
        if found is None:
            raise NoRoute(f"no route from {start} to {goal}")
        return found

    def distance(self, start: TileKey, goal: TileKey, passport: Passport | None = None) -> float:
        """Return the route's seconds, or infinity when unreachable."""
        try:
            return self.route(start, goal, passport).seconds
        except NoRoute:
            return float("inf")

    def nearest(
        self,
        start: TileKey,
        candidates: Iterable[Tile | TileKey],
        passport: Passport | None = None,
    ) -> tuple[Tile, Route] | None:
        """Return the candidate tile reachable soonest from ``start`` and its route, or ``None``."""
        goals = frozenset(c.key if isinstance(c, Tile) else c for c in candidates)
        goals = frozenset(g for g in goals if g in self._tiles)
        if not goals:
            return None
        pp = passport or Passport()
        found = self._cached(("nearest", start, goals, pp), start, goals, pp)
        if found is None:
            return None
        return self._tiles[found.goal], found
