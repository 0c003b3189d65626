"""Fight participants: public value objects and the mutable per-fight state (MECHANICS §4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from guildmaster.server.engine.rounding import round_half_up
from guildmaster.server.engine.stats import ELEMENTS, CombatStats, Element

__all__ = ["FightOutcome", "FightResult", "Fighter", "Utility"]

FightOutcome = Literal["win", "loss"]


@dataclass(frozen=True, slots=True)
class Utility:
    """A utility stack equipped in a slot (``utility1``/``utility2``).

    >>> Utility("utility1", "small_health_potion", 5, (("restore", 30),)).quantity
    5
    """

    slot: str
    code: str
    quantity: int
    effects: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Fighter:
    """One combatant as it enters a fight; ``effects`` holds monster or rune effects.

    ``hp`` is the current HP for characters; for a monster it is its starting HP (normally
    ``stats.max_hp``; 0 or less also means full HP).

    >>> from guildmaster.server.engine.stats import character_stats
    >>> Fighter("hero", character_stats(1, []), hp=120).is_monster
    False
    """

    name: str
    stats: CombatStats
    hp: int
    effects: tuple[tuple[str, int], ...] = ()
    utilities: tuple[Utility, ...] = ()
    is_monster: bool = False


@dataclass(frozen=True, slots=True)
class FightResult:
    """The outcome of one fight, seen from the characters' side."""

    result: FightOutcome
    turns: int
    logs: tuple[str, ...]
    final_hp: Mapping[str, int]
    utilities_used: Mapping[str, Mapping[str, int]]
    monster_hp_left: int
    damage_dealt: Mapping[str, int] = field(default_factory=dict)


@dataclass
class _Utility:
    slot: str
    code: str
    quantity: int
    effects: dict[str, int]
    used: int = 0


@dataclass
class _State:
    """Mutable per-fight state of one combatant (internal to the engine)."""

    name: str
    is_monster: bool
    stats: CombatStats
    hp: int
    max_hp: int
    effects: dict[str, int]
    utilities: list[_Utility]
    index: int
    own_turns: int = 0
    alive: bool = True
    barrier: int = 0
    poison: int = 0
    poison_from: str = ""
    antipoison: _Utility | None = None
    burn: int = 0
    burn_from: str = ""
    dmg_boost: dict[Element, int] = field(default_factory=dict)
    res_boost: dict[Element, int] = field(default_factory=dict)
    corruption: dict[Element, int] = field(default_factory=dict)
    bubble: Element | None = None
    berserk: bool = False
    greed_steps: int = 0
    frenzy_until: int | None = None
    shell_used: bool = False
    shell_until: int | None = None
    guarding: str | None = None
    guard_uses: int = 0
    last_mirror_turn: int | None = None
    last_vampiric_turn: int | None = None
    shield_hit_this_turn: bool = False
    damage_dealt: int = 0

    def effect(self, code: str) -> int:
        """Value of an effect on this combatant (rune/monster effects), 0 if absent."""
        return self.effects.get(code, 0)

    def utility_with(self, code: str) -> _Utility | None:
        """The first utility stack with effect ``code`` and units left."""
        for u in self.utilities:
            if u.quantity - u.used > 0 and code in u.effects:
                return u
        return None

    def heal(self, amount: int) -> int:
        """Heal up to max HP; returns the HP actually restored."""
        if amount <= 0 or not self.alive:
            return 0
        before = self.hp
        self.hp = min(self.max_hp, self.hp + amount)
        return self.hp - before

    def hp_percent(self) -> float:
        """Current HP as a fraction of max HP."""
        return self.hp / self.max_hp if self.max_hp > 0 else 0.0

    def resistance(self, element: Element) -> int:
        """Effective resistance to ``element`` including buffs and corruption."""
        res = self.stats.res.get(element, 0) + self.res_boost.get(element, 0)
        res -= self.corruption.get(element, 0)
        if self.bubble == element:
            res += self.effect("protective_bubble")
        if self.shell_until is not None:
            res += self.effect("shell")
        return res

    def total_attack(self) -> int:
        """Sum of the four elemental attacks."""
        return sum(self.stats.attack.get(e, 0) for e in ELEMENTS)

    def percent_of_max(self, percent: int) -> int:
        """``percent`` % of max HP, rounded half up."""
        return round_half_up(self.max_hp * percent / 100)
