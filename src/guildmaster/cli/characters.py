"""``guildmaster characters create/delete NAME``: manage the account's characters."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError
from guildmaster.cli.status import DEFAULT_SERVER, ServerOption, TokenFileOption, resolve_token
from guildmaster.clock import RealClock

__all__ = ["app", "create_character", "delete_character"]

app = typer.Typer(help="Create or delete the account's characters.", no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(help="character name (3-12 of a-z A-Z 0-9 _ -)")]


async def create_character(server: str, token: str, name: str, skin: str) -> str:
    """Create character ``name`` and return a one-line description.

    Raises:
        ArtifactsError: any API failure (name taken, account full, bad skin...).
    """
    async with AsyncArtifactsClient(server, token, clock=RealClock()) as client:
        character = await client.create_character(name, skin)
    return f"created {character.name} (level {character.level}) at {character.x},{character.y}"


async def delete_character(server: str, token: str, name: str) -> str:
    """Delete character ``name`` and return a one-line description.

    Raises:
        ArtifactsError: any API failure (not found...).
    """
    async with AsyncArtifactsClient(server, token, clock=RealClock()) as client:
        character = await client.delete_character(name)
    return f"deleted {character.name} (level {character.level})"


@app.command("create")
def create(
    name: NameArgument,
    skin: Annotated[str, typer.Option(help="skin (men1..3, women1..3)")] = "men1",
    server: ServerOption = DEFAULT_SERVER,
    token_file: TokenFileOption = None,
) -> None:
    """Create a character on the account."""
    token = resolve_token(token_file)
    try:
        typer.echo(asyncio.run(create_character(server, token, name, skin)))
    except ArtifactsError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc


@app.command("delete")
def delete(
    name: NameArgument,
    server: ServerOption = DEFAULT_SERVER,
    token_file: TokenFileOption = None,
) -> None:
    """Delete a character of the account."""
    token = resolve_token(token_file)
    try:
        typer.echo(asyncio.run(delete_character(server, token, name)))
    except ArtifactsError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
