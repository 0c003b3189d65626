"""World states for planning: the :class:`State` protocol, a generic fact-based
:class:`WorldState`, and :class:`Multiset`, the frozen bag used for inventories and banks.

Every state is immutable and has a hashable :meth:`State.key` that the search uses to detect
states it has already reached. Derived states are built with ``with_(...)`` or ``apply(...)``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeAlias, TypeVar

__all__ = [
    "Add",
    "AtLeast",
    "AtMost",
    "Condition",
    "Effect",
    "Multiset",
    "State",
    "StateT",
    "WorldState",
    "condition_holds",
]


class State(Protocol):
    """What the planner needs from a state: a hashable identity."""

    def key(self) -> Hashable:
        """Return a hashable value equal for states the planner must treat as identical."""
        ...


StateT = TypeVar("StateT", bound=State)


class Multiset:
    """A frozen bag of item codes with positive quantities.

    >>> bag = Multiset({"copper_ore": 3}).add("ash_wood", 2).remove("copper_ore", 1)
    >>> bag["copper_ore"], bag["ash_wood"], bag["gold"], bag.total, len(bag)
    (2, 2, 0, 4, 2)

    Raises:
        ValueError: on a negative quantity.
    """

    __slots__ = ("_counts", "_items")

    def __init__(self, counts: Mapping[str, int] | Iterable[tuple[str, int]] = ()) -> None:
        pairs = counts.items() if isinstance(counts, Mapping) else counts
        merged: dict[str, int] = {}
        for code, qty in pairs:
            if qty < 0:
                raise ValueError(f"negative quantity {qty} of {code!r}")
            if qty:
                merged[code] = merged.get(code, 0) + qty
        self._items: tuple[tuple[str, int], ...] = tuple(sorted(merged.items()))
        self._counts = merged

    def __getitem__(self, code: str) -> int:
        return self._counts.get(code, 0)

    def __contains__(self, code: object) -> bool:
        return code in self._counts

    def __iter__(self) -> Iterator[str]:
        return (code for code, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Multiset) and self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Multiset({dict(self._items)!r})"

    @property
    def total(self) -> int:
        """Sum of all quantities."""
        return sum(qty for _, qty in self._items)

    def items(self) -> tuple[tuple[str, int], ...]:
        """Return ``(code, quantity)`` pairs sorted by code."""
        return self._items

    def add(self, code: str, qty: int = 1) -> Multiset:
        """Return a bag with ``qty`` more ``code``.

        Raises:
            ValueError: if ``qty`` is negative.
        """
        if qty < 0:
            raise ValueError(f"cannot add a negative quantity {qty}")
        if qty == 0:
            return self
        counts = dict(self._counts)
        counts[code] = counts.get(code, 0) + qty
        return Multiset(counts)

    def remove(self, code: str, qty: int = 1) -> Multiset:
        """Return a bag with ``qty`` fewer ``code``.

        Raises:
            ValueError: if the bag holds fewer than ``qty``.
        """
        have = self._counts.get(code, 0)
        if qty < 0 or have < qty:
            raise ValueError(f"cannot remove {qty} {code!r}, holding {have}")
        if qty == 0:
            return self
        counts = dict(self._counts)
        counts[code] = have - qty
        return Multiset(counts)

    def has(self, code: str, qty: int = 1) -> bool:
        """Return whether the bag holds at least ``qty`` of ``code``."""
        return self._counts.get(code, 0) >= qty


@dataclass(frozen=True, slots=True)
class AtLeast:
    """Condition: a numeric fact is at least ``value``.

    >>> AtLeast(3).holds(4), AtLeast(3).holds(None)
    (True, False)
    """

    value: float

    def holds(self, actual: Hashable) -> bool:
        """Return whether ``actual`` satisfies the condition."""
        return isinstance(actual, int | float) and actual >= self.value

    def gap(self, actual: Hashable) -> float:
        """Return how far ``actual`` is from satisfying the condition (0 when it holds)."""
        current = actual if isinstance(actual, int | float) else 0
        return max(0.0, self.value - current)


@dataclass(frozen=True, slots=True)
class AtMost:
    """Condition: a numeric fact is at most ``value``.

    >>> AtMost(3).holds(2), AtMost(3).holds(5)
    (True, False)
    """

    value: float

    def holds(self, actual: Hashable) -> bool:
        """Return whether ``actual`` satisfies the condition."""
        return isinstance(actual, int | float) and actual <= self.value

    def gap(self, actual: Hashable) -> float:
        """Return how far ``actual`` is from satisfying the condition (0 when it holds)."""
        current = actual if isinstance(actual, int | float) else 0
        return max(0.0, current - self.value)


@dataclass(frozen=True, slots=True)
class Add:
    """Effect: add ``amount`` to a numeric fact (a missing fact counts as 0).

    >>> WorldState({"wood": 1}).apply({"wood": Add(2)})["wood"]
    3
    """

    amount: int | float


#: A precondition or goal value: a plain value means equality.
Condition: TypeAlias = AtLeast | AtMost | Hashable
#: An effect value: a plain value replaces the fact.
Effect: TypeAlias = Add | Hashable


def condition_holds(condition: Condition, actual: Hashable) -> bool:
    """Return whether ``actual`` satisfies ``condition`` (equality for plain values)."""
    if isinstance(condition, AtLeast | AtMost):
        return condition.holds(actual)
    return bool(actual == condition)


class WorldState:
    """An immutable set of named facts (a generic state for data-declared domains).

    Missing facts read as ``None``. Facts set to ``None`` are dropped, so two states with the
    same facts always have the same :meth:`key`.

    >>> s = WorldState({"at": "home", "wood": 0})
    >>> t = s.with_(at="forest").apply({"wood": Add(1)})
    >>> (t["at"], t["wood"], s["at"], t.satisfies({"wood": AtLeast(1)}))
    ('forest', 1, 'home', True)
    """

    __slots__ = ("_facts", "_key")

    def __init__(self, facts: Mapping[str, Hashable] | None = None) -> None:
        clean = {name: value for name, value in (facts or {}).items() if value is not None}
        self._facts: dict[str, Hashable] = clean
        self._key: tuple[tuple[str, Hashable], ...] = tuple(sorted(clean.items()))

    def key(self) -> tuple[tuple[str, Hashable], ...]:
        """Return the sorted fact pairs (hashable)."""
        return self._key

    def __getitem__(self, name: str) -> Hashable:
        return self._facts.get(name)

    def get(self, name: str, default: Hashable = None) -> Hashable:
        """Return fact ``name`` or ``default`` when absent."""
        return self._facts.get(name, default)

    def facts(self) -> Mapping[str, Hashable]:
        """Return a read-only view of the facts."""
        return dict(self._facts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorldState) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"WorldState({dict(self._key)!r})"

    def with_(self, **changes: Hashable) -> WorldState:
        """Return a state with some facts replaced (``None`` removes a fact)."""
        facts = dict(self._facts)
        facts.update(changes)
        return WorldState(facts)

    def apply(self, effects: Mapping[str, Effect]) -> WorldState:
        """Return the state after ``effects`` (plain values replace, :class:`Add` increments).

        Raises:
            TypeError: when :class:`Add` targets a non-numeric fact.
        """
        facts = dict(self._facts)
        for name, effect in effects.items():
            if isinstance(effect, Add):
                current = facts.get(name, 0)
                if not isinstance(current, int | float):
                    raise TypeError(f"cannot add to non-numeric fact {name}={current!r}")
                facts[name] = current + effect.amount
            else:
                facts[name] = effect
        return WorldState(facts)

    def satisfies(self, conditions: Mapping[str, Condition]) -> bool:
        """Return whether every condition holds in this state."""
        return all(condition_holds(c, self._facts.get(n)) for n, c in conditions.items())
