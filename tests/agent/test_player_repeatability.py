"""Repeatability: the same bench gives the same game under any hash seed and machine load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

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


def _start(world: str, hours: float, hash_seed: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, world, str(hours)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _result(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


@pytest.mark.slow
def test_bench_repeats_under_different_hash_seeds() -> None:
    """Two processes with different PYTHONHASHSEED (run side by side, so under load) play
    exactly the same game."""
    one, two = _start("generated:7", 2.0, "1"), _start("generated:7", 2.0, "4242")
    first, second = _result(one), _result(two)
    assert first["characters"][0]["level"] > 1  # it really played
    assert first["actions"] > 50
    assert first["characters"] == second["characters"]
    assert first["actions"] == second["actions"]
    assert first["activity"] == second["activity"]
    assert first["timeline"] == second["timeline"]
