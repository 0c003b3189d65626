"""What the game domain needs to know about the world: the :class:`GameFacts` protocol.

The knowledge layer's ``GameData`` (plus navigation and the combat predictor) is adapted to
this protocol; the planner itself never imports it. The small ``*Info`` protocols mirror the
catalogue's value objects field for field (``code, level, craft.items[i].quantity``...), so
those objects satisfy them as they are. :class:`StaticFacts` is an in-memory implementation
for tests and hand-built worlds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

from guildmaster.planning.domains.rules import MOVE_SECONDS_PER_TILE
from guildmaster.planning.domains.state import GameState, Location

__all__ = [
    "ConditionInfo",
    "ContentKey",
    "DropInfo",
    "EffectInfo",
    "FightEstimate",
    "FightModel",
    "GameFacts",
    "ItemInfo",
    "MonsterInfo",
    "OfferInfo",
    "QuantityInfo",
    "RecipeInfo",
    "ResourceInfo",
    "SimpleCondition",
    "SimpleDrop",
    "SimpleEffect",
    "SimpleItem",
    "SimpleMonster",
    "SimpleOffer",
    "SimpleQuantity",
    "SimpleRecipe",
    "SimpleResource",
    "StaticFacts",
    "simple_fight_model",
]

#: What stands on a tile: ``(content_type, code)``, e.g. ``("workshop", "mining")``.
ContentKey: TypeAlias = tuple[str, str]


class QuantityInfo(Protocol):
    """An item code with a quantity."""

    @property
    def code(self) -> str: ...
    @property
    def quantity(self) -> int: ...


class EffectInfo(Protocol):
    """An item effect ``{code, value}`` (``hp``, ``mining``, ``heal``, ``inventory_space``...)."""

    @property
    def code(self) -> str: ...
    @property
    def value(self) -> int: ...


class ConditionInfo(Protocol):
    """A use/equip condition ``{code, operator, value}`` (``level gt 9``)."""

    @property
    def code(self) -> str: ...
    @property
    def operator(self) -> str: ...
    @property
    def value(self) -> int: ...


class DropInfo(Protocol):
    """A drop table entry: 1-in-``rate`` chance of ``min..max`` units."""

    @property
    def code(self) -> str: ...
    @property
    def rate(self) -> int: ...
    @property
    def min_quantity(self) -> int: ...
    @property
    def max_quantity(self) -> int: ...


class RecipeInfo(Protocol):
    """A recipe: workshop skill, level, ingredients, units produced per run."""

    @property
    def skill(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def items(self) -> Sequence[QuantityInfo]: ...
    @property
    def quantity(self) -> int: ...


class ItemInfo(Protocol):
    """An item of the catalogue."""

    @property
    def code(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def subtype(self) -> str: ...
    @property
    def tradeable(self) -> bool: ...
    @property
    def recyclable(self) -> bool: ...
    @property
    def conditions(self) -> Sequence[ConditionInfo]: ...
    @property
    def effects(self) -> Sequence[EffectInfo]: ...
    @property
    def craft(self) -> RecipeInfo | None: ...


class MonsterInfo(Protocol):
    """A monster."""

    @property
    def code(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def hp(self) -> int: ...
    @property
    def min_gold(self) -> int: ...
    @property
    def max_gold(self) -> int: ...
    @property
    def drops(self) -> Sequence[DropInfo]: ...


class ResourceInfo(Protocol):
    """A gatherable resource."""

    @property
    def code(self) -> str: ...
    @property
    def skill(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def drops(self) -> Sequence[DropInfo]: ...


class OfferInfo(Protocol):
    """An NPC offer; ``None`` prices mean the NPC does not buy/sell it."""

    @property
    def code(self) -> str: ...
    @property
    def npc(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def buy_price(self) -> int | None: ...
    @property
    def sell_price(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class FightEstimate:
    """Expected outcome of one fight from a given state.

    >>> FightEstimate(0.5, 40.0, 10.0).expected_fights_per_win
    2.0
    """

    win_probability: float
    hp_lost: float
    turns: float

    @property
    def expected_fights_per_win(self) -> float:
        """Fights needed on average for one win (infinite when the fight is hopeless)."""
        return math.inf if self.win_probability <= 0 else 1.0 / self.win_probability


class GameFacts(Protocol):
    """Game content and geography, as the planner needs it."""

    def item(self, code: str) -> ItemInfo | None:
        """Return the item ``code`` or ``None``."""
        ...

    def items(self) -> Iterable[ItemInfo]:
        """Return every item."""
        ...

    def monster(self, code: str) -> MonsterInfo | None:
        """Return the monster ``code`` or ``None``."""
        ...

    def monsters(self) -> Iterable[MonsterInfo]:
        """Return every monster."""
        ...

    def resource(self, code: str) -> ResourceInfo | None:
        """Return the resource ``code`` or ``None``."""
        ...

    def resources(self) -> Iterable[ResourceInfo]:
        """Return every resource."""
        ...

    def npc_offers(self, code: str) -> Sequence[OfferInfo]:
        """Return the NPC offers for item ``code``."""
        ...

    def locations(self, content_type: str, code: str) -> Sequence[Location]:
        """Return the tiles holding ``(content_type, code)``, e.g. ``("workshop", "mining")``.

        Content types: ``monster, resource, workshop, bank, grand_exchange, tasks_master, npc``
        (``bank`` and ``grand_exchange`` use their own name as code).
        """
        ...

    def content_at(self, location: Location) -> ContentKey | None:
        """Return what stands on ``location``."""
        ...

    def travel_seconds(self, origin: Location, destination: Location) -> float | None:
        """Return the game-seconds to walk (and transition) there, ``None`` if unreachable."""
        ...

    def predict_fight(self, state: GameState, monster: str) -> FightEstimate:
        """Return the expected outcome of fighting ``monster`` from ``state``."""
        ...


# --- simple value objects for hand-built worlds ------------------------------------------


@dataclass(frozen=True, slots=True)
class SimpleQuantity:
    """A plain :class:`QuantityInfo`."""

    code: str
    quantity: int


@dataclass(frozen=True, slots=True)
class SimpleEffect:
    """A plain :class:`EffectInfo`."""

    code: str
    value: int


@dataclass(frozen=True, slots=True)
class SimpleCondition:
    """A plain :class:`ConditionInfo`."""

    code: str
    operator: str
    value: int


@dataclass(frozen=True, slots=True)
class SimpleDrop:
    """A plain :class:`DropInfo`."""

    code: str
    rate: int = 1
    min_quantity: int = 1
    max_quantity: int = 1


@dataclass(frozen=True, slots=True)
class SimpleRecipe:
    """A plain :class:`RecipeInfo`."""

    skill: str
    level: int
    items: tuple[SimpleQuantity, ...]
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class SimpleItem:
    """A plain :class:`ItemInfo`."""

    code: str
    level: int = 1
    type: str = "resource"
    subtype: str = ""
    tradeable: bool = True
    recyclable: bool = False
    conditions: tuple[SimpleCondition, ...] = ()
    effects: tuple[SimpleEffect, ...] = ()
    craft: SimpleRecipe | None = None


@dataclass(frozen=True, slots=True)
class SimpleMonster:
    """A plain :class:`MonsterInfo`."""

    code: str
    level: int
    hp: int
    drops: tuple[SimpleDrop, ...] = ()
    type: str = "normal"
    min_gold: int = 0
    max_gold: int = 0


@dataclass(frozen=True, slots=True)
class SimpleResource:
    """A plain :class:`ResourceInfo`."""

    code: str
    skill: str
    level: int
    drops: tuple[SimpleDrop, ...] = ()


@dataclass(frozen=True, slots=True)
class SimpleOffer:
    """A plain :class:`OfferInfo`."""

    code: str
    npc: str
    currency: str = "gold"
    buy_price: int | None = None
    sell_price: int | None = None


#: Predicts a fight from a state and a monster.
FightModel = Callable[[GameState, MonsterInfo], FightEstimate]


def simple_fight_model(state: GameState, monster: MonsterInfo) -> FightEstimate:
    """A toy fight model for hand-built worlds: the character deals ``10 + 5 * level`` per
    turn and takes ``2 * monster.level + 2`` per monster turn; it wins if it survives.

    >>> m = SimpleMonster("chicken", level=1, hp=60)
    >>> simple_fight_model(GameState(("overworld", 0, 0), 120, 120), m)
    FightEstimate(win_probability=1.0, hp_lost=16.0, turns=4.0)
    """
    turns = float(math.ceil(monster.hp / (10 + 5 * state.level)))
    hp_lost = turns * (2 * monster.level + 2)
    return FightEstimate(1.0 if hp_lost < state.hp else 0.0, hp_lost, turns)


@dataclass(frozen=True)
class StaticFacts:
    """In-memory :class:`GameFacts` for hand-built worlds.

    Travel is ``5 s`` per Manhattan step within a layer (no obstacles); layers are connected
    only when ``layer_change_seconds`` is set (then crossing costs that much extra) or when
    ``travel`` overrides a pair. ``tiles`` maps locations to their content.
    """

    items_by_code: Mapping[str, SimpleItem] = field(default_factory=dict)
    monsters_by_code: Mapping[str, SimpleMonster] = field(default_factory=dict)
    resources_by_code: Mapping[str, SimpleResource] = field(default_factory=dict)
    offers: tuple[SimpleOffer, ...] = ()
    tiles: Mapping[Location, ContentKey] = field(default_factory=dict)
    travel: Mapping[tuple[Location, Location], float] = field(default_factory=dict)
    fight_model: FightModel = simple_fight_model
    layer_change_seconds: float | None = None
    _by_content: dict[ContentKey, list[Location]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    _offers_by_code: dict[str, list[SimpleOffer]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for location in sorted(self.tiles):
            self._by_content.setdefault(self.tiles[location], []).append(location)
        for offer in self.offers:
            self._offers_by_code.setdefault(offer.code, []).append(offer)

    @classmethod
    def build(
        cls,
        *,
        items: Iterable[SimpleItem] = (),
        monsters: Iterable[SimpleMonster] = (),
        resources: Iterable[SimpleResource] = (),
        offers: Iterable[SimpleOffer] = (),
        tiles: Mapping[Location, ContentKey] | None = None,
        fight_model: FightModel = simple_fight_model,
        layer_change_seconds: float | None = None,
    ) -> StaticFacts:
        """Build from lists of content; items named only in drops/recipes must be listed too."""
        return cls(
            items_by_code={i.code: i for i in items},
            monsters_by_code={m.code: m for m in monsters},
            resources_by_code={r.code: r for r in resources},
            offers=tuple(offers),
            tiles=dict(tiles or {}),
            fight_model=fight_model,
            layer_change_seconds=layer_change_seconds,
        )

    def item(self, code: str) -> SimpleItem | None:
        """Return the item ``code`` or ``None``."""
        return self.items_by_code.get(code)

    def items(self) -> Iterable[SimpleItem]:
        """Return every item, sorted by code."""
        return [self.items_by_code[c] for c in sorted(self.items_by_code)]

    def monster(self, code: str) -> SimpleMonster | None:
        """Return the monster ``code`` or ``None``."""
        return self.monsters_by_code.get(code)

    def monsters(self) -> Iterable[SimpleMonster]:
        """Return every monster, sorted by code."""
        return [self.monsters_by_code[c] for c in sorted(self.monsters_by_code)]

    def resource(self, code: str) -> SimpleResource | None:
        """Return the resource ``code`` or ``None``."""
        return self.resources_by_code.get(code)

    def resources(self) -> Iterable[SimpleResource]:
        """Return every resource, sorted by code."""
        return [self.resources_by_code[c] for c in sorted(self.resources_by_code)]

    def npc_offers(self, code: str) -> Sequence[SimpleOffer]:
        """Return the offers for ``code``."""
        return self._offers_by_code.get(code, [])

    def locations(self, content_type: str, code: str) -> Sequence[Location]:
        """Return the tiles holding that content, sorted."""
        return self._by_content.get((content_type, code), [])

    def content_at(self, location: Location) -> ContentKey | None:
        """Return the content of ``location``."""
        return self.tiles.get(location)

    def travel_seconds(self, origin: Location, destination: Location) -> float | None:
        """Return ``5 s`` per Manhattan step within a layer, or an explicit override."""
        if (origin, destination) in self.travel:
            return self.travel[(origin, destination)]
        steps = abs(origin[1] - destination[1]) + abs(origin[2] - destination[2])
        if origin[0] == destination[0]:
            return MOVE_SECONDS_PER_TILE * steps
        if self.layer_change_seconds is None:
            return None
        return MOVE_SECONDS_PER_TILE * steps + self.layer_change_seconds

    def predict_fight(self, state: GameState, monster: str) -> FightEstimate:
        """Return the fight model's estimate (a hopeless estimate for unknown monsters)."""
        info = self.monsters_by_code.get(monster)
        if info is None:
            return FightEstimate(0.0, math.inf, 0.0)
        return self.fight_model(state, info)
