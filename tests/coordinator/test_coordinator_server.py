"""The coordinator steering real character agents on the local server (ASGITransport,
VirtualClock, generated:7): no bank contention, no errors, the pipeline actually runs."""

from __future__ import annotations

from typing import Any

import pytest

from guildmaster.agent.metrics import RunMetrics
from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    Coordinator,
    CoordinatorSettings,
    ErrandSettings,
    PartySettings,
    TeamStore,
)
from guildmaster.harness import AccountSpec, LocalGame, open_session, run_team
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import CraftFromBank, DepositItems, GameState


class _Recording(Coordinator):
    """The coordinator, keeping every piece of advice it gave (for the assertions)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.given: list[tuple[str, Any]] = []

    def advise(self, name: str, state: GameState) -> Any:
        advice = super().advise(name, state)
        self.given.append((name, advice))
        return advice


def _play(
    clock: VirtualClock, hours: float, settings: CoordinatorSettings
) -> tuple[_Recording, RunMetrics]:
    """Five agents and the coordinator (``settings``) for ``hours`` on generated:7."""

    async def scenario() -> tuple[_Recording, RunMetrics]:
        game = LocalGame(clock=clock, world="generated:7", seed=3)
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=5
        )
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            coordinator = _Recording(
                gamedata, TeamStore(), clock=clock, characters=session.names, settings=settings
            )
            metrics = RunMetrics()
            await run_team(
                session,
                gamedata=gamedata,
                game_hours=hours,
                advisor=coordinator,
                metrics=metrics,
                grace_seconds=3600.0,
            )
        finally:
            await session.aclose()
        return coordinator, metrics

    return clock.run(scenario())


@pytest.mark.slow
@pytest.mark.timeout(900)  # about 100 CPU-seconds: headroom for a loaded 2-core CI machine
def test_five_agents_for_24_game_hours_without_bank_contention() -> None:
    """The default coordinator (team plans, bank crafting, parties) over a whole game day:
    0 x 478, 0 x 429, 0 x 499, the team did craft out of the bank, and no plan material was
    produced beyond 1.2 x what the plans needed."""
    parties = CoordinatorSettings(parties=PartySettings(enabled=True))
    coordinator, metrics = _play(VirtualClock(), 24.0, parties)
    report = metrics.report(game_hours=24.0, wall_seconds=0.0, team=[])
    assert report["error_codes"].get("478", 0) == 0, report["error_codes"]
    assert report["http_429"] == 0 and report["cooldown_errors"] == 0
    goals = [a.goal for _, a in coordinator.given if a is not None and a.goal is not None]
    assert sum(isinstance(g, CraftFromBank) for g in goals) >= 5
    assert any(needed > 0 for needed, _ in coordinator.production().values())
    assert coordinator.max_overproduction() <= 1.2, coordinator.production()


@pytest.mark.slow
def test_five_agents_with_the_coordinator_on_the_local_server(tmp_path: Any) -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[_Recording, RunMetrics]:
        game = LocalGame(clock=clock, world="generated:7", seed=3)
        session = await open_session(
            game.endpoint, clock=clock, account=AccountSpec(), characters=5
        )
        try:
            gamedata = await GameData.load(session.client(tapped=False))
            coordinator = _Recording(
                gamedata,
                TeamStore(tmp_path / "team.db"),
                clock=clock,
                characters=session.names,
                settings=CoordinatorSettings(errands=ErrandSettings(enabled=False)),
            )
            metrics = RunMetrics()
            await run_team(
                session,
                gamedata=gamedata,
                game_hours=3.0,
                advisor=coordinator,
                metrics=metrics,
                grace_seconds=3600.0,
            )
        finally:
            await session.aclose()
        return coordinator, metrics

    coordinator, metrics = clock.run(scenario())
    report = metrics.report(game_hours=3.0, wall_seconds=0.0, team=[])
    # No 478 (bank contention) or any other game error, no 429, no 499.
    assert report["other_errors"] == 0, report["error_codes"]
    assert report["http_429"] == 0 and report["cooldown_errors"] == 0
    goals = [a.goal for _, a in coordinator.given if a is not None and a.goal is not None]
    assert any(isinstance(g, DepositItems) for g in goals)
    assert any(isinstance(g, CraftFromBank) for g in goals)
    produced = coordinator.production()
    assert any(p > 0 for _, p in produced.values())
    assert coordinator.max_overproduction() <= 1.2
