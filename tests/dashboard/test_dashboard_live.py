"""The dashboard on a real team: two character agents and the real coordinator on the local
server (generated:7, VirtualClock, everything through httpx.ASGITransport)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from guildmaster.agent.advisor import Advice
from guildmaster.agent.metrics import RunMetrics
from guildmaster.clock import VirtualClock
from guildmaster.coordinator import Coordinator, TeamStore
from guildmaster.dashboard import LiveSource, create_dashboard_app
from guildmaster.harness import AccountSpec, LocalGame, open_session, run_team
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import GameState


class _Spy(Coordinator):
    """The real coordinator, keeping the last state it was asked about."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_state: tuple[str, GameState] | None = None

    def advise(self, name: str, state: GameState) -> Advice | None:
        self.last_state = (name, state)
        return super().advise(name, state)


def _levels(text: str) -> dict[str, float]:
    return {
        sample.labels["character"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "guildmaster_character_level"
    }


def test_dashboard_drives_a_real_team_and_coordinator() -> None:
    clock = VirtualClock()
    seen: dict[str, Any] = {}

    async def look(
        client: httpx.AsyncClient, source: LiveSource, coordinator: _Spy, read: Any
    ) -> None:
        await clock.sleep_game(900)  # let the team play a quarter of an hour first
        await source.refresh(read)
        status = (await client.get("/api/status")).json()
        seen["status"] = status
        seen["team"] = [dict(c) for c in source.team_status()["characters"]]
        seen["metrics"] = (await client.get("/metrics")).text
        stream = await client.get("/api/events", params={"limit": 1})
        seen["stream"] = json.loads(stream.text.removeprefix("data: "))
        seen["bad"] = await client.post("/api/coordinator", json={"enabled": "off"})
        seen["bad_enabled"] = coordinator.enabled
        seen["bad_plan"] = await client.post("/api/coordinator/plan", json={"skill": "flying"})
        seen["plan_after_bad"] = coordinator.plan
        seen["manual"] = await client.post("/api/coordinator/plan", json={"skill": "mining"})
        seen["manual_plan"] = coordinator.plan
        seen["auto"] = await client.post("/api/coordinator/plan", json={"auto": True})
        seen["off"] = await client.post("/api/coordinator", json={"enabled": False})
        seen["enabled_after_off"] = coordinator.enabled
        assert coordinator.last_state is not None
        name, state = coordinator.last_state
        seen["advice_when_off"] = coordinator.advise(name, state)
        seen["on"] = await client.post("/api/coordinator", json={"enabled": True})
        seen["enabled_after_on"] = coordinator.enabled

    async def scenario() -> LiveSource:
        game = LocalGame(clock=clock, world="generated:7", seed=3)
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=2
        )
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            coordinator = _Spy(
                gamedata, TeamStore(":memory:"), clock=clock, characters=session.names
            )
            metrics = RunMetrics()
            source = LiveSource(
                label="generated:7", clock=clock, coordinator=coordinator, metrics=metrics
            )
            reader = session.client(tapped=False)

            async def read() -> list[dict[str, Any]]:
                return [c.model_dump() for c in await reader.my_characters()]

            app = create_dashboard_app(source, clock=clock)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://dash") as client:
                watcher = asyncio.create_task(look(client, source, coordinator, read))
                await run_team(
                    session,
                    gamedata=gamedata,
                    game_hours=0.4,
                    metrics=metrics,
                    advisor=source.recorder(coordinator),
                    on_team=source.attach,
                    grace_seconds=600.0,
                )
                await watcher
        finally:
            await session.aclose()
        return source

    source = clock.run(scenario())
    status = seen["status"]
    names = [c["name"] for c in status["characters"]]
    assert len(names) == 2
    # The page shows what the agents report (levels, goals) plus the re-read details.
    for shown, reported in zip(status["characters"], seen["team"], strict=True):
        assert shown["name"] == reported["name"]
        assert shown["level"] == reported["level"]
        assert shown["skills"] == {k: int(v) for k, v in reported["skills"].items()}
        assert shown["goal"] == reported["goal"] and shown["goal"]
        assert shown["position"] is not None and shown["max_xp"] > 0
    assert status["metrics"]["actions"] > 0
    assert status["coordinator"]["available"] and status["coordinator"]["enabled"]
    assert _levels(seen["metrics"]) == {c["name"]: c["level"] for c in status["characters"]}
    assert [c["name"] for c in seen["stream"]["characters"]] == names
    # Refusals change nothing.
    assert seen["bad"].status_code == 422 and seen["bad_enabled"] is True
    assert seen["bad_plan"].status_code == 422
    assert seen["plan_after_bad"] is None or not seen["plan_after_bad"].manual
    # A manual plan reaches the real coordinator; automatic mode leaves it.
    assert seen["manual"].status_code == 200, seen["manual"].text
    assert seen["manual_plan"].manual and seen["manual_plan"].skill == "mining"
    assert seen["manual"].json()["plan"]["skill"] == "mining"
    assert seen["auto"].status_code == 200
    # Off means off: the real coordinator stops advising, and can be switched back on.
    assert seen["off"].json()["enabled"] is False and seen["enabled_after_off"] is False
    assert seen["advice_when_off"] is None
    assert seen["on"].json()["enabled"] is True and seen["enabled_after_on"] is True
    # The recorder kept the agents' goals as events.
    kinds = {e.kind for e in source.events()}
    assert "goal" in kinds
    assert {e.character for e in source.events()} <= set(names)
