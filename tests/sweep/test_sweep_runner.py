"""Running a function over tasks: fresh spawned processes with a fixed hash seed, or Dask."""

from __future__ import annotations

import os

import pytest

from guildmaster.sweep import (
    DEFAULT_HASH_SEED,
    ClusterUnreachable,
    fixed_hash_seed,
    run_on_cluster,
    run_on_processes,
)


def test_workers_get_the_parents_hash_seed_or_a_fixed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    seen = run_on_processes(os.getenv, ["PYTHONHASHSEED", "PYTHONHASHSEED"], jobs=2)
    assert seen == [DEFAULT_HASH_SEED, DEFAULT_HASH_SEED]
    assert "PYTHONHASHSEED" not in os.environ  # restored
    # ...so every worker hashes strings alike, run after run
    assert len(set(run_on_processes(hash, ["guildmaster"] * 2, jobs=2))) == 1
    monkeypatch.setenv("PYTHONHASHSEED", "17")
    assert run_on_processes(os.getenv, ["PYTHONHASHSEED"], jobs=4) == ["17"]
    with fixed_hash_seed() as value:
        assert value == "17"
    assert os.environ["PYTHONHASHSEED"] == "17"


def test_results_come_in_task_order_and_each_is_reported_as_it_ends() -> None:
    done: list[tuple[int, int]] = []
    results = run_on_processes(
        abs, [-3, 1, -2], jobs=2, on_done=lambda i, result: done.append((i, result))
    )
    assert results == [3, 1, 2]
    assert sorted(done) == [(0, 3), (1, 1), (2, 2)]


def test_a_failing_task_raises_its_own_error_here() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        run_on_processes(int, ["1", "x"], jobs=1)
    with pytest.raises(ValueError, match="at least 1"):
        run_on_processes(int, ["1"], jobs=0)


def test_a_cluster_that_does_not_answer_is_named() -> None:
    with pytest.raises(ClusterUnreachable, match=r"tcp://127\.0\.0\.1:9"):
        run_on_cluster(abs, [1], address="tcp://127.0.0.1:9", connect_timeout=0.5)
