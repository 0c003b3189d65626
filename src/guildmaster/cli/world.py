"""``guildmaster world ...``: generate, validate and snapshot worlds."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="Generate, validate and snapshot world files.", no_args_is_help=True)
