"""The harness: account bootstrap, response tapping and team runs against the in-process server.

A stand-in agent (rest, rest, rest...) replaces the real player so these tests check the harness
alone: who creates what, what is counted, when the run stops.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from guildmaster.agent.advisor import Advisor
from guildmaster.cli.bench import BenchSpec, run_bench
from guildmaster.clock import VirtualClock
from guildmaster.harness import (
    ORIGINAL_NAMES,
    AccountSpec,
    LocalGame,
    RecordingTransport,
    ResponseTap,
    build_coordinator,
    character_names,
    open_session,
    read_progress,
    run_team,
)
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore

if TYPE_CHECKING:  # mypy: tests.standins; pytest: standins (tests/ is on sys.path)
    from tests.standins import RestingAgent
else:
    from standins import RestingAgent

WORLD = "generated:3"


def test_character_names_are_original_unique_and_avoid_taken_ones() -> None:
    names = character_names(25, taken=["ALDERWICK", "Emberlyn"])
    assert len(set(names)) == 25
    assert "Alderwick" not in names and "Emberlyn" not in names
    assert names[0] == ORIGINAL_NAMES[1]
    assert all(3 <= len(n) <= 12 and n.isalnum() for n in names)


async def test_recording_transport_publishes_every_status() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404 if request.url.path == "/missing" else 200, json={})

    tap = ResponseTap()
    seen: list[int] = []
    tap.subscribe(seen.append)
    transport = RecordingTransport(httpx.MockTransport(reply), tap)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        await http.get("/")
        await http.get("/missing")
        tap.unsubscribe(seen.append)
        await http.get("/")
    assert seen == [200, 404]
    assert tap.count == 3


def test_open_session_bootstraps_account_token_and_characters() -> None:
    clock = VirtualClock()
    game = LocalGame(clock=clock, world=WORLD)

    async def scenario() -> tuple[tuple[str, ...], tuple[str, ...], list[str], list[str]]:
        first = await open_session(game.endpoint, clock=clock, account=AccountSpec(), characters=3)
        try:
            client = first.client()
            listed = [c.name for c in await client.my_characters()]
            progress = await read_progress(client, first.names)
        finally:
            await first.aclose()
        # Logging in again reuses the account and its characters, and adds what is missing.
        again = await open_session(game.endpoint, clock=clock, account=AccountSpec(), characters=4)
        await again.aclose()
        return first.names, again.names, listed, [p.name for p in progress]

    first, again, listed, progressed = clock.run(scenario())
    assert first == tuple(ORIGINAL_NAMES[:3])
    assert listed == list(first) == progressed
    assert again[:3] == first and len(again) == 4 and again[3] not in first


def test_open_session_with_explicit_names_and_no_creation_refuses_missing() -> None:
    clock = VirtualClock()
    game = LocalGame(clock=clock, world=WORLD)

    async def scenario() -> None:
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=["Quill"]
        )
        assert session.names == ("Quill",)
        with pytest.raises(ValueError, match="Nobody"):
            await open_session(
                game.endpoint,
                clock=clock,
                token=session.token,
                characters=["Quill", "Nobody"],
                create_missing=False,
            )
        await session.aclose()

    clock.run(scenario())


def test_run_team_counts_responses_records_timeline_and_stops_at_the_horizon() -> None:
    clock = VirtualClock()
    game = LocalGame(clock=clock, world=WORLD)

    async def scenario() -> tuple[dict[str, Any], float, int]:
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=2
        )
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            start = clock.game_seconds()
            run = await run_team(
                session, gamedata=gamedata, game_hours=1.0, agent_factory=RestingAgent
            )
            return run.report(), clock.game_seconds() - start, session.tap.count
        finally:
            await session.aclose()

    report, elapsed, tapped = clock.run(scenario())
    assert 3600 <= elapsed < 3600 + 60  # stopped right after the horizon
    assert report["game_hours"] == 1.0
    assert [p["game_hour"] for p in report["timeline"]] == [0.0, 1.0]
    # every tapped response of the agents' clients is in the metrics, nothing else
    assert report["requests"] == tapped
    assert report["requests"] >= report["actions"] > 0
    assert report["http_429"] == 0 and report["cooldown_errors"] == 0
    assert report["utilization"]["min"] > 0.9
    assert [c["name"] for c in report["characters"]] == list(ORIGINAL_NAMES[:2])
    assert report["harness_requests"] == 3  # two timeline reads and the final read


def test_run_team_stops_on_the_stop_event() -> None:
    clock = VirtualClock()
    game = LocalGame(clock=clock, world=WORLD)

    async def scenario() -> float:
        session = await open_session(game.endpoint, clock=clock, account=AccountSpec())
        stop = asyncio.Event()

        async def press_ctrl_c() -> None:
            await clock.sleep(600)
            stop.set()

        presser = asyncio.create_task(press_ctrl_c())
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            run = await run_team(
                session, gamedata=gamedata, game_hours=None, stop=stop, agent_factory=RestingAgent
            )
        finally:
            await presser
            await session.aclose()
        return run.game_hours

    hours = clock.run(scenario())
    # measured from the start of the run (game data loading took a few seconds before it)
    assert 550 / 3600 < hours <= 600 / 3600


def test_run_bench_returns_every_design_key() -> None:
    spec = BenchSpec(world=WORLD, characters=1, game_hours=1.0, coordinator=False)
    report = run_bench(spec, agent_factory=RestingAgent)
    for key in (
        "game_hours",
        "wall_seconds",
        "actions",
        "requests",
        "requests_per_action",
        "http_429",
        "cooldown_errors",
        "other_errors",
        "utilization",
        "decision_ms",
        "characters",
        "team",
        "timeline",
    ):
        assert key in report, key
    assert report["world"] == WORLD and report["coordinator"] is False
    assert report["setup_requests"] > 10
    assert report["team"]["min_level"] >= 1


def test_run_team_hands_every_agent_the_same_advisor_data_and_observations() -> None:
    clock = VirtualClock()
    game = LocalGame(clock=clock, world=WORLD)
    built: list[RestingAgent] = []

    def factory(name: str, **kwargs: Any) -> RestingAgent:
        agent = RestingAgent(name, **kwargs)
        built.append(agent)
        return agent

    async def scenario() -> tuple[GameData, Advisor]:
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=3
        )
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            advisor = build_coordinator(gamedata, clock=clock, names=session.names)
            with ObservationStore(":memory:", clock=clock) as store:
                await run_team(
                    session,
                    gamedata=gamedata,
                    game_hours=0.05,
                    agent_factory=factory,
                    advisor=advisor,
                    observations=store,
                )
            return gamedata, advisor
        finally:
            await session.aclose()

    gamedata, advisor = clock.run(scenario())
    assert [agent.name for agent in built] == list(ORIGINAL_NAMES[:3])
    assert all(agent.advisor is advisor and agent.gamedata is gamedata for agent in built)
    assert len({id(agent.client) for agent in built}) == 3  # one client per agent...
    assert len({id(agent.client.limiter) for agent in built}) == 1  # ...one shared limiter
    assert all(agent.observations is built[0].observations is not None for agent in built)


def test_a_coordinated_bench_reports_what_the_coordinator_did() -> None:
    spec = BenchSpec(world=WORLD, characters=2, game_hours=0.5, coordinator=True)
    report = run_bench(spec, agent_factory=RestingAgent)
    assert report["coordinator"] is True
    activity = report["coordinator_activity"]
    assert set(activity) == {
        "bank_crafting",
        "best_boss_chance",
        "claims",
        "disposals",
        "parties",
        "party_fights_won",
        "plan",
        "roles",
    }
    # Resting agents never ask for advice: the coordinator did nothing, and says so.
    assert activity["roles"] == {}
    assert activity["parties"] == 0 and activity["party_fights_won"] == 0
    assert activity["best_boss_chance"] is None and activity["claims"] == {}
    assert sum(activity["bank_crafting"].values()) == 0
    json.dumps(report)  # JSON-ready
