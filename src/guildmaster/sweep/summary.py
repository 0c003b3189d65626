"""Sum up the reports of a sweep: mean, min and max of every numeric figure over the runs."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

__all__ = ["Spread", "iter_figures", "summarize"]

#: One figure over the runs: ``{"mean": ..., "min": ..., "max": ...}``.
Spread = dict[str, float]


def iter_figures(
    report: Mapping[str, Any], *, skip: Collection[str] = (), prefix: str = ""
) -> Iterator[tuple[str, float]]:
    """Yield ``(dotted.path, value)`` for every number in ``report``'s nested objects.

    Lists, strings, booleans and ``None`` are not figures, nor the paths in ``skip``.

    >>> list(iter_figures({"a": 1, "b": {"c": 2.5, "d": [3]}, "e": True, "f": {"g": 4}},
    ...                   skip={"f"}))
    [('a', 1), ('b.c', 2.5)]
    """
    for key, value in report.items():
        path = f"{prefix}{key}"
        if path in skip or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            yield path, value
        elif isinstance(value, Mapping):
            yield from iter_figures(value, skip=skip, prefix=f"{path}.")


def summarize(
    reports: Sequence[Mapping[str, Any]], *, skip: Collection[str] = ()
) -> dict[str, Spread]:
    """Mean, min and max of each figure (:func:`iter_figures`) over the reports that have it.

    Figures come in the order they first appear; means are rounded to 4 decimals.

    >>> summarize([{"team": {"level": 2}}, {"team": {"level": 3}}, {"seed": 4}], skip={"seed"})
    {'team.level': {'mean': 2.5, 'min': 2, 'max': 3}}
    """
    values: dict[str, list[float]] = {}
    for report in reports:
        for path, value in iter_figures(report, skip=skip):
            values.setdefault(path, []).append(value)
    return {
        path: {"mean": round(sum(seen) / len(seen), 4), "min": min(seen), "max": max(seen)}
        for path, seen in values.items()
    }
