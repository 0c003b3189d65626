"""Profiles: a pstats file that pstats loads, and its top functions as text beside it."""

from __future__ import annotations

import pstats
from pathlib import Path

from guildmaster.sweep import profile_call, seed_profile_path, text_path, write_profile


def _busy(n: int) -> int:
    return sum(i * i for i in range(n))


def test_a_profiled_call_returns_its_result_and_a_loadable_profile(tmp_path: Path) -> None:
    profiled = profile_call(_busy, 10_000)
    assert profiled.result == _busy(10_000)
    out = tmp_path / "deep" / "run.pstats"
    summary = write_profile(profiled.stats, out)
    assert summary == text_path(out) == tmp_path / "deep" / "run.pstats.txt"
    stats = pstats.Stats(str(out))
    assert any(name == "_busy" for _, _, name in stats.stats)  # type: ignore[attr-defined]
    text = summary.read_text(encoding="utf-8")
    assert "cumulative" in text and "_busy" in text


def test_each_seed_of_a_sweep_gets_its_own_profile_file() -> None:
    assert seed_profile_path(Path("out/run.pstats"), 3) == Path("out/run.seed3.pstats")
    assert seed_profile_path(Path("prof"), 0) == Path("prof.seed0")
