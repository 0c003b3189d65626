"""Levelling goals: earn combat or skill XP with the best option the character has.

Each goal picks its options once per level and gear (the best monster, the best recipe chain,
or the best few resources) and bounds the remaining time from the XP still missing.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guildmaster.planning.domains.bounds import (
    production_seconds,
    remaining_demand,
    required_tile_sets,
    travel_from,
)
from guildmaster.planning.domains.context import GameContext, Relevance
from guildmaster.planning.domains.goals import GameGoal
from guildmaster.planning.domains.rules import (
    combat_xp,
    crafting_xp,
    gathering_xp,
    total_xp,
)
from guildmaster.planning.domains.state import GameState, Location
from guildmaster.planning.state import Multiset

__all__ = ["LevelCombat", "LevelSkill"]

#: How many resources a gathering-skill goal considers (combat and crafting use the best one).
_LEVEL_OPTIONS = 3
#: Runs over which crafting chains are costed (smooths the rounding of batched recipes).
_BATCH = 10


@dataclass(frozen=True)
class _Levelling(GameGoal):
    """Shared logic of levelling goals: gain ``xp`` more, or reach ``level``."""

    skill: str
    target: int
    """Cumulative XP (see :func:`total_xp`) to reach."""
    _cache: dict[tuple[Any, ...], list[tuple[float, str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _cached(
        self, state: GameState, tag: str, compute: Callable[[GameState], list[tuple[float, str]]]
    ) -> list[tuple[float, str]]:
        # Options only change with levels and gear, not with every step of the search.
        key = (tag, state.level, state.skill(self.skill), state.max_hp, state.equipment)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = compute(state)
        return found

    def is_satisfied(self, state: GameState) -> bool:
        return state.progress(self.skill) >= self.target

    @abstractmethod
    def _best_rate(self, state: GameState) -> float:
        """XP per game-second of the best option, ignoring travel (an upper bound)."""

    def heuristic(self, state: GameState) -> float:
        remaining = self.target - state.progress(self.skill)
        if remaining <= 0:
            return 0.0
        rate = self._best_rate(state)
        return 0.0 if rate <= 0 or math.isinf(rate) else remaining / rate


@dataclass(frozen=True)
class LevelCombat(_Levelling):
    """Earn combat XP by fighting the best few winnable monsters."""

    @classmethod
    def gain(cls, ctx: GameContext, state: GameState, *, xp: int) -> LevelCombat:
        """Goal: earn ``xp`` more combat XP from ``state``."""
        return cls("combat", total_xp(state.level, state.xp) + xp, ctx=ctx)

    @classmethod
    def reach(cls, ctx: GameContext, level: int) -> LevelCombat:
        """Goal: reach combat ``level``."""
        return cls("combat", total_xp(level, 0), ctx=ctx)

    @property
    def name(self) -> str:
        return f"level_combat(total_xp>={self.target})"

    def _options(self, state: GameState) -> list[tuple[float, str]]:
        return self._cached(state, "combat", self._rate_monsters)

    def _rate_monsters(self, state: GameState) -> list[tuple[float, str]]:
        full = state.with_(hp=state.max_hp)
        rated = []
        for monster in self.ctx.facts.monsters():
            estimate = self.ctx.facts.predict_fight(full, monster.code)
            if estimate.win_probability < self.ctx.options.min_win_probability:
                continue
            if not self.ctx.facts.locations("monster", monster.code):
                continue
            xp = combat_xp(state.level, monster.level, monster.hp, monster_type=monster.type)
            # In the long run every HP lost is rested back at 1 s per percent of max HP.
            seconds = self.ctx.cost_model.fight(full, monster.code, estimate)
            seconds += 100.0 * estimate.hp_lost / max(1, state.max_hp)
            if xp > 0:
                rated.append((xp / max(seconds, 1e-9), monster.code))
        rated.sort(key=lambda r: (-r[0], r[1]))
        # The single best monster: mixing targets multiplies states for a few percent at best.
        return rated[:1]

    def _best_rate(self, state: GameState) -> float:
        options = self._options(state)
        return options[0][0] if options else 0.0

    def heuristic(self, state: GameState) -> float:
        # The HP above 1 is a rest that never has to be taken.
        spare = 100.0 * max(0, state.hp - 1) / max(1, state.max_hp)
        return max(0.0, super().heuristic(state) - spare)

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(monsters=frozenset(code for _, code in self._options(state)))


@dataclass(frozen=True)
class LevelSkill(_Levelling):
    """Earn XP in a gathering or crafting skill with its best few options."""

    _chains: dict[Hashable, tuple[float, tuple[frozenset[Location], ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def gain(cls, ctx: GameContext, state: GameState, skill: str, *, xp: int) -> LevelSkill:
        """Goal: earn ``xp`` more XP in ``skill`` from ``state``."""
        return cls(skill, total_xp(state.skills[skill], state.skill_xp[skill]) + xp, ctx=ctx)

    @classmethod
    def reach(cls, ctx: GameContext, skill: str, level: int) -> LevelSkill:
        """Goal: reach ``level`` in ``skill``."""
        return cls(skill, total_xp(level, 0), ctx=ctx)

    @property
    def name(self) -> str:
        return f"level_skill({self.skill}, total_xp>={self.target})"

    def _gathering(self, state: GameState) -> list[tuple[float, str]]:
        return self._cached(state, "gathering", self._rate_resources)

    def _crafting(self, state: GameState) -> list[tuple[float, str]]:
        return self._cached(state, "crafting", self._rate_recipes)

    def _rate_resources(self, state: GameState) -> list[tuple[float, str]]:
        level = state.skills[self.skill]
        rated = []
        for resource in self.ctx.facts.resources():
            if resource.skill != self.skill or resource.level > level:
                continue
            if not self.ctx.facts.locations("resource", resource.code):
                continue
            xp = gathering_xp(level, resource.level)
            if xp > 0:
                seconds = self.ctx.cost_model.gather(state, resource)
                rated.append((xp / max(seconds, 1e-9), resource.code))
        rated.sort(key=lambda r: (-r[0], r[1]))
        return rated[:_LEVEL_OPTIONS]

    def _rate_recipes(self, state: GameState) -> list[tuple[float, str]]:
        # Rank recipes by XP per second of the whole chain (ingredients made from scratch),
        # not per second at the workbench: a big-XP recipe with costly parts levels slowly.
        level = state.skills[self.skill]
        scratch = _scratch(state)
        rated = []
        for item in self.ctx.facts.items():
            recipe = item.craft
            if recipe is None or recipe.skill != self.skill or recipe.level > level:
                continue
            xp = crafting_xp(self.skill, level, item.level)
            if xp <= 0:
                continue
            # Costed over a batch so per-run shares of batched sub-recipes are not overstated.
            seconds = self.ctx.cost_model.craft(state, item.code, 1)
            for ingredient in recipe.items:
                batch = production_seconds(
                    self.ctx, scratch, ingredient.code, ingredient.quantity * _BATCH
                )
                seconds += batch / _BATCH
            if math.isfinite(seconds):
                rated.append((xp / max(seconds, 1e-9), item.code))
        rated.sort(key=lambda r: (-r[0], r[1]))
        # One recipe only: mixing chains multiplies the states without paying off.
        return rated[:1]

    def _best_rate(self, state: GameState) -> float:
        gathering = self._gathering(state)
        if gathering:
            return gathering[0][0]
        # Workbench time alone is a weak bound; the chain bound in heuristic() does better.
        level = state.skills[self.skill]
        rates = []
        for _, code in self._crafting(state):
            item = self.ctx.facts.item(code)
            if item is not None:
                xp = crafting_xp(self.skill, level, item.level)
                rates.append(xp / max(self.ctx.cost_model.craft(state, code, 1), 1e-9))
        return max(rates, default=0.0)

    def heuristic(self, state: GameState) -> float:
        bound = super().heuristic(state)
        crafting = self._crafting(state) if not self._gathering(state) else []
        if not crafting or bound <= 0:
            return bound
        # The runs still needed of the chosen recipe, made from what is held: like an item
        # goal's bound (production plus travel), but XP only comes from crafting, so the
        # recipe's own product never counts as held.
        code = crafting[0][1]
        item = self.ctx.facts.item(code)
        if item is None or item.craft is None:
            return bound
        remaining = self.target - state.progress(self.skill)
        xp = max(1, crafting_xp(self.skill, state.skills[self.skill], item.level))
        runs = -(-remaining // xp)
        key = (
            runs,
            state.inventory,
            state.bank,
            state.equipment,
            state.skills,
            state.gold + state.bank_gold,
        )
        found = self._chains.get(key)
        if found is None:
            production = self.ctx.cost_model.craft(state, code, runs)
            sets: list[frozenset[Location]] = [
                frozenset(self.ctx.facts.locations("workshop", item.craft.skill))
            ]
            for ingredient in item.craft.items:
                needed = ingredient.quantity * runs
                production += production_seconds(self.ctx, state, ingredient.code, needed)
                sets.extend(required_tile_sets(self.ctx, state, ingredient.code, needed))
            found = (production, tuple(dict.fromkeys(sets)))
            self._chains[key] = found
        production, tile_sets = found
        return max(bound, production + travel_from(self.ctx, state.location, tile_sets))

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        if self._gathering(state):
            return None
        level = state.skills[self.skill]
        remaining = self.target - state.progress(self.skill)
        demand: dict[str, int] = {}
        for _, code in self._crafting(state):
            item = self.ctx.facts.item(code)
            if item is None or item.craft is None:
                continue
            xp = max(1, crafting_xp(self.skill, level, item.level))
            runs = -(-max(0, remaining) // xp)
            for name, qty in remaining_demand(
                self.ctx, state, code, state.inventory[code] + runs * item.craft.quantity
            ).items():
                demand[name] = max(demand.get(name, 0), qty)
        return demand

    def relevance(self, state: GameState) -> Relevance:
        gathering = self._gathering(state)
        if gathering:
            return Relevance(resources=frozenset(code for _, code in gathering))
        crafts = [code for _, code in self._crafting(state)]
        return self.ctx.obtain_all(crafts)


def _scratch(state: GameState) -> GameState:
    """The state with nothing held: costs from scratch."""
    empty = Multiset()
    return state.with_(inventory=empty, bank=empty, gold=0, bank_gold=0)
