"""``guildmaster bench``: a whole team run on virtual time, measured (DESIGN.md JSON).

Player and local server share one event loop on a :class:`~guildmaster.clock.VirtualClock`
(no threads), so a game-day takes seconds of wall time. The command prints a short summary and
writes the JSON object of :meth:`~guildmaster.agent.metrics.RunMetrics.report` to ``--json``.
``--seeds`` makes it a sweep, one run per seed in worker processes or on a Dask cluster
(:mod:`guildmaster.sweep`), summed up in one JSON object with the runs' reports as its rows.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from guildmaster import harness
from guildmaster.agent.metrics import CharacterProgress
from guildmaster.cli.play import FightersOption, progress_table
from guildmaster.cli.status import make_console
from guildmaster.cli.sweep_report import run_line, sweep_report, sweep_tables
from guildmaster.clock import Clock, VirtualClock, stopwatch
from guildmaster.coordinator import PARTY_SIZE, Coordinator
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.server.world import WorldLoadError
from guildmaster.sweep import (
    ClusterUnreachable,
    SeedListError,
    default_jobs,
    parse_seeds,
    profile_call,
    run_on_cluster,
    run_on_processes,
    seed_profile_path,
    write_profile,
)

__all__ = [
    "DEFAULT_MAX_DECISION_MS",
    "BenchOutcome",
    "BenchSpec",
    "BenchTask",
    "bound_decisions",
    "coordinator_activity",
    "register",
    "run_bench",
    "run_bench_async",
    "run_bench_task",
    "slowest_decision",
    "summary_lines",
]

#: Team status interval of a bench (game seconds): only logged, so rarely.
_BENCH_STATUS_SECONDS = 600.0

#: ``--max-decision-ms``: a decision slower than this fails the bench (after its JSON is written).
#: Generous: it catches a stall, not a loaded machine (5-character runs have seen 3.4 s there).
DEFAULT_MAX_DECISION_MS = 5000.0

#: Exit code of a bench whose slowest decision took longer than ``--max-decision-ms``.
_EXIT_TOO_SLOW = 3

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


@dataclass(frozen=True)
class BenchTask:
    """One run of a sweep: a bench, profiled or not, logging at ``log_level`` if given."""

    spec: BenchSpec
    profile: bool = False
    log_level: str | None = None


@dataclass(frozen=True)
class BenchOutcome:
    """A run's report and, if it was profiled, its profile (the pstats file format)."""

    report: dict[str, Any]
    stats: bytes | None = None


def run_bench_task(task: BenchTask) -> BenchOutcome:
    """Run one bench: what a sweep's worker does for each seed, and ``bench`` for its one run.

    Raises:
        WorldLoadError: if the world cannot be loaded.
    """
    if task.log_level is not None:
        logging.basicConfig(level=task.log_level.upper(), format=_LOG_FORMAT)
    if not task.profile:
        return BenchOutcome(report=run_bench(task.spec))
    profiled = profile_call(run_bench, task.spec)
    return BenchOutcome(report=profiled.result, stats=profiled.stats)


def bound_decisions(report: dict[str, Any], max_ms: float) -> bool:
    """Add ``decision_bound {max_ms, exceeded}`` to ``report``; whether its slowest decision
    took longer than ``max_ms``."""
    exceeded = bool(report["decision_ms"]["max"] > max_ms)
    report["decision_bound"] = {"max_ms": max_ms, "exceeded": exceeded}
    return exceeded


def slowest_decision(report: dict[str, Any]) -> str:
    """The slowest decision of a run in words: its time and, when the report has
    ``decision_slowest``, the character that made it and its goal.

    >>> slowest_decision({"decision_ms": {"max": 812.5}})
    '812.5 ms'
    """
    text = f"{report['decision_ms']['max']} ms"
    where = report.get("decision_slowest") or {}
    details = [f"{key} {where[key]}" for key in ("character", "goal") if where.get(key)]
    return f"{text} ({', '.join(details)})" if details else text


_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


class _UsageError(ValueError):
    """Options that do not go together (one line on stderr, exit code 2)."""


@dataclass(frozen=True)
class _Output:
    """Where a bench writes its results, and the decision bound it is held to."""

    json_out: Path | None
    profile: Path | None
    max_decision_ms: float
    log_level: str


def _game_hours(hours: float | None, days: float | None) -> float:
    if hours is not None and days is not None:
        raise _UsageError("give --game-hours or --game-days, not both")
    if days is not None:
        if days <= 0:
            raise _UsageError("--game-days must be positive")
        return days * 24.0
    if hours is not None and hours <= 0:
        raise _UsageError("--game-hours must be positive")
    return 24.0 if hours is None else hours


def _sweep_seeds(
    seed: int | None, seeds: str | None, jobs: int | None, cluster: str | None
) -> tuple[int, ...] | None:
    """The seeds of a sweep, or None for a single run.

    Raises:
        _UsageError: if the options do not go together.
        SeedListError: if ``seeds`` is not a list of seeds.
    """
    if seeds is None:
        for flag, value in (("--jobs", jobs), ("--cluster", cluster)):
            if value is not None:
                raise _UsageError(f"{flag} is for a sweep: give --seeds too")
        return None
    if seed is not None:
        raise _UsageError("give --seed or --seeds, not both")
    if jobs is not None and cluster is not None:
        raise _UsageError("--jobs is for a sweep on this machine: a --cluster's workers set it")
    if jobs is not None and jobs < 1:
        raise _UsageError("--jobs must be at least 1")
    return parse_seeds(seeds)


def _refuse(message: str, *, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=code)


def _too_slow(slowest: str, max_ms: float) -> typer.Exit:
    return _refuse(
        f"the slowest decision took {slowest}, over the --max-decision-ms bound of {max_ms:g} ms",
        code=_EXIT_TOO_SLOW,
    )


def _write_json(data: dict[str, Any], path: Path | None, console: Console) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        console.print(f"-> {path}")


def _write_profile(stats: bytes | None, path: Path | None, console: Console) -> None:
    if stats is not None and path is not None:
        summary = write_profile(stats, path)
        console.print(f"profile -> {path} (top 20 by cumulative time: {summary})")


def _bench_once(spec: BenchSpec, output: _Output) -> None:
    """One bench: its table and summary, then ``--profile`` and ``--json``; exit 3 if too slow."""
    outcome = run_bench_task(BenchTask(spec, profile=output.profile is not None))
    report = outcome.report
    too_slow = bound_decisions(report, output.max_decision_ms)
    console = make_console()
    team = [
        CharacterProgress(
            name=c["name"], level=c["level"], xp=c["xp"], skills=c["skills"], gold=c["gold"]
        )
        for c in report["characters"]
    ]
    console.print(progress_table(team, title=f"bench {spec.world}"))
    for line in summary_lines(report):
        console.print(line)
    _write_profile(outcome.stats, output.profile, console)
    _write_json(report, output.json_out, console)
    if too_slow:
        raise _too_slow(slowest_decision(report), output.max_decision_ms)


def _bench_sweep(
    template: BenchSpec,
    seeds: tuple[int, ...],
    *,
    jobs: int | None,
    cluster: str | None,
    output: _Output,
) -> None:
    """A sweep: one bench per seed, summed up, then ``--profile`` (one per seed) and ``--json``;
    exit 3 if any seed's slowest decision was too slow."""
    console = make_console()
    profile = output.profile is not None
    tasks = [
        BenchTask(replace(template, seed=seed), profile=profile, log_level=output.log_level)
        for seed in seeds
    ]
    started = stopwatch()
    workers = None if cluster is not None else min(jobs or default_jobs(), len(tasks))
    outcomes = _run_tasks(tasks, jobs=workers, cluster=cluster, console=console)
    rows = [outcome.report for outcome in outcomes]
    slow = [row for row in rows if bound_decisions(row, output.max_decision_ms)]
    sweep = {
        "world": template.world,
        "characters": template.characters,
        "game_hours": template.game_hours,
        "seeds": list(seeds),
        "coordinator": template.coordinator,
        "fighters": template.fighters,
        "jobs": workers,
        "cluster": cluster,
        "wall_seconds": round(stopwatch() - started, 3),
        "max_decision_ms": output.max_decision_ms,
    }
    result = sweep_report(rows, sweep=sweep)
    for table in sweep_tables(result):
        console.print(table)
    console.print(f"{len(rows)} runs in {sweep['wall_seconds']:.1f} s wall")
    if output.profile is not None:
        for seed, outcome in zip(seeds, outcomes, strict=True):
            _write_profile(outcome.stats, seed_profile_path(output.profile, seed), console)
    _write_json(result, output.json_out, console)
    if slow:
        worst = max(slow, key=lambda row: float(row["decision_ms"]["max"]))
        raise _refuse(
            f"the slowest decision took {slowest_decision(worst)} in seed {worst['seed']} "
            f"({len(slow)} of {len(rows)} seeds over the --max-decision-ms bound of "
            f"{output.max_decision_ms:g} ms)",
            code=_EXIT_TOO_SLOW,
        )


def _run_tasks(
    tasks: Sequence[BenchTask], *, jobs: int | None, cluster: str | None, console: Console
) -> list[BenchOutcome]:
    """Run ``tasks`` on ``jobs`` local processes or on the Dask ``cluster``, printing a line as
    each run ends."""

    def done(index: int, outcome: BenchOutcome) -> None:
        console.print(f"seed {tasks[index].spec.seed}: {run_line(outcome.report)}")

    if cluster is None:
        jobs = jobs or default_jobs()
        console.print(f"{len(tasks)} runs on {jobs} worker processes")
        return run_on_processes(run_bench_task, tasks, jobs=jobs, on_done=done)
    console.print(f"{len(tasks)} runs on the Dask cluster at {cluster}")
    try:
        return run_on_cluster(run_bench_task, tasks, address=cluster, on_done=done)
    except ClusterUnreachable as exc:
        raise _refuse(str(exc)) from exc


def register(app: typer.Typer) -> None:
    """Add the ``bench`` command to ``app``."""

    @app.command("bench")
    def bench(
        world: Annotated[str, typer.Option(help="generated:SEED or a world file PATH")] = (
            "generated:7"
        ),
        characters: Annotated[int, typer.Option(min=1, max=5, help="team size")] = 1,
        game_hours: Annotated[
            float | None, typer.Option(help="game time to play, in hours (default 24)")
        ] = None,
        game_days: Annotated[
            float | None, typer.Option(help="game time to play, in days (instead of --game-hours)")
        ] = None,
        seed: Annotated[
            int | None, typer.Option(help="seed of the game's randomness (default 0)")
        ] = None,
        seeds: Annotated[
            str | None,
            typer.Option(help="a sweep, one run per seed: 0-7, 0,2,5 or 0-3,7 (instead of --seed)"),
        ] = None,
        jobs: Annotated[
            int | None, typer.Option(help="worker processes of a sweep (default: the CPU count)")
        ] = None,
        cluster: Annotated[
            str | None,
            typer.Option(metavar="tcp://HOST:PORT", help="run the sweep on this Dask scheduler"),
        ] = None,
        json_out: Annotated[Path | None, typer.Option("--json", help="write the JSON here")] = None,
        profile: Annotated[
            Path | None,
            typer.Option(
                metavar="OUT",
                help="write a cProfile (pstats) to OUT and its top 20 to OUT.txt; "
                "a sweep writes one per seed (run.pstats -> run.seed3.pstats)",
            ),
        ] = None,
        max_decision_ms: Annotated[
            float,
            typer.Option(help="fail (exit 3, after writing the JSON) if a decision takes longer"),
        ] = DEFAULT_MAX_DECISION_MS,
        coordinator: Annotated[
            bool, typer.Option("--coordinator/--no-coordinator", help="team coordination")
        ] = True,
        fighters: FightersOption = PARTY_SIZE,
        log_level: Annotated[str, typer.Option(help="logging level")] = "WARNING",
    ) -> None:
        """Run a team on virtual time against the local server and measure it (--seeds: a sweep)."""
        logging.basicConfig(level=log_level.upper(), format=_LOG_FORMAT)
        try:
            spec = BenchSpec(
                world=world,
                characters=characters,
                game_hours=_game_hours(game_hours, game_days),
                seed=seed or 0,
                coordinator=coordinator,
                fighters=fighters,
            )
            sweep_seeds = _sweep_seeds(seed, seeds, jobs, cluster)
            if max_decision_ms <= 0:
                raise _UsageError("--max-decision-ms must be positive")
        except (_UsageError, SeedListError) as exc:
            raise _refuse(str(exc)) from exc
        output = _Output(json_out, profile, max_decision_ms, log_level)
        try:
            if sweep_seeds is None:
                _bench_once(spec, output)
            else:
                _bench_sweep(spec, sweep_seeds, jobs=jobs, cluster=cluster, output=output)
        except WorldLoadError as exc:
            raise _refuse(str(exc)) from exc
