"""Game goals: reach a place, heal, obtain items or gold, free space, equip, tasks.

Levelling goals live in :mod:`~guildmaster.planning.domains.levelling`, and the goal factories
for sub-goal requests in :func:`~guildmaster.planning.domains.artifacts.game_goal_manager`.
Each goal says which parts of the world are relevant (:meth:`GameGoal.relevance`) so the
domain's generators only propose useful actions. Heuristics are lower bounds in game-seconds.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from guildmaster.planning.domains.actions import has_levels_for, is_slot_for
from guildmaster.planning.domains.bounds import (
    production_seconds,
    remaining_demand,
    required_tile_sets,
    travel_from,
)
from guildmaster.planning.domains.context import GameContext, Relevance
from guildmaster.planning.domains.facts import ItemInfo
from guildmaster.planning.domains.state import (
    EQUIPMENT_SLOTS,
    INVENTORY_SLOTS,
    GameState,
    Location,
)
from guildmaster.planning.goal import Goal

__all__ = [
    "AcceptTask",
    "CompleteTask",
    "EquipBest",
    "EquipItem",
    "FreeInventory",
    "GameGoal",
    "ObtainGold",
    "ObtainItem",
    "ReachLocation",
    "RestoreHP",
]


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
        if self.quantity > state.inventory_max:
            return False  # could never be held at once
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
        return tuple(s for s in EQUIPMENT_SLOTS if is_slot_for(s, info))

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
                if info is None or not is_slot_for(slot, info):
                    continue
                if not has_levels_for(state, info.conditions):
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

    @classmethod
    def for_monster(cls, ctx: GameContext, state: GameState, monster: str) -> EquipBest:
        """Pick owned gear against ``monster`` with the fight predictor, slot by slot (greedy
        coordinate ascent on win probability, then HP kept, then fewer turns)."""
        owned = sorted(
            {code for code in (*state.inventory, *state.bank, *(c for _, c in state.equipment))}
        )
        trial = state.with_(hp=state.max_hp)

        def score(candidate: GameState) -> tuple[float, float, float]:
            estimate = ctx.facts.predict_fight(candidate, monster)
            return (estimate.win_probability, -estimate.hp_lost, -estimate.turns)

        for slot in EQUIPMENT_SLOTS:
            best = score(trial)
            for code in owned:
                info = ctx.facts.item(code)
                if info is None or not is_slot_for(slot, info) or trial.equipped(slot) == code:
                    continue
                if not has_levels_for(state, info.conditions):
                    continue
                worn = sum(1 for _, c in trial.equipment if c == code)
                if worn >= (state.owns(code) if info.type == "ring" else 1):
                    continue
                candidate = trial.with_equipped(slot, code)
                value = score(candidate)
                if value > best:
                    best, trial = value, candidate
        loadout = tuple((slot, code) for slot, code in trial.equipment)
        return cls(f"combat:{monster}", loadout, ctx=ctx)

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
