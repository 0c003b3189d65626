"""How often the dashboard re-reads the characters (``GET /my/characters``).

Once at the start; after that only for characters whose agent's status lacks the details
(position, task, XP to the next level...). The real agents report them, so a real team costs
one read; stand-ins that do not are re-read every ``every`` seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pytest

from guildmaster.agent.team import Team
from guildmaster.clock import VirtualClock
from guildmaster.dashboard import DETAIL_FIELDS, LiveSource
from guildmaster.harness import (
    AccountSpec,
    AgentFactory,
    LocalGame,
    character_agent_factory,
    open_session,
    run_team,
)
from guildmaster.knowledge import GameData

if TYPE_CHECKING:  # mypy: tests.standins; pytest: standins (tests/ is on sys.path)
    from tests.standins import RestingAgent, resting_agents
else:
    from standins import RestingAgent, resting_agents


class _Agent:
    """Reports ``fields`` (all the details, or only some) and waits for the stop."""

    def __init__(self, name: str, fields: tuple[str, ...]) -> None:
        self.name = name
        self.fields = fields

    async def run(self, stop: asyncio.Event) -> None:
        await stop.wait()

    def status(self) -> Mapping[str, Any]:
        return {"name": self.name, **{key: None for key in self.fields}}


class _Reader:
    """A counted ``GET /my/characters``: every read moves everybody one tile right."""

    def __init__(self, names: tuple[str, ...], *, failures: int = 0) -> None:
        self.names = names
        self.reads = 0
        self.failures = failures

    async def __call__(self) -> list[dict[str, Any]]:
        self.reads += 1
        if self.reads <= self.failures:
            raise RuntimeError("server down")
        return [{"name": n, "x": self.reads, "y": 0, "max_xp": 150} for n in self.names]


def _refresh_for(
    clock: VirtualClock,
    source: LiveSource,
    reader: _Reader,
    seconds: float,
    *,
    team: Team | None = None,
) -> None:
    """Run ``run_refresh`` (every 10 s) for ``seconds``, attaching ``team`` after the first read."""

    async def scenario() -> None:
        stop = asyncio.Event()
        refresher = asyncio.create_task(source.run_refresh(reader, stop, every=10.0))
        await clock.sleep(1)
        if team is not None:
            source.attach(team)
        await clock.sleep(seconds - 1)
        stop.set()
        await refresher

    clock.run(scenario())


def test_agents_reporting_every_detail_are_read_only_once() -> None:
    clock = VirtualClock()
    source = LiveSource(label="t", clock=clock)
    reader = _Reader(("A", "B"))
    team = Team([_Agent("A", DETAIL_FIELDS), _Agent("B", DETAIL_FIELDS)], clock)
    _refresh_for(clock, source, reader, 115, team=team)
    assert reader.reads == 1
    assert [c["x"] for c in source.team_status()["characters"]] == [1, 1]


def test_a_character_whose_status_lacks_details_is_re_read_alone() -> None:
    clock = VirtualClock()
    source = LiveSource(label="t", clock=clock)
    reader = _Reader(("A", "B"))
    team = Team([_Agent("A", DETAIL_FIELDS), _Agent("B", ("level", "xp"))], clock)
    assert source.stale() == []  # nothing attached: nothing to keep fresh
    source.attach(team)
    assert source.stale() == ["B"]
    _refresh_for(clock, source, reader, 115, team=team)
    # the first read at 0 s, then one every 10 s: 10 s ... 110 s (stopped at 115 s)
    assert reader.reads == 12
    shown = {c["name"]: c for c in source.team_status()["characters"]}
    assert shown["A"]["x"] == 1  # its agent reports the details: kept from the first read
    assert (shown["B"]["x"], shown["B"]["max_xp"]) == (12, 150)


def test_no_re_read_before_the_team_is_attached_and_a_failed_first_read_is_retried() -> None:
    clock = VirtualClock()
    source = LiveSource(label="t", clock=clock)
    idle = _Reader(("A",))
    _refresh_for(clock, source, idle, 55)
    assert idle.reads == 1
    failing = _Reader(("A",), failures=2)
    team = Team([_Agent("A", DETAIL_FIELDS)], clock)
    _refresh_for(clock, LiveSource(label="t", clock=clock), failing, 55, team=team)
    assert failing.reads == 3  # failed at 0 s and 10 s, read at 20 s, then never again


@pytest.mark.parametrize(
    ("factory", "re_read"),
    [
        (character_agent_factory, False),
        (resting_agents(details=True), False),
        (RestingAgent, True),
    ],
    ids=["real-agents", "stand-in-with-details", "stand-in-without-details"],
)
def test_reads_of_a_team_on_the_local_server(factory: AgentFactory, re_read: bool) -> None:
    clock = VirtualClock()
    game = LocalGame(clock=clock, world="generated:3", seed=1)
    source = LiveSource(label="generated:3", clock=clock)

    async def scenario() -> tuple[int, float]:
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=2
        )
        reads = 0
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            reader = session.client(tapped=False)

            async def read() -> list[dict[str, Any]]:
                nonlocal reads
                reads += 1
                return [c.model_dump() for c in await reader.my_characters()]

            stop = asyncio.Event()
            start = clock.game_seconds()
            # as ``team_dashboard`` does: the refresh starts before the team exists
            refresher = asyncio.create_task(source.run_refresh(read, stop, every=10.0))
            await run_team(
                session,
                gamedata=gamedata,
                game_hours=0.1,
                agent_factory=factory,
                on_team=source.attach,
                grace_seconds=120.0,
            )
            stop.set()
            await refresher
            return reads, clock.game_seconds() - start
        finally:
            await session.aclose()

    reads, elapsed = clock.run(scenario())
    if re_read:
        assert reads >= int(elapsed // 10) - 1 >= 35
    else:
        assert reads == 1
    # either way the table has the details: from the agents' status or from the re-read
    for character in source.team_status()["characters"]:
        assert character["max_xp"] > 0 and character["x"] is not None, character
