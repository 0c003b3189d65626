"""The ArtifactsMMO planning domain: action generators over :class:`GameState`.

:func:`build_domain` assembles a :class:`~guildmaster.planning.Domain` from a
:class:`~guildmaster.planning.domains.facts.GameFacts` (and optionally a learned
:class:`~guildmaster.planning.domains.costs.CostModel`). Generators are goal-directed: a goal
that is a :class:`~guildmaster.planning.domains.goals.GameGoal` declares its
:class:`~guildmaster.planning.domains.context.Relevance`, and only actions touching that part
of the world are proposed (moves go to the nearest tile of each relevant place).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from guildmaster.planning.action import Action, Domain
from guildmaster.planning.domains.actions import (
    UTILITY_STACK,
    Craft,
    Equip,
    Fight,
    Gather,
    Move,
    Recycle,
    Rest,
    Unequip,
    Use,
    fight_hp_needed,
    is_slot_for,
)
from guildmaster.planning.domains.context import BANK, DomainOptions, GameContext, Relevance
from guildmaster.planning.domains.costs import CostModel
from guildmaster.planning.domains.disposal import DisposeItems
from guildmaster.planning.domains.facts import ContentKey, GameFacts
from guildmaster.planning.domains.goals import (
    EquipBest,
    EquipItem,
    FreeInventory,
    GameGoal,
    ObtainGold,
    ObtainItem,
    ReachLocation,
    RestoreHP,
)
from guildmaster.planning.domains.levelling import LevelCombat, LevelSkill
from guildmaster.planning.domains.state import (
    EQUIPMENT_SLOTS,
    INVENTORY_SLOTS,
    GameState,
    Location,
)
from guildmaster.planning.domains.trade import (
    Deposit,
    NpcBuy,
    NpcSell,
    TaskComplete,
    TaskNew,
    TaskTrade,
    Withdraw,
    WithdrawGold,
    bank_room,
    new_bank_codes,
)
from guildmaster.planning.goal import Goal
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
    "RECOMMENDED_WEIGHT",
    "GameDomain",
    "build_domain",
    "game_goal_manager",
    "relevance_of",
]

GameDomain = Domain[GameState]

#: Heuristic weight for game plans: optimal search stalls on 100-step plans (many equally
#: good interleavings), while 1.2 finds them in a few hundred expansions at most 20 % dearer.
RECOMMENDED_WEIGHT: Final = 1.2


def relevance_of(goal: Goal[GameState], state: GameState) -> Relevance:
    """Return the goal's relevance (nothing beyond resting for non-game goals).

    When the inventory cannot hold what the goal still needs, depositing the stacks the goal
    does not use becomes relevant too, so a full bag is planned around instead of blocking.
    """
    if not isinstance(goal, GameGoal):
        return Relevance()
    rel = goal.relevance(state)
    if rel.deposit:
        return rel
    demand = goal.demand(state)
    needed = 1 if demand is None else max(1, sum(demand.values()))
    cramped = state.free_space() < needed or len(state.inventory) >= INVENTORY_SLOTS - 1
    if cramped and any(code not in rel.items for code in state.inventory):
        return rel | Relevance(deposit=True)
    return rel


def build_domain(
    source: GameFacts | GameContext,
    *,
    costs: CostModel | None = None,
    options: DomainOptions | None = None,
) -> Domain[GameState]:
    """Return the game domain for a context, or for facts (prior costs unless ``costs``).

    Goals carry a context too; pass the same :class:`GameContext` to both so that goal
    heuristics use the same cost model as the actions.
    """
    if isinstance(source, GameContext):
        ctx = source
    else:
        ctx = GameContext(source, costs, options or DomainOptions())
    generators = _Generators(ctx)
    return Domain(
        [generators.moves, generators.local, generators.anywhere],
        goals=game_goal_manager(ctx),
        name="artifacts",
    )


class _Limit:
    """How many more units of each item a goal can use (no limit without a demand)."""

    def __init__(self, demand: Mapping[str, int] | None) -> None:
        self.demand = demand

    def wants(self, code: str) -> bool:
        return self.demand is None or self.demand.get(code, 0) > 0

    def cap(self, code: str) -> int:
        return 1 << 30 if self.demand is None else self.demand.get(code, 0)

    def runs(self, code: str, per_run: int) -> int:
        return -(-self.cap(code) // max(1, per_run))


class _Generators:
    """The three generators of the game domain, sharing one context."""

    def __init__(self, ctx: GameContext) -> None:
        self.ctx = ctx

    # --- moves ---------------------------------------------------------------------------

    def _places(self, state: GameState, rel: Relevance) -> Iterator[ContentKey]:
        facts = self.ctx.facts
        for code in sorted(rel.resources):
            info = facts.resource(code)
            if info is not None and state.skills[info.skill] >= info.level:
                yield ("resource", code)
        for code in sorted(rel.monsters):
            yield ("monster", code)
        skills = set()
        for code in rel.crafts:
            item = facts.item(code)
            recipe = None if item is None else item.craft
            if recipe is not None and state.skills[recipe.skill] >= recipe.level:
                skills.add(recipe.skill)
        for code in rel.recycles:
            workshop = self._recyclable(state, code)
            if workshop is not None:
                skills.add(workshop)
        for skill in sorted(skills):
            yield ("workshop", skill)
        wants_bank = (
            rel.deposit
            or (rel.withdraw_gold and state.bank_gold > 0)
            or any(code in state.bank for code in rel.items)
        )
        if wants_bank:
            yield BANK
        for npc in sorted({npc for npc, _ in rel.buys | rel.sells}):
            yield ("npc", npc)
        for task_type in sorted(rel.tasks):
            yield ("tasks_master", task_type)

    def moves(self, state: GameState, goal: Goal[GameState]) -> Iterable[Action[GameState]]:
        """Moves to the nearest tile of every relevant place, and to explicit locations."""
        rel = relevance_of(goal, state)
        targets: set[Location] = set(rel.locations)
        for place in self._places(state, rel):
            if self.ctx.is_at(state.location, place):
                continue
            tile = self.ctx.nearest(state.location, place)
            if tile is not None:
                targets.add(tile)
        targets.discard(state.location)
        return [Move(target, ctx=self.ctx) for target in sorted(targets)]

    # --- what the current tile offers ------------------------------------------------------

    def local(self, state: GameState, goal: Goal[GameState]) -> Iterable[Action[GameState]]:
        """Actions using the content of the current tile."""
        content = self.ctx.facts.content_at(state.location)
        if content is None:
            return []
        rel = relevance_of(goal, state)
        limit = _Limit(goal.demand(state) if isinstance(goal, GameGoal) else None)
        kind, code = content
        if kind == "monster":
            return self._fights(code, rel, limit)
        if kind == "resource":
            return self._gathers(code, rel, limit)
        if kind == "workshop":
            crafts = self._crafts(state, code, rel, limit)
            return crafts + self._recycles(state, goal, code, rel) if rel.recycles else crafts
        if content == BANK:
            return self._bank(state, rel, limit)
        if kind == "npc":
            buys = sorted(item for npc, item in rel.buys if npc == code and limit.wants(item))
            actions: list[Action[GameState]] = [NpcBuy(code, i, 1, ctx=self.ctx) for i in buys]
            if rel.sells:
                actions.extend(self._sells(state, goal, code, rel))
            return actions
        if kind == "tasks_master":
            return self._tasks(state, code, rel)
        return []

    def _fights(self, monster: str, rel: Relevance, limit: _Limit) -> list[Action[GameState]]:
        if monster not in rel.monsters:
            return []
        info = self.ctx.facts.monster(monster)
        if info is None:
            return []
        actions: list[Action[GameState]] = []
        fixed = {d.code for d in info.drops if d.rate <= 1}
        # A plain fight helps item goals only through its certain drops.
        if not rel.items or any(limit.wants(c) for c in fixed & rel.items):
            actions.append(Fight(monster, ctx=self.ctx))
        rare = sorted({d.code for d in info.drops if d.rate > 1 and d.code in rel.items})
        actions.extend(
            Fight(monster, item, ctx=self.ctx)
            for item in rare
            if item not in fixed and limit.wants(item)
        )
        return actions

    def _gathers(self, resource: str, rel: Relevance, limit: _Limit) -> list[Action[GameState]]:
        if resource not in rel.resources:
            return []
        info = self.ctx.facts.resource(resource)
        if info is None:
            return []
        actions: list[Action[GameState]] = []
        fixed = {d.code for d in info.drops if d.rate <= 1}
        if not rel.items or any(limit.wants(c) for c in fixed & rel.items):
            actions.append(Gather(resource, ctx=self.ctx))
        rare = sorted({d.code for d in info.drops if d.rate > 1 and d.code in rel.items})
        actions.extend(
            Gather(resource, i, ctx=self.ctx) for i in rare if i not in fixed and limit.wants(i)
        )
        return actions

    def _crafts(
        self, state: GameState, skill: str, rel: Relevance, limit: _Limit
    ) -> list[Action[GameState]]:
        actions: list[Action[GameState]] = []
        for code in sorted(rel.crafts):
            item = self.ctx.facts.item(code)
            if item is None or item.craft is None or item.craft.skill != skill:
                continue
            if not limit.wants(code):
                continue
            actions.append(Craft(code, 1, ctx=self.ctx))
            if self.ctx.options.craft_batches and item.craft.items:
                runs = min(state.inventory[i.code] // i.quantity for i in item.craft.items)
                runs = min(runs, limit.runs(code, item.craft.quantity))
                if runs > 1:
                    actions.append(Craft(code, runs, ctx=self.ctx))
        return actions

    # --- disposal (only goals that get rid of items set ``sells`` / ``recycles``) -------------

    def _recyclable(self, state: GameState, code: str) -> str | None:
        """The workshop skill recycling ``code`` needs, when this character may recycle it."""
        info = self.ctx.facts.item(code)
        if info is None or info.craft is None or not info.recyclable:
            return None
        recipe = info.craft
        return recipe.skill if state.skills[recipe.skill] >= recipe.level else None

    @staticmethod
    def _disposable(state: GameState, goal: Goal[GameState], code: str) -> int:
        """Units of ``code`` in the bag the goal lets go of (all of them for other goals)."""
        held = state.inventory[code]
        return min(held, goal.excess(state)) if isinstance(goal, DisposeItems) else held

    def _sells(
        self, state: GameState, goal: Goal[GameState], npc: str, rel: Relevance
    ) -> list[Action[GameState]]:
        actions: list[Action[GameState]] = []
        for seller, code in sorted(rel.sells):
            quantity = self._disposable(state, goal, code) if seller == npc else 0
            if quantity > 0:
                actions.append(NpcSell(npc, code, quantity, ctx=self.ctx))
        return actions

    def _recycles(
        self, state: GameState, goal: Goal[GameState], skill: str, rel: Relevance
    ) -> list[Action[GameState]]:
        actions: list[Action[GameState]] = []
        for code in sorted(rel.recycles):
            quantity = self._disposable(state, goal, code)
            if quantity > 0 and self._recyclable(state, code) == skill:
                actions.append(Recycle(code, quantity, ctx=self.ctx))
        return actions

    # --- the bank ----------------------------------------------------------------------------

    def _bank(self, state: GameState, rel: Relevance, limit: _Limit) -> list[Action[GameState]]:
        actions: list[Action[GameState]] = []
        for code in sorted(rel.items):
            if code in state.bank and limit.wants(code):
                quantity = min(state.bank[code], max(1, state.free_space()), limit.cap(code))
                actions.append(Withdraw(code, quantity, ctx=self.ctx))
        if rel.deposit and state.inventory:
            keep = rel.items
            stacks = tuple(p for p in state.inventory.items() if p[0] not in keep)
            fitting = _fitting(state, stacks or tuple(state.inventory.items()))
            if fitting:
                actions.append(Deposit(fitting, ctx=self.ctx))
        if rel.withdraw_gold and state.bank_gold > 0:
            actions.append(WithdrawGold(state.bank_gold, ctx=self.ctx))
        return actions

    def _tasks(self, state: GameState, task_type: str, rel: Relevance) -> list[Action[GameState]]:
        if task_type not in rel.tasks:
            return []
        task = state.task
        if task is None:
            return [TaskNew(task_type, ctx=self.ctx)]
        actions: list[Action[GameState]] = []
        if task.type == task_type and task.is_done:
            actions.append(TaskComplete(ctx=self.ctx))
        if task.type == "items" == task_type:
            quantity = min(state.inventory[task.code], task.total - task.progress)
            if quantity > 0:
                actions.append(TaskTrade(task.code, quantity, ctx=self.ctx))
        return actions

    # --- actions that work anywhere ------------------------------------------------------

    def anywhere(self, state: GameState, goal: Goal[GameState]) -> Iterable[Action[GameState]]:
        """Rest, consumables, equip and unequip."""
        rel = relevance_of(goal, state)
        actions: list[Action[GameState]] = []
        # Resting only pays before a fight that needs the HP (or when healing is the goal);
        # resting earlier never saves time, and pruning it keeps the search small.
        # Fight.check also refuses a fight it would likely lose at the current HP, even
        # when the expected loss fits: resting must be offered in that case too.
        minimum = self.ctx.options.min_win_probability
        needs_hp = rel.heal or any(
            state.hp < fight_hp_needed(self.ctx, state, m)
            or self.ctx.facts.predict_fight(state, m).win_probability < minimum
            for m in sorted(rel.monsters)
        )
        if state.hp < state.max_hp and needs_hp:
            actions.append(Rest(ctx=self.ctx))
            if rel.heal:
                missing = state.max_hp - state.hp
                for code in state.inventory:
                    info = self.ctx.facts.item(code)
                    heal = (
                        0
                        if info is None
                        else sum(e.value for e in info.effects if e.code == "heal")
                    )
                    if heal <= 0:
                        continue
                    actions.append(Use(code, 1, ctx=self.ctx))
                    # One use of several items costs the same as one: heal fully at once.
                    enough = min(state.inventory[code], -(-missing // heal))
                    if enough > 1:
                        actions.append(Use(code, enough, ctx=self.ctx))
        for code in sorted(rel.equip):
            info = self.ctx.facts.item(code)
            if info is None or code not in state.inventory:
                continue
            # A utility goes on by the stack: every unit carried, as a slot holds.
            units = min(state.inventory[code], UTILITY_STACK) if info.type == "utility" else 1
            for slot in EQUIPMENT_SLOTS:
                if is_slot_for(slot, info) and state.equipped(slot) is None:
                    actions.append(Equip(code, slot, units, ctx=self.ctx))
        for slot in sorted(rel.unequip):
            if state.equipped(slot) is not None:
                actions.append(Unequip(slot, ctx=self.ctx))
        return actions


def _fitting(state: GameState, stacks: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """The ``stacks`` a bank with ``state.bank_room`` free slots takes in one deposit: every
    code it already holds, and new codes while slots are free (largest stacks first)."""
    stacks = tuple(stacks)
    room = bank_room(state)
    fresh = new_bank_codes(state, stacks)
    if len(fresh) <= room:
        return stacks
    new = sorted((p for p in stacks if p[0] in fresh), key=lambda p: (-p[1], p[0]))
    allowed = {code for code, _ in new[: int(room)]}
    return tuple(p for p in stacks if p[0] not in fresh or p[0] in allowed)


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
        monster = r.param("monster")
        if isinstance(monster, str):
            return EquipBest.for_monster(ctx, s, monster)
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
