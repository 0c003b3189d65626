"""Domain value objects for the game catalogues, built from the API's raw JSON dicts.

Every class is a frozen dataclass with a ``from_api(d)`` classmethod that reads one object of
the corresponding v8 schema (``ItemSchema``, ``MonsterSchema``, ``MapSchema``, ...). Nothing here
knows any concrete item, monster or map: all content comes from the server.

>>> Drop.from_api({"code": "egg", "rate": 12, "min_quantity": 1, "max_quantity": 1}).chance
0.08333333333333333
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, get_args

__all__ = [
    "ELEMENTS",
    "Achievement",
    "ActiveEvent",
    "Condition",
    "Content",
    "Craft",
    "Drop",
    "EffectInfo",
    "Element",
    "Event",
    "Item",
    "ItemCode",
    "ItemQuantity",
    "Monster",
    "Npc",
    "NpcOffer",
    "Objective",
    "Resource",
    "StatEffect",
    "Task",
    "Tile",
    "TileKey",
    "Transition",
]

ItemCode: TypeAlias = str
Element = Literal["fire", "earth", "water", "air"]
#: The four combat elements, in the API's field order.
ELEMENTS: tuple[Element, ...] = get_args(Element)
#: A tile's position: (layer, x, y).
TileKey: TypeAlias = tuple[str, int, int]


def _int(d: Mapping[str, Any], key: str, default: int = 0) -> int:
    value = d.get(key)
    return default if value is None else int(value)


@dataclass(frozen=True, slots=True)
class ItemQuantity:
    """An item code with a quantity (recipe ingredient, reward, ...).

    >>> ItemQuantity.from_api({"code": "copper_ore", "quantity": 10})
    ItemQuantity(code='copper_ore', quantity=10)
    """

    code: ItemCode
    quantity: int

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> ItemQuantity:
        """Build from a ``SimpleItemSchema``/``RewardItemSchema`` dict."""
        return cls(code=str(d["code"]), quantity=_int(d, "quantity", 1))


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition ``{code, operator, value}`` on equipment, map access or transitions."""

    code: str
    operator: str
    value: int

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Condition:
        """Build from a ``ConditionSchema`` dict."""
        return cls(code=str(d["code"]), operator=str(d["operator"]), value=_int(d, "value"))


@dataclass(frozen=True, slots=True)
class StatEffect:
    """An effect carried by an item or a monster: ``{code, value}``."""

    code: str
    value: int

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> StatEffect:
        """Build from a ``SimpleEffectSchema`` dict."""
        return cls(code=str(d["code"]), value=_int(d, "value"))


@dataclass(frozen=True, slots=True)
class Drop:
    """One drop table entry: 1-in-``rate`` chance of ``min..max`` units of ``code``."""

    code: ItemCode
    rate: int
    min_quantity: int = 1
    max_quantity: int = 1

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Drop:
        """Build from a ``DropRateSchema`` dict."""
        return cls(
            code=str(d["code"]),
            rate=max(1, _int(d, "rate", 1)),
            min_quantity=_int(d, "min_quantity", 1),
            max_quantity=_int(d, "max_quantity", 1),
        )

    @property
    def chance(self) -> float:
        """Probability of the drop per roll, without prospecting."""
        return 1.0 / self.rate

    def expected_quantity(self, *, prospecting: int = 0) -> float:
        """Expected units per roll, with the prospecting bonus (1 point = +0.1 % chance)."""
        p = min(1.0, self.chance * (1.0 + prospecting / 1000.0))
        return p * (self.min_quantity + self.max_quantity) / 2.0


@dataclass(frozen=True, slots=True)
class Craft:
    """An item's recipe: skill, level, ingredients and units produced per run."""

    skill: str
    level: int
    items: tuple[ItemQuantity, ...]
    quantity: int = 1

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Craft:
        """Build from a ``CraftSchema`` dict."""
        return cls(
            skill=str(d["skill"]),
            level=_int(d, "level", 1),
            items=tuple(ItemQuantity.from_api(i) for i in d.get("items") or ()),
            quantity=max(1, _int(d, "quantity", 1)),
        )


@dataclass(frozen=True, slots=True)
class Item:
    """An item of the catalogue (``ItemSchema``)."""

    code: ItemCode
    name: str
    level: int
    type: str
    subtype: str
    tradeable: bool
    recyclable: bool
    conditions: tuple[Condition, ...]
    effects: tuple[StatEffect, ...]
    craft: Craft | None

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Item:
        """Build from an ``ItemSchema`` dict."""
        craft = d.get("craft")
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            level=_int(d, "level", 1),
            type=str(d.get("type") or ""),
            subtype=str(d.get("subtype") or ""),
            tradeable=bool(d.get("tradeable", False)),
            recyclable=bool(d.get("recyclable", False)),
            conditions=tuple(Condition.from_api(c) for c in d.get("conditions") or ()),
            effects=tuple(StatEffect.from_api(e) for e in d.get("effects") or ()),
            craft=Craft.from_api(craft) if craft else None,
        )

    def effect(self, code: str) -> int:
        """Return the summed value of effect ``code`` on this item (0 when absent)."""
        return sum(e.value for e in self.effects if e.code == code)


@dataclass(frozen=True, slots=True)
class Monster:
    """A monster (``MonsterSchema``)."""

    code: str
    name: str
    level: int
    type: str
    hp: int
    attack: Mapping[str, int]
    res: Mapping[str, int]
    critical_strike: int
    initiative: int
    min_gold: int
    max_gold: int
    drops: tuple[Drop, ...]
    effects: tuple[StatEffect, ...]

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Monster:
        """Build from a ``MonsterSchema`` dict."""
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            level=_int(d, "level", 1),
            type=str(d.get("type") or "normal"),
            hp=_int(d, "hp", 1),
            attack={e: _int(d, f"attack_{e}") for e in ELEMENTS},
            res={e: _int(d, f"res_{e}") for e in ELEMENTS},
            critical_strike=_int(d, "critical_strike"),
            initiative=_int(d, "initiative"),
            min_gold=_int(d, "min_gold"),
            max_gold=_int(d, "max_gold"),
            drops=tuple(Drop.from_api(x) for x in d.get("drops") or ()),
            effects=tuple(StatEffect.from_api(e) for e in d.get("effects") or ()),
        )

    def __hash__(self) -> int:
        return hash(self.code)

    def effect(self, code: str) -> int:
        """Return the value of effect ``code`` on this monster (0 when absent)."""
        return sum(e.value for e in self.effects if e.code == code)


@dataclass(frozen=True, slots=True)
class Resource:
    """A gatherable resource (``ResourceSchema``)."""

    code: str
    name: str
    skill: str
    level: int
    drops: tuple[Drop, ...]

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Resource:
        """Build from a ``ResourceSchema`` dict."""
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            skill=str(d["skill"]),
            level=_int(d, "level", 1),
            drops=tuple(Drop.from_api(x) for x in d.get("drops") or ()),
        )


@dataclass(frozen=True, slots=True)
class Content:
    """What stands on a tile: ``{type, code}`` (monster, resource, workshop, bank, npc, ...)."""

    type: str
    code: str

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Content:
        """Build from a ``MapContentSchema`` dict."""
        return cls(type=str(d["type"]), code=str(d["code"]))


@dataclass(frozen=True, slots=True)
class Transition:
    """A tile's transition to another tile, possibly in another layer, with its conditions."""

    map_id: int
    layer: str
    x: int
    y: int
    conditions: tuple[Condition, ...]

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Transition:
        """Build from a ``TransitionSchema`` dict."""
        return cls(
            map_id=_int(d, "map_id"),
            layer=str(d["layer"]),
            x=_int(d, "x"),
            y=_int(d, "y"),
            conditions=tuple(Condition.from_api(c) for c in d.get("conditions") or ()),
        )

    @property
    def key(self) -> TileKey:
        """The destination tile's (layer, x, y)."""
        return (self.layer, self.x, self.y)


@dataclass(frozen=True, slots=True)
class Tile:
    """One map tile (``MapSchema``): position, access and interactions."""

    map_id: int
    name: str
    skin: str
    layer: str
    x: int
    y: int
    access: str
    access_conditions: tuple[Condition, ...]
    content: Content | None
    transition: Transition | None

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Tile:
        """Build from a ``MapSchema`` dict (v8 shape with ``access`` and ``interactions``)."""
        access = d.get("access") or {}
        interactions = d.get("interactions") or {}
        content = interactions.get("content", d.get("content"))
        transition = interactions.get("transition")
        return cls(
            map_id=_int(d, "map_id"),
            name=str(d.get("name") or ""),
            skin=str(d.get("skin") or ""),
            layer=str(d.get("layer") or "overworld"),
            x=_int(d, "x"),
            y=_int(d, "y"),
            access=str(access.get("type") or "standard"),
            access_conditions=tuple(Condition.from_api(c) for c in access.get("conditions") or ()),
            content=Content.from_api(content) if content else None,
            transition=Transition.from_api(transition) if transition else None,
        )

    @property
    def key(self) -> TileKey:
        """This tile's (layer, x, y)."""
        return (self.layer, self.x, self.y)

    def has_content(self, type_: str, code: str | None = None) -> bool:
        """Return whether the tile holds content of ``type_`` (and ``code`` when given)."""
        c = self.content
        return c is not None and c.type == type_ and (code is None or c.code == code)


@dataclass(frozen=True, slots=True)
class Npc:
    """An NPC (``NPCSchema``): merchant or trader."""

    code: str
    name: str
    type: str
    description: str = ""

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Npc:
        """Build from an ``NPCSchema`` dict."""
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            type=str(d.get("type") or "merchant"),
            description=str(d.get("description") or ""),
        )


@dataclass(frozen=True, slots=True)
class NpcOffer:
    """One NPC offer (``NPCItemSchema``); ``None`` prices mean buying/selling is impossible."""

    code: ItemCode
    npc: str
    currency: str
    buy_price: int | None
    sell_price: int | None

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> NpcOffer:
        """Build from an ``NPCItemSchema`` dict."""
        buy, sell = d.get("buy_price"), d.get("sell_price")
        return cls(
            code=str(d["code"]),
            npc=str(d["npc"]),
            currency=str(d.get("currency") or "gold"),
            buy_price=None if buy is None else int(buy),
            sell_price=None if sell is None else int(sell),
        )


@dataclass(frozen=True, slots=True)
class Task:
    """A task of the catalogue (``TaskFullSchema``)."""

    code: str
    level: int
    type: str
    min_quantity: int
    max_quantity: int
    skill: str | None
    reward_gold: int
    reward_items: tuple[ItemQuantity, ...]

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Task:
        """Build from a ``TaskFullSchema`` dict."""
        rewards = d.get("rewards") or {}
        skill = d.get("skill")
        return cls(
            code=str(d["code"]),
            level=_int(d, "level", 1),
            type=str(d.get("type") or "monsters"),
            min_quantity=_int(d, "min_quantity", 1),
            max_quantity=_int(d, "max_quantity", 1),
            skill=str(skill) if skill else None,
            reward_gold=_int(rewards, "gold"),
            reward_items=tuple(ItemQuantity.from_api(i) for i in rewards.get("items") or ()),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """An event of the catalogue (``EventSchema``): content that appears on one of its maps."""

    code: str
    name: str
    content: Content | None
    maps: tuple[TileKey, ...]
    map_ids: tuple[int, ...]
    duration: int
    rate: int

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Event:
        """Build from an ``EventSchema`` dict."""
        content = d.get("content")
        maps = d.get("maps") or ()
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            content=Content.from_api(content) if content else None,
            maps=tuple(
                (str(m.get("layer") or "overworld"), _int(m, "x"), _int(m, "y")) for m in maps
            ),
            map_ids=tuple(_int(m, "map_id") for m in maps),
            duration=_int(d, "duration"),
            rate=_int(d, "rate", 1),
        )


@dataclass(frozen=True, slots=True)
class ActiveEvent:
    """A running event (``ActiveEventSchema``): the tile it occupies, until when, and the tile's
    normal content (``previous``)."""

    code: str
    name: str
    tile: Tile
    expiration: str
    previous: Tile | None = None

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> ActiveEvent:
        """Build from an ``ActiveEventSchema`` dict (``previous_map`` is what returns after)."""
        previous = d.get("previous_map")
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            tile=Tile.from_api(d["map"]),
            expiration=str(d.get("expiration") or ""),
            previous=Tile.from_api(previous) if previous else None,
        )


@dataclass(frozen=True, slots=True)
class EffectInfo:
    """An effect's catalogue entry (``EffectSchema``): what a code means."""

    code: str
    name: str
    type: str
    subtype: str
    description: str

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> EffectInfo:
        """Build from an ``EffectSchema`` dict."""
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            type=str(d.get("type") or ""),
            subtype=str(d.get("subtype") or ""),
            description=str(d.get("description") or ""),
        )


@dataclass(frozen=True, slots=True)
class Objective:
    """One objective of an achievement: ``total`` units of ``type`` on ``target``."""

    type: str
    target: str | None
    total: int

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Objective:
        """Build from an ``AchievementObjectiveSchema`` dict."""
        target = d.get("target")
        return cls(
            type=str(d["type"]), target=str(target) if target else None, total=_int(d, "total", 1)
        )


@dataclass(frozen=True, slots=True)
class Achievement:
    """An achievement (``AchievementSchema``)."""

    code: str
    name: str
    points: int
    objectives: tuple[Objective, ...]
    reward_gold: int
    reward_items: tuple[ItemQuantity, ...]

    @classmethod
    def from_api(cls, d: Mapping[str, Any]) -> Achievement:
        """Build from an ``AchievementSchema`` dict."""
        rewards = d.get("rewards") or {}
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or d["code"]),
            points=_int(d, "points"),
            objectives=tuple(Objective.from_api(o) for o in d.get("objectives") or ()),
            reward_gold=_int(rewards, "gold"),
            reward_items=tuple(ItemQuantity.from_api(i) for i in rewards.get("items") or ()),
        )
