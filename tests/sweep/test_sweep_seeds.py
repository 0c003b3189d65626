"""Seed lists as written on the command line."""

from __future__ import annotations

import pytest

from guildmaster.sweep import SeedListError, parse_seeds


@pytest.mark.parametrize(
    ("text", "seeds"),
    [
        ("0-7", (0, 1, 2, 3, 4, 5, 6, 7)),
        ("0,2,5", (0, 2, 5)),
        ("0-3,7", (0, 1, 2, 3, 7)),
        (" 4 , 1-2 ", (4, 1, 2)),
        ("3", (3,)),
        ("2-2", (2,)),
        ("1-3,2,0", (1, 2, 3, 0)),
    ],
)
def test_seed_lists_name_seeds_and_ranges_in_the_order_written(
    text: str, seeds: tuple[int, ...]
) -> None:
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["", "a", "1-", "-2", "3-1", "1,,2", "1-2-3", "0x3"])
def test_anything_else_is_refused_with_the_part_at_fault(text: str) -> None:
    with pytest.raises(SeedListError, match=r"range|seed"):
        parse_seeds(text)
