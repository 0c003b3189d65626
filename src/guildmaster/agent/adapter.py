"""Wiring the knowledge layer to the planner: facts, costs, the domain and the events.

:class:`PlayerWorld` bundles what one agent plans with: :class:`KnowledgeFacts` over the
:class:`GameData` (routes, fight predictions), a cost model (:class:`LearnedCosts` when an
:class:`ObservationStore` is given, else the documented priors), the shared
:class:`GameContext` used by goals, and the game :class:`Domain`. The API's character becomes a
:class:`GameState` in :mod:`guildmaster.agent.edge`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from guildmaster.knowledge.combat import CombatPredictor
from guildmaster.knowledge.facts import KnowledgeFacts, LearnedCosts
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.planning.action import Action, ActionGenerator, Domain
from guildmaster.planning.domains.artifacts import build_domain
from guildmaster.planning.domains.context import DomainOptions, GameContext, Relevance
from guildmaster.planning.domains.costs import CostModel, PriorCosts
from guildmaster.planning.domains.facts import (
    ContentKey,
    FightEstimate,
    GameFacts,
    ItemInfo,
    MonsterInfo,
    OfferInfo,
    ResourceInfo,
)
from guildmaster.planning.domains.goals import GameGoal
from guildmaster.planning.domains.state import GameState, Location
from guildmaster.planning.domains.trade import TASK_EXCHANGE_COINS, TaskExchange
from guildmaster.planning.goal import Goal

__all__ = [
    "ExchangeCoins",
    "LevelWindow",
    "PlayerWorld",
    "QuantizedFacts",
    "task_currency",
]


@dataclass(frozen=True)
class ExchangeCoins(GameGoal):
    """Trade tasks coins for a reward once at a ``task_type`` master.

    Satisfied once fewer than ``below`` coins are owned (build it with :meth:`once`).
    """

    below: int
    task_type: str = "monsters"

    @classmethod
    def once(cls, ctx: GameContext, state: GameState, task_type: str = "monsters") -> ExchangeCoins:
        """Goal: exchange coins once from ``state``."""
        owned = state.owns(ctx.options.tasks_coin)
        return cls(owned - TASK_EXCHANGE_COINS + 1, task_type, ctx=ctx)

    @property
    def name(self) -> str:
        """``exchange_coins(task_type)``."""
        return f"exchange_coins({self.task_type})"

    def is_satisfied(self, state: GameState) -> bool:
        """Whether one exchange happened (fewer coins than ``below`` owned)."""
        return state.owns(self.ctx.options.tasks_coin) < self.below

    def relevance(self, state: GameState) -> Relevance:
        """The tasks master and the coins (from the bank if needed)."""
        coin = frozenset({self.ctx.options.tasks_coin})
        return Relevance(tasks=frozenset({self.task_type}), items=coin)


def _exchanges(ctx: GameContext) -> ActionGenerator[GameState]:
    """The generator of :class:`TaskExchange` (the game domain plans none by itself)."""

    def generate(state: GameState, goal: Goal[GameState]) -> Iterable[Action[GameState]]:
        """Offer the exchange on a master's tile while pursuing :class:`ExchangeCoins`."""
        if isinstance(goal, ExchangeCoins) and ctx.is_at(
            state.location, ("tasks_master", goal.task_type)
        ):
            return [TaskExchange(goal.task_type, ctx=ctx)]
        return []

    return generate


class QuantizedFacts(KnowledgeFacts):
    """:class:`KnowledgeFacts` predicting fights from HP rounded down to steps of 5 % of max HP.

    Predictions are cached by starting HP; rounding (down: never optimistic) lets the search
    reuse them across the many HP values a plan passes through.
    """

    steps: int = 20

    def predict_fight(self, state: GameState, monster: str) -> FightEstimate:
        """Return the estimate for ``state`` with its HP rounded down to the grid."""
        step = max(1, state.max_hp // self.steps)
        hp = state.hp if state.hp >= state.max_hp else max(1, state.hp // step * step)
        if hp != state.hp:
            state = state.with_(hp=hp)
        return super().predict_fight(state, monster)


@dataclass(frozen=True)
class PlayerWorld:
    """Facts, costs, goal context and domain for planning over one game world."""

    gamedata: GameData
    facts: KnowledgeFacts
    costs: CostModel
    ctx: GameContext
    """The context goals are built with (scoring facts: cheap fight predictions)."""
    domain: Domain[GameState]
    scoring: KnowledgeFacts
    """The same world with a cheaper fight predictor, for goal scoring."""
    _combat: dict[tuple[int, int] | None, GameContext] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        gamedata: GameData,
        *,
        observations: ObservationStore | None = None,
        options: DomainOptions | None = None,
        fight_samples: int = 64,
        scoring_samples: int = 16,
        reuse: PlayerWorld | None = None,
    ) -> PlayerWorld:
        """Build everything from ``gamedata`` (learned costs when ``observations`` is given);
        fights are predicted with ``fight_samples`` runs (``scoring_samples`` for scoring).

        With ``reuse`` (the world this one replaces, e.g. when the events change) its fight
        predictors are kept: their caches and corrections do not depend on the events.
        """
        old = (reuse.facts.predictor, reuse.scoring.predictor) if reuse else (None, None)
        facts = QuantizedFacts(gamedata, predictor=_predictor(old[0], fight_samples))
        scoring = QuantizedFacts(
            gamedata,
            navigator=facts.navigator,
            predictor=_predictor(old[1], scoring_samples),
        )
        costs: CostModel = (
            PriorCosts(facts) if observations is None else LearnedCosts(facts, observations)
        )
        opts = options or DomainOptions()
        coin = task_currency(gamedata)
        if coin is not None and coin != opts.tasks_coin:
            opts = replace(opts, tasks_coin=coin)
        # Goals rate many monsters for their heuristics: they use the cheaper predictor.
        ctx = GameContext(scoring, costs, opts)
        base = build_domain(facts, costs=costs, options=opts)
        domain = Domain(
            [*base.generators, _exchanges(GameContext(facts, costs, opts))],
            goals=base.goals,
            name="player",
        )
        return cls(
            gamedata=gamedata, facts=facts, costs=costs, ctx=ctx, domain=domain, scoring=scoring
        )

    def making_context(self) -> GameContext:
        """Return a goal context without NPC shops: production estimates that need no gold."""
        found = self._combat.get(None)
        if found is None:
            window = LevelWindow(self.scoring, low=-(10**6), high=10**6, shops=False)
            found = GameContext(window, self.costs, self.ctx.options)
            self._combat[None] = found
        return found

    def combat_context(self, low: int, high: int) -> GameContext:
        """Return a goal context whose monsters are those of levels ``low..high`` (cached)."""
        key = (low, high)
        found = self._combat.get(key)
        if found is None:
            window = LevelWindow(self.scoring, low=low, high=high)
            found = GameContext(window, self.costs, self.ctx.options)
            self._combat[key] = found
        return found


def task_currency(gamedata: GameData) -> str | None:
    """Return the coin tasks pay in: the currency item most often among task rewards."""
    counts: Counter[str] = Counter()
    for task in gamedata.tasks.values():
        for reward in task.reward_items:
            item = gamedata.items.get(reward.code)
            if item is not None and item.type == "currency":
                counts[reward.code] += 1
    if not counts:
        return None
    return min(counts, key=lambda code: (-counts[code], code))


class LevelWindow:
    """A :class:`GameFacts` view listing only monsters within a level window.

    Levelling goals rate every monster the facts list for their heuristic and relevance; a
    window around the character's level keeps that cheap (the rest of the facts is shared).
    """

    def __init__(self, facts: GameFacts, *, low: int, high: int, shops: bool = True) -> None:
        self.facts = facts
        self.low = low
        self.high = high
        self.shops = shops
        self._monsters = [m for m in facts.monsters() if low <= m.level <= high]

    def item(self, code: str) -> ItemInfo | None:
        """Return the item ``code``."""
        return self.facts.item(code)

    def items(self) -> Iterable[ItemInfo]:
        """Return every item."""
        return self.facts.items()

    def monster(self, code: str) -> MonsterInfo | None:
        """Return the monster ``code`` (even outside the window)."""
        return self.facts.monster(code)

    def monsters(self) -> Iterable[MonsterInfo]:
        """Return the monsters within the window."""
        return self._monsters

    def resource(self, code: str) -> ResourceInfo | None:
        """Return the resource ``code``."""
        return self.facts.resource(code)

    def resources(self) -> Iterable[ResourceInfo]:
        """Return every resource."""
        return self.facts.resources()

    def npc_offers(self, code: str) -> Sequence[OfferInfo]:
        """Return the NPC offers for ``code`` (none when ``shops`` is off)."""
        return self.facts.npc_offers(code) if self.shops else ()

    def locations(self, content_type: str, code: str) -> Sequence[Location]:
        """Return the tiles holding that content."""
        return self.facts.locations(content_type, code)

    def content_at(self, location: Location) -> ContentKey | None:
        """Return what stands on ``location``."""
        return self.facts.content_at(location)

    def travel_seconds(self, origin: Location, destination: Location) -> float | None:
        """Return the travel time."""
        return self.facts.travel_seconds(origin, destination)

    def predict_fight(self, state: GameState, monster: str) -> FightEstimate:
        """Return the fight prediction."""
        return self.facts.predict_fight(state, monster)


def _predictor(previous: CombatPredictor | None, samples: int) -> CombatPredictor:
    """Return ``previous`` when it runs ``samples`` fights, else a new predictor."""
    if previous is not None and previous.samples == samples:
        return previous
    return CombatPredictor(samples=samples)
