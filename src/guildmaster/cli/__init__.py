"""The ``guildmaster`` command line (typer). Each command group lives in its own module."""

from __future__ import annotations

import typer

from guildmaster.cli import bench as _bench
from guildmaster.cli import characters as _characters
from guildmaster.cli import demo as _demo
from guildmaster.cli import limiter as _limiter
from guildmaster.cli import market as _market
from guildmaster.cli import plan as _plan
from guildmaster.cli import play as _play
from guildmaster.cli import server as _server
from guildmaster.cli import status as _status
from guildmaster.cli import world as _world

__all__ = ["app", "main"]

app = typer.Typer(
    name="guildmaster",
    help="Autonomous ArtifactsMMO team player and local game server.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(_world.app, name="world")
app.add_typer(_characters.app, name="characters")
_server.register(app)
_bench.register(app)
_demo.register(app)
_play.register(app)
_plan.register(app)
_status.register(app)
_limiter.register(app)
_market.register(app)


def main() -> None:
    """Entry point of the ``guildmaster`` script."""
    app()
