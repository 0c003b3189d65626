"""A sweep's summary: every numeric figure of the reports, mean, min and max."""

from __future__ import annotations

from guildmaster.sweep import iter_figures, summarize


def test_figures_are_the_numbers_of_nested_objects_by_dotted_path() -> None:
    report = {
        "actions": 10,
        "utilization": {"mean": 0.5, "min": 0.25},
        "coordinator": True,
        "world": "generated:7",
        "characters": [{"level": 3}],
        "max_overproduction": None,
        "error_codes": {"404": 2},
    }
    figures = dict(iter_figures(report, skip={"error_codes"}))
    assert figures == {"actions": 10, "utilization.mean": 0.5, "utilization.min": 0.25}


def test_summary_gives_mean_min_and_max_over_the_reports_that_have_the_figure() -> None:
    rows = [
        {"actions": 10, "team": {"mean_level": 2.0}, "seed": 0},
        {"actions": 20, "team": {"mean_level": 3.0}, "seed": 1, "max_overproduction": 1.5},
        {"actions": 33, "team": {"mean_level": 3.5}, "seed": 2},
    ]
    summary = summarize(rows, skip={"seed"})
    assert summary == {
        "actions": {"mean": 21.0, "min": 10, "max": 33},
        "team.mean_level": {"mean": 2.8333, "min": 2.0, "max": 3.5},
        "max_overproduction": {"mean": 1.5, "min": 1.5, "max": 1.5},
    }
    assert list(summary) == ["actions", "team.mean_level", "max_overproduction"]
    assert summarize([]) == {}
