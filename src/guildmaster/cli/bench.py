"""``guildmaster bench``: a whole team run on virtual time, measured (DESIGN.md JSON).

Player and local server share one event loop on a :class:`~guildmaster.clock.VirtualClock`
(no threads), so a game-day takes seconds of wall time. The command prints a short summary and
writes the JSON object of :meth:`~guildmaster.agent.metrics.RunMetrics.report` to ``--json``.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from guildmaster import harness
from guildmaster.agent.metrics import CharacterProgress
from guildmaster.cli.play import FightersOption, progress_table
from guildmaster.cli.status import make_console
from guildmaster.clock import Clock, VirtualClock, stopwatch
from guildmaster.coordinator import PARTY_SIZE, Coordinator
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.server.world import WorldLoadError

__all__ = [
    "BenchSpec",
    "coordinator_activity",
    "register",
    "run_bench",
    "run_bench_async",
    "summary_lines",
]

#: Team status interval of a bench (game seconds): only logged, so rarely.
_BENCH_STATUS_SECONDS = 600.0

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchSpec:
    """One benchmark run (the options of ``guildmaster bench``)."""

    world: str = "generated:7"
    characters: int = 1
    game_hours: float = 24.0
    seed: int = 0
    coordinator: bool = True
    rate_limits: bool = True
    fighters: int = PARTY_SIZE


async def run_bench_async(
    spec: BenchSpec,
    clock: Clock,
    *,
    agent_factory: harness.AgentFactory = harness.character_agent_factory,
) -> dict[str, Any]:
    """Run ``spec`` in this loop on ``clock`` with the local server in process.

    Raises:
        WorldLoadError: if the world cannot be loaded.
    """
    started = stopwatch()
    game = harness.LocalGame(
        clock=clock, world=spec.world, seed=spec.seed, rate_limits=spec.rate_limits
    )
    session = await harness.open_session(
        game.endpoint, clock=clock, account=harness.AccountSpec(), characters=spec.characters
    )
    try:
        loader = session.client(tapped=False)
        gamedata = await GameData.load(loader)
        setup_requests = loader.stats.requests
        # A coordinator steers a team: a single character always plans alone.
        advisor: Coordinator | None = None
        if spec.coordinator and len(session.names) > 1:
            advisor = harness.build_coordinator(
                gamedata, clock=clock, names=session.names, fighters=spec.fighters
            )
        observations = ObservationStore(":memory:", clock=clock)
        try:
            run = await harness.run_team(
                session,
                gamedata=gamedata,
                game_hours=spec.game_hours,
                agent_factory=agent_factory,
                advisor=advisor,
                observations=observations,
                status_interval=_BENCH_STATUS_SECONDS,
                grace_seconds=3600.0,
            )
        finally:
            observations.close()
    finally:
        await session.aclose()
    extra: dict[str, Any] = {
        "world": spec.world,
        "seed": spec.seed,
        "coordinator": advisor is not None,
        "setup_requests": setup_requests,
        # str hashes are salted per process: runs repeat exactly only with PYTHONHASHSEED set.
        "pythonhashseed": os.environ.get("PYTHONHASHSEED"),
    }
    if advisor is not None:
        extra["fighters"] = spec.fighters
        extra["max_overproduction"] = round(advisor.max_overproduction(), 3)
        extra["coordinator_activity"] = coordinator_activity(advisor)
    report = run.report(extra=extra)
    report["wall_seconds"] = round(stopwatch() - started, 3)
    return report


def coordinator_activity(coordinator: Coordinator) -> dict[str, Any]:
    """What the coordinator did during a run: errands, disposals, parties, reservations."""
    status = coordinator.status()
    parties = coordinator.parties()
    return {
        "bank_crafting": dict(status.get("bank_crafting") or {}),
        "disposals": dict(status.get("disposals") or {}),
        "parties": len(parties),
        "party_fights_won": sum(1 for p in parties if p.won is True),
        "best_boss_chance": status.get("best_boss_chance"),
        "claims": dict(status.get("claims") or {}),
        "plan": status.get("plan"),
        "roles": dict(status.get("roles") or {}),
    }


def run_bench(
    spec: BenchSpec, *, agent_factory: harness.AgentFactory = harness.character_agent_factory
) -> dict[str, Any]:
    """Run ``spec`` on a fresh :class:`VirtualClock` (one loop, no threads) and return the JSON.

    Raises:
        WorldLoadError: if the world cannot be loaded.
    """
    clock = VirtualClock()
    return clock.run(run_bench_async(spec, clock, agent_factory=agent_factory))


def summary_lines(report: dict[str, Any]) -> list[str]:
    """A few human lines about a bench report."""
    utilization = report["utilization"]
    decision = report["decision_ms"]
    team = report["team"]
    return [
        f"{report['game_hours']} game hours in {report['wall_seconds']:.1f} s wall, "
        f"{len(report['characters'])} characters, coordinator "
        f"{'on' if report.get('coordinator') else 'off'}",
        f"actions {report['actions']}, requests {report['requests']} "
        f"({report['requests_per_action']} per action), 429: {report['http_429']}, "
        f"499: {report['cooldown_errors']}, other errors: {report['other_errors']} "
        f"{report.get('error_codes') or ''}",
        f"utilization mean {utilization['mean']:.1%} min {utilization['min']:.1%}; "
        f"decision ms p50 {decision['p50']} p95 {decision['p95']} p99 {decision['p99']} "
        f"max {decision['max']}",
        f"team: min level {team['min_level']}, mean level {team['mean_level']}, "
        f"total skill levels {team['total_skill_levels']}",
    ]


def register(app: typer.Typer) -> None:
    """Add the ``bench`` command to ``app``."""

    @app.command("bench")
    def bench(
        world: Annotated[str, typer.Option(help="generated:SEED or a world file PATH")] = (
            "generated:7"
        ),
        characters: Annotated[int, typer.Option(min=1, max=5, help="team size")] = 1,
        game_hours: Annotated[float, typer.Option(help="game time to play")] = 24.0,
        seed: Annotated[int, typer.Option(help="seed of the game's randomness")] = 0,
        json_out: Annotated[Path | None, typer.Option("--json", help="write the JSON here")] = None,
        coordinator: Annotated[
            bool, typer.Option("--coordinator/--no-coordinator", help="team coordination")
        ] = True,
        fighters: FightersOption = PARTY_SIZE,
        log_level: Annotated[str, typer.Option(help="logging level")] = "WARNING",
    ) -> None:
        """Run a team on virtual time against the local server and measure it."""
        if game_hours <= 0:
            raise typer.BadParameter("--game-hours must be positive")
        logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
        spec = BenchSpec(
            world=world,
            characters=characters,
            game_hours=game_hours,
            seed=seed,
            coordinator=coordinator,
            fighters=fighters,
        )
        try:
            report = run_bench(spec, agent_factory=harness.character_agent_factory)
        except WorldLoadError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2) from exc
        console = make_console()
        team = [
            CharacterProgress(
                name=c["name"], level=c["level"], xp=c["xp"], skills=c["skills"], gold=c["gold"]
            )
            for c in report["characters"]
        ]
        console.print(progress_table(team, title=f"bench {world}"))
        for line in summary_lines(report):
            console.print(line)
        if json_out is not None:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            console.print(f"-> {json_out}")
