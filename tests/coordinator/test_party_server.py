"""Boss parties end to end on the local server (in process, VirtualClock, generated:7).

A weak monster of the world is turned into a boss (in the server's state, before the player
reads the world), so three fresh characters beat it together: the coordinator forms a party,
everyone moves to the tile, the first to arrive waits and the leader fights with
``participants``. A party whose third member never shows up times out and the others go back
to solo work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guildmaster.agent.advisor import Advisor
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.edge import state_from_character
from guildmaster.agent.metrics import RunMetrics
from guildmaster.agent.team import Runnable
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.clock import Clock, VirtualClock
from guildmaster.coordinator import Coordinator, CoordinatorSettings, PartySettings, TeamStore
from guildmaster.harness import AccountSpec, LocalGame, Session, open_session, run_team
from guildmaster.knowledge import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.planning.domains import BossPartyGoal, GameState

#: HP of the level-1 monster of generated:7 that the tests turn into a boss.
_BOSS_HP = 60


class _Recording(Coordinator):
    """The coordinator, keeping each party goal it handed out; stops the run on a party's end."""

    def __init__(self, *args: Any, stop: asyncio.Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stop = stop
        self.given: list[tuple[str, BossPartyGoal | None, float]] = []
        self.reports: list[tuple[str, str, dict[str, Any]]] = []

    def advise(self, name: str, state: GameState) -> Any:
        advice = super().advise(name, state)
        goal = advice.goal if advice is not None else None
        party = goal if isinstance(goal, BossPartyGoal) else None
        self.given.append((name, party, self.clock.game_seconds()))
        return advice

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        super().report(name, event, data)
        if data.get("party"):
            self.reports.append((name, event, dict(data)))
            self.stop.set()


def _make_boss(game: LocalGame) -> str:
    """Turn the weakest monster standing on a tile into a boss; return its code."""
    monsters = game.app.state.game.world.monsters
    code = str(min(monsters, key=lambda c: (int(monsters[c]["level"]), c)))
    monsters[code].update(type="boss", hp=_BOSS_HP)
    return code


class _Agents:
    """An agent factory that keeps the agents (for the assertions)."""

    def __init__(self, *, absent: str | None = None) -> None:
        self.absent = absent
        self.agents: dict[str, Runnable] = {}

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
        agent: Runnable
        if name == self.absent:
            assert advisor is not None
            agent = _Absent(name, client=client, advisor=advisor)
        else:
            agent = CharacterAgent(
                name,
                client=client,
                gamedata=gamedata,
                clock=clock,
                metrics=metrics,
                observations=observations,
                advisor=advisor,
            )
        self.agents[name] = agent
        return agent


class _Absent:
    """A member who shows itself to the coordinator once, then never moves."""

    def __init__(self, name: str, *, client: AsyncArtifactsClient, advisor: Advisor) -> None:
        self.name = name
        self.client = client
        self.advisor = advisor

    async def run(self, stop: asyncio.Event) -> None:
        """Ask once, then stand still until stopped."""
        character = await self.client.get_character(self.name)
        self.advisor.advise(self.name, state_from_character(character, bank={}, bank_gold=0))
        await stop.wait()

    def status(self) -> Mapping[str, Any]:
        """Just the name."""
        return {"name": self.name}


async def _session(clock: VirtualClock) -> tuple[LocalGame, Session, str]:
    game = LocalGame(clock=clock, world="generated:7", seed=3)
    boss = _make_boss(game)
    session = await open_session(game.endpoint, clock=clock, account=AccountSpec(), characters=3)
    return game, session, boss


def test_a_boss_party_forms_moves_waits_and_fights(tmp_path: Path) -> None:
    clock = VirtualClock()

    async def scenario() -> dict[str, Any]:
        game, session, boss = await _session(clock)
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            assert gamedata.monsters[boss].type == "boss"
            stop = asyncio.Event()
            coordinator = _Recording(
                gamedata,
                TeamStore(tmp_path / "team.db"),
                clock=clock,
                characters=session.names,
                settings=CoordinatorSettings(parties=PartySettings(enabled=True, interval=10**6)),
                stop=stop,
            )
            agents = _Agents()
            metrics = RunMetrics()
            await run_team(
                session,
                gamedata=gamedata,
                game_hours=2.0,
                advisor=coordinator,
                metrics=metrics,
                agent_factory=agents,
                stop=stop,
                grace_seconds=3600.0,
            )
            party = coordinator.parties()[0]
            observer = session.client(tapped=False)
            logs = await observer.my_logs(party.leader, size=100)
            server = game.app.state.game
            return {
                "boss": boss,
                "party": party,
                "coordinator": coordinator,
                "agents": agents.agents,
                "metrics": metrics,
                "logs": list(logs.data),
                "xp": {n: server.character(n).xp for n in session.names},
            }
        finally:
            await session.aclose()

    out = clock.run(scenario())
    party = out["party"]
    coordinator: _Recording = out["coordinator"]
    assert party.monster == out["boss"]
    assert party.phase == "done" and len(party.members) == 3
    # Every member was sent to the boss tile; one of the others waited there first.
    roles = {(n, g.role) for n, g, _ in coordinator.given if g is not None}
    assert {(n, "move") for n in party.members} <= roles
    assert any(role == "wait" for n, role in roles if n != party.leader)
    first = next(g.role for _, g, _ in coordinator.given if g is not None and g.role != "move")
    assert first == "wait"  # the first to arrive waits for the others
    assert (party.leader, "fight") in roles
    assert not any(n != party.leader and role == "fight" for n, role in roles)
    # The leader fought once with the two others, and said so.
    leader = out["agents"][party.leader]
    assert leader.status()["party_fights"] == 1
    waits = sum(out["agents"][n].status()["party_waits"] for n in party.members)
    assert waits > 0
    name, event, data = coordinator.reports[0]
    assert (name, event, data["party"]) == (party.leader, "goal_reached", party.id)
    assert data["win"] is party.won
    multi = [log for log in out["logs"] if log.type == "multi_fight"]
    assert len(multi) == 1 and multi[0].content["monster"] == out["boss"]
    if party.won:
        assert all(out["xp"][n] > 0 for n in party.members)
    # Waiting is neither an action nor an error; the server never refused anything.
    report = out["metrics"].report(game_hours=1.0, wall_seconds=0.0, team=[])
    assert report["other_errors"] == 0, report["error_codes"]
    assert report["http_429"] == 0 and report["cooldown_errors"] == 0
    assert all(out["agents"][n].status()["errors"] == 0 for n in party.members)


def test_a_party_whose_third_member_never_comes_times_out(tmp_path: Path) -> None:
    clock = VirtualClock()
    timeout = 400.0

    async def scenario() -> tuple[_Recording, dict[str, Runnable], RunMetrics]:
        _game, session, _boss = await _session(clock)
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            coordinator = _Recording(
                gamedata,
                TeamStore(tmp_path / "team.db"),
                clock=clock,
                characters=session.names,
                settings=CoordinatorSettings(
                    parties=PartySettings(enabled=True, timeout=timeout, interval=10**6)
                ),
                stop=asyncio.Event(),
            )
            agents = _Agents(absent=session.names[-1])
            metrics = RunMetrics()
            await run_team(
                session,
                gamedata=gamedata,
                game_hours=0.5,
                advisor=coordinator,
                metrics=metrics,
                agent_factory=agents,
                grace_seconds=3600.0,
            )
            return coordinator, agents.agents, metrics
        finally:
            await session.aclose()

    coordinator, agents, metrics = clock.run(scenario())
    (party,) = coordinator.parties()
    assert party.phase == "timeout" and party.won is None
    present = [n for n in party.members if isinstance(agents[n], CharacterAgent)]
    assert len(present) == 2
    assert party.arrived == set() or party.arrived <= set(present)
    given = [(n, g, t) for n, g, t in coordinator.given if n in present]
    # Both came to the tile and waited there; nobody was ever told to fight.
    for name in present:
        assert any(g is not None and g.role == "wait" for n, g, _ in given if n == name)
    assert not any(g is not None and g.role == "fight" for _, g, _ in given)
    # After the deadline, everyone is back to solo work (advice without a party goal) ...
    deadline = max(t for _, g, t in given if g is not None)
    for name in present:
        later = [g for n, g, t in given if n == name and t > deadline]
        assert later and all(g is None for g in later)
    # ... and keeps acting: waiting counted no error and the server refused nothing.
    report = metrics.report(game_hours=0.5, wall_seconds=0.0, team=[])
    assert report["other_errors"] == 0, report["error_codes"]
    assert report["http_429"] == 0 and report["cooldown_errors"] == 0
    for name in present:
        status = agents[name].status()
        assert status["errors"] == 0 and status["party_waits"] > 0
