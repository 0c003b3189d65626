"""``guildmaster world ...``: generate, validate and snapshot worlds."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from guildmaster.cli.status import DEFAULT_SERVER, ServerOption
from guildmaster.server.worldgen import dump_world, generate_world
from guildmaster.server.worldgen.report import WorldFileError
from guildmaster.server.worldgen.stats import compare_worlds, describe_world
from guildmaster.server.worldgen.validate import load_world_file, validate_world

__all__ = ["app", "fetch_snapshot"]

app = typer.Typer(help="Generate, validate and snapshot world files.", no_args_is_help=True)

_SHOWN = 60


@app.command("generate")
def generate(
    seed: Annotated[int, typer.Option("--seed", "-s", help="world seed (same seed, same bytes)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="file to write the JSON to")],
) -> None:
    """Generate a world for SEED and write it as JSON."""
    started = time.perf_counter()
    world = generate_world(seed)
    elapsed = time.perf_counter() - started
    output.write_text(dump_world(world), encoding="utf-8")
    typer.echo(
        f"world seed {seed}: {len(world['maps'])} maps, {len(world['items'])} items, "
        f"{len(world['monsters'])} monsters, {len(world['resources'])} resources "
        f"generated in {elapsed:.3f} s -> {output}"
    )


@app.command("validate")
def validate(
    path: Annotated[Path, typer.Argument(help="world JSON file (generated or a real snapshot)")],
    balance: Annotated[
        bool, typer.Option("--balance/--no-balance", help="check progression")
    ] = True,
    samples: Annotated[int, typer.Option(min=1, help="simulated fights per tried monster")] = 6,
    show_all: Annotated[bool, typer.Option("--all", help="list every problem")] = False,
) -> None:
    """Validate a world file: exit 0 if valid, 1 if it has problems, 2 if not a world."""
    try:
        world = load_world_file(path)
        report = validate_world(world, balance=balance, samples=samples)
    except WorldFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    problems = sorted(report.problems, key=lambda p: (p.severity != "error", p.check))
    for problem in problems if show_all else problems[:_SHOWN]:
        typer.echo(str(problem))
    if not show_all and len(problems) > _SHOWN:
        typer.echo(f"... {len(problems) - _SHOWN} more (use --all)")
    counts = ", ".join(f"{key} {value}" for key, value in sorted(report.summary.items()))
    verdict = "valid" if report.is_valid else "INVALID"
    typer.echo(
        f"{path}: {verdict}: {len(report.errors)} errors, "
        f"{len(report.warnings)} warnings ({counts})"
    )
    if not report.is_valid:
        raise typer.Exit(code=1)


@app.command("stats")
def stats(
    path: Annotated[Path, typer.Argument(help="world JSON file")],
    compare: Annotated[
        Path | None, typer.Option("--compare", "-c", help="second world to compare with")
    ] = None,
) -> None:
    """Print a world's scale (maps per layer, items per type...), optionally next to another."""
    try:
        world = load_world_file(path)
        other = load_world_file(compare) if compare is not None else None
    except WorldFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    table = Table("section", "key", path.name, *([compare.name] if compare else []))
    if other is None:
        for section, rows in describe_world(world).items():
            for key, count in rows.items():
                table.add_row(section, key, str(count))
    else:
        for section, key, left, right in compare_worlds(world, other):
            table.add_row(section, key, str(left), str(right))
    Console(width=120).print(table)


# World key -> public catalogue endpoint (all paginated).
_CATALOGUES = {
    "maps": "/maps",
    "items": "/items",
    "resources": "/resources",
    "monsters": "/monsters",
    "npcs": "/npcs/items",
    "npc_details": "/npcs/details",
    "tasks": "/tasks/list",
    "tasks_rewards": "/tasks/rewards",
    "events": "/events",
    "effects": "/effects",
    "achievements": "/achievements",
}


def _fetch_pages(client: httpx.Client, path: str) -> list[Any]:
    entries: list[Any] = []
    page = 1
    while True:
        response = client.get(path, params={"page": page, "size": 100})
        response.raise_for_status()
        body = response.json()
        entries.extend(body["data"])
        if page >= int(body.get("pages") or 1):
            return entries
        page += 1


def fetch_snapshot(client: httpx.Client, *, with_bank: bool = False) -> dict[str, Any]:
    """Download every public catalogue of a server into one world dict (plus the bank if asked).

    Raises:
        httpx.HTTPError: a request failed (network error or non-2xx status).
    """
    world: dict[str, Any] = {key: _fetch_pages(client, path) for key, path in _CATALOGUES.items()}
    if with_bank:
        response = client.get("/my/bank")
        response.raise_for_status()
        world["bank"] = response.json()["data"]
    world["meta"] = {"source": str(client.base_url)}
    return world


def _read_token(token_file: Path | None) -> str | None:
    if token_file is not None:
        return token_file.read_text(encoding="utf-8").strip()
    if os.environ.get("ARTIFACTS_TOKEN"):
        return os.environ["ARTIFACTS_TOKEN"].strip()
    default = Path("TOKEN")
    return default.read_text(encoding="utf-8").strip() if default.is_file() else None


@app.command("snapshot")
def snapshot(
    output: Annotated[Path, typer.Option("--output", "-o", help="file to write the world to")],
    server: ServerOption = DEFAULT_SERVER,
    token_file: Annotated[
        Path | None, typer.Option("--token-file", help="token for the bank (optional)")
    ] = None,
) -> None:
    """Save a server's world data (maps, items, monsters...) as a world file."""
    token = _read_token(token_file)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=server, headers=headers, timeout=30.0) as client:
            world = fetch_snapshot(client, with_bank=token is not None)
    except httpx.HTTPError as exc:
        typer.echo(f"error: snapshot of {server} failed: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    output.write_text(dump_world(world), encoding="utf-8")
    typer.echo(
        f"snapshot of {server}: {len(world['maps'])} maps, {len(world['items'])} items -> {output}"
    )
