"""Mutable game state the server keeps: accounts, characters, banks, GE orders, pending items, logs.

One :class:`ServerState` aggregate holds everything; services change it in place and the store
persists the parts an action touched. Every entity converts to and from plain dicts
(``to_record``/``from_record``) for persistence, and characters render as ``CharacterSchema``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Final, Literal, TypeAlias, get_args

from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings
from guildmaster.server.engine.stats import ELEMENTS, character_stats, inventory_capacity
from guildmaster.server.engine.xp import SKILLS, max_xp
from guildmaster.server.world import Json, World

__all__ = [
    "EQUIPMENT_SLOTS",
    "INVENTORY_SLOTS",
    "Account",
    "AccountName",
    "BankState",
    "Character",
    "CharacterName",
    "EquipmentSlot",
    "GEOrder",
    "LogEntry",
    "PendingItem",
    "ServerState",
]

AccountName: TypeAlias = str
CharacterName: TypeAlias = str

EquipmentSlot: TypeAlias = Literal[
    "weapon",
    "rune",
    "shield",
    "helmet",
    "body_armor",
    "leg_armor",
    "boots",
    "ring1",
    "ring2",
    "amulet",
    "artifact1",
    "artifact2",
    "artifact3",
    "utility1",
    "utility2",
    "bag",
]
#: Equipment slot names, in ``CharacterSchema`` order.
EQUIPMENT_SLOTS: Final[tuple[str, ...]] = get_args(EquipmentSlot)
INVENTORY_SLOTS: Final = 20


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def stats_of(level: int, effects: list[tuple[str, int]], rules: RuleSettings) -> Json:
    """Derived character stats as a flat dict of ``CharacterSchema`` field names."""
    stats = character_stats(level, effects)
    flat: Json = {
        "max_hp": stats.max_hp,
        "haste": stats.haste,
        "critical_strike": stats.critical_strike,
        "wisdom": stats.wisdom,
        "prospecting": stats.prospecting,
        "initiative": stats.initiative,
        "threat": stats.threat,
        "dmg": stats.dmg,
        "inventory_max_items": inventory_capacity(level, stats.inventory_space, rules),
    }
    for element in ELEMENTS:
        flat[f"attack_{element}"] = stats.attack.get(element, 0)
        flat[f"dmg_{element}"] = stats.dmg_element.get(element, 0)
        flat[f"res_{element}"] = stats.res.get(element, 0)
    return flat


@dataclass
class Account:
    """A player account (username, password hash, tokens are issued by the auth service)."""

    username: AccountName
    password_hash: str
    email: str
    created_at: str
    achievements: dict[str, dict[str, int]] = field(default_factory=dict)
    completed_achievements: dict[str, str] = field(default_factory=dict)

    def to_record(self) -> Json:
        """Plain-dict form for persistence."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Json) -> Account:
        """Rebuild from :meth:`to_record` output."""
        return cls(**record)


@dataclass
class BankState:
    """An account's bank: item stacks (one slot per code), gold and slot count."""

    slots: int
    expansions: int
    next_expansion_cost: int
    gold: int
    items: dict[str, int] = field(default_factory=dict)

    def to_record(self) -> Json:
        """Plain-dict form for persistence."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Json) -> BankState:
        """Rebuild from :meth:`to_record` output."""
        return cls(**record)

    def details(self) -> Json:
        """``BankSchema``."""
        return {
            "slots": self.slots,
            "expansions": self.expansions,
            "next_expansion_cost": self.next_expansion_cost,
            "gold": self.gold,
        }

    def item_list(self) -> list[Json]:
        """``SimpleItemSchema`` list, sorted by code."""
        return [{"code": code, "quantity": qty} for code, qty in sorted(self.items.items()) if qty]


@dataclass
class Character:
    """One character's persistent state; derived stats are recomputed from equipment."""

    name: CharacterName
    account: AccountName
    skin: str
    level: int = 1
    xp: int = 0
    gold: int = 0
    hp: int = 0
    skills: dict[str, list[int]] = field(default_factory=dict)  # skill -> [level, xp]
    x: int = 0
    y: int = 0
    layer: str = "overworld"
    map_id: int = 0
    cooldown_seconds: int = 0
    cooldown_started: str | None = None
    cooldown_expiration: str | None = None
    cooldown_reason: str = ""
    equipment: dict[str, str] = field(default_factory=dict)
    utility_quantity: dict[str, int] = field(default_factory=dict)  # utility1/utility2 -> qty
    inventory: list[list[Any]] = field(default_factory=list)  # 20 x [code, qty]
    task: str = ""
    task_type: str = ""
    task_progress: int = 0
    task_total: int = 0
    effects: list[Json] = field(default_factory=list)
    deaths: int = 0
    created_at: str = ""
    stats: Json = field(default_factory=dict)  # derived; not persisted

    def __post_init__(self) -> None:
        for skill in SKILLS:
            self.skills.setdefault(skill, [1, 0])
        for slot in EQUIPMENT_SLOTS:
            self.equipment.setdefault(slot, "")
        self.utility_quantity.setdefault("utility1", 0)
        self.utility_quantity.setdefault("utility2", 0)
        while len(self.inventory) < INVENTORY_SLOTS:
            self.inventory.append(["", 0])

    # -- persistence -------------------------------------------------------------------------
    def to_record(self) -> Json:
        """Plain-dict form for persistence (derived stats excluded)."""
        record = asdict(self)
        record.pop("stats")
        return record

    @classmethod
    def from_record(cls, record: Json) -> Character:
        """Rebuild from :meth:`to_record` output."""
        return cls(**record)

    # -- inventory ---------------------------------------------------------------------------
    def quantity(self, code: str) -> int:
        """How many of ``code`` the inventory holds."""
        return sum(qty for slot_code, qty in self.inventory if slot_code == code)

    def inventory_total(self) -> int:
        """Total item count in the inventory."""
        return sum(qty for _, qty in self.inventory)

    def inventory_items(self) -> Iterator[tuple[str, int]]:
        """Non-empty ``(code, quantity)`` stacks."""
        for code, qty in self.inventory:
            if code and qty > 0:
                yield code, qty

    def can_add(
        self, items: Iterable[tuple[str, int]], *, removing: Iterable[tuple[str, int]] = ()
    ) -> bool:
        """Whether adding ``items`` (after removing ``removing``) fits count and slot limits."""
        counts: dict[str, int] = dict(self.inventory_items())
        for code, qty in removing:
            counts[code] = counts.get(code, 0) - qty
            if counts[code] <= 0:
                counts.pop(code)
        for code, qty in items:
            if qty > 0:
                counts[code] = counts.get(code, 0) + qty
        total = sum(counts.values())
        return len(counts) <= INVENTORY_SLOTS and total <= self.inventory_max_items

    def add_item(self, code: str, quantity: int) -> None:
        """Add items (caller checked :meth:`can_add`).

        Raises:
            ValueError: if there is no free slot (a caller bug).
        """
        if quantity <= 0:
            return
        for slot in self.inventory:
            if slot[0] == code:
                slot[1] += quantity
                return
        for slot in self.inventory:
            if not slot[0]:
                slot[0], slot[1] = code, quantity
                return
        raise ValueError(f"no free inventory slot for {code}")

    def remove_item(self, code: str, quantity: int) -> None:
        """Remove items (caller checked :meth:`quantity`).

        Raises:
            ValueError: if the inventory holds fewer (a caller bug).
        """
        if self.quantity(code) < quantity:
            raise ValueError(f"{self.name} holds fewer than {quantity} {code}")
        for slot in self.inventory:
            if slot[0] == code:
                slot[1] -= quantity
                if slot[1] <= 0:
                    slot[0], slot[1] = "", 0
                return

    # -- stats -------------------------------------------------------------------------------
    @property
    def inventory_max_items(self) -> int:
        """Total item capacity."""
        return int(self.stats.get("inventory_max_items", 100))

    @property
    def max_hp(self) -> int:
        """Maximum HP with equipment."""
        return int(self.stats.get("max_hp", 120))

    def equipment_effects(self, world: World) -> list[tuple[str, int]]:
        """``(effect code, value)`` of every equipped item except utilities."""
        effects: list[tuple[str, int]] = []
        for slot, code in self.equipment.items():
            if not code or slot.startswith("utility"):
                continue
            item = world.item(code)
            if item:
                effects.extend((e["code"], int(e["value"])) for e in item.get("effects", []))
        return effects

    def refresh_stats(self, world: World, rules: RuleSettings = DEFAULT_RULES) -> None:
        """Recompute derived stats from level and equipment; clamp hp into 0..max_hp."""
        self.stats = stats_of(self.level, self.equipment_effects(world), rules)
        self.hp = max(0, min(self.hp, self.max_hp))

    def skill_level(self, skill: str) -> int:
        """Level in a skill."""
        return self.skills[skill][0]

    # -- rendering ---------------------------------------------------------------------------
    def to_schema(self, now: datetime) -> Json:
        """Render as the API's ``CharacterSchema``."""
        remaining = 0
        if self.cooldown_expiration:
            left = (datetime.fromisoformat(self.cooldown_expiration) - now).total_seconds()
            remaining = max(0, int(left + 0.999))
        data: Json = {
            "name": self.name,
            "account": self.account,
            "skin": self.skin,
            "level": self.level,
            "xp": self.xp,
            "max_xp": max_xp(self.level),
            "gold": self.gold,
            "speed": 0,
        }
        for skill in SKILLS:
            level, xp = self.skills[skill]
            data[f"{skill}_level"] = level
            data[f"{skill}_xp"] = xp
            data[f"{skill}_max_xp"] = max_xp(level)
        data["hp"] = self.hp
        for key in ("max_hp", "haste", "critical_strike", "wisdom", "prospecting", "initiative"):
            data[key] = int(self.stats.get(key, 0))
        data["threat"] = int(self.stats.get("threat", 0))
        for element in ELEMENTS:
            data[f"attack_{element}"] = int(self.stats.get(f"attack_{element}", 0))
        data["dmg"] = int(self.stats.get("dmg", 0))
        for element in ELEMENTS:
            data[f"dmg_{element}"] = int(self.stats.get(f"dmg_{element}", 0))
        for element in ELEMENTS:
            data[f"res_{element}"] = int(self.stats.get(f"res_{element}", 0))
        data["effects"] = list(self.effects)
        data.update(x=self.x, y=self.y, layer=self.layer, map_id=self.map_id)
        data["cooldown"] = remaining
        # The spec types this as a non-null date-time: before any action it is the creation time.
        data["cooldown_expiration"] = self.cooldown_expiration or self.created_at or _iso(now)
        for slot in EQUIPMENT_SLOTS:
            data[f"{slot}_slot"] = self.equipment[slot]
            if slot.startswith("utility"):
                data[f"{slot}_slot_quantity"] = self.utility_quantity[slot]
        data.update(
            task=self.task,
            task_type=self.task_type,
            task_progress=self.task_progress,
            task_total=self.task_total,
            inventory_max_items=self.inventory_max_items,
            inventory=[
                {"slot": index + 1, "code": code, "quantity": qty}
                for index, (code, qty) in enumerate(self.inventory)
            ],
        )
        return data

    def set_cooldown(
        self, seconds: int, reason: str, started: datetime, expiration: datetime
    ) -> Json:
        """Start a cooldown and return its ``CooldownSchema``."""
        self.cooldown_seconds = seconds
        self.cooldown_started = started.isoformat()
        self.cooldown_expiration = expiration.isoformat()
        self.cooldown_reason = reason
        return {
            "total_seconds": seconds,
            "remaining_seconds": seconds,
            "started_at": _iso(started),
            "expiration": _iso(expiration),
            "reason": reason,
        }


@dataclass
class GEOrder:
    """A Grand Exchange sell or buy order with its escrow."""

    id: str
    type: str  # "sell" | "buy"
    account: AccountName
    code: str
    quantity: int
    price: int
    created_at: str

    def to_record(self) -> Json:
        """Plain-dict form for persistence and for ``GEOrderSchema``."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Json) -> GEOrder:
        """Rebuild from :meth:`to_record` output."""
        return cls(**record)


@dataclass
class PendingItem:
    """Items and gold waiting for an account to claim them."""

    id: str
    account: AccountName
    source: str
    source_id: str | None
    description: str
    gold: int
    items: list[Json]
    created_at: str
    claimed_at: str | None = None

    def to_record(self) -> Json:
        """Plain-dict form for persistence and for ``PendingItemSchema``."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Json) -> PendingItem:
        """Rebuild from :meth:`to_record` output."""
        return cls(**record)


@dataclass
class LogEntry:
    """One action log line (``LogSchema``)."""

    character: CharacterName
    account: AccountName
    type: str
    description: str
    content: Any
    cooldown: int
    cooldown_expiration: str | None
    created_at: str

    def to_record(self) -> Json:
        """Plain-dict form for persistence and for ``LogSchema``."""
        return asdict(self)


@dataclass
class ServerState:
    """Everything that changes while the server runs."""

    accounts: dict[AccountName, Account] = field(default_factory=dict)
    characters: dict[CharacterName, Character] = field(default_factory=dict)
    banks: dict[AccountName, BankState] = field(default_factory=dict)
    ge_orders: dict[str, GEOrder] = field(default_factory=dict)
    ge_history: list[Json] = field(default_factory=list)
    pending_items: dict[str, PendingItem] = field(default_factory=dict)
    logs: list[LogEntry] = field(default_factory=list)
    active_events: list[Json] = field(default_factory=list)
    next_id: int = 1

    def characters_of(self, account: AccountName) -> list[Character]:
        """An account's characters in creation order."""
        return [c for c in self.characters.values() if c.account == account]

    def new_id(self, prefix: str) -> str:
        """A unique id for orders and pending items."""
        value = self.next_id
        self.next_id += 1
        return f"{prefix}{value:08d}"
