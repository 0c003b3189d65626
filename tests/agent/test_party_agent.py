"""The agent's side of a party call that it cannot follow: no spin, ordinary work goes on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guildmaster.agent.advisor import Advice
from guildmaster.agent.character import CharacterAgent, PartyCaller
from guildmaster.agent.metrics import RunMetrics
from guildmaster.clock import VirtualClock
from guildmaster.harness import AccountSpec, LocalGame, open_session, run_team
from guildmaster.knowledge import GameData, KnowledgeFacts
from guildmaster.planning.domains import BossPartyGoal, GameContext, GameState


class _Unreachable:
    """Calls the character to a party on a tile that does not exist, forever."""

    def __init__(self, gamedata: GameData) -> None:
        self.context = GameContext(KnowledgeFacts(gamedata))
        self.calls = 0
        self.events: list[str] = []

    def advise(self, name: str, state: GameState) -> Advice | None:
        goal = BossPartyGoal(
            ("overworld", 999, 999),
            party="p1",
            monster="nobody",
            leader="someone",
            participants=(name,),
            role="move",
            ctx=self.context,
        )
        return Advice(goal=goal)

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        self.events.append(event)

    def summoned(self, name: str) -> bool:
        self.calls += 1
        return True


def test_a_party_call_that_cannot_be_followed_does_not_stop_the_agent() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[_Unreachable, RunMetrics, dict[str, Any]]:
        game = LocalGame(clock=clock, world="generated:7", seed=3)
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=1
        )
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            advisor = _Unreachable(gamedata)
            assert isinstance(advisor, PartyCaller)
            metrics = RunMetrics()
            agents: list[CharacterAgent] = []

            def factory(name: str, **kwargs: Any) -> CharacterAgent:
                agents.append(CharacterAgent(name, **kwargs))
                return agents[-1]

            await run_team(
                session,
                gamedata=gamedata,
                game_hours=0.5,
                advisor=advisor,
                metrics=metrics,
                agent_factory=factory,
                grace_seconds=3600.0,
            )
            return advisor, metrics, dict(agents[0].status())
        finally:
            await session.aclose()

    advisor, metrics, status = clock.run(scenario())
    # The party goal failed and was put aside; the character then worked on its own, and the
    # standing call never interrupted that work (a spin would hang the virtual clock).
    assert "goal_failed" in advisor.events
    assert metrics.actions > 20
    assert metrics.busy_seconds[status["name"]] > 0.5 * 1800
