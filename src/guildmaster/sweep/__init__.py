"""Sweeps: many runs of one bench (one per seed) in parallel, summed up, optionally profiled.

Runs go to spawned local processes or to an existing Dask cluster (:mod:`.runner`); their reports
are summed up figure by figure (:mod:`.summary`). The command is ``guildmaster bench --seeds``
(:mod:`guildmaster.cli.bench`); this package knows nothing of benches and is never imported by
the player.
"""

from __future__ import annotations

from guildmaster.sweep.profiling import (
    Profiled,
    profile_call,
    seed_profile_path,
    text_path,
    write_profile,
)
from guildmaster.sweep.runner import (
    CONNECT_TIMEOUT,
    DEFAULT_HASH_SEED,
    ClusterUnreachable,
    default_jobs,
    fixed_hash_seed,
    run_on_cluster,
    run_on_processes,
)
from guildmaster.sweep.seeds import SeedListError, parse_seeds
from guildmaster.sweep.summary import Spread, iter_figures, summarize

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_HASH_SEED",
    "ClusterUnreachable",
    "Profiled",
    "SeedListError",
    "Spread",
    "default_jobs",
    "fixed_hash_seed",
    "iter_figures",
    "parse_seeds",
    "profile_call",
    "run_on_cluster",
    "run_on_processes",
    "seed_profile_path",
    "summarize",
    "text_path",
    "write_profile",
]
