"""Repeatability: the same bench gives the same game under any hash seed and machine load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

_SCRIPT = """
import json, sys
from guildmaster.cli.bench import BenchSpec, run_bench
report = run_bench(BenchSpec(world=sys.argv[1], characters=1, game_hours=float(sys.argv[2])))
print(json.dumps({
    "characters": report["characters"],
    "actions": report["actions"],
    "activity": report["activity"],
    "timeline": report["timeline"],
}))
"""


def _run(world: str, hours: float, hash_seed: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, world, str(hours)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_bench_repeats_under_different_hash_seeds() -> None:
    """Two processes with different PYTHONHASHSEED play exactly the same game."""
    first = _run("generated:7", 2.0, "1")
    second = _run("generated:7", 2.0, "4242")
    assert first["characters"][0]["level"] > 1  # it really played
    assert first["actions"] > 50
    assert first["characters"] == second["characters"]
    assert first["actions"] == second["actions"]
    assert first["activity"] == second["activity"]
    assert first["timeline"] == second["timeline"]
