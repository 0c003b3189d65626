"""``bench`` options beyond a plain run: --game-days, sweeps (--seeds, --jobs, --cluster),
--profile and the decision bound (--max-decision-ms). Runs are tiny: 1 character, < 1 game-hour."""

from __future__ import annotations

import json
import pstats
from pathlib import Path
from typing import Any

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from guildmaster.cli import app

TINY = ["bench", "--world", "generated:7", "--characters", "1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--game-hours", "1", "--game-days", "1"], "--game-hours or --game-days, not both"),
        (["--game-days", "0"], "--game-days must be positive"),
        (["--game-hours", "-1"], "--game-hours must be positive"),
        (["--seeds", "3-1"], "falling range"),
        (["--seeds", "0-1", "--seed", "2"], "--seed or --seeds, not both"),
        (["--jobs", "2"], "--jobs is for a sweep: give --seeds too"),
        (["--cluster", "tcp://127.0.0.1:9"], "--cluster is for a sweep: give --seeds too"),
        (["--seeds", "0", "--jobs", "0"], "--jobs must be at least 1"),
        (["--seeds", "0", "--jobs", "2", "--cluster", "tcp://127.0.0.1:9"], "a --cluster's"),
        (["--max-decision-ms", "0"], "--max-decision-ms must be positive"),
        (["--world", "no/such/world.json"], "no/such/world.json"),
    ],
)
def test_options_that_do_not_go_together_give_one_line_and_exit_2(
    args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, [*TINY, *args])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and message in result.output
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_a_bench_past_its_decision_bound_writes_its_json_then_fails(tmp_path: Path) -> None:
    out, profile = tmp_path / "bench.json", tmp_path / "prof" / "run.pstats"
    args = ["--game-days", "0.015625", "--max-decision-ms", "0.001"]  # 0.375 game-hours
    result = CliRunner().invoke(app, [*TINY, *args, "--json", str(out), "--profile", str(profile)])
    assert result.exit_code == 3, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["game_hours"] == 0.375
    assert report["decision_bound"] == {"max_ms": 0.001, "exceeded": True}
    slowest = report["decision_ms"]["max"]
    who = report["decision_slowest"]
    assert who["ms"] == slowest and who["character"] and who["goal"]
    named = f"{slowest} ms (character {who['character']}, goal {who['goal']})"
    assert f"error: the slowest decision took {named}, over the --max-decision-ms bound" in (
        result.output
    )
    assert "Traceback" not in result.output
    # the profile of the run, and its top functions by cumulative time
    assert pstats.Stats(str(profile)).total_tt > 0  # type: ignore[attr-defined]
    top = (tmp_path / "prof" / "run.pstats.txt").read_text(encoding="utf-8")
    assert "cumulative" in top and "run_bench" in top


def _sweep(args: list[str], out: Path) -> tuple[int, str, dict[str, Any]]:
    result = CliRunner().invoke(app, [*TINY, "--game-hours", "0.5", *args, "--json", str(out)])
    return result.exit_code, result.output, json.loads(out.read_text(encoding="utf-8"))


def _played(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["seed"], row["actions"], row["characters"], row["team"], row["timeline"])


@pytest.mark.slow  # about 20 s: four spawned processes, a Dask scheduler, four tiny benches
@pytest.mark.timeout(360)
def test_a_sweep_plays_the_same_on_worker_processes_and_on_a_dask_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dask's worker processes inherit the environment they are spawned in.
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    profile = tmp_path / "run.pstats"
    args = ["--seeds", "0-1", "--jobs", "2", "--profile", str(profile)]
    code, output, local = _sweep(args, tmp_path / "local.json")
    assert code == 0, output
    assert local["sweep"]["seeds"] == [0, 1] and local["sweep"]["jobs"] == 2
    rows = local["rows"]
    assert [row["seed"] for row in rows] == [0, 1]
    assert all(row["pythonhashseed"] == "0" and row["actions"] > 10 for row in rows)
    actions = local["summary"]["actions"]
    assert actions["min"] <= actions["mean"] <= actions["max"] == max(r["actions"] for r in rows)
    assert set(local["summary"]) >= {"team.total_skill_levels", "decision_ms.max", "wall_seconds"}
    assert "seed" not in local["summary"] and "over 2 seeds" in output
    for seed in (0, 1):  # one profile per seed
        assert (tmp_path / f"run.seed{seed}.pstats").stat().st_size > 0
        assert (tmp_path / f"run.seed{seed}.pstats.txt").exists()

    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        args = ["--seeds", "0-1", "--cluster", cluster.scheduler_address]
        # Held to a bound no decision meets: the JSON is written all the same, then it fails.
        code, output, remote = _sweep([*args, "--max-decision-ms", "0.001"], tmp_path / "dask.json")
    assert code == 3
    assert "2 of 2 seeds over the --max-decision-ms bound of 0.001 ms" in output
    assert remote["sweep"]["cluster"] == cluster.scheduler_address
    assert [_played(row) for row in remote["rows"]] == [_played(row) for row in rows]
