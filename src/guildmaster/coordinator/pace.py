"""``SoloPace``: how fast each character actually progresses while it plays on its own.

The coordinator's own estimate of a character's solo value (:func:`~.plan.solo_rate`) knows
only the simplest ways to level a skill; the player itself may do better (crafting from bought
inputs, recycling what it crafts for XP, fighting while cooking its food). Errands and pipeline
stages should only take a character away from its own play when they beat what that play
really earns, so the coordinator also measures it: the character's progress in levels (combat
and every skill, each counted as its level plus the share of the next level already earned)
per game second, over the stretches it spent on its own, as a moving average.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guildmaster.coordinator.store import CharacterName
from guildmaster.planning.domains import GameState
from guildmaster.planning.domains.rules import MAX_LEVEL, xp_to_next_level
from guildmaster.planning.domains.state import SKILLS

__all__ = ["SoloPace", "progress"]


def progress(state: GameState) -> float:
    """Return the levels of combat and every skill, each with its fraction of the next level.

    >>> from guildmaster.planning.state import Multiset
    >>> st = GameState(("o", 0, 0), 1, 1, level=2, xp=125,
    ...                skills=Multiset({"mining": 3}), skill_xp=Multiset({"mining": 175}))
    >>> progress(st)  # combat 2.5, mining 3.5, the seven other skills at level 1
    13.0
    """
    total = _level_progress(state.level, state.xp)
    for skill in SKILLS:
        total += _level_progress(max(1, state.skills[skill]), state.skill_xp[skill])
    return total


def _level_progress(level: int, xp: int) -> float:
    if level >= MAX_LEVEL:
        return float(level)
    return level + min(1.0, max(0, xp) / max(1, xp_to_next_level(level)))


@dataclass
class SoloPace:
    """Measured levels per game second of each character while on its own (moving average
    over about ``window`` game seconds)."""

    window: float = 3600.0
    _last: dict[CharacterName, tuple[float, float, bool]] = field(default_factory=dict)
    _rates: dict[CharacterName, float] = field(default_factory=dict)

    def observe(self, name: CharacterName, state: GameState, now: float, *, alone: bool) -> None:
        """Take ``name``'s state at game time ``now``; ``alone``: whether it plays on its own
        from now until the next observation (only such stretches are measured)."""
        here = progress(state)
        last = self._last.get(name)
        self._last[name] = (now, here, alone)
        if last is None:
            return
        then, before, was_alone = last
        seconds = now - then
        if not was_alone or seconds <= 0:
            return
        rate = max(0.0, here - before) / seconds
        old = self._rates.get(name)
        weight = min(1.0, seconds / self.window)
        self._rates[name] = rate if old is None else (1 - weight) * old + weight * rate

    def mark(self, name: CharacterName, *, alone: bool) -> None:
        """Say whether ``name`` plays on its own from its last observation on."""
        last = self._last.get(name)
        if last is not None:
            self._last[name] = (last[0], last[1], alone)

    def rate(self, name: CharacterName) -> float:
        """Return ``name``'s measured levels per game second on its own (0 until measured)."""
        return self._rates.get(name, 0.0)
