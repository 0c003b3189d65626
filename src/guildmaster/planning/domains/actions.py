"""Game actions on the map: move, fight, gather, craft, rest, use, equip, unequip, recycle.

Every action is a frozen dataclass carrying its parameters and the shared
:class:`~guildmaster.planning.domains.context.GameContext`. ``check`` explains in a
:class:`~guildmaster.planning.SubGoalRequest` why it cannot run; ``apply`` is the *expected*
outcome (random drops and damage are replaced by expectations, and the executor replans
when the server's answer differs); ``cost`` is in game-seconds. ``kind`` names the API action
(and starts the action's ``name``); the agent's executor maps each action class to its client
call, the one place that knows the endpoints.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from guildmaster.planning.action import Action
from guildmaster.planning.domains.context import GameContext
from guildmaster.planning.domains.facts import ConditionInfo, DropInfo, ItemInfo
from guildmaster.planning.domains.rules import (
    combat_xp,
    crafting_xp,
    gathering_xp,
    recycle_units_per_item,
)
from guildmaster.planning.domains.state import GameState, Location, TaskState
from guildmaster.planning.subgoals import PRECONDITION, SubGoalRequest

__all__ = [
    "UTILITY_STACK",
    "Craft",
    "Equip",
    "Fight",
    "GameAction",
    "Gather",
    "Move",
    "Recycle",
    "Rest",
    "Unequip",
    "Use",
    "fight_hp_needed",
    "has_levels_for",
    "is_slot_for",
    "slot_item_type",
]


def _refuse(reason: str, **params: Any) -> SubGoalRequest:
    return SubGoalRequest.of(PRECONDITION, reason=reason, **params)


def has_levels_for(state: GameState, conditions: Sequence[ConditionInfo]) -> bool:
    """Return whether ``state`` meets item conditions on the combat level and skill levels.

    Conditions the state cannot judge (achievements, held items) are assumed to hold.
    """
    for condition in conditions:
        if condition.code != "level" and not condition.code.endswith("_level"):
            continue
        name = "combat" if condition.code == "level" else condition.code[: -len("_level")]
        actual, value = state.skill(name), condition.value
        ok = {
            "gt": actual > value,
            "lt": actual < value,
            "eq": actual == value,
            "ne": actual != value,
        }.get(condition.operator, True)
        if not ok:
            return False
    return True


def _required_level(item: ItemInfo) -> tuple[str, int] | None:
    for condition in item.conditions:
        if condition.operator == "gt" and (
            condition.code == "level" or condition.code.endswith("_level")
        ):
            name = "combat" if condition.code == "level" else condition.code[: -len("_level")]
            return name, condition.value + 1
    return None


#: Units one utility slot holds (the server answers 484 beyond).
UTILITY_STACK = 100


def slot_item_type(slot: str) -> str:
    """Return the item type worn in equipment ``slot``: the slot's name without its number.

    >>> slot_item_type("ring2"), slot_item_type("body_armor")
    ('ring', 'body_armor')
    """
    return slot.rstrip("123")


def is_slot_for(slot: str, item: ItemInfo) -> bool:
    """Return whether an item of ``item.type`` can go in ``slot``."""
    return item.type == slot_item_type(slot)


def _effect(item: ItemInfo | None, code: str) -> int:
    return 0 if item is None else sum(e.value for e in item.effects if e.code == code)


def fight_hp_needed(ctx: GameContext, state: GameState, monster: str) -> int:
    """Return the HP to hold before fighting ``monster``: the expected loss plus the margin
    (capped at max HP)."""
    estimate = ctx.facts.predict_fight(state.with_(hp=state.max_hp), monster)
    lost = estimate.hp_lost if math.isfinite(estimate.hp_lost) else state.max_hp
    return min(state.max_hp, math.ceil(lost) + ctx.options.hp_margin)


@dataclass(frozen=True)
class GameAction(Action[GameState]):
    """Base of the game's actions: the context plus a name built from the parameters."""

    ctx: GameContext = field(kw_only=True, compare=False, repr=False)
    kind: ClassVar[str] = ""

    @property
    def name(self) -> str:
        """``kind(param, ...)``."""
        return f"{self.kind}({self.label()})"

    @abstractmethod
    def label(self) -> str:
        """Return the parameters as text."""

    def _where(self, state: GameState, content: tuple[str, str]) -> SubGoalRequest | None:
        if self.ctx.is_at(state.location, content):
            return None
        target = self.ctx.nearest(state.location, content)
        if target is None:
            return _refuse(f"no reachable {content[0]} {content[1]}", content=content)
        return SubGoalRequest.not_at_location(target, reason=f"{self.name} needs {content}")


@dataclass(frozen=True)
class Move(GameAction):
    """Walk (and take transitions) to ``destination``; one or more API calls."""

    destination: Location
    kind: ClassVar[str] = "move"

    def label(self) -> str:
        layer, x, y = self.destination
        return f"{layer},{x},{y}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        if state.location == self.destination:
            return _refuse("already there")
        if self.ctx.cost_model.move(state, self.destination) is None:
            return _refuse("unreachable", destination=self.destination)
        return None

    def apply(self, state: GameState) -> GameState:
        return state.moved_to(self.destination)

    def cost(self, state: GameState) -> float:
        seconds = self.ctx.cost_model.move(state, self.destination)
        return math.inf if seconds is None else seconds


def _fixed_drops(drops: Sequence[DropInfo]) -> list[tuple[str, int]]:
    return [(d.code, d.min_quantity) for d in drops if d.rate <= 1]


def _target_rate(drops: Sequence[DropInfo], code: str | None) -> float:
    if code is None:
        return 1.0
    rates = [d.rate for d in drops if d.code == code]
    return float(min(rates)) if rates else math.inf


@dataclass(frozen=True)
class Fight(GameAction):
    """Fight ``monster`` once; with ``for_item``, fight until that drop (expected cost)."""

    monster: str
    for_item: str | None = None
    kind: ClassVar[str] = "fight"

    def label(self) -> str:
        return self.monster if self.for_item is None else f"{self.monster}->{self.for_item}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, ("monster", self.monster))
        if where is not None:
            return where
        if state.free_space() < 1:
            return SubGoalRequest.inventory_full(1, reason="fights need a free slot")
        estimate = self.ctx.facts.predict_fight(state, self.monster)
        full = state.with_(hp=state.max_hp)
        needed = fight_hp_needed(self.ctx, state, self.monster)
        weak = estimate.win_probability < self.ctx.options.min_win_probability
        if weak or state.hp < needed:
            if state.hp < state.max_hp:
                at_full = self.ctx.facts.predict_fight(full, self.monster)
                if at_full.win_probability >= self.ctx.options.min_win_probability:
                    return SubGoalRequest.hp_too_low(needed, reason=f"fight {self.monster}")
            return SubGoalRequest.of(
                "monster_too_strong", monster=self.monster, reason="cannot win even at full HP"
            )
        return None

    def apply(self, state: GameState) -> GameState:
        info = self.ctx.facts.monster(self.monster)
        estimate = self.ctx.facts.predict_fight(state, self.monster)
        hp = max(1, state.hp - math.ceil(estimate.hp_lost))
        new = state.with_(hp=hp)
        if info is None:
            return new
        new = new.gain_combat_xp(
            combat_xp(state.level, info.level, info.hp, monster_type=info.type)
        )
        gold = (info.min_gold + info.max_gold) // 2
        if gold:
            new = new.with_(gold=new.gold + gold)
        for code, qty in _fixed_drops(info.drops):
            new = new.gain(code, qty)
        if self.for_item is not None and _target_rate(info.drops, self.for_item) > 1:
            new = new.gain(self.for_item, 1)
        task = state.task
        if task is not None and task.type == "monsters" and task.code == self.monster:
            progress = min(task.total, task.progress + 1)
            new = new.with_(task=TaskState(task.code, task.type, progress, task.total))
        return new

    def cost(self, state: GameState) -> float:
        estimate = self.ctx.facts.predict_fight(state, self.monster)
        one = self.ctx.cost_model.fight(state, self.monster, estimate)
        info = self.ctx.facts.monster(self.monster)
        rate = 1.0 if info is None else _target_rate(info.drops, self.for_item)
        fights = rate * estimate.expected_fights_per_win
        if fights <= 1:
            return one
        damaged = state.with_(hp=max(1, state.max_hp - math.ceil(estimate.hp_lost)))
        rest = self.ctx.cost_model.rest(damaged)
        # Farming a rare drop: many fights, resting back up between them.
        return fights * one + (fights - 1) * rest


@dataclass(frozen=True)
class Gather(GameAction):
    """Gather ``resource`` once; with ``for_item``, until that (rare) drop (expected cost)."""

    resource: str
    for_item: str | None = None
    kind: ClassVar[str] = "gathering"

    def label(self) -> str:
        return self.resource if self.for_item is None else f"{self.resource}->{self.for_item}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        where = self._where(state, ("resource", self.resource))
        if where is not None:
            return where
        info = self.ctx.facts.resource(self.resource)
        if info is None:
            return _refuse("unknown resource")
        if state.skills[info.skill] < info.level:
            return SubGoalRequest.skill_too_low(info.skill, info.level)
        produced = sum(q for _, q in _fixed_drops(info.drops)) + (self.for_item is not None)
        if state.free_space() < max(1, produced):
            return SubGoalRequest.inventory_full(max(1, produced))
        return None

    def apply(self, state: GameState) -> GameState:
        info = self.ctx.facts.resource(self.resource)
        if info is None:
            return state
        new = state
        for code, qty in _fixed_drops(info.drops):
            new = new.gain(code, qty)
        if self.for_item is not None and _target_rate(info.drops, self.for_item) > 1:
            new = new.gain(self.for_item, 1)
        return new.gain_skill_xp(info.skill, gathering_xp(state.skills[info.skill], info.level))

    def cost(self, state: GameState) -> float:
        info = self.ctx.facts.resource(self.resource)
        if info is None:
            return math.inf
        return self.ctx.cost_model.gather(state, info) * _target_rate(info.drops, self.for_item)


@dataclass(frozen=True)
class Craft(GameAction):
    """Craft ``runs`` runs of ``item`` at its workshop."""

    item: str
    runs: int = 1
    kind: ClassVar[str] = "crafting"

    def label(self) -> str:
        return f"{self.item} x{self.runs}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        info = self.ctx.facts.item(self.item)
        if info is None or info.craft is None:
            return _refuse("not craftable")
        recipe = info.craft
        where = self._where(state, ("workshop", recipe.skill))
        if where is not None:
            return where
        if state.skills[recipe.skill] < recipe.level:
            return SubGoalRequest.skill_too_low(recipe.skill, recipe.level)
        for ingredient in recipe.items:
            needed = ingredient.quantity * self.runs
            if state.inventory[ingredient.code] < needed:
                return SubGoalRequest.item_missing(ingredient.code, needed)
        consumed = sum(i.quantity for i in recipe.items) * self.runs
        net = recipe.quantity * self.runs - consumed
        if net > state.free_space():
            return SubGoalRequest.inventory_full(net)
        return None

    def apply(self, state: GameState) -> GameState:
        info = self.ctx.facts.item(self.item)
        if info is None or info.craft is None:
            return state
        recipe = info.craft
        new = state
        for ingredient in recipe.items:
            new = new.lose(ingredient.code, ingredient.quantity * self.runs)
        new = new.gain(self.item, recipe.quantity * self.runs)
        xp = crafting_xp(recipe.skill, state.skills[recipe.skill], info.level) * self.runs
        return new.gain_skill_xp(recipe.skill, xp)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.craft(state, self.item, self.runs)


@dataclass(frozen=True)
class Rest(GameAction):
    """Rest back to full HP."""

    kind: ClassVar[str] = "rest"

    def label(self) -> str:
        return ""

    def check(self, state: GameState) -> SubGoalRequest | None:
        return None if state.hp < state.max_hp else _refuse("already at full HP")

    def apply(self, state: GameState) -> GameState:
        return state.with_(hp=state.max_hp)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.rest(state)


@dataclass(frozen=True)
class Use(GameAction):
    """Use ``quantity`` of a consumable (healing or gold effects are modelled)."""

    item: str
    quantity: int = 1
    kind: ClassVar[str] = "use"

    def label(self) -> str:
        return f"{self.item} x{self.quantity}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        info = self.ctx.facts.item(self.item)
        if info is None or info.type != "consumable":
            return _refuse("not a consumable")
        if state.inventory[self.item] < self.quantity:
            return SubGoalRequest.item_missing(self.item, self.quantity)
        if not has_levels_for(state, info.conditions):
            return _refuse("conditions not met")
        if _effect(info, "heal") and state.hp >= state.max_hp:
            return _refuse("already at full HP")
        return None

    def apply(self, state: GameState) -> GameState:
        info = self.ctx.facts.item(self.item)
        new = state.lose(self.item, self.quantity)
        heal = _effect(info, "heal") * self.quantity
        gold = _effect(info, "gold") * self.quantity
        return new.with_(hp=min(state.max_hp, state.hp + heal), gold=state.gold + gold)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.flat("use")


@dataclass(frozen=True)
class Equip(GameAction):
    """Equip ``item`` from the inventory into an empty ``slot`` (``quantity`` units of a
    utility, which the slot stacks; one of anything else)."""

    item: str
    slot: str
    quantity: int = 1
    kind: ClassVar[str] = "equip"

    def label(self) -> str:
        suffix = f"x{self.quantity}" if self.quantity != 1 else ""
        return f"{self.item}{suffix}@{self.slot}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        info = self.ctx.facts.item(self.item)
        if info is None or not is_slot_for(self.slot, info):
            return _refuse("item does not fit the slot")
        if self.quantity != 1 and info.type != "utility":
            return _refuse("only utilities are equipped by the stack")
        if not 1 <= self.quantity <= UTILITY_STACK:
            return _refuse(f"between 1 and {UTILITY_STACK} units per utility slot")
        if state.inventory[self.item] < self.quantity:
            return SubGoalRequest.item_missing(self.item, self.quantity)
        if state.equipped(self.slot) is not None:
            return _refuse("slot not empty", slot=self.slot)
        if info.type != "ring" and state.is_equipped(self.item):
            return _refuse("already equipped")
        if not has_levels_for(state, info.conditions):
            required = _required_level(info)
            if required is not None:
                return SubGoalRequest.skill_too_low(*required)
            return _refuse("conditions not met")
        return None

    def apply(self, state: GameState) -> GameState:
        info = self.ctx.facts.item(self.item)
        new = state.lose(self.item, self.quantity).with_equipped(self.slot, self.item)
        return new.with_(
            max_hp=state.max_hp + _effect(info, "hp"),
            inventory_max=state.inventory_max + _effect(info, "inventory_space"),
        )

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.per_stack("equip", 1)


@dataclass(frozen=True)
class Unequip(GameAction):
    """Take the item in ``slot`` back into the inventory."""

    slot: str
    kind: ClassVar[str] = "unequip"

    def label(self) -> str:
        return self.slot

    def check(self, state: GameState) -> SubGoalRequest | None:
        code = state.equipped(self.slot)
        if code is None:
            return _refuse("slot empty", slot=self.slot)
        info = self.ctx.facts.item(code)
        space = _effect(info, "inventory_space")
        if not state.can_hold(code) or state.free_space() - space < 1:
            return SubGoalRequest.inventory_full(1 + max(0, space))
        hp_bonus = _effect(info, "hp")
        if state.max_hp - hp_bonus < 1:
            return _refuse("not enough HP to unequip")
        if hp_bonus > 0 and state.hp - hp_bonus < 1:
            # The server refuses (483) to take off an HP bonus the character is living on.
            return SubGoalRequest.hp_too_low(hp_bonus + 1, reason=f"unequip {code}")
        return None

    def apply(self, state: GameState) -> GameState:
        code = state.equipped(self.slot)
        if code is None:
            return state
        info = self.ctx.facts.item(code)
        bonus = _effect(info, "hp")
        max_hp = state.max_hp - bonus
        new = state.with_equipped(self.slot, None).gain(code)
        # The bonus leaves current HP too (MECHANICS §12.3), never below 1.
        return new.with_(
            max_hp=max_hp,
            hp=max(1, min(state.hp - max(0, bonus), max_hp)),
            inventory_max=state.inventory_max - _effect(info, "inventory_space"),
        )

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.per_stack("unequip", 1)


@dataclass(frozen=True)
class Recycle(GameAction):
    """Recycle ``quantity`` of a crafted item at its workshop (expected returns)."""

    item: str
    quantity: int = 1
    kind: ClassVar[str] = "recycling"

    def label(self) -> str:
        return f"{self.item} x{self.quantity}"

    def check(self, state: GameState) -> SubGoalRequest | None:
        info = self.ctx.facts.item(self.item)
        if info is None or info.craft is None or not info.recyclable:
            return _refuse("not recyclable")
        where = self._where(state, ("workshop", info.craft.skill))
        if where is not None:
            return where
        if state.skills[info.craft.skill] < info.craft.level:
            return SubGoalRequest.skill_too_low(info.craft.skill, info.craft.level)
        if state.inventory[self.item] < self.quantity:
            return SubGoalRequest.item_missing(self.item, self.quantity)
        return None

    def apply(self, state: GameState) -> GameState:
        info = self.ctx.facts.item(self.item)
        new = state.lose(self.item, self.quantity)
        if info is None or info.craft is None or not info.craft.items:
            return new
        units = sum(i.quantity for i in info.craft.items)
        per_item = recycle_units_per_item(units)
        # Returns are random recipe units; expect the most common ingredient.
        main = max(info.craft.items, key=lambda i: (i.quantity, i.code))
        return new.gain(main.code, per_item * self.quantity)

    def cost(self, state: GameState) -> float:
        return self.ctx.cost_model.recycle(state, self.item, self.quantity)
