"""Goal selection: which goal brings the character fastest towards max level and max skills.

Every decision scores candidate goals in one currency, *levels per game-second* (expected XP
per second divided by the XP the current level needs), weighted towards the lowest levels so
progress stays balanced:

- levelling: :class:`LevelCombat` against the best winnable monster, :class:`LevelSkill` for
  each skill (best resource, or best recipe including the time to gather its ingredients);
- upgrades: wearing better owned gear (:class:`EquipBest`) or crafting a better weapon, armour
  piece or gathering tool (:class:`EquipItem`) count by the XP rate they enable over a horizon,
  minus the time they take: ``score = new_rate * (horizon - cost) / horizon``;
- side value: making something from scratch also earns the XP of its chain (crafts, gathering,
  and the fights that farm monster drops);
- tasks: a monsters task is worth its monster's rate plus its rewards; an items task (opt-in,
  ``items_tasks``) the XP of making its items (taken by :class:`AcceptTask`, handed in by
  :class:`CompleteTask`).

The current goal is kept unless another candidate is better by ``hysteresis`` (no thrashing).
Everything comes from the game data; no item, monster or resource is named here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from guildmaster.agent.adapter import ExchangeCoins, PlayerWorld
from guildmaster.agent.campaign import Piece, gear_campaign, gear_score
from guildmaster.agent.candidates import Candidate, Rate, Selection
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.food import batch_size, food_candidates, food_value
from guildmaster.agent.staging import BankSurplus, FedCombat, item_effect
from guildmaster.knowledge.model import Drop, Monster
from guildmaster.planning.domains import (
    AcceptTask,
    CompleteTask,
    DisposeItems,
    EquipBest,
    EquipItem,
    LevelSkill,
    ObtainItem,
    total_xp,
)
from guildmaster.planning.domains.actions import has_levels_for, is_slot_for
from guildmaster.planning.domains.bounds import production_seconds
from guildmaster.planning.domains.facts import MonsterInfo
from guildmaster.planning.domains.rules import (
    MAX_LEVEL,
    combat_xp,
    crafting_xp,
    gathering_xp,
    recycle_units_per_item,
    xp_to_next_level,
)
from guildmaster.planning.domains.state import EQUIPMENT_SLOTS, SKILLS, GameState, TaskState
from guildmaster.planning.domains.trade import TASK_EXCHANGE_COINS
from guildmaster.planning.goal import Goal

__all__ = ["Candidate", "GoalSelector", "Rate", "Selection"]

#: Upgrades must improve the enabled rate by at least this share to be considered.
_MIN_GAIN = 0.03
#: How many craftable upgrade items per slot/skill are evaluated precisely.
_UPGRADE_OPTIONS = 3
#: Monsters considered for levelling: this many levels above and below the character.
_LEVELS_ABOVE = 6
_LEVELS_BELOW = 4
#: Crafting estimates: production lower bound times this, plus the overhead.
_CRAFT_SLACK = 1.5
#: Crafted products held before they are banked.
_PILE = 5
#: Stronger monsters (beyond the current best) an upgrade is rated against.
_UPGRADE_TARGETS = 2
#: Skills whose levels only unlock recipes (their training is valued by the gear it unlocks).
_TRAINABLE = frozenset({"weaponcrafting", "gearcrafting", "jewelrycrafting"})
#: From this purse (log2 of the gold, see ``_purse``) on, estimates may buy from NPCs.
_SHOPPING_PURSE = 8
#: Flat allowance (seconds) for walking and bank/equip actions of an upgrade.
_UPGRADE_OVERHEAD = 30.0


def _purse(state: GameState) -> int:
    """The character's gold (bag and bank) on a log scale: a cache key part for estimates that
    may buy materials (exact gold changes with every fight)."""
    return int(math.log2(1 + max(0, state.gold + state.bank_gold)))


@dataclass
class GoalSelector:
    """Scores candidate goals for one character; caches rates by level and gear."""

    world: PlayerWorld
    config: AgentConfig = field(default_factory=AgentConfig)
    bank_share: float = 1.0
    """The part of the bank's food and potions this character counts as its own (a team's
    coordinator sets it: the bank feeds every fighter)."""
    combat_weight: float | None = None
    """What combat XP weighs against skill XP when set (a team's coordinator sets it by the
    character's role); ``None``: ``config.combat_weight``."""
    _rates: dict[tuple[object, ...], Rate | None] = field(default_factory=dict, repr=False)
    _production: dict[tuple[object, ...], float] = field(default_factory=dict, repr=False)
    observed: dict[str, float] = field(default_factory=dict)
    _training: dict[str, tuple[float, str]] = field(default_factory=dict, repr=False)
    """Realised XP per game-second of levelling candidates (exponential moving average)."""
    cookable_codes: tuple[str, ...] | None = field(default=None, repr=False)
    """Crafted consumables of the world (filled by :func:`~guildmaster.agent.food.cookable`)."""
    pieces: dict[tuple[object, ...], list[Piece]] = field(default_factory=dict, repr=False)
    """Gear campaign pieces by level, skills and gear (see :func:`set_pieces`)."""
    rated: int = field(default=0, repr=False)
    """How many rates were computed (not taken from the cache): the work budget's unit."""

    def observe(self, key: str, xp: float, seconds: float) -> None:
        """Record that pursuing candidate ``key`` earned ``xp`` in ``seconds``."""
        if seconds <= 0:
            return
        rate = max(0.0, xp) / seconds
        old = self.observed.get(key)
        alpha = self.config.learning_rate
        self.observed[key] = rate if old is None else (1 - alpha) * old + alpha * rate

    def expected_rate(self, key: str, estimate: float) -> float:
        """Blend the model's ``estimate`` with what candidate ``key`` actually earned."""
        seen = self.observed.get(key)
        if seen is None:
            return estimate
        trust = self.config.observed_weight
        return trust * seen + (1 - trust) * estimate

    # --- rates ---------------------------------------------------------------------------

    def combat_rate(self, state: GameState, *, among: tuple[str, ...] | None = None) -> Rate | None:
        """Return the best XP/second from fighting at full HP (fights plus the rest they need).

        Monsters near the character's level are considered, or only ``among`` when given.
        """
        key = ("combat", state.level, state.max_hp, state.equipment, among)
        if key in self._rates:
            return self._rates[key]
        self.rated += 1
        facts, costs = self.world.scoring, self.world.costs
        full = state.with_(hp=state.max_hp)
        best: Rate | None = None
        minimum = self.world.ctx.options.min_win_probability
        pool = self._fightable(state) if among is None else self._named(among)
        if among is None:
            # Weaker monsters last: only when nothing near the character's level is winnable.
            pool = [*pool, *reversed(self._weaker(state))]
        for monster in pool:
            if best is not None and monster.level < state.level - _LEVELS_BELOW:
                break
            xp = combat_xp(state.level, monster.level, monster.hp, monster_type=monster.type)
            if xp <= 0 or (best is not None and xp / 2.0 <= best.xp_per_second):
                continue
            estimate = facts.predict_fight(full, monster.code)
            if estimate.win_probability < minimum:
                continue
            seconds = costs.fight(full, monster.code, estimate)
            rest = 100.0 * max(0.0, estimate.hp_lost) / max(1, state.max_hp)
            rate = xp * estimate.win_probability / max(seconds + rest, 1e-6)
            if best is None or rate > best.xp_per_second:
                best = Rate("combat", rate, monster.code)
        self._rates[key] = best
        return best

    def _fightable(self, state: GameState) -> list[MonsterInfo]:
        facts = self.world.scoring
        monsters: list[MonsterInfo] = [
            m
            for m in facts.monsters()
            if m.level <= state.level + _LEVELS_ABOVE and facts.locations("monster", m.code)
        ]
        near = [m for m in monsters if m.level >= state.level - _LEVELS_BELOW]
        return near or monsters

    def _weaker(self, state: GameState) -> list[MonsterInfo]:
        facts = self.world.scoring
        return [
            m
            for m in facts.monsters()
            if m.level < state.level - _LEVELS_BELOW and facts.locations("monster", m.code)
        ]

    def _named(self, codes: Iterable[str]) -> list[MonsterInfo]:
        found = (self.world.scoring.monster(code) for code in codes)
        return [m for m in found if m is not None]

    def upgrade_targets(self, state: GameState) -> tuple[str, ...]:
        """Monsters an upgrade is rated against: the current best and the next stronger ones."""
        current = self.combat_rate(state)
        fightable = sorted(self._fightable(state), key=lambda m: (m.level, m.code))
        floor = (
            -1
            if current is None
            else next((m.level for m in fightable if m.code == current.via), -1)
        )
        stronger = [m.code for m in fightable if m.level > floor][:_UPGRADE_TARGETS]
        return tuple(([] if current is None else [current.via]) + stronger)

    def gathering_rate(self, state: GameState, skill: str) -> Rate | None:
        """Return the best XP/second gathering ``skill`` (``None`` when nothing is gatherable)."""
        level = state.skills[skill]
        key = ("gather", skill, level, state.equipped("weapon"))
        if key in self._rates:
            return self._rates[key]
        self.rated += 1
        facts, costs = self.world.facts, self.world.costs
        best: Rate | None = None
        for resource in facts.resources():
            if resource.skill != skill or resource.level > level:
                continue
            if not facts.locations("resource", resource.code):
                continue
            xp = gathering_xp(level, resource.level)
            rate = xp / max(costs.gather(state, resource), 1e-6)
            if xp > 0 and (best is None or rate > best.xp_per_second):
                best = Rate(skill, rate, resource.code)
        self._rates[key] = best
        return best

    def crafting_rate(self, state: GameState, skill: str) -> Rate | None:
        """Return the best XP/second crafting in ``skill``, ingredients' production included."""
        level = state.skills[skill]
        key = ("craft", skill, level, state.skills, state.equipped("weapon"), _purse(state))
        if key in self._rates:
            return self._rates[key]
        self.rated += 1
        best: Rate | None = None
        empty = state.with_(inventory=type(state.inventory)(), bank=type(state.bank)())
        for item in self.world.facts.items():
            recipe = item.craft
            if recipe is None or recipe.skill != skill or recipe.level > level:
                continue
            xp = crafting_xp(skill, level, item.level)
            if xp <= 0:
                continue
            seconds = self.production(empty, item.code)
            if not math.isfinite(seconds) or seconds <= 0:
                continue
            seconds = seconds * _CRAFT_SLACK * (1.0 - self.refund(state, item.code))
            seconds += _UPGRADE_OVERHEAD
            rate = xp / seconds
            if best is None or rate > best.xp_per_second:
                best = Rate(skill, rate, item.code, seconds)
        self._rates[key] = best
        return best

    def refund(self, state: GameState, code: str) -> float:
        """Share of its materials recycling one ``code`` gives back (MECHANICS §9: one unit
        per five recipe units, rounded up), when the character recycles what it crafts for
        XP; 0 otherwise."""
        if not self.config.recycle_for_xp:
            return 0.0
        info = self.world.facts.item(code)
        recipe = None if info is None else info.craft
        if info is None or recipe is None or not info.recyclable or not recipe.items:
            return 0.0
        if state.skills[recipe.skill] < recipe.level:
            return 0.0
        units = sum(i.quantity for i in recipe.items)
        return recycle_units_per_item(units) / units

    def production(self, state: GameState, code: str) -> float:
        """Return the (cached) lower bound on the seconds to make one ``code`` from ``state``."""
        purse = _purse(state)  # what can be bought instead of made
        key = (code, state.skills, state.equipped("weapon"), state.inventory, state.bank, purse)
        found = self._production.get(key)
        if found is None:
            shops = purse >= _SHOPPING_PURSE
            ctx = self.world.ctx if shops else self.world.making_context()
            found = production_seconds(ctx, state, code, 1)
            self._production[key] = found
        return found

    def wearing(self, state: GameState, slot: str, code: str) -> GameState:
        """Return ``state`` with ``code`` in ``slot`` (max HP follows the items' HP effects)."""
        facts = self.world.facts
        old = state.equipped(slot)
        delta = item_effect(facts.item(code), "hp") - item_effect(
            None if old is None else facts.item(old), "hp"
        )
        max_hp = max(1, state.max_hp + delta)
        return state.with_equipped(slot, code).with_(max_hp=max_hp, hp=max_hp)

    def _rate_for(
        self, state: GameState, activity: str, targets: tuple[str, ...] | None
    ) -> Rate | None:
        if activity == "combat" and targets is not None:
            return self.combat_rate(state, among=targets)
        return self.skill_rate(state, activity)

    def skill_rate(self, state: GameState, skill: str) -> Rate | None:
        """Return the best rate for ``skill``: combat, or the better of gathering and crafting
        (a crafted rate has ``seconds``: some skills level faster by crafting from what they
        gather)."""
        if skill == "combat":
            return self.combat_rate(state)
        gather = self.gathering_rate(state, skill)
        if gather is not None and not self.config.craft_gathering_skills:
            return gather
        craft = self.crafting_rate(state, skill)
        if gather is None or (craft is not None and craft.xp_per_second > gather.xp_per_second):
            return craft
        return gather

    # --- scoring -------------------------------------------------------------------------

    def weight(self, state: GameState, skill: str) -> float:
        """Return the balance weight of ``skill``: above 1 for levels below the average."""
        levels = [state.level, *(state.skills[s] for s in SKILLS)]
        mean = sum(levels) / len(levels)
        own = state.skill(skill)
        return float(((mean + 1.0) / (own + 1.0)) ** self.config.balance)

    def value(self, state: GameState, skill: str, xp_per_second: float) -> float:
        """Return weighted levels per second for an XP rate in ``skill``."""
        level = state.skill(skill)
        if level >= MAX_LEVEL:
            return 0.0
        weight = self.config.combat_weight if self.combat_weight is None else self.combat_weight
        bias = weight if skill == "combat" else 1.0
        # A skill far below the character's level is priced like one at most ``level_gap``
        # below it: cheap low levels must not pull all the time towards skills that barely
        # help (their XP per second is what counts).
        priced = max(level, state.level - self.config.level_gap)
        need = max(1, xp_to_next_level(min(priced, MAX_LEVEL - 1)))
        return xp_per_second / need * self.weight(state, skill) * bias

    def _best_owned(self, state: GameState, activity: str) -> tuple[EquipBest | None, GameState]:
        """The owned loadout to wear for ``activity`` (``None`` if already worn or no better)."""
        if activity != "combat" and self.gathering_rate(state, activity) is None:
            return None, state
        goal = EquipBest.for_activity(self.world.ctx, state, activity)
        if not goal.loadout or goal.is_satisfied(state):
            return None, state
        equipped = state
        for slot, code in goal.loadout:
            equipped = self.wearing(equipped, slot, code)
        before, after = self.skill_rate(state, activity), self.skill_rate(equipped, activity)
        if after is None or (before is not None and after.xp_per_second <= before.xp_per_second):
            return None, state
        return goal, equipped

    def _levelling(self, state: GameState) -> list[Candidate]:
        """One candidate per skill: wear the best owned gear for it (if better), then level."""
        ctx, chunk = self.world.ctx, self.config.chunk_seconds
        found: list[Candidate] = []
        for skill in ("combat", *SKILLS):
            gear, equipped = self._best_owned(state, skill)
            rate = self.skill_rate(equipped, skill)
            if rate is None or rate.xp_per_second <= 0:
                continue
            xp = max(1, math.ceil(rate.xp_per_second * chunk))
            goal: Goal[GameState]
            if skill == "combat":
                target = self.world.scoring.monster(rate.via)
                low = state.level - _LEVELS_BELOW
                if target is not None:
                    low = min(low, target.level)
                ctx_combat = self.world.combat_context(low, state.level + _LEVELS_ABOVE)
                goal = FedCombat.gain(ctx_combat, state, xp=xp)
            elif rate.seconds > 0:
                # Crafting: make one more of the best recipe (ingredients planned as needed);
                # bank the products first when they pile up.
                held = state.inventory[rate.via]
                # Crafted for its XP: the bag's units are recycled (one kept in all), which
                # returns part of the materials. Banked units stay (another may count on them).
                spare = held - (1 if state.bank[rate.via] == 0 else 0)
                if spare > 0 and self.refund(state, rate.via) > 0:
                    goal = DisposeItems.of(state, rate.via, spare, venue="recycle", ctx=ctx)
                elif held >= _PILE:
                    goal = BankSurplus(self._ingredients(rate.via), ctx=ctx)
                else:
                    goal = ObtainItem(rate.via, held + batch_size(self, state, rate), ctx=ctx)
            else:
                goal = LevelSkill.gain(ctx, state, skill, xp=xp)
            key = f"level:{skill}"
            expected = self.expected_rate(key, rate.xp_per_second)
            if gear is not None:
                # Swapping costs a few actions; spread over one chunk of play.
                swap = len(gear.loadout) * 2 * 3.0
                expected *= chunk / (chunk + swap)
            score = self.value(state, skill, expected)
            if rate.seconds > 0 and rate.xp_per_second > 0:
                # Crafting from scratch also levels the gathering skills on the way.
                chain = self.side_value(state, rate.via, rate.seconds)
                score = max(score, chain * expected / rate.xp_per_second)
                score += food_value(self, state, rate)
            detail = f"via {rate.via}, {expected:.3f} xp/s"
            ahead = self._recipe_ahead(state, skill, expected) if skill != "combat" else None
            if ahead is not None and ahead[0] > score:
                # A few levels more open a recipe that levels this skill much faster.
                score, unlocked = ahead
                detail += f"; then via {unlocked.via}, {unlocked.xp_per_second:.3f} xp/s"
            if gear is not None:
                detail += ", wearing " + ", ".join(c for _, c in gear.loadout)
            hide = frozenset({rate.via}) if isinstance(goal, ObtainItem) else frozenset()
            before: tuple[Goal[GameState], ...] = () if gear is None else (gear,)
            found.append(Candidate(key, goal, score, skill, detail, hide, before))
        return found

    def _recipe_ahead(self, state: GameState, skill: str, rate: float) -> tuple[float, Rate] | None:
        """``(score, rate)`` of levelling ``skill`` at ``rate`` XP/s up to the next level that
        opens one of its recipes, then crafting at the better rate that opens (over the
        horizon); ``None`` when no recipe is within ``training_gap`` levels or none pays
        more."""
        if not self.config.craft_gathering_skills or rate <= 0:
            return None
        level = state.skills[skill]
        ladder = self.world.gamedata.crafting_ladder(skill)
        above = (i.craft.level for i in ladder if i.craft is not None and i.craft.level > level)
        target = next(above, MAX_LEVEL + 1)
        if target > min(MAX_LEVEL, level + self.config.training_gap):
            return None
        trained = state.with_(skills=state.skills.remove(skill, level).add(skill, target))
        unlocked = self.crafting_rate(trained, skill)
        if unlocked is None or unlocked.xp_per_second <= rate:
            return None
        now = total_xp(level, state.skill_xp[skill])
        cost = (total_xp(target, 0) - now) / rate
        side = self.value(state, skill, rate)
        return self.horizon_value(state, skill, unlocked.xp_per_second, cost, side), unlocked

    def _ingredients(self, code: str) -> frozenset[str]:
        recipe = self.world.gamedata.recipe(code)
        return frozenset() if recipe is None else frozenset(i.code for i in recipe.items)

    def horizon_value(
        self,
        state: GameState,
        skill: str,
        rate: float,
        cost: float,
        side: float = 0.0,
        *,
        horizon: float | None = None,
    ) -> float:
        """Value over the horizon of spending ``cost`` seconds (worth ``side`` per second on
        their own) to then earn ``rate`` XP/s in ``skill`` for the rest of the horizon."""
        horizon = self.config.horizon_seconds if horizon is None else horizon
        if cost >= horizon:
            return 0.0
        return (self.value(state, skill, rate) * (horizon - cost) + side * cost) / horizon

    def side_value(self, state: GameState, code: str, seconds: float) -> float:
        """Value per second of the XP earned while making ``code`` from scratch in ``seconds``:
        its crafts (and intermediate crafts) and the gathering of its raw materials."""
        gamedata = self.world.gamedata
        if seconds <= 0 or not math.isfinite(seconds):
            return 0.0
        key = ("side", code, state.skills, state.level)
        cached = self._production.get(key)
        if cached is not None:
            return cached * 1.0 / seconds
        earned: dict[str, float] = {}
        try:
            raw = gamedata.raw_materials(code, 1)
            runs = gamedata.craft_runs(code, 1)
        except ValueError:
            return 0.0
        for inner, count in runs.items():
            recipe, item = gamedata.recipe(inner), gamedata.items.get(inner)
            if recipe is not None and item is not None:
                xp = crafting_xp(recipe.skill, state.skills[recipe.skill], item.level) * count
                earned[recipe.skill] = earned.get(recipe.skill, 0.0) + xp
        for material, count in raw.items():
            sources = gamedata.sources(material)
            for resource, _drop in sources.resources:
                if resource.level <= state.skills[resource.skill]:
                    xp = gathering_xp(state.skills[resource.skill], resource.level) * count
                    earned[resource.skill] = earned.get(resource.skill, 0.0) + xp
                    break
            else:
                # Farmed from a monster: its fights pay combat XP on the way.
                fought = self._drop_fights_xp(state, sources.monsters, count)
                earned["combat"] = earned.get("combat", 0.0) + fought
        total = sum(self.value(state, skill, xp) for skill, xp in earned.items())
        self._production[key] = total
        return total / seconds

    def _drop_fights_xp(
        self, state: GameState, droppers: Iterable[tuple[Monster, Drop]], count: int
    ) -> float:
        """Combat XP of the fights that farm ``count`` units from the first fightable dropper."""
        facts = self.world.scoring
        for monster, drop in droppers:
            if monster.level > state.level + _LEVELS_ABOVE:
                continue
            if not facts.locations("monster", monster.code):
                continue
            per_fight = max(1.0, (drop.min_quantity + drop.max_quantity) / 2) / max(1, drop.rate)
            xp = combat_xp(state.level, monster.level, monster.hp, monster_type=monster.type)
            return xp * count / per_fight
        return 0.0

    def _upgrade_items(self, state: GameState, activity: str) -> Iterable[tuple[str, str]]:
        """Craftable items the character could wear for ``activity``: ``(slot, code)``."""
        facts = self.world.facts
        picks: list[tuple[int, str, str]] = []
        for item in facts.items():
            recipe = item.craft
            if recipe is None:
                continue
            gap = self.config.training_gap if recipe.skill in _TRAINABLE else 0
            if state.skills[recipe.skill] + gap < recipe.level:
                continue
            if state.owns(item.code) or not has_levels_for(state, item.conditions):
                continue
            slots = [s for s in EQUIPMENT_SLOTS if is_slot_for(s, item)]
            if not slots:
                continue
            if activity != "combat":
                if not any(e.code == activity and e.value < 0 for e in item.effects):
                    continue
                slots = [s for s in slots if s == "weapon"]
            elif any(e.code in SKILLS and e.value < 0 for e in item.effects):
                continue  # a gathering tool, not a combat weapon
            slot = slots[0]
            if activity == "combat" and gear_score(item) <= self._worn_score(state, slot):
                continue
            picks.append((item.level, slot, item.code))
        picks.sort(key=lambda p: (-p[0], p[2]))
        # The best few per slot among those craftable now, and among those needing training
        # (else higher-level recipes would hide every piece the character can make today).
        per_slot: dict[tuple[str, bool], int] = {}
        for _, slot, code in picks:
            key = (slot, self._craftable_now(state, code))
            if per_slot.get(key, 0) < _UPGRADE_OPTIONS:
                per_slot[key] = per_slot.get(key, 0) + 1
                yield slot, code

    def _craftable_now(self, state: GameState, code: str) -> bool:
        recipe = self.world.gamedata.recipe(code)
        return recipe is None or state.skills[recipe.skill] >= recipe.level

    def _skill_expected(self, state: GameState, skill: str) -> float:
        rate = self.skill_rate(state, skill)
        return 0.0 if rate is None else self.expected_rate(f"level:{skill}", rate.xp_per_second)

    def _training_value(self, state: GameState, skill: str) -> float:
        """Value per second of levelling crafting ``skill`` (its whole chain's XP)."""
        rate = self.skill_rate(state, skill)
        if rate is None or rate.seconds <= 0:
            return self.value(state, skill, self._skill_expected(state, skill))
        return self.side_value(state, rate.via, rate.seconds)

    def requirements(self, state: GameState, code: str) -> dict[str, int] | None:
        """Skill levels making ``code`` needs beyond ``state``'s: its recipe, the recipes of
        its intermediates and the gathering of raw materials nobody sells or drops (``None``
        when it cannot be made at all)."""
        gamedata = self.world.gamedata
        try:
            runs = gamedata.craft_runs(code, 1)
            raw = gamedata.raw_materials(code, 1)
        except ValueError:
            return None
        needed: dict[str, int] = {}

        def need(skill: str, level: int) -> None:
            if state.skills[skill] < level:
                needed[skill] = max(needed.get(skill, 0), level)

        for inner in (code, *runs):
            recipe = gamedata.recipe(inner)
            if recipe is not None:
                need(recipe.skill, recipe.level)
        for material in raw:
            sources = gamedata.sources(material)
            if sources.monsters or any(o.buy_price is not None for o in sources.npcs):
                continue
            gatherable = [r for r, _ in sources.resources if r.skill in SKILLS]
            if not gatherable:
                return None
            lowest = min(gatherable, key=lambda r: (r.level, r.code))
            need(lowest.skill, lowest.level)
        return needed

    def _gate(
        self, state: GameState, code: str
    ) -> tuple[dict[str, float], float, GameState] | None:
        """For an item that needs higher skills (its recipes, or gathering its materials):
        ``({skill: training seconds}, total seconds, state at those levels)``; ``None`` when
        craftable now, or when a skill cannot be trained or is over ``training_gap`` away."""
        needed = self.requirements(state, code)
        if not needed:
            return None
        seconds: dict[str, float] = {}
        skills = state.skills
        for skill, level in sorted(needed.items()):
            rate = self._skill_expected(state, skill)
            if rate <= 0 or level > state.skills[skill] + self.config.training_gap:
                return None
            now = total_xp(state.skills[skill], state.skill_xp[skill])
            seconds[skill] = (total_xp(level, 0) - now) / rate
            skills = skills.remove(skill, skills[skill]).add(skill, level)
        return seconds, sum(seconds.values()), state.with_(skills=skills)

    def _worn_score(self, state: GameState, slot: str) -> float:
        worn = state.equipped(slot)
        info = None if worn is None else self.world.facts.item(worn)
        return 0.0 if info is None else gear_score(info)

    def _crafted_gear(self, state: GameState, base: Mapping[str, Rate | None]) -> list[Candidate]:
        found: list[Candidate] = []
        budget = self.rated + self.config.upgrade_rates
        ctx = self.world.ctx
        for activity in ("combat", *SKILLS):
            old = base.get(activity)
            if activity != "combat" and (
                old is None or self.gathering_rate(state, activity) is None
            ):
                continue
            floor = 0.0 if old is None else old.xp_per_second
            targets = self.upgrade_targets(state) if activity == "combat" else None
            best: Candidate | None = None
            for slot, code in self._upgrade_items(state, activity):
                if self.rated >= budget:
                    break  # the rest is rated at later decisions (rates are cached)
                new = self._rate_for(self.wearing(state, slot, code), activity, targets)
                if new is None or new.xp_per_second <= floor * (1 + _MIN_GAIN):
                    continue
                # Judge the upgrade like levelling: scaled by what the model over-promises.
                if old is not None and old.xp_per_second > 0:
                    blend = self.expected_rate(f"level:{activity}", old.xp_per_second)
                    new = Rate(new.skill, new.xp_per_second * blend / old.xp_per_second, new.via)
                gated = self._gate(state, code)
                if gated is not None:
                    # Needs a higher crafting level: count the training (its XP counts too)
                    # and let that skill's levelling carry the value.
                    shares, training, trained = gated
                    cost = training + self.production(trained, code) * _CRAFT_SLACK
                    side = self.side_value(trained, code, cost)
                    for skill, seconds in shares.items():
                        side += self._training_value(state, skill) * seconds / max(cost, 1e-6)
                    # A long investment pays back over one horizon after it.
                    horizon = self.config.horizon_seconds + cost
                    score = self.horizon_value(
                        state, activity, new.xp_per_second, cost, side, horizon=horizon
                    )
                    for skill in shares:
                        if score > self._training.get(skill, (0.0, ""))[0]:
                            self._training[skill] = (score, code)
                    continue
                cost = self.production(state, code) * _CRAFT_SLACK + _UPGRADE_OVERHEAD
                side = self.side_value(state, code, cost)
                score = self.horizon_value(state, activity, new.xp_per_second, cost, side)
                if score > 0 and (best is None or score > best.score):
                    goal = EquipItem(code, slot, ctx=ctx)
                    detail = f"{slot}, ~{cost:.0f}s"
                    best = Candidate(f"craft:{code}", goal, score, activity, detail)
            if best is not None:
                found.append(best)
        return found

    def _campaign(self, state: GameState, base: Mapping[str, Rate | None]) -> list[Candidate]:
        if not self.config.gear_campaign:
            return []
        found = gear_campaign(self, state, base)
        return [] if found is None else [found]

    def _tasks(
        self,
        state: GameState,
        base: Mapping[str, Rate | None],
        levelling: Sequence[Candidate] = (),
    ) -> list[Candidate]:
        found = self._exchange(state, base)
        ctx = self.world.ctx
        task = state.task
        combat = base.get("combat")
        if task is not None and task.code:
            if task.is_done:
                score = self.value(state, "combat", combat.xp_per_second) * 1.5 if combat else 1.0
                goal = CompleteTask.current(ctx, state)
                return [*found, Candidate("task:complete", goal, score, "combat")]
            if task.type == "monsters" and combat is not None:
                # The task's monster at its own XP rate (the best one's when it is the same).
                rate = combat if task.code == combat.via else None
                if rate is None:
                    rate = self.combat_rate(state, among=(task.code,))
                if rate is None:
                    return found
                goal = CompleteTask.current(ctx, state)
                score = self.value(state, "combat", rate.xp_per_second) * 1.1
                return [*found, Candidate("task:monsters", goal, score, "combat", task.code)]
            if task.type == "items":
                return [*found, *self._items_task(state, task)]
            return found
        if not self.config.use_tasks:
            return found
        if combat is not None and self.world.facts.locations("tasks_master", "monsters"):
            travel = self._travel_to(state, ("tasks_master", "monsters"))
            score = self.horizon_value(state, "combat", combat.xp_per_second, travel + 3.0)
            accept = AcceptTask("monsters", ctx=ctx)
            found.append(Candidate("task:accept", accept, score * 1.05, "combat"))
        if self.config.items_tasks and self.world.facts.locations("tasks_master", "items"):
            # An items task asks for what the character's skills make: worth taking when
            # skilling is the best thing to do anyway (its products count towards it).
            skills = [(c.score, c.skill) for c in levelling if c.skill in SKILLS]
            value, skill = max(skills, default=(0.0, ""))
            travel = self._travel_to(state, ("tasks_master", "items"))
            if value > 0 and math.isfinite(travel):
                horizon = self.config.horizon_seconds
                score = value * max(0.0, horizon - travel - 3.0) / horizon * 1.05
                items = AcceptTask("items", ctx=ctx)
                found.append(Candidate("task:accept_items", items, score, skill))
        return found

    def _items_task(self, state: GameState, task: TaskState) -> list[Candidate]:
        """Hand in an items task: worth the XP of making its items (a bit more: rewards)."""
        recipe = self.world.gamedata.recipe(task.code)
        resource = next(iter(self.world.gamedata.sources(task.code).resources), None)
        skill = (
            recipe.skill
            if recipe is not None
            else (resource[0].skill if resource is not None else "combat")
        )
        empty = state.with_(inventory=type(state.inventory)(), bank=type(state.bank)())
        seconds = self.production(empty, task.code) * _CRAFT_SLACK
        if not math.isfinite(seconds) or seconds <= 0:
            return []
        score = self.side_value(state, task.code, seconds) * 1.1
        left = task.total - task.progress
        if state.owns(task.code) >= left:
            score *= 2.0  # only the walk and the trade are left
        goal = CompleteTask.current(self.world.ctx, state)
        detail = f"{left} {task.code}"
        return [Candidate("task:items", goal, score, skill, detail)]

    def _exchange(self, state: GameState, base: Mapping[str, Rate | None]) -> list[Candidate]:
        """Exchanging tasks coins is quick and its rewards help: worth a bit more than combat."""
        ctx = self.world.ctx
        if state.owns(ctx.options.tasks_coin) < TASK_EXCHANGE_COINS:
            return []
        master = next(
            (t for t in ("monsters", "items") if self.world.facts.locations("tasks_master", t)),
            None,
        )
        if master is None:
            return []
        combat = base.get("combat")
        score = 1.2 * self.value(state, "combat", combat.xp_per_second) if combat else 1e-3
        goal = ExchangeCoins.once(ctx, state, master)
        return [Candidate("task:exchange", goal, score, "combat")]

    def _travel_to(self, state: GameState, content: tuple[str, str]) -> float:
        tile = self.world.ctx.nearest(state.location, content)
        if tile is None:
            return math.inf
        seconds = self.world.facts.travel_seconds(state.location, tile)
        return math.inf if seconds is None else seconds

    def candidates(self, state: GameState) -> list[Candidate]:
        """Return every candidate goal for ``state``, best score first.

        Levelling a crafting skill is worth at least the best upgrade it would unlock.
        """
        self._training = {}
        base = {
            skill: self.skill_rate(self._best_owned(state, skill)[1], skill)
            for skill in ("combat", *SKILLS)
        }
        levelling = self._levelling(state)
        found = [
            *levelling,
            *self._crafted_gear(state, base),
            *self._campaign(state, base),
            *self._tasks(state, base, levelling),
            *food_candidates(self, state),
        ]
        for i, candidate in enumerate(found):
            boost = self._training.get(candidate.skill)
            if candidate.key.startswith("level:") and boost and boost[0] > candidate.score:
                detail = f"{candidate.detail}; unlocks {boost[1]}"
                found[i] = dataclasses.replace(candidate, score=boost[0], detail=detail)
        found.sort(key=lambda c: (-c.score, c.key))
        return found

    def select(
        self,
        state: GameState,
        *,
        current: str | None = None,
        excluded: Iterable[str] = (),
    ) -> Selection:
        """Pick the best candidate, keeping ``current`` (a candidate key) unless another
        beats it by the hysteresis margin; ``excluded`` keys are skipped."""
        skip = set(excluded)
        ranked = [c for c in self.candidates(state) if c.key not in skip and c.score > 0]
        if not ranked:
            return Selection(None, ())
        best = ranked[0]
        if current is not None and current != best.key:
            kept = next((c for c in ranked if c.key == current), None)
            if kept is not None and kept.score * (1 + self.config.hysteresis) >= best.score:
                return Selection(kept, tuple(ranked), kept=True)
        return Selection(best, tuple(ranked))
