"""``guildmaster server``: run the local game server with uvicorn."""

from __future__ import annotations

import logging

import typer

from guildmaster.clock import Clock, RealClock, ScaledClock
from guildmaster.server.settings import RateLimitSettings, ServerSettings
from guildmaster.server.store import StoreError
from guildmaster.server.world import WorldLoadError

__all__ = ["build_settings", "register", "serve"]

logger = logging.getLogger(__name__)


def build_settings(
    *,
    world: str,
    time_scale: float = 1.0,
    db: str | None = None,
    seed: int = 0,
    rate_limits: bool = True,
    rate_limit_scale: float = 1.0,
) -> ServerSettings:
    """The :class:`~guildmaster.server.settings.ServerSettings` of the command-line options."""
    limits = RateLimitSettings(enabled=rate_limits)
    if rate_limit_scale != 1.0:
        limits = limits.scaled(rate_limit_scale)
    return ServerSettings(
        world=world, time_scale=time_scale, db_path=db, seed=seed, rate_limits=limits
    )


def serve(
    *,
    world: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    time_scale: float = 1.0,
    db: str | None = None,
    seed: int = 0,
    rate_limits: bool = True,
    rate_limit_scale: float = 1.0,
    log_level: str = "info",
) -> None:
    """Build the app and serve it with uvicorn until interrupted.

    Raises:
        WorldLoadError: if the world cannot be loaded.
        StoreError: if the database is unusable.
    """
    import uvicorn

    from guildmaster.server.app import create_app

    settings = build_settings(
        world=world,
        time_scale=time_scale,
        db=db,
        seed=seed,
        rate_limits=rate_limits,
        rate_limit_scale=rate_limit_scale,
    )
    clock: Clock = ScaledClock(time_scale) if time_scale != 1.0 else RealClock()
    app = create_app(settings, clock)
    logger.info("serving %s on http://%s:%d (time scale %s)", world, host, port, time_scale)
    uvicorn.run(app, host=host, port=port, log_level=log_level, loop="asyncio")


def register(app: typer.Typer) -> None:
    """Add the ``server`` command to ``app``."""

    @app.command("server")
    def server(
        world: str = typer.Option("generated:1", help="generated:SEED or a world file PATH"),
        port: int = typer.Option(8000, help="TCP port"),
        host: str = typer.Option("127.0.0.1", help="interface to listen on"),
        time_scale: float = typer.Option(1.0, help="game seconds per wall second"),
        db: str | None = typer.Option(None, help="SQLite file that keeps the game state"),
        seed: int = typer.Option(0, help="seed of the game's randomness"),
        no_rate_limits: bool = typer.Option(False, "--no-rate-limits", help="disable 429s"),
        rate_limit_scale: float = typer.Option(1.0, help="multiply every rate limit"),
        log_level: str = typer.Option("info", help="uvicorn log level"),
    ) -> None:
        """Run the local ArtifactsMMO server."""
        if time_scale <= 0:
            raise typer.BadParameter("--time-scale must be positive")
        if rate_limit_scale <= 0:
            raise typer.BadParameter("--rate-limit-scale must be positive")
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        try:
            serve(
                world=world,
                host=host,
                port=port,
                time_scale=time_scale,
                db=db,
                seed=seed,
                rate_limits=not no_rate_limits,
                rate_limit_scale=rate_limit_scale,
                log_level=log_level,
            )
        except (WorldLoadError, StoreError) as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2) from exc
