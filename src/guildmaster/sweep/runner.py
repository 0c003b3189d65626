"""Run one function over many tasks in parallel: local worker processes or a Dask cluster.

A sweep's tasks are independent runs (one bench per seed). Locally each task gets a fresh
*spawned* interpreter (:class:`~concurrent.futures.ProcessPoolExecutor`, one task per child),
so a task runs exactly as it would alone; ``PYTHONHASHSEED`` is fixed for the children before
they start (the parent's value, else ``"0"``), so runs repeat exactly. On a cluster the same
function is mapped with :meth:`distributed.Client.map` and gathered: the scheduler and its
workers are Dask's, started by the user (``dask scheduler``, ``dask worker ADDRESS``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TypeVar

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_HASH_SEED",
    "ClusterUnreachable",
    "default_jobs",
    "fixed_hash_seed",
    "run_on_cluster",
    "run_on_processes",
]

#: ``PYTHONHASHSEED`` of local workers when the parent runs without one.
DEFAULT_HASH_SEED = "0"

#: How long to wait for a Dask scheduler to answer (seconds).
CONNECT_TIMEOUT = 20.0

Task = TypeVar("Task")
Result = TypeVar("Result")

#: Called in the parent as each task finishes (in completion order): task index and result.
OnDone = Callable[[int, Result], None]


class ClusterUnreachable(ConnectionError):
    """No Dask scheduler answered at the address of a sweep's cluster."""


def default_jobs() -> int:
    """How many local worker processes a sweep uses by default: the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


@contextmanager
def fixed_hash_seed() -> Iterator[str]:
    """Set ``PYTHONHASHSEED`` (kept if set, else :data:`DEFAULT_HASH_SEED`) for child processes
    started in this block, and restore the environment after it. Yields the value.

    ``str`` hashes are salted once, when an interpreter starts: only a child's environment can
    fix them, so this must wrap the start of the workers.
    """
    before = os.environ.get("PYTHONHASHSEED")
    value = before if before is not None else DEFAULT_HASH_SEED
    os.environ["PYTHONHASHSEED"] = value
    try:
        yield value
    finally:
        if before is None:
            del os.environ["PYTHONHASHSEED"]


def run_on_processes(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    jobs: int,
    on_done: OnDone[Result] | None = None,
) -> list[Result]:
    """``[function(task) for task in tasks]`` computed by up to ``jobs`` spawned processes.

    ``function`` must be importable by name (a module-level function), ``tasks`` and results
    picklable. The first task to fail (``result()`` re-raises its exception here) cancels those
    not started.

    Raises:
        ValueError: if ``jobs`` is below 1.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    results: dict[int, Result] = {}
    context = multiprocessing.get_context("spawn")
    with fixed_hash_seed():
        executor = ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)) or 1, mp_context=context, max_tasks_per_child=1
        )
        try:
            futures = {executor.submit(function, task): i for i, task in enumerate(tasks)}
            for future in as_completed(futures):
                _collect(futures[future], future.result(), results, on_done)
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(tasks))]


def run_on_cluster(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    address: str,
    on_done: OnDone[Result] | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> list[Result]:
    """``[function(task) for task in tasks]`` computed on the Dask cluster at ``address``.

    Every worker needs this package installed (the function travels by name); start them with
    ``PYTHONHASHSEED`` set and one thread each (``dask worker ADDRESS --nthreads 1``): a bench
    is pure Python, threads of one process would only take turns.

    Raises:
        ClusterUnreachable: if no scheduler answers at ``address``.
    """
    # Imported here: distributed is heavy and only sweeps on a cluster need it.
    from distributed import Client
    from distributed import as_completed as completed

    results: dict[int, Result] = {}
    try:
        client = Client(  # type: ignore[no-untyped-call]
            address, timeout=connect_timeout, set_as_default=False
        )
    except OSError as exc:  # refused, unresolvable, timed out
        raise ClusterUnreachable(f"no Dask scheduler answers at {address}: {exc}") from exc
    with client:
        futures = client.map(function, list(tasks), pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            _collect(index[future.key], future.result(), results, on_done)
    return [results[i] for i in range(len(tasks))]


def _collect(
    index: int, result: Result, results: dict[int, Result], on_done: OnDone[Result] | None
) -> None:
    results[index] = result
    if on_done is not None:
        on_done(index, result)
