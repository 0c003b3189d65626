"""Sub-goals are goals: why an action cannot run now, and the registry turning that into a Goal.

An action's ``check(state)`` returns ``None`` when it can run, or a :class:`SubGoalRequest`
saying what is missing (wrong place, too little HP, an item missing...). A :class:`GoalManager`
maps the request's ``kind`` to a factory producing an ordinary :class:`~guildmaster.planning.Goal`,
which the same planner solves.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Final, Generic

from guildmaster.planning.errors import NoGoalForRequest
from guildmaster.planning.goal import Goal
from guildmaster.planning.state import StateT

__all__ = [
    "EQUIPMENT_MISSING",
    "GOLD_MISSING",
    "HP_TOO_LOW",
    "INVENTORY_FULL",
    "ITEM_MISSING",
    "NOT_AT_LOCATION",
    "PRECONDITION",
    "SKILL_TOO_LOW",
    "GoalFactory",
    "GoalManager",
    "SubGoalRequest",
]

NOT_AT_LOCATION: Final = "not_at_location"
HP_TOO_LOW: Final = "hp_too_low"
ITEM_MISSING: Final = "item_missing"
INVENTORY_FULL: Final = "inventory_full"
EQUIPMENT_MISSING: Final = "equipment_missing"
SKILL_TOO_LOW: Final = "skill_too_low"
GOLD_MISSING: Final = "gold_missing"
#: Generic kind for data-declared actions: ``unmet`` names the failed preconditions.
PRECONDITION: Final = "precondition"


@dataclass(frozen=True, slots=True)
class SubGoalRequest:
    """Why an action cannot run in a state, as data.

    >>> r = SubGoalRequest.item_missing("copper_ore", 4)
    >>> r.kind, r.param("code"), r.param("quantity")
    ('item_missing', 'copper_ore', 4)
    """

    kind: str
    params: tuple[tuple[str, Hashable], ...] = ()
    reason: str = ""

    def param(self, name: str, default: Hashable = None) -> Hashable:
        """Return parameter ``name`` or ``default``."""
        for key, value in self.params:
            if key == name:
                return value
        return default

    @classmethod
    def of(cls, kind: str, *, reason: str = "", **params: Hashable) -> SubGoalRequest:
        """Build a request of any kind with sorted keyword parameters."""
        return cls(kind, tuple(sorted(params.items())), reason)

    @classmethod
    def not_at_location(cls, location: tuple[str, int, int], *, reason: str = "") -> SubGoalRequest:
        """The action must run on ``location`` = ``(layer, x, y)``."""
        return cls.of(NOT_AT_LOCATION, reason=reason, location=location)

    @classmethod
    def hp_too_low(cls, required_hp: int, *, reason: str = "") -> SubGoalRequest:
        """The character needs at least ``required_hp`` HP."""
        return cls.of(HP_TOO_LOW, reason=reason, required_hp=required_hp)

    @classmethod
    def item_missing(cls, code: str, quantity: int, *, reason: str = "") -> SubGoalRequest:
        """The inventory must hold ``quantity`` of ``code``."""
        return cls.of(ITEM_MISSING, reason=reason, code=code, quantity=quantity)

    @classmethod
    def inventory_full(cls, free: int = 1, *, reason: str = "") -> SubGoalRequest:
        """The inventory needs room for ``free`` more items."""
        return cls.of(INVENTORY_FULL, reason=reason, free=free)

    @classmethod
    def equipment_missing(
        cls, code: str, slot: str | None = None, *, reason: str = ""
    ) -> SubGoalRequest:
        """Item ``code`` must be equipped (in ``slot`` when given)."""
        return cls.of(EQUIPMENT_MISSING, reason=reason, code=code, slot=slot)

    @classmethod
    def skill_too_low(cls, skill: str, level: int, *, reason: str = "") -> SubGoalRequest:
        """Skill ``skill`` (or ``"combat"``) must reach ``level``."""
        return cls.of(SKILL_TOO_LOW, reason=reason, skill=skill, level=level)

    @classmethod
    def gold_missing(cls, amount: int, *, reason: str = "") -> SubGoalRequest:
        """The character must hold ``amount`` gold."""
        return cls.of(GOLD_MISSING, reason=reason, amount=amount)

    @classmethod
    def precondition(cls, unmet: tuple[str, ...], *, reason: str = "") -> SubGoalRequest:
        """Generic: the named facts do not meet the action's preconditions."""
        return cls.of(PRECONDITION, reason=reason, unmet=unmet)


#: Turns a request (and the state it was raised in) into a goal.
GoalFactory = Callable[[SubGoalRequest, StateT], Goal[StateT]]


class GoalManager(Generic[StateT]):
    """A registry of goal factories keyed by :attr:`SubGoalRequest.kind`.

    Each domain owns one (no global registry).
    """

    def __init__(self, factories: Mapping[str, GoalFactory[StateT]] | None = None) -> None:
        self._factories: dict[str, GoalFactory[StateT]] = dict(factories or {})

    def register(self, kind: str, factory: GoalFactory[StateT]) -> None:
        """Register (or replace) the factory for ``kind``."""
        self._factories[kind] = factory

    def kinds(self) -> tuple[str, ...]:
        """Return the registered kinds, sorted."""
        return tuple(sorted(self._factories))

    def can_handle(self, request: SubGoalRequest) -> bool:
        """Return whether a factory is registered for ``request.kind``."""
        return request.kind in self._factories

    def goal_for(self, request: SubGoalRequest, state: StateT) -> Goal[StateT]:
        """Return the goal that removes the obstacle described by ``request``.

        Raises:
            NoGoalForRequest: when no factory is registered for the request's kind.
        """
        factory = self._factories.get(request.kind)
        if factory is None:
            raise NoGoalForRequest(request.kind)
        return factory(request, state)
