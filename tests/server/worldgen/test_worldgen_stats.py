"""Scale: a generated world is about the size of the real snapshot, section by section."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from guildmaster.cli import app
from guildmaster.server.worldgen import dump_world, generate_world
from guildmaster.server.worldgen.stats import compare_worlds, describe_world


def test_describe_counts_what_it_says() -> None:
    world = generate_world(8)
    table = describe_world(world)
    assert table["totals"]["items"] == len(world["items"])
    assert sum(table["items per type"].values()) == len(world["items"])
    assert sum(table["monsters per level band"].values()) == len(world["monsters"])
    assert sum(table["maps per layer/access"].values()) == 1428


def test_scale_is_close_to_the_real_world(snapshot_path: Path) -> None:
    real = json.loads(snapshot_path.read_text(encoding="utf-8"))
    rows = {(s, k): (a, b) for s, k, a, b in compare_worlds(generate_world(8), real)}
    for key in ("items", "monsters", "resources", "recipes", "tasks", "events", "achievements"):
        ours, theirs = rows[("totals", key)]
        assert 0.75 * theirs <= ours <= 1.25 * theirs, (key, ours, theirs)
    assert rows[("totals", "maps")] == (1428, 1428)
    for skill in ("weaponcrafting", "gearcrafting", "jewelrycrafting", "cooking", "alchemy"):
        ours, theirs = rows[("recipes per craft skill", skill)]
        assert 0.7 * theirs <= ours <= 1.3 * theirs, (skill, ours, theirs)


def test_cli_stats_compares_two_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(dump_world(generate_world(1)), encoding="utf-8")
    second.write_text(dump_world(generate_world(2)), encoding="utf-8")
    result = CliRunner().invoke(app, ["world", "stats", str(first), "-c", str(second)])
    assert result.exit_code == 0, result.output
    assert "monsters per level band" in result.output and "b.json" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert CliRunner().invoke(app, ["world", "stats", str(bad)]).exit_code == 2
