"""Goals the player adds to the game domain's, and how a goal is split into short stages.

:class:`BankSurplus` banks everything but what a goal needs; :class:`FedCombat` levels combat
eating healing items as well as resting; :func:`stage_goals` turns making a crafted item into
gathering its raw materials, then each intermediate, then the item (each a small search), and
fetches food from the bank before fighting.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.action import Action
from guildmaster.planning.domains import (
    BANK,
    CompleteTask,
    EquipItem,
    GameGoal,
    LevelCombat,
    ObtainItem,
    has_levels_for,
)
from guildmaster.planning.domains.context import Relevance
from guildmaster.planning.domains.facts import ItemInfo
from guildmaster.planning.domains.state import EQUIPMENT_SLOTS, INVENTORY_SLOTS, GameState
from guildmaster.planning.domains.trade import (
    TaskComplete,
    TaskExchange,
    bank_room,
    new_bank_codes,
)
from guildmaster.planning.goal import Goal
from guildmaster.planning.state import Multiset

__all__ = [
    "UNKNOWN_REWARD_ROOM",
    "BankSurplus",
    "FedCombat",
    "FedObtain",
    "FetchItem",
    "WearOwned",
    "healing_items",
    "item_effect",
    "restore_potions",
    "room_needed",
    "stage_goals",
]

#: Units to make room for when an action's items are unknown (task rewards not in the data).
UNKNOWN_REWARD_ROOM = 10

#: Healing items: fetch more from the bank below this many, this many at a time.
_FOOD_LOW = 3
_FOOD_TAKE = 20
#: Restore potions: load a utility slot with up to ``_POTION_LOAD`` units, if at least
#: ``_POTION_MIN`` are owned, keeping ``_POTION_ROOM`` units of the bag free.
_POTION_LOAD = 50
_POTION_MIN = 5
_POTION_ROOM = 20


@dataclass(frozen=True)
class BankSurplus(GameGoal):
    """Deposit every inventory stack except ``keep`` (satisfied when only those remain)."""

    keep: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """``bank_surplus(keep=...)``."""
        return f"bank_surplus(keep={','.join(sorted(self.keep)) or '-'})"

    def is_satisfied(self, state: GameState) -> bool:
        """Whether only kept stacks remain (and those a full bank has no slot for)."""
        full = bank_room(state) < 1
        unbankable = new_bank_codes(state, state.inventory.items()) if full else set()
        return all(code in self.keep or code in unbankable for code in state.inventory)

    def relevance(self, state: GameState) -> Relevance:
        """Deposits, keeping ``keep``."""
        return Relevance(deposit=True, items=self.keep)


@dataclass(frozen=True)
class FedCombat(LevelCombat):
    """:class:`LevelCombat` that may also eat healing consumables instead of resting."""

    def relevance(self, state: GameState) -> Relevance:
        """The monsters to fight, plus healing (rest or food)."""
        return super().relevance(state) | Relevance(heal=True)


@dataclass(frozen=True)
class FedObtain(ObtainItem):
    """:class:`ObtainItem` of a monster drop that may eat healing food between its fights
    instead of resting."""

    def relevance(self, state: GameState) -> Relevance:
        """The item's sources, plus healing (rest or food)."""
        return super().relevance(state) | Relevance(heal=True)


@dataclass(frozen=True)
class FetchItem(ObtainItem):
    """Take ``code`` out of the bank until ``quantity`` are held, or the bank has none left.

    Unlike :class:`ObtainItem` it never makes the item: a fighter fetching food or potions
    before a fight takes what the bank holds (a teammate may have taken some since the bank
    was last seen) and fights with that, instead of turning a fight into a cooking trip.
    """

    @property
    def name(self) -> str:
        """``fetch(code xN)``."""
        return f"fetch({self.code} x{self.quantity})"

    def is_satisfied(self, state: GameState) -> bool:
        """Whether ``quantity`` are held or the bank holds no more."""
        return state.inventory[self.code] >= self.quantity or state.bank[self.code] <= 0

    def heuristic(self, state: GameState) -> float:
        """The trip to the nearest bank (the withdrawals themselves are cheap)."""
        if self.is_satisfied(state):
            return 0.0
        bank = self.ctx.nearest(state.location, BANK)
        if bank is None:
            return math.inf
        return self.ctx.set_distance(frozenset({state.location}), frozenset({bank}))

    def is_feasible(self, state: GameState) -> bool:
        """Always: an empty bank satisfies it."""
        return True

    def relevance(self, state: GameState) -> Relevance:
        """Withdrawing ``code`` only."""
        return Relevance(items=frozenset({self.code}))


@dataclass(frozen=True)
class WearOwned(EquipItem):
    """:class:`EquipItem` for something already fetched: satisfied as well when the bag holds
    none of it (a fetch that found the bank empty), so it never turns into making it."""

    def is_satisfied(self, state: GameState) -> bool:
        """Worn, or none in the bag to wear."""
        return super().is_satisfied(state) or state.inventory[self.code] <= 0


def healing_items(
    world: PlayerWorld, state: GameState, codes: Iterable[str], *, stock: Multiset | None = None
) -> list[str]:
    """Return the consumables among ``codes`` that heal and that ``state`` may use, best first
    (of those that heal alike, the larger ``stock`` first when given)."""
    return _best_by_effect(world, state, codes, "consumable", "heal", stock=stock)


def restore_potions(
    world: PlayerWorld, state: GameState, codes: Iterable[str], *, stock: Multiset | None = None
) -> list[str]:
    """Return the utilities among ``codes`` that heal inside fights (``restore``) and that
    ``state`` may wear, best first (as :func:`healing_items`)."""
    return _best_by_effect(world, state, codes, "utility", "restore", stock=stock)


def _best_by_effect(
    world: PlayerWorld,
    state: GameState,
    codes: Iterable[str],
    item_type: str,
    effect: str,
    *,
    stock: Multiset | None = None,
) -> list[str]:
    """The items of ``item_type`` among ``codes`` with ``effect`` whose conditions ``state``
    meets, largest effect first (ties: the larger ``stock`` when given, then by code)."""
    found: list[tuple[int, str]] = []
    for code in codes:
        info = world.facts.item(code)
        if info is None or info.type != item_type:
            continue
        if not has_levels_for(state, info.conditions):
            continue
        value = item_effect(info, effect)
        if value > 0:
            found.append((value, code))
    units = stock if stock is not None else Multiset()
    return [code for _, code in sorted(found, key=lambda f: (-f[0], -units[f[1]], f[1]))]


def _food_stages(world: PlayerWorld, state: GameState, *, keep: int = 0) -> list[Goal[GameState]]:
    """Fetch healing food from the bank when the bag runs low: the best food first and, of
    foods that heal alike, the largest stack first, from several stacks when one is short.
    ``keep`` units of the bag stay free for what the goal itself brings in."""
    held = sum(state.inventory[c] for c in healing_items(world, state, state.inventory))
    if held >= _FOOD_LOW:
        return []
    banked = healing_items(world, state, state.bank, stock=state.bank)
    want = min(_FOOD_TAKE, max(0, state.free_space() - keep - _FOOD_TAKE))
    stages: list[Goal[GameState]] = []
    for food in banked:
        take = min(state.bank[food], want)
        if take <= 0:
            break
        stages.append(FetchItem(food, state.inventory[food] + take, ctx=world.ctx))
        want -= take
    return stages


def _potion_stages(world: PlayerWorld, state: GameState) -> list[Goal[GameState]]:
    """Load an empty utility slot with owned restore potions before fighting.

    A restore potion heals inside the fight, so the HP it gives back is rest not taken
    afterwards. Nothing is done while a slot already holds one (the server empties the slot
    when the stack is used up) or while too few are owned to be worth the trip.
    """
    slots = [s for s in EQUIPMENT_SLOTS if s.startswith("utility")]
    worn = [state.equipped(s) for s in slots]
    if restore_potions(world, state, (c for c in worn if c is not None)):
        return []
    empty = [s for s in slots if state.equipped(s) is None]
    owned = {*state.inventory, *state.bank}
    potions = restore_potions(world, state, owned)
    if not empty or not potions:
        return []
    potion = potions[0]
    have = state.inventory[potion]
    room = max(0, state.free_space() - _POTION_ROOM)
    load = min(have + state.bank[potion], _POTION_LOAD, have + room)
    if load < _POTION_MIN:
        return []
    ctx = world.ctx
    stages: list[Goal[GameState]] = []
    if have < load:
        stages.append(FetchItem(potion, load, ctx=ctx))
    stages.append(WearOwned(potion, empty[0], ctx=ctx))
    return stages


def stage_goals(
    world: PlayerWorld, goal: Goal[GameState], state: GameState
) -> list[Goal[GameState]]:
    """Split making a crafted item into gathering its raw materials first, then the rest.

    Raw materials only monsters drop come after the gathered ones, behind a food fetch and
    a potion load, and their fights may eat instead of resting (:class:`FedObtain`). Levelling
    combat and a monsters task fetch food and potions first. Each stage is a short plan (a
    few kinds of steps), which keeps every search small.
    """
    code: str | None = None
    quantity = 0
    if isinstance(goal, FedCombat) or (
        isinstance(goal, CompleteTask) and goal.task_type == "monsters"
    ):
        return [*_potion_stages(world, state), *_food_stages(world, state), goal]
    if isinstance(goal, ObtainItem):
        code, quantity = goal.code, goal.quantity - state.inventory[goal.code]
    elif isinstance(goal, EquipItem) and not state.owns(goal.code):
        code, quantity = goal.code, 1
    gamedata = world.gamedata
    if code is None or quantity <= 0 or gamedata.recipe(code) is None:
        return [goal]
    try:
        raw = gamedata.raw_materials(code, quantity)
    except ValueError:
        return [goal]
    ctx = world.ctx
    stages: list[Goal[GameState]] = []
    if sum(raw.values()) > state.free_space() + sum(state.inventory[r] for r in raw):
        if sum(raw.values()) + INVENTORY_SLOTS > state.inventory_max:
            return [goal]  # too much to carry at once: let the planner juggle the bank
        keep = frozenset(raw) | frozenset(gamedata.craft_runs(code, quantity))
        stages.append(BankSurplus(keep, ctx=ctx))
    missing = {r: n for r, n in sorted(raw.items()) if state.inventory[r] < n}
    # Drops the bank cannot cover are fought for: gather first, then take food (and load
    # potions) for those fights, then fight; each fight is followed by eating, not resting.
    fought = {r for r, n in missing.items() if _fought_for(gamedata, r, n - state.owns(r))}
    stages.extend(ObtainItem(r, n, ctx=ctx) for r, n in missing.items() if r not in fought)
    if fought:
        incoming = sum(n - state.inventory[r] for r, n in missing.items())
        stages.extend(_potion_stages(world, state))
        stages.extend(_food_stages(world, state, keep=incoming))
    stages.extend(FedObtain(r, n, ctx=ctx) for r, n in missing.items() if r in fought)
    for inner, runs in gamedata.craft_runs(code, quantity).items():
        recipe = gamedata.recipe(inner)
        if inner != code and recipe is not None:
            stages.append(ObtainItem(inner, runs * recipe.quantity, ctx=ctx))
    if isinstance(goal, EquipItem):
        # EquipItem has no heuristic: make the item under ObtainItem's, then just wear it.
        stages.append(ObtainItem(code, 1, ctx=ctx))
    return [*stages, goal]


def _fought_for(gamedata: GameData, code: str, short: int) -> bool:
    """Whether ``short`` more units of raw material ``code`` come from fights (a monster
    drops it and no resource does)."""
    if short <= 0:
        return False
    sources = gamedata.sources(code)
    return bool(sources.monsters) and not sources.resources


def item_effect(item: ItemInfo | None, code: str) -> int:
    """Return the total value of effect ``code`` on ``item`` (0 for none)."""
    return 0 if item is None else sum(e.value for e in item.effects if e.code == code)


def _reward_units(action: Action[GameState], state: GameState, gamedata: GameData) -> int:
    """Units of items ``action`` brings into the bag (best guess; at least 1)."""
    if isinstance(action, TaskComplete):
        task = gamedata.tasks.get(state.task.code) if state.task is not None else None
        if task is None:
            return UNKNOWN_REWARD_ROOM
        return max(1, sum(i.quantity for i in task.reward_items))
    if isinstance(action, TaskExchange):
        return UNKNOWN_REWARD_ROOM
    return 1


def room_needed(action: Action[GameState], state: GameState, gamedata: GameData) -> int:
    """Units ``FreeInventory`` must reach after the server refused ``action`` with a full bag.

    ``state`` is the freshly read state. The server knows better than it, so the answer is
    always more room than ``state`` has (at least what the action brings in, beyond today's
    free space), capped by the bag's size: a goal already met would just retry the action.
    """
    units = _reward_units(action, state, gamedata)
    want = max(units, state.free_space() + units)
    return max(1, min(state.inventory_max, want))
