"""``guildmaster play``: the team plays on the real API (or any server) in real time.

Also home of what ``play`` and ``demo`` share: the team status table printed every 30 s,
SIGINT/SIGTERM handling (first signal: every character stops after its current action; second:
cancel at once), a wall-time limit and the web dashboard (:func:`team_dashboard`: served while
the team plays, stopped with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from guildmaster import harness
from guildmaster.agent.advisor import Advisor
from guildmaster.agent.metrics import CharacterProgress, RunMetrics
from guildmaster.agent.team import Team, TeamStatus
from guildmaster.api.errors import ArtifactsError
from guildmaster.cli.status import (
    DEFAULT_SERVER,
    ServerOption,
    TokenFileOption,
    make_console,
    resolve_token,
    skills_summary,
)
from guildmaster.clock import Clock, RealClock
from guildmaster.coordinator import PARTY_SIZE, Coordinator
from guildmaster.dashboard import DashboardState, LiveSource, create_dashboard_app, dashboard_server
from guildmaster.knowledge.cache import CatalogueCache, CatalogueUnavailable
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore

__all__ = [
    "FightersOption",
    "TeamView",
    "progress_table",
    "register",
    "run_play",
    "status_printer",
    "stop_after",
    "stop_on_signals",
    "team_dashboard",
    "team_table",
]

logger = logging.getLogger(__name__)

#: ``--fighters`` of the team commands (``play``, ``demo``, ``bench``): the coordinator's roles.
FightersOption = Annotated[
    int, typer.Option(min=0, help="characters that fight for the team, the others produce")
]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, Mapping):
        return skills_summary({str(k): int(v) for k, v in value.items()})
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)


def _cooldown_cell(value: Any, now: datetime) -> str:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        remaining = (value - now).total_seconds()
        return f"{remaining:.0f} s" if remaining > 0 else "ready"
    return _cell(value)


def team_table(report: TeamStatus, *, now: datetime) -> Table:
    """The team status as a rich table (one row per character, whatever the agents report)."""
    table = Table("name", "level", "xp", "skills", "hp", "goal", "action", "cooldown", "restarts")
    table.title = f"team status at {report.at}"
    for character in report.characters:
        name = str(character.get("name", "?"))
        table.add_row(
            name,
            _cell(character.get("level")),
            _cell(character.get("xp")),
            _cell(character.get("skills")),
            _cell(character.get("hp")),
            _cell(character.get("goal")),
            _cell(character.get("action")),
            _cooldown_cell(character.get("cooldown_expiration"), now),
            str(report.restarts.get(name, 0)),
        )
    return table


def progress_table(team: Sequence[CharacterProgress], *, title: str = "") -> Table:
    """Final levels of a run: level, XP, skills, gold."""
    table = Table("name", "level", "xp", "skills", "gold", title=title or None)
    for member in team:
        table.add_row(
            member.name,
            str(member.level),
            str(member.xp),
            skills_summary(dict(member.skills)),
            str(member.gold),
        )
    return table


def status_printer(console: Console, clock: Clock) -> Callable[[TeamStatus], None]:
    """An ``on_status`` callback printing :func:`team_table`."""

    def show(report: TeamStatus) -> None:
        console.print(team_table(report, now=clock.now()))

    return show


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """While inside, SIGINT/SIGTERM set ``stop``; a second signal cancels the current task.

    Does nothing where the loop cannot handle signals (not the main thread, Windows).
    """
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    received: list[int] = []

    def handle(sig: int) -> None:
        received.append(sig)
        if len(received) == 1:
            logger.warning("signal %d: stopping after the current actions (again to force)", sig)
            stop.set()
        elif main is not None:
            main.cancel()

    installed: list[signal.Signals] = []
    for sig in _SIGNALS:
        try:
            loop.add_signal_handler(sig, handle, sig)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def stop_after(stop: asyncio.Event, clock: Clock, seconds: float | None) -> None:
    """Set ``stop`` after ``seconds`` of clock time (never if None)."""
    if seconds is None:
        return
    await clock.sleep(seconds)
    logger.info("time limit of %.0f s reached", seconds)
    stop.set()


@dataclass(frozen=True)
class TeamView:
    """What :func:`~guildmaster.harness.run_team` gets to feed the dashboard (if any)."""

    advisor: Advisor | None
    on_status: Callable[[TeamStatus], None]
    on_team: Callable[[Team], None] | None = None
    url: str | None = None


@contextlib.asynccontextmanager
async def team_dashboard(
    session: harness.Session,
    *,
    coordinator: Coordinator | None,
    metrics: RunMetrics,
    on_status: Callable[[TeamStatus], None],
    label: str,
    port: int | None,
    host: str = "127.0.0.1",
    refresh_seconds: float = 10.0,
) -> AsyncIterator[TeamView]:
    """Serve the dashboard of the team about to play on ``host:port`` while inside.

    ``port=None``: no dashboard (the view passes ``coordinator`` and ``on_status`` through).
    Otherwise the advisor records the agents' events, ``on_team`` shows the live team, every
    status report adds a history point, and the characters are read once, then re-read every
    ``refresh_seconds`` only for agents whose status lacks position, task... (the real agents
    report them: no further reads). Leaving stops the server (open streams end).

    Raises:
        OSError: if the address is in use or invalid.
    """
    if port is None:
        yield TeamView(advisor=coordinator, on_status=on_status)
        return
    clock = session.clock
    source = LiveSource(label=label, clock=clock, coordinator=coordinator, metrics=metrics)
    app = create_dashboard_app(source, clock=clock)
    state: DashboardState = app.state.dashboard
    reader = session.client(tapped=False)

    async def read() -> list[dict[str, Any]]:
        return [c.model_dump() for c in await reader.my_characters()]

    def report(status: TeamStatus) -> None:
        on_status(status)
        state.sample()

    done = asyncio.Event()
    async with dashboard_server(app, host=host, port=port, clock=clock) as url:
        refresher = asyncio.create_task(
            source.run_refresh(read, done, every=refresh_seconds), name="dashboard-refresh"
        )
        try:
            yield TeamView(
                advisor=source.recorder(coordinator),
                on_status=report,
                on_team=source.attach,
                url=url,
            )
        finally:
            done.set()
            refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher


def _advisor(
    enabled: bool,
    gamedata: GameData,
    clock: Clock,
    names: Sequence[str],
    store: Path,
    fighters: int,
) -> Coordinator | None:
    if not enabled or len(names) < 2:
        return None
    return harness.build_coordinator(
        gamedata, clock=clock, names=names, store_path=str(store), fighters=fighters
    )


async def run_play(
    *,
    server: str,
    token: str,
    names: Sequence[str] | None,
    data_dir: Path,
    coordinator: bool = True,
    fighters: int = PARTY_SIZE,
    game_hours: float | None = None,
    wall_seconds: float | None = None,
    status_every: float = 30.0,
    console: Console | None = None,
    clock: Clock | None = None,
    dashboard_port: int | None = None,
    dashboard_host: str = "127.0.0.1",
) -> harness.TeamRun:
    """Play ``names`` (default: every character of the account) until stopped.

    With ``dashboard_port`` (0: any free port) the dashboard is served while the team plays.
    ``fighters`` of the characters fight for the team, the others produce (the coordinator's
    roles; kept in the team state).

    Raises:
        OSError: the dashboard's address is in use or invalid.
        ArtifactsError: the login or a setup request failed.
        CatalogueUnavailable: the game data could be neither fetched nor read from the cache.
    """
    clock = clock or RealClock()
    console = console or Console()
    data_dir.mkdir(parents=True, exist_ok=True)
    session = await harness.open_session(
        harness.Endpoint.from_url(server),
        clock=clock,
        token=token,
        characters=list(names) if names else None,
        create_missing=False,
    )
    stop = asyncio.Event()
    limiter = asyncio.create_task(stop_after(stop, clock, wall_seconds))
    try:
        if not session.names:
            raise ValueError("the account has no characters (guildmaster characters create NAME)")
        cache = CatalogueCache(data_dir / "cache", clock=clock)
        gamedata = await GameData.load(session.client(tapped=False), cache=cache, server=server)
        team_db = data_dir / "team.sqlite"
        advisor = _advisor(coordinator, gamedata, clock, session.names, team_db, fighters)
        console.print(f"playing {', '.join(session.names)} on {server} (Ctrl+C stops)")
        store = data_dir / "observations.sqlite"
        metrics = RunMetrics()
        with ObservationStore(store, clock=clock) as observations, stop_on_signals(stop):
            async with team_dashboard(
                session,
                coordinator=advisor,
                metrics=metrics,
                on_status=status_printer(console, clock),
                label=server,
                port=dashboard_port,
                host=dashboard_host,
            ) as view:
                if view.url is not None:
                    console.print(f"dashboard on {view.url}")
                return await harness.run_team(
                    session,
                    gamedata=gamedata,
                    game_hours=game_hours,
                    metrics=metrics,
                    agent_factory=harness.character_agent_factory,
                    advisor=view.advisor,
                    observations=observations,
                    stop=stop,
                    on_status=view.on_status,
                    status_interval=status_every,
                    on_team=view.on_team,
                )
    finally:
        limiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await limiter
        await session.aclose()


def register(app: typer.Typer) -> None:
    """Add the ``play`` command to ``app``."""

    @app.command("play")
    def play(
        server: ServerOption = DEFAULT_SERVER,
        token_file: TokenFileOption = None,
        characters: Annotated[
            str | None, typer.Option(help="comma-separated names (default: all)")
        ] = None,
        data_dir: Annotated[
            Path, typer.Option(help="catalogue cache, observations and team state")
        ] = Path(".guildmaster"),
        coordinator: Annotated[
            bool, typer.Option("--coordinator/--no-coordinator", help="team coordination")
        ] = True,
        fighters: FightersOption = PARTY_SIZE,
        game_hours: Annotated[
            float | None, typer.Option(help="stop after this much game time (hours)")
        ] = None,
        wall_seconds: Annotated[
            float | None, typer.Option(help="stop after this many wall seconds")
        ] = None,
        status_every: Annotated[float, typer.Option(help="seconds between status")] = 30.0,
        dashboard_port: Annotated[
            int | None,
            typer.Option(min=0, max=65535, help="serve the dashboard on this port (0: any)"),
        ] = None,
        dashboard_host: Annotated[
            str, typer.Option(help="interface the dashboard listens on")
        ] = "127.0.0.1",
        log_level: Annotated[str, typer.Option(help="logging level")] = "INFO",
    ) -> None:
        """Play the account's characters on a server (the real API by default)."""
        logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
        token = resolve_token(token_file)
        names = [n.strip() for n in characters.split(",") if n.strip()] if characters else None
        console = make_console()
        try:
            run = asyncio.run(
                run_play(
                    server=server,
                    token=token,
                    names=names,
                    data_dir=data_dir,
                    coordinator=coordinator,
                    fighters=fighters,
                    game_hours=game_hours,
                    wall_seconds=wall_seconds,
                    status_every=status_every,
                    console=console,
                    dashboard_port=dashboard_port,
                    dashboard_host=dashboard_host,
                )
            )
        except (ArtifactsError, CatalogueUnavailable, ValueError) as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from exc
        except OSError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2) from exc
        console.print(progress_table(run.team, title=f"after {run.game_hours:.2f} game hours"))
        report = run.report()
        console.print(
            f"{report['actions']} actions, {report['requests']} requests, "
            f"{report['http_429']} x 429, {report['cooldown_errors']} x 499, "
            f"{report['other_errors']} other errors"
        )
