"""``guildmaster demo``: the local server, a generated world and a team of five, in one process.

Everything runs in one event loop on a :class:`~guildmaster.clock.ScaledClock` (20 game seconds
per wall second by default, so progress is visible): uvicorn serves the local server on
``127.0.0.1:PORT`` (so you can ``curl`` it while the demo runs), and the team plays against it
over real HTTP on loopback, exactly as it would play the real API. Rate limits are scaled with
the clock, so the team gets as many requests per game second as on the real server. The team
status is printed every 30 s; Ctrl+C or SIGTERM stops every character after its current action
(a second Ctrl+C cancels at once), as do ``--game-hours`` and ``--wall-seconds``. The web
dashboard is served on ``--dashboard-port`` (default: any free port; ``--no-dashboard``: none)
and stops with the team.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.console import Console

from guildmaster import harness
from guildmaster.agent.metrics import RunMetrics
from guildmaster.cli.play import (
    FightersOption,
    progress_table,
    status_printer,
    stop_after,
    stop_on_signals,
    team_dashboard,
)
from guildmaster.cli.status import make_console
from guildmaster.clock import Clock, ScaledClock
from guildmaster.coordinator import PARTY_SIZE
from guildmaster.dashboard.serve import bind_socket, serve_app, socket_url
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.server.store import StoreError
from guildmaster.server.world import WorldLoadError

__all__ = ["DemoOptions", "bind_socket", "register", "run_demo", "serve_app"]

logger = logging.getLogger(__name__)

#: The demo's account on its own local server.
DEMO_ACCOUNT = harness.AccountSpec(
    username="demoplayer", password="demo-password", email="demo@example.com"
)


@dataclass(frozen=True)
class DemoOptions:
    """The options of ``guildmaster demo``."""

    world: str = "generated:1"
    time_scale: float = 20.0
    characters: int = 5
    host: str = "127.0.0.1"
    port: int = 8000
    game_hours: float | None = None
    wall_seconds: float | None = None
    seed: int = 0
    coordinator: bool = True
    fighters: int = PARTY_SIZE
    status_every: float = 30.0
    db: str | None = None
    dashboard: bool = True
    dashboard_port: int = 0


async def run_demo(
    options: DemoOptions,
    *,
    console: Console | None = None,
    agent_factory: harness.AgentFactory | None = None,
    ready: asyncio.Event | None = None,
) -> harness.TeamRun:
    """Run the demo until a signal, ``game_hours`` or ``wall_seconds``; return what it measured.

    ``ready`` is set once the server listens (tests); the URL is printed.

    Raises:
        OSError: if the port is in use.
        WorldLoadError: if the world cannot be loaded.
    """
    console = console or Console()
    clock = ScaledClock(options.time_scale)
    game = harness.LocalGame(
        clock=clock,
        world=options.world,
        seed=options.seed,
        rate_limit_scale=options.time_scale,
        db=options.db,
    )
    sock = bind_socket(options.host, options.port)
    url = socket_url(sock)
    stop = asyncio.Event()
    limiter = asyncio.create_task(stop_after(stop, clock, options.wall_seconds))
    try:
        with stop_on_signals(stop):
            async with serve_app(game.app, sock, clock=clock):
                console.print(
                    f"local server on {url} ({options.world}, time x{options.time_scale:g}); "
                    "Ctrl+C stops"
                )
                if ready is not None:
                    ready.set()
                return await _play(options, url, clock, stop, console, agent_factory)
    finally:
        limiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await limiter


async def _play(
    options: DemoOptions,
    url: str,
    clock: Clock,
    stop: asyncio.Event,
    console: Console,
    agent_factory: harness.AgentFactory | None,
) -> harness.TeamRun:
    session = await harness.open_session(
        harness.Endpoint.from_url(url),
        clock=clock,
        account=DEMO_ACCOUNT,
        characters=options.characters,
    )
    try:
        gamedata = await GameData.load(session.client(tapped=False))
        advisor = None
        if options.coordinator and len(session.names) > 1:
            advisor = harness.build_coordinator(
                gamedata, clock=clock, names=session.names, fighters=options.fighters
            )
        console.print(f"team: {', '.join(session.names)} (token in this process only)")
        metrics = RunMetrics()
        with ObservationStore(":memory:", clock=clock) as observations:
            async with team_dashboard(
                session,
                coordinator=advisor,
                metrics=metrics,
                on_status=status_printer(console, clock),
                label=f"{options.world} on {url} (time x{options.time_scale:g})",
                port=options.dashboard_port if options.dashboard else None,
                host=options.host,
            ) as view:
                if view.url is not None:
                    console.print(f"dashboard on {view.url}")
                return await harness.run_team(
                    session,
                    gamedata=gamedata,
                    game_hours=options.game_hours,
                    metrics=metrics,
                    agent_factory=agent_factory or harness.character_agent_factory,
                    advisor=view.advisor,
                    observations=observations,
                    stop=stop,
                    on_status=view.on_status,
                    status_interval=options.status_every,
                    grace_seconds=30.0,
                    on_team=view.on_team,
                )
    finally:
        await session.aclose()


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to ``app``."""

    @app.command("demo")
    def demo(
        world: Annotated[str, typer.Option(help="generated:SEED or a world file")] = "generated:1",
        time_scale: Annotated[float, typer.Option(help="game seconds per wall second")] = 20.0,
        characters: Annotated[int, typer.Option(min=1, max=5, help="team size")] = 5,
        port: Annotated[int, typer.Option(help="port of the local server (0: any)")] = 8000,
        host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
        game_hours: Annotated[
            float | None, typer.Option(help="stop after this much game time (hours)")
        ] = None,
        wall_seconds: Annotated[
            float | None, typer.Option(help="stop after this many wall seconds")
        ] = None,
        seed: Annotated[int, typer.Option(help="seed of the game's randomness")] = 0,
        coordinator: Annotated[
            bool, typer.Option("--coordinator/--no-coordinator", help="team coordination")
        ] = True,
        fighters: FightersOption = PARTY_SIZE,
        status_every: Annotated[float, typer.Option(help="seconds between status")] = 30.0,
        db: Annotated[str | None, typer.Option(help="SQLite file for the game state")] = None,
        dashboard: Annotated[
            bool, typer.Option("--dashboard/--no-dashboard", help="serve the web dashboard")
        ] = True,
        dashboard_port: Annotated[
            int, typer.Option(min=0, max=65535, help="port of the dashboard (0: any free port)")
        ] = 0,
        log_level: Annotated[str, typer.Option(help="logging level")] = "WARNING",
    ) -> None:
        """Local server + generated world + a team of 5 in one process, on scaled time."""
        if time_scale <= 0:
            raise typer.BadParameter("--time-scale must be positive")
        logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
        options = DemoOptions(
            world=world,
            time_scale=time_scale,
            characters=characters,
            host=host,
            port=port,
            game_hours=game_hours,
            wall_seconds=wall_seconds,
            seed=seed,
            coordinator=coordinator,
            fighters=fighters,
            status_every=status_every,
            db=db,
            dashboard=dashboard,
            dashboard_port=dashboard_port,
        )
        console = make_console()
        try:
            run = asyncio.run(run_demo(options, console=console))
        except OSError as exc:
            typer.secho(f"error: cannot serve on {host}:{port}: {exc}", fg="red", err=True)
            raise typer.Exit(code=2) from exc
        except (WorldLoadError, StoreError) as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2) from exc
        console.print(progress_table(run.team, title=f"after {run.game_hours:.2f} game hours"))
        report = run.report()
        console.print(
            f"{report['actions']} actions, {report['requests']} requests, "
            f"{report['http_429']} x 429, {report['cooldown_errors']} x 499; stopped cleanly"
        )
