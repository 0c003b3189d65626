"""Wiring the knowledge layer to the planner: facts, costs, the domain and planning states.

:class:`PlayerWorld` bundles what one agent plans with: :class:`KnowledgeFacts` over the
:class:`GameData` (routes, fight predictions), a cost model (:class:`LearnedCosts` when an
:class:`ObservationStore` is given, else the documented priors), the shared
:class:`GameContext` used by goals, and the game :class:`Domain`. :func:`state_from_character`
turns a ``CharacterSchema`` plus the bank items last seen into a :class:`GameState`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guildmaster.api.models import CharacterSchema
from guildmaster.knowledge.combat import CombatPredictor
from guildmaster.knowledge.facts import KnowledgeFacts, LearnedCosts
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.planning.action import Domain
from guildmaster.planning.domains.artifacts import build_domain
from guildmaster.planning.domains.context import DomainOptions, GameContext
from guildmaster.planning.domains.costs import CostModel, PriorCosts
from guildmaster.planning.domains.state import GameState

__all__ = ["PlayerWorld", "character_dict", "state_from_character"]


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

    @classmethod
    def build(
        cls,
        gamedata: GameData,
        *,
        observations: ObservationStore | None = None,
        options: DomainOptions | None = None,
        fight_samples: int = 64,
        scoring_samples: int = 24,
    ) -> PlayerWorld:
        """Build everything from ``gamedata`` (learned costs when ``observations`` is given);
        fights are predicted with ``fight_samples`` runs (``scoring_samples`` for scoring)."""
        facts = KnowledgeFacts(gamedata, predictor=CombatPredictor(samples=fight_samples))
        scoring = KnowledgeFacts(
            gamedata,
            navigator=facts.navigator,
            predictor=CombatPredictor(samples=scoring_samples),
        )
        costs: CostModel = (
            PriorCosts(facts) if observations is None else LearnedCosts(facts, observations)
        )
        opts = options or DomainOptions()
        # Goals rate many monsters for their heuristics: they use the cheaper predictor.
        ctx = GameContext(scoring, costs, opts)
        domain = build_domain(facts, costs=costs, options=opts)
        return cls(
            gamedata=gamedata, facts=facts, costs=costs, ctx=ctx, domain=domain, scoring=scoring
        )


def character_dict(character: CharacterSchema | Mapping[str, Any]) -> dict[str, Any]:
    """Return a ``CharacterSchema``-shaped dict from a model or a mapping."""
    if isinstance(character, CharacterSchema):
        return character.model_dump(mode="json")
    return dict(character)


def state_from_character(
    character: CharacterSchema | Mapping[str, Any],
    *,
    bank: Mapping[str, int] | None = None,
    bank_gold: int = 0,
) -> GameState:
    """Return the planning state of ``character`` with the bank contents last seen.

    Raises:
        KeyError: when the character lacks a position or HP.
    """
    return GameState.from_character(character_dict(character), bank=bank, bank_gold=bank_gold)
