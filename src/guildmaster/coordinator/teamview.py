"""``TeamView``: what every desk of the coordinator reads about the team.

The characters as each last asked for advice, the bank (the truth and what each character
believes it holds: :class:`~.bankview.BankViews`), their bags, the team's size, and two
estimates the desks weigh their offers against: whether the team beats a monster, and what a
character earns on its own (the coordinator's estimate, or what :class:`~.pace.SoloPace`
measured, whichever is more). It also carries the game knowledge the desks plan with (game
data, facts, combat predictor and the planning context the agents use).

The view changes only through :meth:`TeamView.observe` (a character asking for advice) and the
bank events the coordinator passes to :attr:`TeamView.views`; the desks only read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from guildmaster.coordinator.bankview import BankViews
from guildmaster.coordinator.pace import SoloPace
from guildmaster.coordinator.plan import solo_rate
from guildmaster.coordinator.store import CharacterName
from guildmaster.knowledge import CombatPredictor, GameData, KnowledgeFacts
from guildmaster.planning.domains import (
    MAX_LEVEL,
    SKILLS,
    GameContext,
    GameState,
    xp_to_next_level,
)

__all__ = ["DEFAULT_BAG", "TeamView"]

#: Bag size assumed for a character not seen yet.
DEFAULT_BAG = 100
#: Entries kept in the win and solo-value caches before they are cleared.
_WIN_CACHE_SIZE = 4096
_SOLO_CACHE_SIZE = 1024


class TeamView:
    """The team as the coordinator last saw it, shared by every desk (read-only for them).

    ``characters`` names the team (plans and shares are sized for it; otherwise for the
    characters seen so far). ``context`` should be the planning context the agents use (the
    goals the desks hand out carry it); by default one is built from ``gamedata``.

    >>> from guildmaster.knowledge import GameData
    >>> team = TeamView(GameData.from_snapshot({}), characters=("ann", "bob"))
    >>> team.team_size, team.names(), team.bag("ann")
    (2, ('ann', 'bob'), 100)
    """

    def __init__(
        self,
        gamedata: GameData,
        *,
        characters: Sequence[CharacterName] = (),
        predictor: CombatPredictor | None = None,
        context: GameContext | None = None,
    ) -> None:
        self.gamedata = gamedata
        self.characters = tuple(characters)
        self.predictor = predictor or CombatPredictor(samples=100)
        self.facts = KnowledgeFacts(gamedata, predictor=self.predictor)
        self.context = context or GameContext(self.facts)
        self.views = BankViews()
        self.pace = SoloPace()
        self._states: dict[CharacterName, GameState] = {}
        self._win_cache: dict[tuple[Any, ...], bool] = {}
        self._solo_cache: dict[tuple[Any, ...], float] = {}

    @property
    def states(self) -> Mapping[CharacterName, GameState]:
        """Each character's state when it last asked for advice (in the order first seen)."""
        return self._states

    @property
    def team_size(self) -> int:
        """The number of characters plans are sized for (named or seen so far)."""
        return max(len(self.characters), len(self._states), 1)

    def names(self) -> tuple[CharacterName, ...]:
        """The team's characters: the named ones, or those seen so far."""
        return self.characters or tuple(self._states)

    def observe(self, name: CharacterName, state: GameState, now: float) -> None:
        """Take ``name``'s state as it asks for advice at game time ``now``."""
        self._states[name] = state
        self.pace.observe(name, state, now, alone=False)
        self.views.observe_state(name, state)

    def mark(self, name: CharacterName, *, alone: bool) -> None:
        """Say whether ``name`` plays on its own until it asks again (see :class:`SoloPace`)."""
        self.pace.mark(name, alone=alone)

    def inventories(self) -> list[dict[str, int]]:
        """Every seen character's bag, as ``code -> quantity``."""
        return [dict(s.inventory.items()) for s in self._states.values()]

    def bag(self, name: CharacterName) -> int:
        """``name``'s bag size (:data:`DEFAULT_BAG` until it was seen)."""
        state = self._states.get(name)
        return state.inventory_max if state is not None else DEFAULT_BAG

    def wins(self, state: GameState, monster: str) -> bool:
        """Whether ``state`` (at full HP) beats ``monster`` as surely as the planner requires."""
        key = (state.level, state.equipment, state.max_hp, monster)
        found = self._win_cache.get(key)
        if found is None:
            target = self.gamedata.monsters.get(monster)
            found = False
            if target is not None:
                stats = self.facts.stats_for(state.with_(hp=state.max_hp))
                chance = self.predictor.predict(stats, target).win_probability
                found = chance >= self.context.options.min_win_probability
            if len(self._win_cache) > _WIN_CACHE_SIZE:
                self._win_cache.clear()
            self._win_cache[key] = found
        return found

    def team_wins(self, monster: str) -> bool:
        """Whether some character of the team beats ``monster``."""
        return any(self.wins(s, monster) for s in self._states.values())

    def solo_value(self, state: GameState, name: CharacterName | None = None) -> float:
        """Levels per game-second ``state`` would earn on its own: its best single skill by
        the coordinator's estimate, or what ``name`` was measured to earn alone if more."""
        measured = self.pace.rate(name) if name is not None else 0.0
        return max(measured, self._estimated_solo(state))

    def _estimated_solo(self, state: GameState) -> float:
        key = (state.level, state.skills)
        found = self._solo_cache.get(key)
        if found is None:
            found = 0.0
            for skill in SKILLS:
                level = state.skills[skill]
                if level >= MAX_LEVEL:
                    continue
                rate = solo_rate(self.gamedata, state, skill, can_fight=self.team_wins)
                found = max(found, rate / xp_to_next_level(level))
            if len(self._solo_cache) > _SOLO_CACHE_SIZE:
                self._solo_cache.clear()
            self._solo_cache[key] = found
        return found
