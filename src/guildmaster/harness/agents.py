"""Who plays: the agent factory of a run and the team coordinator.

An :class:`AgentFactory` builds one character's agent (a
:class:`~guildmaster.agent.team.Runnable`); :func:`character_agent_factory` builds the player's
:class:`~guildmaster.agent.character.CharacterAgent`. :func:`build_coordinator` builds the
coordinator that steers a team.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from guildmaster.agent.advisor import Advisor
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.metrics import RunMetrics
from guildmaster.agent.team import Runnable
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.clock import Clock
from guildmaster.coordinator import (
    PARTY_SIZE,
    Coordinator,
    CoordinatorSettings,
    PartySettings,
    RoleSettings,
    TeamStore,
)
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore

__all__ = ["AgentFactory", "build_coordinator", "character_agent_factory"]

logger = logging.getLogger(__name__)


class AgentFactory(Protocol):
    """Builds one character agent (a :class:`~guildmaster.agent.team.Runnable`)."""

    def __call__(
        self,
        name: str,
        *,
        client: AsyncArtifactsClient,
        gamedata: GameData,
        clock: Clock,
        metrics: RunMetrics,
        observations: ObservationStore | None,
        advisor: Advisor | None,
    ) -> Runnable:
        """Return the agent playing character ``name``."""
        ...


def character_agent_factory(
    name: str,
    *,
    client: AsyncArtifactsClient,
    gamedata: GameData,
    clock: Clock,
    metrics: RunMetrics,
    observations: ObservationStore | None,
    advisor: Advisor | None,
) -> Runnable:
    """The player's :class:`~guildmaster.agent.character.CharacterAgent` (the default factory)."""
    return CharacterAgent(
        name,
        client=client,
        gamedata=gamedata,
        clock=clock,
        metrics=metrics,
        observations=observations,
        advisor=advisor,
    )


def build_coordinator(
    gamedata: GameData,
    *,
    clock: Clock,
    names: Sequence[str],
    store_path: str = ":memory:",
    fighters: int = PARTY_SIZE,
) -> Coordinator:
    """The team coordinator for ``names`` (team state in ``store_path``): ``fighters`` of
    them fight for the team, the others produce (everyone fights in a team no larger)."""
    logger.info("coordinator on for %s (team state in %s)", ", ".join(names), store_path)
    settings = CoordinatorSettings(
        parties=PartySettings(enabled=True), roles=RoleSettings(fighters=fighters)
    )
    return Coordinator(
        gamedata, TeamStore(store_path), clock=clock, characters=tuple(names), settings=settings
    )
