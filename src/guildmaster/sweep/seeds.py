"""The seeds of a sweep, as written on the command line: ``0-7``, ``0,2,5`` or ``0-3,7``."""

from __future__ import annotations

import re

__all__ = ["SeedListError", "parse_seeds"]

_PART = re.compile(r"(\d+)(?:-(\d+))?")


class SeedListError(ValueError):
    """A seed list that is not ``N``, ``N-M`` (``N <= M``) or a comma-separated mix of them."""


def parse_seeds(text: str) -> tuple[int, ...]:
    """The seeds named by ``text``, in the order written, each once.

    >>> parse_seeds("0-3,7")
    (0, 1, 2, 3, 7)
    >>> parse_seeds("5,2,2")
    (5, 2)

    Raises:
        SeedListError: if a part is not a seed or a rising range of seeds, or none is given.
    """
    seeds: dict[int, None] = {}  # an ordered set
    for part in text.split(","):
        match = _PART.fullmatch(part.strip())
        if match is None:
            raise SeedListError(f"{part.strip()!r} in {text!r} is not a seed N or a range N-M")
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        if last < first:
            raise SeedListError(f"{part.strip()!r} in {text!r} is a falling range")
        seeds.update(dict.fromkeys(range(first, last + 1)))
    return tuple(seeds)
