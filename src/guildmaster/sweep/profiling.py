"""Profile a run with :mod:`cProfile`: a pstats file plus its top functions as text.

The profile travels as bytes (the pstats file format, :mod:`marshal` of the profiler's stats),
so a run profiled in a worker process, or on another machine, is written by the caller.
"""

from __future__ import annotations

import cProfile
import io
import marshal
import pstats
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["Profiled", "profile_call", "seed_profile_path", "text_path", "write_profile"]

Argument = TypeVar("Argument")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Profiled(Generic[Result]):
    """What a profiled call returned, and its profile in the pstats file format."""

    result: Result
    stats: bytes


def profile_call(function: Callable[[Argument], Result], argument: Argument) -> Profiled[Result]:
    """Call ``function(argument)`` under :class:`cProfile.Profile` (this thread only)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        result = function(argument)
    finally:
        profiler.disable()
    profiler.create_stats()
    # What Profile.dump_stats writes to its file.
    return Profiled(result=result, stats=marshal.dumps(profiler.stats))


def text_path(path: Path) -> Path:
    """Where the text summary of the profile at ``path`` goes: ``path`` plus ``.txt``.

    >>> text_path(Path("out/run.pstats")).as_posix()
    'out/run.pstats.txt'
    """
    return path.with_name(f"{path.name}.txt")


def seed_profile_path(path: Path, seed: int) -> Path:
    """The profile file of one seed of a sweep: the seed goes before the suffix.

    >>> seed_profile_path(Path("out/run.pstats"), 3).as_posix()
    'out/run.seed3.pstats'
    """
    return path.with_name(f"{path.stem}.seed{seed}{path.suffix}")


def write_profile(stats: bytes, path: Path, *, top: int = 20) -> Path:
    """Write ``stats`` to ``path`` (load it with :class:`pstats.Stats`) and the ``top`` functions
    by cumulative time to :func:`text_path` of it; returns the text file's path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stats)
    text = io.StringIO()
    pstats.Stats(str(path), stream=text).sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    summary = text_path(path)
    summary.write_text(text.getvalue(), encoding="utf-8")
    return summary
