"""``guildmaster world ...``: generate, validate and snapshot worlds."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from guildmaster.server.worldgen import dump_world, generate_world
from guildmaster.server.worldgen.report import WorldFileError
from guildmaster.server.worldgen.stats import compare_worlds, describe_world
from guildmaster.server.worldgen.validate import load_world_file, validate_world

__all__ = ["app"]

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
