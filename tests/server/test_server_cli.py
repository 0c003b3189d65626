"""``guildmaster server`` options and ``python -m guildmaster.server.loadtest``."""

from __future__ import annotations

import json
from pathlib import Path

from server_fixtures import world_data
from typer.testing import CliRunner

from guildmaster.cli import app
from guildmaster.cli.server import build_settings
from guildmaster.server.loadtest import LoadResult, _run


def test_server_help_lists_the_contract_options() -> None:
    result = CliRunner().invoke(app, ["server", "--help"])
    assert result.exit_code == 0
    for option in ("--world", "--port", "--host", "--time-scale", "--db", "--seed"):
        assert option in result.output
    assert "--no-rate-limits" in result.output


def test_missing_world_file_exits_with_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = CliRunner().invoke(app, ["server", "--world", str(missing)])
    assert result.exit_code == 2
    assert "cannot read world file" in result.output


def test_corrupt_database_exits_with_an_error(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    world.write_text(json.dumps(world_data()), encoding="utf-8")
    db = tmp_path / "db.sqlite"
    db.write_bytes(b"garbage" * 200)
    result = CliRunner().invoke(app, ["server", "--world", str(world), "--db", str(db)])
    assert result.exit_code == 2
    assert "cannot open game database" in result.output


def test_bad_time_scale_is_rejected() -> None:
    result = CliRunner().invoke(app, ["server", "--time-scale", "0"])
    assert result.exit_code != 0


def test_build_settings_maps_the_options() -> None:
    settings = build_settings(world="generated:3", time_scale=50, db="x.db", rate_limits=False)
    assert (settings.world, settings.time_scale, settings.db_path) == ("generated:3", 50, "x.db")
    assert not settings.rate_limits.enabled
    raised = build_settings(world="x.json", rate_limit_scale=3)
    assert raised.rate_limits.enabled
    assert raised.rate_limits.buckets["action"].minute == 300
    assert raised.rate_limits.buckets["data"].second == 30


async def test_loadtest_runs_bounded(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    world.write_text(json.dumps(world_data()), encoding="utf-8")
    result = await _run(str(world), 0.5, 300, 2, 30.0)
    assert isinstance(result, LoadResult)
    assert 0 < result.requests <= 300
    assert result.errors == 0
    assert set(result.statuses) == {200}
    assert result.requests_per_second > 0
