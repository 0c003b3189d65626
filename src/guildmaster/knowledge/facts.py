"""Adapters from the knowledge layer to the planner's protocols.

:class:`KnowledgeFacts` presents :class:`GameData`, a :class:`Navigator` and a
:class:`CombatPredictor` as the planner's ``GameFacts``; :class:`LearnedCosts` is a
``CostModel`` that starts from the documented durations (``PriorCosts``) and switches to what the
:class:`ObservationStore` has measured once there are enough samples. The planner never imports
this module; the agent wires them together.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from guildmaster.knowledge.combat import MAX_TURNS, CombatPredictor
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.model import Item, Monster, NpcOffer, Resource, TileKey
from guildmaster.knowledge.navigation import Navigator, Passport
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.knowledge.stats import BaseStatsRule, CombatStats, stats_from_equipment
from guildmaster.planning.domains.costs import PriorCosts
from guildmaster.planning.domains.facts import FightEstimate, GameFacts, ResourceInfo
from guildmaster.planning.domains.state import GameState

__all__ = ["KnowledgeFacts", "LearnedCosts"]

logger = logging.getLogger(__name__)


class KnowledgeFacts:
    """The planner's ``GameFacts`` backed by real game data, routes and fight predictions.

    ``passport`` is what travel may use (gold and keys for paid transitions, achievements for
    conditional tiles); by default only free routes are considered.
    """

    def __init__(
        self,
        gamedata: GameData,
        *,
        navigator: Navigator | None = None,
        predictor: CombatPredictor | None = None,
        passport: Passport | None = None,
        rule: BaseStatsRule | None = None,
    ) -> None:
        self.gamedata = gamedata
        self.navigator = navigator or Navigator(gamedata.maps)
        self.predictor = predictor or CombatPredictor()
        self.passport = passport or Passport()
        self.rule = rule or BaseStatsRule()
        offers: dict[str, list[NpcOffer]] = {}
        for offer in gamedata.npc_offers:
            offers.setdefault(offer.code, []).append(offer)
        self._offers = {code: tuple(v) for code, v in offers.items()}

    def item(self, code: str) -> Item | None:
        """Return the item ``code`` or ``None``."""
        return self.gamedata.items.get(code)

    def items(self) -> list[Item]:
        """Return every item, sorted by code."""
        return [self.gamedata.items[c] for c in sorted(self.gamedata.items)]

    def monster(self, code: str) -> Monster | None:
        """Return the monster ``code`` or ``None``."""
        return self.gamedata.monsters.get(code)

    def monsters(self) -> list[Monster]:
        """Return every monster, sorted by level."""
        return list(self.gamedata.combat_ladder())

    def resource(self, code: str) -> Resource | None:
        """Return the resource ``code`` or ``None``."""
        return self.gamedata.resources.get(code)

    def resources(self) -> list[Resource]:
        """Return every resource, sorted by code."""
        return [self.gamedata.resources[c] for c in sorted(self.gamedata.resources)]

    def npc_offers(self, code: str) -> tuple[NpcOffer, ...]:
        """Return the NPC offers (buying or selling) for item ``code``."""
        return self._offers.get(code, ())

    def locations(self, content_type: str, code: str) -> tuple[TileKey, ...]:
        """Return the tiles holding ``(content_type, code)``."""
        return tuple(t.key for t in self.gamedata.locations(content_type, code))

    def content_at(self, location: TileKey) -> tuple[str, str] | None:
        """Return what stands on ``location``."""
        tile = self.gamedata.maps.get(location)
        if tile is None or tile.content is None:
            return None
        return (tile.content.type, tile.content.code)

    def travel_seconds(self, origin: TileKey, destination: TileKey) -> float | None:
        """Return the route's seconds (moves and transitions), ``None`` when unreachable."""
        if origin == destination:
            return 0.0
        try:
            return self.navigator.distances_from(origin, self.passport).get(destination)
        except KeyError:
            return None

    def stats_for(self, state: GameState) -> CombatStats:
        """Return the fight stats of a planning state (its level, gear, HP)."""
        stats = stats_from_equipment(
            state.level, dict(state.equipment), self.gamedata, rule=self.rule
        )
        max_hp = state.max_hp or stats.max_hp
        return replace(stats, max_hp=max_hp, hp=max(0, min(state.hp, max_hp)))

    def predict_fight(self, state: GameState, monster: str) -> FightEstimate:
        """Return the predictor's estimate for ``state`` against ``monster``."""
        target = self.gamedata.monsters.get(monster)
        if target is None:
            return FightEstimate(0.0, float(state.hp), float(MAX_TURNS))
        prediction = self.predictor.predict(self.stats_for(state), target)
        return FightEstimate(
            win_probability=prediction.win_probability,
            hp_lost=prediction.expected_hp_lost,
            turns=prediction.expected_turns,
        )


@dataclass(frozen=True)
class LearnedCosts:
    """A ``CostModel``: documented durations until ``min_samples`` observations exist.

    Gathering and fights are taken from the store (per resource / monster) once measured;
    crafting, resting and per-stack costs follow fixed rules and stay on the prior.
    """

    facts: GameFacts
    store: ObservationStore
    min_samples: int = 3
    prior: PriorCosts = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prior", PriorCosts(self.facts))

    def move(self, state: GameState, destination: TileKey) -> float | None:
        """Return the travel time (from the facts)."""
        return self.prior.move(state, destination)

    def fight(self, state: GameState, monster: str, estimate: FightEstimate) -> float:
        """Return the measured mean fight cooldown, or 2 s per expected turn."""
        expected = self.prior.fight(state, monster, estimate)
        if self.store.count("fight", monster) < self.min_samples:
            return expected
        return self.store.fight_stats(monster).mean_seconds

    def gather(self, state: GameState, resource: ResourceInfo) -> float:
        """Return the measured mean gather cooldown (prior-weighted), or the documented one."""
        expected = self.prior.gather(state, resource)
        if self.store.count("gathering", resource.code) < self.min_samples:
            return expected
        return self.store.mean_duration("gathering", resource.code, prior=expected)

    def craft(self, state: GameState | None, item: str, runs: int) -> float:
        """Return 5 s per run (the rule)."""
        return self.prior.craft(state, item, runs)

    def rest(self, state: GameState) -> float:
        """Return the rest rule's seconds."""
        return self.prior.rest(state)

    def recycle(self, state: GameState, item: str, quantity: int) -> float:
        """Return the recycle rule's seconds."""
        return self.prior.recycle(state, item, quantity)

    def per_stack(self, kind: str, stacks: int) -> float:
        """Return the per-stack rule's seconds."""
        return self.prior.per_stack(kind, stacks)

    def flat(self, kind: str) -> float:
        """Return the flat default."""
        return self.prior.flat(kind)
