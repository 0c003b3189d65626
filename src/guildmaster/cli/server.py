"""``guildmaster server``: run the local game server with uvicorn."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``server`` command to ``app``."""

    @app.command("server")
    def server(
        world: str = typer.Option("generated:1", help="generated:SEED or a world file PATH"),
        port: int = typer.Option(8000, help="TCP port on 127.0.0.1"),
    ) -> None:
        """Run the local ArtifactsMMO server."""
        raise typer.Exit(code=1)
