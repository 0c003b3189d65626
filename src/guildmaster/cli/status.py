"""``guildmaster status``: the account's characters on a server; token and server resolution.

The helpers here are shared by every command that talks to a server as a player: the token
comes from ``--token-file``, ``ARTIFACTS_TOKEN`` or ``./TOKEN``; the server URL from ``--server``
or ``ARTIFACTS_SERVER`` (default the real API).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Final

import typer
from rich.console import Console
from rich.table import Table

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError
from guildmaster.api.fields import skill_levels
from guildmaster.api.models import CharacterSchema
from guildmaster.clock import Clock, RealClock

__all__ = [
    "DEFAULT_SERVER",
    "ServerOption",
    "TokenFileOption",
    "character_table",
    "fetch_characters",
    "make_console",
    "register",
    "resolve_token",
]

#: The real ArtifactsMMO API.
DEFAULT_SERVER: Final = "https://api.artifactsmmo.com"

ServerOption = Annotated[
    str, typer.Option("--server", envvar="ARTIFACTS_SERVER", help="server base URL")
]
TokenFileOption = Annotated[
    Path | None,
    typer.Option("--token-file", help="file holding the token (else ARTIFACTS_TOKEN or ./TOKEN)"),
]

_SKILL_ABBREVIATIONS: Final = {
    "mining": "min",
    "woodcutting": "wood",
    "fishing": "fish",
    "weaponcrafting": "weap",
    "gearcrafting": "gear",
    "jewelrycrafting": "jewl",
    "cooking": "cook",
    "alchemy": "alch",
}


def make_console() -> Console:
    """A console for command output: the terminal's width, or 160 columns when piped."""
    return Console() if sys.stdout.isatty() else Console(width=160)


def resolve_token(token_file: Path | None, *, cwd: Path | None = None) -> str:
    """The token from ``token_file``, else ``ARTIFACTS_TOKEN``, else ``./TOKEN``.

    Raises:
        typer.BadParameter: if none of them gives a token.
    """
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise typer.BadParameter(f"cannot read {token_file}: {exc}") from exc
        if token:
            return token
        raise typer.BadParameter(f"{token_file} is empty")
    token = os.environ.get("ARTIFACTS_TOKEN", "").strip()
    if token:
        return token
    default = (cwd or Path.cwd()) / "TOKEN"
    if default.is_file():
        token = default.read_text(encoding="utf-8").strip()
        if token:
            return token
    raise typer.BadParameter("no token: use --token-file, ARTIFACTS_TOKEN or a ./TOKEN file")


def skills_summary(values: dict[str, int]) -> str:
    """A compact ``min 5 wood 3 ...`` rendering of skill levels."""
    return " ".join(f"{_SKILL_ABBREVIATIONS.get(k, k)} {v}" for k, v in values.items())


def _cooldown(character: CharacterSchema, now: datetime) -> str:
    expiration = character.cooldown_expiration
    if expiration is None:
        return "-"
    remaining = (expiration - now).total_seconds()
    return f"{remaining:.0f} s" if remaining > 0 else "ready"


def character_table(characters: Sequence[CharacterSchema], *, now: datetime) -> Table:
    """A rich table: level, XP, skills, position, HP, gold, cooldown."""
    table = Table("name", "level", "xp", "skills", "position", "hp", "gold", "cooldown")
    for character in characters:
        skills = {skill: level or 1 for skill, level in skill_levels(character).items()}
        table.add_row(
            character.name,
            str(character.level),
            f"{character.xp}/{character.max_xp}",
            skills_summary(skills),
            f"{character.layer} ({character.x},{character.y})",
            f"{character.hp}/{character.max_hp}",
            str(character.gold),
            _cooldown(character, now),
        )
    return table


async def fetch_characters(server: str, token: str, *, clock: Clock) -> list[CharacterSchema]:
    """``GET /my/characters`` on ``server``.

    Raises:
        ArtifactsError: any API failure.
    """
    async with AsyncArtifactsClient(server, token, clock=clock) as client:
        return await client.my_characters()


def register(app: typer.Typer) -> None:
    """Add the ``status`` command to ``app``."""

    @app.command("status")
    def status(server: ServerOption = DEFAULT_SERVER, token_file: TokenFileOption = None) -> None:
        """Show the account's characters: level, skills, position, cooldown."""
        token = resolve_token(token_file)
        clock = RealClock()
        try:
            characters = asyncio.run(fetch_characters(server, token, clock=clock))
        except ArtifactsError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from exc
        console = make_console()
        if not characters:
            console.print(f"no characters on this account ({server})")
            return
        console.print(character_table(characters, now=clock.now()))
