"""Stand-in players for tests about the harness, the commands and the dashboard, not about play.

:class:`RestingAgent` rests back to back and records each action's cooldown in the run's
metrics; :func:`resting_agents` builds an ``agent_factory`` of configured ones.

Pytest puts ``tests/`` on ``sys.path`` (the root ``conftest.py`` lives there), so at run time this
module is ``standins``; mypy names the files under ``tests/`` from the repository root, so for it
the module is ``tests.standins``. Import it like this::

    if TYPE_CHECKING:  # mypy: tests.standins; pytest: standins (tests/ is on sys.path)
        from tests.standins import RestingAgent
    else:
        from standins import RestingAgent
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from guildmaster.agent.advisor import Advisor
from guildmaster.agent.edge import KnownState
from guildmaster.agent.metrics import RunMetrics
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.models import CharacterSchema
from guildmaster.clock import Clock
from guildmaster.harness import AgentFactory
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore

__all__ = ["RestingAgent", "resting_agents"]


class RestingAgent:
    """Stand-in player: rests back to back, recording each action's cooldown.

    Its status has the name, the level, ``goal`` ``rest``, ``action`` ``rest #N`` and
    ``actions`` N. Options: ``announce_goal`` reports that goal to the advisor once at the start
    (the dashboard shows it as an event); ``details`` adds the character fields and skills the
    real agent reports (from the last answer), so the dashboard need not re-read it.
    """

    def __init__(
        self,
        name: str,
        *,
        client: AsyncArtifactsClient,
        gamedata: GameData,
        clock: Clock,
        metrics: RunMetrics,
        observations: ObservationStore | None,
        advisor: Advisor | None,
        announce_goal: bool = False,
        details: bool = False,
    ) -> None:
        assert gamedata.items, "the harness must hand over loaded game data"
        self.name = name
        self.client = client
        self.gamedata = gamedata
        self.clock = clock
        self.metrics = metrics
        self.observations = observations
        self.advisor = advisor
        self.announce_goal = announce_goal
        self.details = details
        self.actions = 0
        self.known = KnownState()

    async def run(self, stop: asyncio.Event) -> None:
        """Read the character, maybe announce the goal, then rest until ``stop``."""
        self._saw(await self.client.get_character(self.name))
        if self.announce_goal and self.advisor is not None:
            self.advisor.report(self.name, "goal", {"goal": "rest", "source": "selection"})
        while not stop.is_set():
            result = await self.client.rest(self.name)
            self.actions += 1
            self._saw(result.character)
            self.metrics.record_action(self.name, result.cooldown.total_seconds, reason="rest")

    def _saw(self, character: CharacterSchema) -> None:
        self.known.see_character(character)

    def status(self) -> Mapping[str, Any]:
        """Name, level, goal, action and action count (plus the character's details if asked)."""
        status: dict[str, Any] = self.known.status() if self.details else {}
        character = self.known.character
        status.update(
            name=self.name,
            level=1 if character is None else character.level,
            goal="rest",
            action=f"rest #{self.actions}",
            actions=self.actions,
        )
        return status


def resting_agents(*, announce_goal: bool = False, details: bool = False) -> AgentFactory:
    """An ``agent_factory`` of :class:`RestingAgent` with these options."""

    def build(
        name: str,
        *,
        client: AsyncArtifactsClient,
        gamedata: GameData,
        clock: Clock,
        metrics: RunMetrics,
        observations: ObservationStore | None,
        advisor: Advisor | None,
    ) -> RestingAgent:
        return RestingAgent(
            name,
            client=client,
            gamedata=gamedata,
            clock=clock,
            metrics=metrics,
            observations=observations,
            advisor=advisor,
            announce_goal=announce_goal,
            details=details,
        )

    return build
