"""The game's world state for planning: one character plus what it can reach (bank, gold).

:class:`GameState` is a frozen value object; actions derive new states through ``with_`` and
the small verb helpers (``gain``, ``lose``, ``moved_to``...). Its :meth:`GameState.key` leaves
out the cooldown, which the planner never changes, so a fresh state read from the server after
an action compares equal to the prediction when the action went as planned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

from guildmaster.planning.domains.rules import gain_xp, total_xp
from guildmaster.planning.state import Add, Multiset

__all__ = [
    "EQUIPMENT_SLOTS",
    "INVENTORY_SLOTS",
    "SKILLS",
    "GameState",
    "Location",
    "TaskState",
]

#: A tile position: ``(layer, x, y)``.
Location: TypeAlias = tuple[str, int, int]

#: The eight skills (gathering and crafting).
SKILLS: Final = (
    "mining",
    "woodcutting",
    "fishing",
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "alchemy",
)
#: Equipment slot names (``ItemSlot``).
EQUIPMENT_SLOTS: Final = (
    "weapon",
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
    "rune",
)
#: Distinct item stacks an inventory holds.
INVENTORY_SLOTS: Final = 20


@dataclass(frozen=True, slots=True)
class TaskState:
    """The character's current task: what, which master type, progress and total."""

    code: str
    type: str
    progress: int
    total: int

    @property
    def is_done(self) -> bool:
        """Return whether the task can be completed."""
        return self.progress >= self.total


@dataclass(frozen=True)
class GameState:
    """A character's planning state.

    ``skills`` and ``skill_xp`` are multisets keyed by skill name (a missing skill reads 0, so
    levels should be given for every skill). ``equipment`` holds ``(slot, code)`` pairs of
    occupied slots, sorted by slot.

    >>> s = GameState(location=("overworld", 0, 0), hp=80, max_hp=120)
    >>> t = s.gain("copper_ore", 3).moved_to(("overworld", 1, 5))
    >>> t.inventory["copper_ore"], t.location, s.inventory.total, t.key() == s.key()
    (3, ('overworld', 1, 5), 0, False)
    """

    location: Location
    hp: int
    max_hp: int
    level: int = 1
    xp: int = 0
    skills: Multiset = field(default_factory=Multiset)
    skill_xp: Multiset = field(default_factory=Multiset)
    inventory: Multiset = field(default_factory=Multiset)
    inventory_max: int = 100
    equipment: tuple[tuple[str, str], ...] = ()
    bank: Multiset = field(default_factory=Multiset)
    bank_gold: int = 0
    gold: int = 0
    task: TaskState | None = None
    #: New item codes the bank can still take (``None``: not known, no limit assumed).
    bank_room: int | None = field(default=None, compare=False)
    cooldown: float = field(default=0.0, compare=False)
    name: str = field(default="", compare=False)
    _key: tuple[Hashable, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = (
            self.location,
            self.hp,
            self.max_hp,
            self.level,
            self.xp,
            self.skills,
            self.skill_xp,
            self.inventory,
            self.inventory_max,
            self.equipment,
            self.bank,
            self.bank_gold,
            self.gold,
            self.task,
        )
        object.__setattr__(self, "_key", key)

    def key(self) -> tuple[Hashable, ...]:
        """Return the hashable identity used by the search (everything but cooldown/name)."""
        return self._key

    def __hash__(self) -> int:
        return hash(self._key)

    # --- derived updates ---------------------------------------------------------------

    def with_(self, **changes: Any) -> GameState:
        """Return a copy with some fields replaced."""
        return dataclasses.replace(self, **changes)

    def apply(self, effects: Mapping[str, Any]) -> GameState:
        """Return a copy with fields replaced; :class:`~guildmaster.planning.Add` increments.

        >>> from guildmaster.planning import Add
        >>> GameState(("overworld", 0, 0), 10, 120).apply({"hp": Add(5), "gold": 7}).hp
        15
        """
        changes: dict[str, Any] = {}
        for name, effect in effects.items():
            if isinstance(effect, Add):
                changes[name] = getattr(self, name) + effect.amount
            else:
                changes[name] = effect
        return self.with_(**changes)

    def moved_to(self, location: Location) -> GameState:
        """Return the state after arriving on ``location``."""
        return self.with_(location=location)

    def gain(self, code: str, quantity: int = 1) -> GameState:
        """Return the state with ``quantity`` more ``code`` in the inventory."""
        return self.with_(inventory=self.inventory.add(code, quantity))

    def lose(self, code: str, quantity: int = 1) -> GameState:
        """Return the state with ``quantity`` fewer ``code`` in the inventory.

        Raises:
            ValueError: if the inventory holds less.
        """
        return self.with_(inventory=self.inventory.remove(code, quantity))

    def gain_skill_xp(self, skill: str, amount: int) -> GameState:
        """Return the state after earning ``amount`` XP in ``skill`` (levels up as needed)."""
        if amount <= 0:
            return self
        level, xp = gain_xp(self.skills[skill], self.skill_xp[skill], amount)
        skills = self.skills.remove(skill, self.skills[skill]).add(skill, level)
        skill_xp = self.skill_xp.remove(skill, self.skill_xp[skill]).add(skill, xp)
        return self.with_(skills=skills, skill_xp=skill_xp)

    def gain_combat_xp(self, amount: int) -> GameState:
        """Return the state after earning ``amount`` combat XP (levels up as needed)."""
        if amount <= 0:
            return self
        level, xp = gain_xp(self.level, self.xp, amount)
        return self.with_(level=level, xp=xp)

    def with_equipped(self, slot: str, code: str | None) -> GameState:
        """Return the state with ``slot`` holding ``code`` (``None`` empties it)."""
        slots = dict(self.equipment)
        if code is None:
            slots.pop(slot, None)
        else:
            slots[slot] = code
        return self.with_(equipment=tuple(sorted(slots.items())))

    # --- queries -----------------------------------------------------------------------

    def equipped(self, slot: str) -> str | None:
        """Return the code in ``slot`` or ``None`` when empty."""
        for name, code in self.equipment:
            if name == slot:
                return code
        return None

    def is_equipped(self, code: str) -> bool:
        """Return whether ``code`` is worn in any slot."""
        return any(c == code for _, c in self.equipment)

    def skill(self, name: str) -> int:
        """Return the level of skill ``name`` (``"combat"`` is the character level)."""
        return self.level if name == "combat" else self.skills[name]

    def progress(self, name: str) -> int:
        """Return the cumulative XP in skill ``name`` (``"combat"``: the character level; 0 for
        anything else), a measure that only grows."""
        if name == "combat":
            return total_xp(self.level, self.xp)
        return total_xp(self.skills[name], self.skill_xp[name]) if name in SKILLS else 0

    def free_space(self) -> int:
        """Return how many more units fit in the inventory (quantity limit)."""
        return max(0, self.inventory_max - self.inventory.total)

    def can_hold(self, code: str, quantity: int = 1) -> bool:
        """Return whether ``quantity`` more ``code`` fit (quantity and distinct-slot limits)."""
        if quantity > self.free_space():
            return False
        return code in self.inventory or len(self.inventory) < INVENTORY_SLOTS

    def owns(self, code: str) -> int:
        """Return units of ``code`` held, banked or worn."""
        worn = sum(1 for _, c in self.equipment if c == code)
        return self.inventory[code] + self.bank[code] + worn
