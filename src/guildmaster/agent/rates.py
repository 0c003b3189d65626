"""Rates of one character: what each activity earns, what making things costs, what it is worth.

A :class:`Rater` answers every estimate goal selection needs, from the game data alone, and
caches the answers by the parts of the state they depend on (level, skills, gear, purse):

- XP per game-second of fighting (:meth:`~Rater.combat_rate`: the fights plus the rest they
  need), gathering (:meth:`~Rater.gathering_rate`) and crafting (:meth:`~Rater.crafting_rate`,
  the ingredients' production included), the best of them per skill (:meth:`~Rater.skill_rate`);
- the seconds to make one item from a state (:meth:`~Rater.production`), the XP earned on the way
  (:meth:`~Rater.side_value`) and the skill levels it needs (:meth:`~Rater.requirements`,
  :meth:`~Rater.training`);
- what the character can wear: an item in a slot (:meth:`~Rater.wearing`), the best owned
  loadout (:meth:`~Rater.best_owned`) and the craftable upgrades (:meth:`~Rater.iter_upgrades`);
- the worth of an XP rate in selection's currency, *weighted levels per game-second*
  (:meth:`~Rater.value`, :meth:`~Rater.horizon_value`), blended with what the character actually
  earned (:meth:`~Rater.observe`, :meth:`~Rater.expected_rate`).

The goal selector, the gear campaign and the food helpers share one rater per character; it
needs no selector or agent, only a :class:`~guildmaster.agent.adapter.PlayerWorld`.
Everything comes from the game data; no item, monster or resource is named here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.candidates import Rate
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.staging import item_effect
from guildmaster.knowledge.model import Drop, Monster
from guildmaster.planning.domains import EquipBest, total_xp
from guildmaster.planning.domains.actions import has_levels_for, is_slot_for
from guildmaster.planning.domains.bounds import production_seconds
from guildmaster.planning.domains.facts import ItemInfo, MonsterInfo
from guildmaster.planning.domains.rules import (
    MAX_LEVEL,
    combat_xp,
    crafting_xp,
    gathering_xp,
    recycle_units_per_item,
    xp_to_next_level,
)
from guildmaster.planning.domains.state import EQUIPMENT_SLOTS, SKILLS, GameState

__all__ = [
    "CRAFT_SLACK",
    "LEVELS_ABOVE",
    "LEVELS_BELOW",
    "UPGRADE_OVERHEAD",
    "Rater",
    "gear_score",
]

#: Monsters considered for levelling: this many levels above and below the character.
LEVELS_ABOVE = 6
LEVELS_BELOW = 4
#: Crafting estimates: production lower bound times this, plus the overhead.
CRAFT_SLACK = 1.5
#: Flat allowance (seconds) for walking and bank/equip actions of an upgrade.
UPGRADE_OVERHEAD = 30.0
#: How many craftable upgrade items per slot/skill are evaluated precisely.
_UPGRADE_OPTIONS = 3
#: Stronger monsters (beyond the current best) an upgrade is rated against.
_UPGRADE_TARGETS = 2
#: Skills whose levels only unlock recipes (their training is valued by the gear it unlocks).
_TRAINABLE = frozenset({"weaponcrafting", "gearcrafting", "jewelrycrafting"})
#: From this purse (log2 of the gold, see ``_purse``) on, estimates may buy from NPCs.
_SHOPPING_PURSE = 8


def _purse(state: GameState) -> int:
    """The character's gold (bag and bank) on a log scale: a cache key part for estimates that
    may buy materials (exact gold changes with every fight)."""
    return int(math.log2(1 + max(0, state.gold + state.bank_gold)))


def gear_score(item: ItemInfo | None) -> float:
    """A quick combat value of an item's effects (ranks pieces; the predictor decides)."""
    if item is None:
        return 0.0
    total = 0.0
    for effect in item.effects:
        if effect.code.startswith("attack_"):
            total += 4 * effect.value
        elif effect.code.startswith("dmg"):
            total += 2 * effect.value
        elif effect.code.startswith("res_"):
            total += 1.5 * effect.value
        elif effect.code == "hp":
            total += 0.5 * effect.value
        elif effect.code == "critical_strike":
            total += effect.value
    return total


@dataclass
class Rater:
    """Estimates XP rates, production times and their worth for one character; caches each
    estimate by the parts of the state it depends on (level, skills, gear, purse)."""

    world: PlayerWorld
    config: AgentConfig = field(default_factory=AgentConfig)
    bank_share: float = 1.0
    """The part of the bank's food and potions this character counts as its own (a team's
    coordinator sets it: the bank feeds every fighter)."""
    combat_weight: float | None = None
    """What combat XP weighs against skill XP when set (a team's coordinator sets it by the
    character's role); ``None``: ``config.combat_weight``."""
    observed: dict[str, float] = field(default_factory=dict)
    """Realised XP per game-second of levelling candidates (exponential moving average)."""
    rated: int = field(default=0, repr=False)
    """How many rates were computed (not taken from the cache): the work budget's unit."""
    _rates: dict[tuple[object, ...], Rate | None] = field(default_factory=dict, repr=False)
    _production: dict[tuple[object, ...], float] = field(default_factory=dict, repr=False)

    # --- learned -------------------------------------------------------------------------

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

    # --- worth ---------------------------------------------------------------------------

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

    # --- combat --------------------------------------------------------------------------

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
            if best is not None and monster.level < state.level - LEVELS_BELOW:
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
            if m.level <= state.level + LEVELS_ABOVE and facts.locations("monster", m.code)
        ]
        near = [m for m in monsters if m.level >= state.level - LEVELS_BELOW]
        return near or monsters

    def _weaker(self, state: GameState) -> list[MonsterInfo]:
        facts = self.world.scoring
        return [
            m
            for m in facts.monsters()
            if m.level < state.level - LEVELS_BELOW and facts.locations("monster", m.code)
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

    # --- skills --------------------------------------------------------------------------

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
            seconds = seconds * CRAFT_SLACK * (1.0 - self.refund(state, item.code))
            seconds += UPGRADE_OVERHEAD
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

    def rate_for(
        self, state: GameState, activity: str, targets: tuple[str, ...] | None
    ) -> Rate | None:
        """Return the rate of ``activity``: combat against ``targets`` only when given, else
        :meth:`skill_rate`."""
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

    # --- side value and requirements -----------------------------------------------------

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
        # Kept in weighted levels: a combat weight set later does not reprice it.
        self._production[key] = total
        return total / seconds

    def _drop_fights_xp(
        self, state: GameState, droppers: Iterable[tuple[Monster, Drop]], count: int
    ) -> float:
        """Combat XP of the fights that farm ``count`` units from the first fightable dropper."""
        facts = self.world.scoring
        for monster, drop in droppers:
            if monster.level > state.level + LEVELS_ABOVE:
                continue
            if not facts.locations("monster", monster.code):
                continue
            per_fight = max(1.0, (drop.min_quantity + drop.max_quantity) / 2) / max(1, drop.rate)
            xp = combat_xp(state.level, monster.level, monster.hp, monster_type=monster.type)
            return xp * count / per_fight
        return 0.0

    def _skill_expected(self, state: GameState, skill: str) -> float:
        rate = self.skill_rate(state, skill)
        return 0.0 if rate is None else self.expected_rate(f"level:{skill}", rate.xp_per_second)

    def training_value(self, state: GameState, skill: str) -> float:
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

    def training(
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

    # --- wearing -------------------------------------------------------------------------

    def wearing(self, state: GameState, slot: str, code: str) -> GameState:
        """Return ``state`` with ``code`` in ``slot`` (max HP follows the items' HP effects)."""
        facts = self.world.facts
        old = state.equipped(slot)
        delta = item_effect(facts.item(code), "hp") - item_effect(
            None if old is None else facts.item(old), "hp"
        )
        max_hp = max(1, state.max_hp + delta)
        return state.with_equipped(slot, code).with_(max_hp=max_hp, hp=max_hp)

    def best_owned(self, state: GameState, activity: str) -> tuple[EquipBest | None, GameState]:
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

    def iter_upgrades(self, state: GameState, activity: str) -> Iterable[tuple[str, str]]:
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
            key = (slot, self._can_craft_now(state, code))
            if per_slot.get(key, 0) < _UPGRADE_OPTIONS:
                per_slot[key] = per_slot.get(key, 0) + 1
                yield slot, code

    def _can_craft_now(self, state: GameState, code: str) -> bool:
        recipe = self.world.gamedata.recipe(code)
        return recipe is None or state.skills[recipe.skill] >= recipe.level

    def _worn_score(self, state: GameState, slot: str) -> float:
        worn = state.equipped(slot)
        info = None if worn is None else self.world.facts.item(worn)
        return 0.0 if info is None else gear_score(info)
