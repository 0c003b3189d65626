"""``guildmaster plan --character NAME [--goal G] --explain [--state FILE]``: why this plan.

Live (default): the character, its bank and the world's catalogues are read from the server
(``--server``/``--token-file`` as for ``play``); ``--save-state FILE`` keeps them as a state file.
Offline: ``--state FILE`` reads such a file (format in :mod:`guildmaster.agent.explain`) and
needs no server. Either way the player's own goal selection and planner run and the command
prints the chosen goal, with ``--explain`` the scored alternatives too, and the plan with the
cost of every step (``--json`` prints the same as JSON).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from guildmaster.agent.explain import (
    Explanation,
    explain_decision,
    explain_state_file,
    explanation_tables,
)
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError
from guildmaster.cli.status import (
    DEFAULT_SERVER,
    ServerOption,
    TokenFileOption,
    make_console,
    resolve_token,
)
from guildmaster.clock import RealClock
from guildmaster.knowledge.cache import CATALOGUE_NAMES
from guildmaster.knowledge.gamedata import WORLD_KEYS, GameData

__all__ = ["fetch_state", "register", "render"]


async def fetch_state(server: str, token: str, name: str) -> dict[str, Any]:
    """A state file's content for character ``name``: character, bank, bank gold and world.

    Raises:
        ArtifactsError: any API failure (unknown character, bad token...).
    """
    async with AsyncArtifactsClient(server, token, clock=RealClock()) as client:
        character = await client.get_character(name)
        bank = await client.my_bank()
        items = await client.my_bank_items()
        world: dict[str, Any] = {}
        for catalogue in CATALOGUE_NAMES:
            world[WORLD_KEYS.get(catalogue, catalogue)] = await client.fetch_catalogue(catalogue)
    return {
        "character": character.model_dump(mode="json"),
        "bank": [{"code": i.code, "quantity": i.quantity} for i in items],
        "bank_gold": bank.gold,
        "world": world,
    }


def _explain_live(
    server: str, token: str, name: str, goal: str | None, save: Path | None
) -> Explanation:
    state = asyncio.run(fetch_state(server, token, name))
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_text(json.dumps(state), encoding="utf-8")
    return explain_decision(
        state["character"],
        gamedata=GameData.from_snapshot(state["world"]),
        bank={entry["code"]: entry["quantity"] for entry in state["bank"]},
        bank_gold=int(state["bank_gold"]),
        goal=goal,
    )


def render(explanation: Explanation, console: Console, *, explain: bool) -> None:
    """Print the decision: the alternatives (with ``explain``) and the plan."""
    options, steps = explanation_tables(explanation)
    if explain:
        console.print(options)
    console.print(
        f"{explanation.character}: goal {explanation.chosen or '-'}, "
        f"{len(explanation.steps)} steps, {explanation.total_seconds:.0f} game seconds, "
        f"{explanation.nodes_expanded} nodes expanded"
    )
    console.print(steps)
    if explanation.error:
        console.print(f"planning stopped: {explanation.error}")


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to ``app``."""

    @app.command("plan")
    def plan_command(
        character: Annotated[
            str | None, typer.Option(help="character name (optional with --state)")
        ] = None,
        goal: Annotated[
            str | None,
            typer.Option(help="force a goal: level:SKILL, SKILL, combat, obtain:CODE[:QTY]..."),
        ] = None,
        explain: Annotated[
            bool, typer.Option("--explain/--no-explain", help="show the scored alternatives")
        ] = False,
        state: Annotated[
            Path | None, typer.Option(help="offline: a saved state file instead of a server")
        ] = None,
        save_state: Annotated[
            Path | None, typer.Option(help="live: also save the state file here")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON instead")] = False,
        server: ServerOption = DEFAULT_SERVER,
        token_file: TokenFileOption = None,
    ) -> None:
        """Show the goal the player would choose for a character, and its plan with costs."""
        try:
            if state is not None:
                explanation = explain_state_file(state, goal=goal)
                if character is not None and explanation.character != character:
                    raise ValueError(f"{state} holds {explanation.character!r}, not {character!r}")
            elif character is None:
                raise typer.BadParameter("give --character NAME (or --state FILE)")
            else:
                token = resolve_token(token_file)
                explanation = _explain_live(server, token, character, goal, save_state)
        except (OSError, ValueError, ArtifactsError) as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from exc
        if as_json:
            typer.echo(json.dumps(explanation.to_json(), indent=2))
            return
        render(explanation, make_console(), explain=explain)
