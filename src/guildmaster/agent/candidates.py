"""Value objects of goal selection: :class:`Rate`, :class:`Candidate`, :class:`Selection`."""

from __future__ import annotations

from dataclasses import dataclass

from guildmaster.planning.domains.state import GameState
from guildmaster.planning.goal import Goal

__all__ = ["Candidate", "Rate", "Selection"]


@dataclass(frozen=True, slots=True)
class Rate:
    """The best way to earn XP in one skill (``combat`` included): XP per game-second."""

    skill: str
    xp_per_second: float
    via: str
    """The monster, resource or recipe giving that rate."""
    seconds: float = 0.0
    """For crafting: the estimated seconds to make one ``via`` from scratch."""


@dataclass(frozen=True)
class Candidate:
    """One goal considered by a decision, with its score (weighted levels per game-second)."""

    key: str
    goal: Goal[GameState]
    score: float
    skill: str
    detail: str = ""
    hide: frozenset[str] = frozenset()
    """Bank items to ignore while pursuing it (products of crafting for XP: make, not fetch)."""
    before: tuple[Goal[GameState], ...] = ()
    """Goals to reach first (e.g. wearing the best owned gear for the activity)."""

    def is_done(self, state: GameState) -> bool:
        """Whether pursuing it in ``state`` would do nothing: its goal and every goal before
        it are already satisfied (offered anyway, it would be chosen again and again while
        no time passes)."""
        return self.goal.is_satisfied(state) and all(g.is_satisfied(state) for g in self.before)


@dataclass(frozen=True)
class Selection:
    """A decision: the chosen candidate and every alternative, best first."""

    chosen: Candidate | None
    alternatives: tuple[Candidate, ...]
    kept: bool = False
    """Whether the previous goal was kept by hysteresis although another scored higher."""
