"""What ``guildmaster bench --seeds`` shows: the sweep's JSON object, its tables, a line per run.

A sweep's reports are bench reports (:func:`guildmaster.cli.bench.run_bench`), one per seed;
:func:`sweep_report` sums them up with :func:`guildmaster.sweep.summarize`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from guildmaster.sweep import summarize

__all__ = ["NOT_FIGURES", "run_line", "sweep_report", "sweep_tables"]

#: Report keys that are not figures to sum up over a sweep: ids, per-name maps, time series.
NOT_FIGURES = frozenset(
    {
        "seed",
        "fighters",
        "characters",
        "timeline",
        "activity",
        "error_codes",
        "restarts",
        "decision_bound",
        "coordinator_activity.bank_crafting",
        "coordinator_activity.claims",
        "coordinator_activity.disposals",
        "coordinator_activity.plan",
        "coordinator_activity.roles",
    }
)


def sweep_report(rows: Sequence[dict[str, Any]], *, sweep: dict[str, Any]) -> dict[str, Any]:
    """The JSON of a sweep: ``sweep`` (what ran, and how), ``summary`` (``{figure: {mean, min,
    max}}`` over the runs, without :data:`NOT_FIGURES`) and ``rows``, the runs' reports.

    >>> row = {"seed": 3, "actions": 10, "team": {"mean_level": 2.0}}
    >>> sweep_report([row], sweep={})["summary"]["actions"]
    {'mean': 10.0, 'min': 10, 'max': 10}
    """
    return {"sweep": sweep, "summary": summarize(rows, skip=NOT_FIGURES), "rows": list(rows)}


def run_line(report: dict[str, Any]) -> str:
    """One line about one run of a sweep, printed as it ends."""
    team = report["team"]
    return (
        f"actions {report['actions']}, mean level {team['mean_level']}, skill levels "
        f"{team['total_skill_levels']}, utilization {report['utilization']['mean']:.1%}, "
        f"slowest decision {report['decision_ms']['max']} ms, {report['wall_seconds']:.1f} s wall"
    )


def sweep_tables(result: dict[str, Any]) -> list[Table]:
    """The runs of a :func:`sweep_report`, one row per seed, then every figure's mean, min, max."""
    sweep, rows = result["sweep"], result["rows"]
    runs = Table(
        *("seed", "actions", "min level", "mean level", "skill levels", "utilization"),
        *("decision p99 ms", "max ms", "wall s"),
        title=f"sweep {sweep['world']}: characters {sweep['characters']}, "
        f"game hours {sweep['game_hours']}",
    )
    for row in rows:
        team, decision = row["team"], row["decision_ms"]
        runs.add_row(
            *(str(row["seed"]), str(row["actions"]), str(team["min_level"])),
            *(str(team["mean_level"]), str(team["total_skill_levels"])),
            *(f"{row['utilization']['mean']:.1%}", str(decision["p99"]), str(decision["max"])),
            f"{row['wall_seconds']:.1f}",
        )
    figures = Table("figure", "mean", "min", "max", title=f"over {len(rows)} seeds")
    for name, spread in result["summary"].items():
        figures.add_row(name, *(_number(spread[key]) for key in ("mean", "min", "max")))
    return [runs, figures]


def _number(value: float) -> str:
    return str(round(value, 3)) if isinstance(value, float) else str(value)
