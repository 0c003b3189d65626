"""Shared context of the game domain: facts, costs, options, and cached content indexes.

:class:`Relevance` says which parts of the world matter for a goal, so action generators only
propose moves, gathers, fights and crafts that can help (GOAP over a whole MMO would otherwise
branch on every tile of the map).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, Final

from guildmaster.planning.domains.costs import CostModel, PriorCosts
from guildmaster.planning.domains.facts import ContentKey, GameFacts
from guildmaster.planning.domains.state import Location

__all__ = ["BANK", "GRAND_EXCHANGE", "DomainOptions", "GameContext", "Relevance"]

BANK: Final[ContentKey] = ("bank", "bank")
GRAND_EXCHANGE: Final[ContentKey] = ("grand_exchange", "grand_exchange")


@dataclass(frozen=True, slots=True)
class DomainOptions:
    """Tunables of the game domain.

    ``min_win_probability``: fights below it are not planned (``hp_too_low`` instead).
    ``hp_margin``: HP kept above the predicted loss before a fight.
    ``craft_batches``: also propose crafting as many runs as the inventory allows.
    """

    min_win_probability: float = 0.9
    hp_margin: int = 1
    craft_batches: bool = True
    tasks_coin: str = "tasks_coin"


@dataclass(frozen=True, slots=True)
class Relevance:
    """The parts of the world a goal cares about (unions with ``|``).

    >>> (Relevance(resources=frozenset({"a"})) | Relevance(deposit=True)).deposit
    True
    """

    items: frozenset[str] = frozenset()
    resources: frozenset[str] = frozenset()
    monsters: frozenset[str] = frozenset()
    crafts: frozenset[str] = frozenset()
    buys: frozenset[tuple[str, str]] = frozenset()
    equip: frozenset[str] = frozenset()
    unequip: frozenset[str] = frozenset()
    locations: frozenset[Location] = frozenset()
    deposit: bool = False
    heal: bool = False
    tasks: frozenset[str] = frozenset()
    """Task master types whose task actions are useful (``monsters``, ``items``)."""
    withdraw_gold: bool = False
    sells: frozenset[tuple[str, str]] = frozenset()
    """``(npc, item)`` pairs to sell (only disposal goals set them)."""
    recycles: frozenset[str] = frozenset()
    """Items to recycle at their workshop (only disposal goals set them)."""

    def __or__(self, other: Relevance) -> Relevance:
        values: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            values[f.name] = (mine or theirs) if isinstance(mine, bool) else mine | theirs
        return Relevance(**values)


@dataclass
class GameContext:
    """Facts, costs and options shared by every action and goal of one game domain."""

    facts: GameFacts
    costs: CostModel | None = None
    options: DomainOptions = field(default_factory=DomainOptions)
    _closure: dict[str, Relevance] = field(default_factory=dict, init=False, repr=False)
    _droppers: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = field(
        default=None, init=False, repr=False
    )
    _nearest: dict[tuple[Location, ContentKey], Location | None] = field(
        default_factory=dict, init=False, repr=False
    )
    _between: dict[tuple[frozenset[Location], frozenset[Location]], float] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.costs is None:
            self.costs = PriorCosts(self.facts)

    @property
    def cost_model(self) -> CostModel:
        """The cost model (the prior unless one was given)."""
        assert self.costs is not None  # set in __post_init__
        return self.costs

    def droppers(self, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return ``(resources, monsters)`` whose drop tables contain ``code``."""
        if self._droppers is None:
            index: dict[str, tuple[list[str], list[str]]] = {}
            for resource in self.facts.resources():
                for drop in resource.drops:
                    index.setdefault(drop.code, ([], []))[0].append(resource.code)
            for monster in self.facts.monsters():
                for drop in monster.drops:
                    index.setdefault(drop.code, ([], []))[1].append(monster.code)
            self._droppers = {k: (tuple(r), tuple(m)) for k, (r, m) in index.items()}
        return self._droppers.get(code, ((), ()))

    def obtain_relevance(self, code: str) -> Relevance:
        """Return everything that can help obtain ``code`` (recursively through recipes)."""
        cached = self._closure.get(code)
        if cached is not None:
            return cached
        items: set[str] = set()
        resources: set[str] = set()
        monsters: set[str] = set()
        crafts: set[str] = set()
        buys: set[tuple[str, str]] = set()
        todo = [code]
        while todo:
            current = todo.pop()
            if current in items:
                continue
            items.add(current)
            found_resources, found_monsters = self.droppers(current)
            resources.update(r for r in found_resources if self.facts.locations("resource", r))
            monsters.update(m for m in found_monsters if self.facts.locations("monster", m))
            for offer in self.facts.npc_offers(current):
                if offer.buy_price is not None and self.facts.locations("npc", offer.npc):
                    buys.add((offer.npc, current))
                    if offer.currency != "gold":
                        todo.append(offer.currency)
            info = self.facts.item(current)
            if info is not None and info.craft is not None:
                crafts.add(current)
                todo.extend(ingredient.code for ingredient in info.craft.items)
        result = Relevance(
            items=frozenset(items),
            resources=frozenset(resources),
            monsters=frozenset(monsters),
            crafts=frozenset(crafts),
            buys=frozenset(buys),
        )
        self._closure[code] = result
        return result

    def obtain_all(self, codes: Iterable[str]) -> Relevance:
        """Return the union of :meth:`obtain_relevance` over ``codes``."""
        result = Relevance()
        for code in codes:
            result = result | self.obtain_relevance(code)
        return result

    def nearest(self, origin: Location, content: ContentKey) -> Location | None:
        """Return the closest tile holding ``content`` (ties: smallest location)."""
        key = (origin, content)
        if key in self._nearest:
            return self._nearest[key]
        best: tuple[float, Location] | None = None
        for tile in self.facts.locations(*content):
            seconds = self.facts.travel_seconds(origin, tile)
            if seconds is not None and (best is None or (seconds, tile) < best):
                best = (seconds, tile)
        found = None if best is None else best[1]
        self._nearest[key] = found
        return found

    def set_distance(self, first: frozenset[Location], second: frozenset[Location]) -> float:
        """Return the shortest travel time between any tile of ``first`` and any of ``second``
        (``inf`` when none connects)."""
        key = (first, second)
        found = self._between.get(key)
        if found is None:
            found = math.inf
            for a in first:
                for b in second:
                    seconds = self.facts.travel_seconds(a, b)
                    if seconds is not None and seconds < found:
                        found = seconds
            self._between[key] = found
        return found

    def is_at(self, location: Location, content: ContentKey) -> bool:
        """Return whether ``location`` holds ``content``."""
        return self.facts.content_at(location) == content
