"""Game goals (reach, heal, obtain, free space, equip, level up, tasks) and the
:class:`~guildmaster.planning.GoalManager` that turns sub-goal requests into them.

Each goal says which parts of the world are relevant (:meth:`GameGoal.relevance`) so the
domain's generators only propose useful actions. Heuristics are lower bounds in game-seconds.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guildmaster.planning.domains.actions import meets_conditions, slot_accepts
from guildmaster.planning.domains.bounds import (
    production_seconds,
    remaining_demand,
    required_tile_sets,
    travel_from,
)
from guildmaster.planning.domains.context import GameContext, Relevance
from guildmaster.planning.domains.facts import ItemInfo
from guildmaster.planning.domains.rules import (
    MAX_LEVEL,
    combat_xp,
    crafting_xp,
    gathering_xp,
    xp_to_next_level,
)
from guildmaster.planning.domains.state import (
    EQUIPMENT_SLOTS,
    INVENTORY_SLOTS,
    GameState,
    Location,
)
from guildmaster.planning.goal import Goal
from guildmaster.planning.state import Multiset
from guildmaster.planning.subgoals import (
    EQUIPMENT_MISSING,
    GOLD_MISSING,
    HP_TOO_LOW,
    INVENTORY_FULL,
    ITEM_MISSING,
    NOT_AT_LOCATION,
    SKILL_TOO_LOW,
    GoalManager,
    SubGoalRequest,
)

__all__ = [
    "AcceptTask",
    "CompleteTask",
    "EquipBest",
    "EquipItem",
    "FreeInventory",
    "GameGoal",
    "LevelCombat",
    "LevelSkill",
    "ObtainGold",
    "ObtainItem",
    "ReachLocation",
    "RestoreHP",
    "game_goal_manager",
    "total_xp",
]

#: How many resources a gathering-skill goal considers (combat and crafting use the best one).
_LEVEL_OPTIONS = 3
#: Runs over which crafting chains are costed (smooths the rounding of batched recipes).
_BATCH = 10


def total_xp(level: int, xp: int) -> int:
    """Return cumulative XP from level 1: a monotone measure of progress.

    >>> total_xp(2, 12)
    162
    """
    return sum(xp_to_next_level(lv) for lv in range(1, min(level, MAX_LEVEL))) + xp


@dataclass(frozen=True)
class GameGoal(Goal[GameState]):
    """Base of game goals: the context plus the relevant part of the world."""

    ctx: GameContext = field(kw_only=True, compare=False, repr=False)
    weight: float = field(default=1.0, kw_only=True)

    @abstractmethod
    def relevance(self, state: GameState) -> Relevance:
        """Return what the generators should consider for this goal from ``state``."""

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        """Return how many more units of each item can still help (``None``: no limit)."""
        return None


@dataclass(frozen=True)
class ReachLocation(GameGoal):
    """Stand on ``location``."""

    location: Location

    @property
    def name(self) -> str:
        layer, x, y = self.location
        return f"reach({layer},{x},{y})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.location == self.location

    def heuristic(self, state: GameState) -> float:
        seconds = self.ctx.facts.travel_seconds(state.location, self.location)
        return 0.0 if seconds is None else seconds

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(locations=frozenset({self.location}))


@dataclass(frozen=True)
class RestoreHP(GameGoal):
    """Have at least ``min_hp`` HP (capped at max HP)."""

    min_hp: int

    @property
    def name(self) -> str:
        return f"restore_hp({self.min_hp})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.hp >= min(self.min_hp, state.max_hp)

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(heal=True)


@dataclass(frozen=True)
class ObtainItem(GameGoal):
    """Hold ``quantity`` of ``code`` in the inventory."""

    code: str
    quantity: int = 1
    _bounds: dict[Hashable, tuple[float, tuple[frozenset[Location], ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _demand: dict[Hashable, dict[str, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def name(self) -> str:
        return f"obtain({self.code} x{self.quantity})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.inventory[self.code] >= self.quantity

    def heuristic(self, state: GameState) -> float:
        if state.inventory[self.code] >= self.quantity:
            return 0.0
        # Production and required places depend on holdings, gold and gear, not on location,
        # so they are computed once per holding and reused across the search.
        key = (
            state.inventory,
            state.bank,
            state.equipment,
            state.max_hp,
            state.level,
            state.gold + state.bank_gold,
        )
        found = self._bounds.get(key)
        if found is None:
            found = (
                production_seconds(self.ctx, state, self.code, self.quantity),
                required_tile_sets(self.ctx, state, self.code, self.quantity),
            )
            self._bounds[key] = found
        production, sets = found
        return production + travel_from(self.ctx, state.location, sets)

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        key = ("demand", state.inventory, state.bank)
        found = self._demand.get(key)
        if found is None:
            found = self._demand[key] = remaining_demand(self.ctx, state, self.code, self.quantity)
        return found

    def is_feasible(self, state: GameState) -> bool:
        return state.owns(self.code) >= self.quantity or math.isfinite(self.heuristic(state))

    def relevance(self, state: GameState) -> Relevance:
        return self.ctx.obtain_relevance(self.code)


@dataclass(frozen=True)
class ObtainGold(GameGoal):
    """Hold ``amount`` gold."""

    amount: int

    @property
    def name(self) -> str:
        return f"obtain_gold({self.amount})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.gold >= self.amount

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(withdraw_gold=True)


@dataclass(frozen=True)
class FreeInventory(GameGoal):
    """Have room for ``free`` more units and at least one free stack slot."""

    free: int = 1

    @property
    def name(self) -> str:
        return f"free_inventory({self.free})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.free_space() >= self.free and len(state.inventory) < INVENTORY_SLOTS

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(deposit=True)


@dataclass(frozen=True)
class EquipItem(GameGoal):
    """Wear ``code`` (in ``slot`` when given), obtaining it first if needed."""

    code: str
    slot: str | None = None

    @property
    def name(self) -> str:
        return f"equip({self.code}@{self.slot or 'any'})"

    def _slots(self) -> tuple[str, ...]:
        if self.slot is not None:
            return (self.slot,)
        info = self.ctx.facts.item(self.code)
        if info is None:
            return ()
        return tuple(s for s in EQUIPMENT_SLOTS if slot_accepts(s, info))

    def is_satisfied(self, state: GameState) -> bool:
        return any(state.equipped(s) == self.code for s in self._slots())

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        return remaining_demand(self.ctx, state, self.code, 1)

    def relevance(self, state: GameState) -> Relevance:
        slots = self._slots()
        # Free a slot only when every candidate is taken.
        unequip = frozenset(slots) if all(state.equipped(s) for s in slots) else frozenset()
        return self.ctx.obtain_relevance(self.code) | Relevance(
            equip=frozenset({self.code}), unequip=unequip
        )


def _score(item: ItemInfo, activity: str) -> float:
    effects = {e.code: e.value for e in item.effects}
    if activity == "combat":
        attack = sum(v for k, v in effects.items() if k.startswith("attack_"))
        dmg = sum(v for k, v in effects.items() if k.startswith("dmg"))
        res = sum(v for k, v in effects.items() if k.startswith("res_"))
        crit = effects.get("critical_strike", 0)
        return attack * 4 + dmg * 2 + res * 1.5 + effects.get("hp", 0) * 0.5 + crit
    # Gathering tools carry a negative effect named after the skill.
    return float(-effects.get(activity, 0)) * 10 + effects.get("prospecting", 0) * 0.01


@dataclass(frozen=True)
class EquipBest(GameGoal):
    """Wear a chosen loadout (``(slot, code)`` pairs); build it with :meth:`for_activity`."""

    activity: str
    loadout: tuple[tuple[str, str], ...]

    @classmethod
    def for_activity(cls, ctx: GameContext, state: GameState, activity: str) -> EquipBest:
        """Pick the best owned items (inventory, bank, worn) for ``activity`` (``combat`` or a
        gathering skill), slot by slot, among those whose conditions the character meets."""
        owned = {code for code in (*state.inventory, *state.bank, *(c for _, c in state.equipment))}
        chosen: dict[str, str] = {}
        used: dict[str, int] = {}
        for slot in EQUIPMENT_SLOTS:
            if activity != "combat" and slot != "weapon":
                continue
            best: tuple[float, str] | None = None
            for code in sorted(owned):
                info = ctx.facts.item(code)
                if info is None or not slot_accepts(slot, info):
                    continue
                if not meets_conditions(state, info.conditions):
                    continue
                # The same ring may be worn twice, if two are owned; anything else once.
                if used.get(code, 0) >= (state.owns(code) if info.type == "ring" else 1):
                    continue
                score = _score(info, activity)
                if score > 0 and (best is None or score > best[0]):
                    best = (score, code)
            if best is not None:
                current = state.equipped(slot)
                current_info = None if current is None else ctx.facts.item(current)
                if (
                    current is not None
                    and current_info is not None
                    and _score(current_info, activity) >= best[0]
                ):
                    best = (best[0], current)
                chosen[slot] = best[1]
                used[best[1]] = used.get(best[1], 0) + 1
        return cls(activity, tuple(sorted(chosen.items())), ctx=ctx)

    @property
    def name(self) -> str:
        return f"equip_best({self.activity})"

    def is_satisfied(self, state: GameState) -> bool:
        return all(state.equipped(slot) == code for slot, code in self.loadout)

    def relevance(self, state: GameState) -> Relevance:
        wrong = frozenset(
            slot
            for slot, code in self.loadout
            if state.equipped(slot) is not None and state.equipped(slot) != code
        )
        codes = frozenset(code for _, code in self.loadout)
        return Relevance(items=codes, equip=codes, unequip=wrong)


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

    def _progress(self, state: GameState) -> int:
        if self.skill == "combat":
            return total_xp(state.level, state.xp)
        return total_xp(state.skills[self.skill], state.skill_xp[self.skill])

    def is_satisfied(self, state: GameState) -> bool:
        return self._progress(state) >= self.target

    @abstractmethod
    def _best_rate(self, state: GameState) -> float:
        """XP per game-second of the best option, ignoring travel (an upper bound)."""

    def heuristic(self, state: GameState) -> float:
        remaining = self.target - self._progress(state)
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
        remaining = self.target - self._progress(state)
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
        remaining = self.target - self._progress(state)
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


@dataclass(frozen=True)
class AcceptTask(GameGoal):
    """Hold a task from the ``task_type`` master."""

    task_type: str

    @property
    def name(self) -> str:
        return f"accept_task({self.task_type})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.task is not None

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(tasks=frozenset({self.task_type}))


@dataclass(frozen=True)
class CompleteTask(GameGoal):
    """Finish and hand in the task ``code`` (satisfied once it is no longer held)."""

    code: str
    task_type: str

    @classmethod
    def current(cls, ctx: GameContext, state: GameState) -> CompleteTask:
        """Goal: complete the task ``state`` holds.

        Raises:
            ValueError: when the character has no task.
        """
        if state.task is None:
            raise ValueError("the character holds no task")
        return cls(state.task.code, state.task.type, ctx=ctx)

    @property
    def name(self) -> str:
        return f"complete_task({self.code})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.task is None or state.task.code != self.code

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        task = state.task
        if self.task_type != "items" or task is None or task.code != self.code:
            return None
        return remaining_demand(self.ctx, state, self.code, task.total - task.progress)

    def relevance(self, state: GameState) -> Relevance:
        tasks = Relevance(tasks=frozenset({self.task_type}))
        if self.task_type == "monsters":
            return tasks | Relevance(monsters=frozenset({self.code}))
        return tasks | self.ctx.obtain_relevance(self.code)


def game_goal_manager(ctx: GameContext) -> GoalManager[GameState]:
    """Return the goal factories for every sub-goal request the game actions raise."""

    def reach(r: SubGoalRequest, s: GameState) -> ReachLocation:
        location = r.param("location")
        if not (isinstance(location, tuple) and len(location) == 3):
            raise ValueError(f"bad location in {r}")
        layer, x, y = location
        return ReachLocation((str(layer), int(x), int(y)), ctx=ctx)

    def heal(r: SubGoalRequest, s: GameState) -> RestoreHP:
        return RestoreHP(int(str(r.param("required_hp"))), ctx=ctx)

    def obtain(r: SubGoalRequest, s: GameState) -> ObtainItem:
        return ObtainItem(str(r.param("code")), int(str(r.param("quantity"))), ctx=ctx)

    def free(r: SubGoalRequest, s: GameState) -> FreeInventory:
        return FreeInventory(int(str(r.param("free", 1))), ctx=ctx)

    def equip(r: SubGoalRequest, s: GameState) -> EquipItem:
        slot = r.param("slot")
        return EquipItem(str(r.param("code")), None if slot is None else str(slot), ctx=ctx)

    def level(r: SubGoalRequest, s: GameState) -> Goal[GameState]:
        skill, target = str(r.param("skill")), int(str(r.param("level")))
        if skill == "combat":
            return LevelCombat.reach(ctx, target)
        return LevelSkill.reach(ctx, skill, target)

    def gold(r: SubGoalRequest, s: GameState) -> ObtainGold:
        return ObtainGold(int(str(r.param("amount"))), ctx=ctx)

    def gear(r: SubGoalRequest, s: GameState) -> EquipBest:
        return EquipBest.for_activity(ctx, s, "combat")

    return GoalManager[GameState](
        {
            NOT_AT_LOCATION: reach,
            HP_TOO_LOW: heal,
            ITEM_MISSING: obtain,
            INVENTORY_FULL: free,
            EQUIPMENT_MISSING: equip,
            SKILL_TOO_LOW: level,
            GOLD_MISSING: gold,
            "monster_too_strong": gear,
        }
    )
