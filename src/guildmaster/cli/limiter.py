"""``guildmaster bench-limiter``: N characters act flat out through one shared rate limiter.

Against a server given with ``--server`` (token from ``--token-file``/``ARTIFACTS_TOKEN``), or,
by default, against a local server this command starts as a separate process with
``--time-scale`` (100 unless told otherwise), so the check crosses real HTTP on loopback. It
reports 429s, 499s and requests per action as JSON (see
:func:`guildmaster.harness.loadcheck.run_limiter_check`).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated

import typer

from guildmaster.harness.loadcheck import check_server_limits, start_local_server

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``bench-limiter`` command to ``app``."""

    @app.command("bench-limiter")
    def bench_limiter(
        server: Annotated[
            str | None, typer.Option(help="server URL (default: start a local one)")
        ] = None,
        token_file: Annotated[Path | None, typer.Option(help="token file for --server")] = None,
        world: Annotated[str, typer.Option(help="world of the local server")] = "generated:1",
        time_scale: Annotated[float, typer.Option(help="time scale of the local server")] = 100.0,
        characters: Annotated[int, typer.Option(min=1, max=5)] = 5,
        seconds: Annotated[float, typer.Option(min=1.0, help="wall seconds to run")] = 120.0,
        json_out: Annotated[
            Path | None, typer.Option("--json", help="write the result here")
        ] = None,
    ) -> None:
        """Check that N characters never trip a rate limit or a cooldown (0 x 429, 0 x 499)."""
        if server is not None:
            token = None
            if token_file is not None:
                token = token_file.read_text(encoding="utf-8").strip()
            token = token or os.environ.get("ARTIFACTS_TOKEN")
            if not token:
                raise typer.BadParameter("--server needs --token-file or ARTIFACTS_TOKEN")
            result = asyncio.run(check_server_limits(server, token, characters, seconds))
        else:
            with start_local_server(world=world, time_scale=time_scale) as url:
                result = asyncio.run(check_server_limits(url, None, characters, seconds))
        text = json.dumps(result, indent=2, sort_keys=True)
        if json_out is not None:
            json_out.write_text(text + "\n", encoding="utf-8")
        typer.echo(text)
        if result["http_429"] or result["cooldown_errors"]:
            raise typer.Exit(code=1)
