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

Every estimate (rates, production times, side value, requirements, what can be worn) comes
from the character's :class:`~guildmaster.agent.rates.Rater`; the gear campaign
(:mod:`guildmaster.agent.campaign`) and cooked food (:mod:`guildmaster.agent.food`) add their
candidates through the same rater. The current goal is kept unless another candidate is better
by ``hysteresis`` (no thrashing). Everything comes from the game data; no item, monster or
resource is named here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from guildmaster.agent.adapter import ExchangeCoins, PlayerWorld
from guildmaster.agent.campaign import GearCampaign
from guildmaster.agent.candidates import Candidate, Rate, Selection
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.food import Kitchen, batch_size, food_value
from guildmaster.agent.rates import (
    CRAFT_SLACK,
    LEVELS_ABOVE,
    LEVELS_BELOW,
    UPGRADE_OVERHEAD,
    Rater,
)
from guildmaster.agent.staging import BankSurplus, FedCombat
from guildmaster.planning.domains import (
    AcceptTask,
    CompleteTask,
    DisposeItems,
    EquipItem,
    LevelSkill,
    ObtainItem,
    total_xp,
)
from guildmaster.planning.domains.rules import MAX_LEVEL
from guildmaster.planning.domains.state import SKILLS, GameState, TaskState
from guildmaster.planning.domains.trade import TASK_EXCHANGE_COINS
from guildmaster.planning.goal import Goal

__all__ = ["Candidate", "GoalSelector", "Rate", "Selection"]

#: Upgrades must improve the enabled rate by at least this share to be considered.
_MIN_GAIN = 0.03
#: Crafted products held before they are banked.
_PILE = 5


@dataclass
class GoalSelector:
    """Gathers and scores candidate goals for one character; its :class:`Rater` makes every
    estimate (and caches them by level and gear)."""

    world: PlayerWorld
    config: AgentConfig = field(default_factory=AgentConfig)
    rater: Rater = field(init=False, repr=False)
    """The character's rates, shared with :attr:`campaign` and :attr:`kitchen`."""
    campaign: GearCampaign = field(init=False, repr=False)
    """The gear campaign (caches its pieces by level, skills and gear)."""
    kitchen: Kitchen = field(init=False, repr=False)
    """Cooking from owned ingredients."""
    _training: dict[str, tuple[float, str]] = field(default_factory=dict, init=False, repr=False)
    """This decision's best upgrade per skill whose training it needs: ``(score, item)``."""

    def __post_init__(self) -> None:
        self.rater = Rater(self.world, self.config)
        self.campaign = GearCampaign(self.rater)
        self.kitchen = Kitchen(self.rater)

    @property
    def bank_share(self) -> float:
        """The rater's :attr:`~Rater.bank_share` (a team's coordinator sets it)."""
        return self.rater.bank_share

    @bank_share.setter
    def bank_share(self, share: float) -> None:
        self.rater.bank_share = share

    @property
    def combat_weight(self) -> float | None:
        """The rater's :attr:`~Rater.combat_weight` (a team's coordinator sets it)."""
        return self.rater.combat_weight

    @combat_weight.setter
    def combat_weight(self, weight: float | None) -> None:
        self.rater.combat_weight = weight

    @property
    def observed(self) -> dict[str, float]:
        """The rater's :attr:`~Rater.observed` rates of levelling candidates."""
        return self.rater.observed

    def observe(self, key: str, xp: float, seconds: float) -> None:
        """Record that pursuing candidate ``key`` earned ``xp`` in ``seconds``."""
        self.rater.observe(key, xp, seconds)

    def _levelling(self, state: GameState) -> list[Candidate]:
        """One candidate per skill: wear the best owned gear for it (if better), then level."""
        rater = self.rater
        ctx, chunk = self.world.ctx, self.config.chunk_seconds
        found: list[Candidate] = []
        for skill in ("combat", *SKILLS):
            gear, equipped = rater.best_owned(state, skill)
            rate = rater.skill_rate(equipped, skill)
            if rate is None or rate.xp_per_second <= 0:
                continue
            xp = max(1, math.ceil(rate.xp_per_second * chunk))
            goal: Goal[GameState]
            if skill == "combat":
                target = self.world.scoring.monster(rate.via)
                low = state.level - LEVELS_BELOW
                if target is not None:
                    low = min(low, target.level)
                ctx_combat = self.world.combat_context(low, state.level + LEVELS_ABOVE)
                goal = FedCombat.gain(ctx_combat, state, xp=xp)
            elif rate.seconds > 0:
                # Crafting: make one more of the best recipe (ingredients planned as needed);
                # bank the products first when they pile up.
                held = state.inventory[rate.via]
                # Crafted for its XP: the bag's units are recycled (one kept in all), which
                # returns part of the materials. Banked units stay (another may count on them).
                spare = held - (1 if state.bank[rate.via] == 0 else 0)
                if spare > 0 and rater.refund(state, rate.via) > 0:
                    goal = DisposeItems.of(state, rate.via, spare, venue="recycle", ctx=ctx)
                elif held >= _PILE and not (
                    banking := BankSurplus(self._ingredients(rate.via), ctx=ctx)
                ).is_satisfied(state):
                    goal = banking
                else:
                    # (A full bank may have no slot for the pile: then making more goes on.)
                    goal = ObtainItem(rate.via, held + batch_size(self.rater, state, rate), ctx=ctx)
            else:
                goal = LevelSkill.gain(ctx, state, skill, xp=xp)
            key = f"level:{skill}"
            expected = rater.expected_rate(key, rate.xp_per_second)
            if gear is not None:
                # Swapping costs a few actions; spread over one chunk of play.
                swap = len(gear.loadout) * 2 * 3.0
                expected *= chunk / (chunk + swap)
            score = rater.value(state, skill, expected)
            if rate.seconds > 0 and rate.xp_per_second > 0:
                # Crafting from scratch also levels the gathering skills on the way.
                chain = rater.side_value(state, rate.via, rate.seconds)
                score = max(score, chain * expected / rate.xp_per_second)
                score += food_value(self.rater, state, rate)
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
        rater = self.rater
        level = state.skills[skill]
        ladder = self.world.gamedata.crafting_ladder(skill)
        above = (i.craft.level for i in ladder if i.craft is not None and i.craft.level > level)
        target = next(above, MAX_LEVEL + 1)
        if target > min(MAX_LEVEL, level + self.config.training_gap):
            return None
        trained = state.with_(skills=state.skills.remove(skill, level).add(skill, target))
        unlocked = rater.crafting_rate(trained, skill)
        if unlocked is None or unlocked.xp_per_second <= rate:
            return None
        now = total_xp(level, state.skill_xp[skill])
        cost = (total_xp(target, 0) - now) / rate
        side = rater.value(state, skill, rate)
        return rater.horizon_value(state, skill, unlocked.xp_per_second, cost, side), unlocked

    def _ingredients(self, code: str) -> frozenset[str]:
        recipe = self.world.gamedata.recipe(code)
        return frozenset() if recipe is None else frozenset(i.code for i in recipe.items)

    def _crafted_gear(self, state: GameState, base: Mapping[str, Rate | None]) -> list[Candidate]:
        rater = self.rater
        found: list[Candidate] = []
        budget = rater.rated + self.config.upgrade_rates
        ctx = self.world.ctx
        for activity in ("combat", *SKILLS):
            old = base.get(activity)
            if activity != "combat" and (
                old is None or rater.gathering_rate(state, activity) is None
            ):
                continue
            floor = 0.0 if old is None else old.xp_per_second
            targets = rater.upgrade_targets(state) if activity == "combat" else None
            best: Candidate | None = None
            for slot, code in rater.iter_upgrades(state, activity):
                if rater.rated >= budget:
                    break  # the rest is rated at later decisions (rates are cached)
                new = rater.rate_for(rater.wearing(state, slot, code), activity, targets)
                if new is None or new.xp_per_second <= floor * (1 + _MIN_GAIN):
                    continue
                # Judge the upgrade like levelling: scaled by what the model over-promises.
                if old is not None and old.xp_per_second > 0:
                    blend = rater.expected_rate(f"level:{activity}", old.xp_per_second)
                    new = Rate(new.skill, new.xp_per_second * blend / old.xp_per_second, new.via)
                gated = rater.training(state, code)
                if gated is not None:
                    # Needs a higher crafting level: count the training (its XP counts too)
                    # and let that skill's levelling carry the value.
                    shares, training, trained = gated
                    cost = training + rater.production(trained, code) * CRAFT_SLACK
                    side = rater.side_value(trained, code, cost)
                    for skill, seconds in shares.items():
                        side += rater.training_value(state, skill) * seconds / max(cost, 1e-6)
                    # A long investment pays back over one horizon after it.
                    horizon = self.config.horizon_seconds + cost
                    score = rater.horizon_value(
                        state, activity, new.xp_per_second, cost, side, horizon=horizon
                    )
                    for skill in shares:
                        if score > self._training.get(skill, (0.0, ""))[0]:
                            self._training[skill] = (score, code)
                    continue
                cost = rater.production(state, code) * CRAFT_SLACK + UPGRADE_OVERHEAD
                side = rater.side_value(state, code, cost)
                score = rater.horizon_value(state, activity, new.xp_per_second, cost, side)
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
        found = self.campaign.candidate(state, base)
        return [] if found is None else [found]

    def _tasks(
        self,
        state: GameState,
        base: Mapping[str, Rate | None],
        levelling: Sequence[Candidate] = (),
    ) -> list[Candidate]:
        found = self._exchange(state, base)
        rater = self.rater
        ctx = self.world.ctx
        task = state.task
        combat = base.get("combat")
        if task is not None and task.code:
            if task.is_done:
                score = rater.value(state, "combat", combat.xp_per_second) * 1.5 if combat else 1.0
                goal = CompleteTask.current(ctx, state)
                return [*found, Candidate("task:complete", goal, score, "combat")]
            if task.type == "monsters" and combat is not None:
                # The task's monster at its own XP rate (the best one's when it is the same).
                rate = combat if task.code == combat.via else None
                if rate is None:
                    rate = rater.combat_rate(state, among=(task.code,))
                if rate is None:
                    return found
                goal = CompleteTask.current(ctx, state)
                score = rater.value(state, "combat", rate.xp_per_second) * 1.1
                return [*found, Candidate("task:monsters", goal, score, "combat", task.code)]
            if task.type == "items":
                return [*found, *self._items_task(state, task)]
            return found
        if not self.config.use_tasks:
            return found
        if combat is not None and self.world.facts.locations("tasks_master", "monsters"):
            travel = self._travel_to(state, ("tasks_master", "monsters"))
            score = rater.horizon_value(state, "combat", combat.xp_per_second, travel + 3.0)
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
        seconds = self.rater.production(empty, task.code) * CRAFT_SLACK
        if not math.isfinite(seconds) or seconds <= 0:
            return []
        score = self.rater.side_value(state, task.code, seconds) * 1.1
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
        score = 1.2 * self.rater.value(state, "combat", combat.xp_per_second) if combat else 1e-3
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
            skill: self.rater.skill_rate(self.rater.best_owned(state, skill)[1], skill)
            for skill in ("combat", *SKILLS)
        }
        levelling = self._levelling(state)
        found = [
            *levelling,
            *self._crafted_gear(state, base),
            *self._campaign(state, base),
            *self._tasks(state, base, levelling),
            *self.kitchen.candidates(state),
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
        ranked = [
            c
            for c in self.candidates(state)
            if c.key not in skip and c.score > 0 and not c.is_done(state)
        ]
        if not ranked:
            return Selection(None, ())
        best = ranked[0]
        if current is not None and current != best.key:
            kept = next((c for c in ranked if c.key == current), None)
            if kept is not None and kept.score * (1 + self.config.hysteresis) >= best.score:
                return Selection(kept, tuple(ranked), kept=True)
        return Selection(best, tuple(ranked))
