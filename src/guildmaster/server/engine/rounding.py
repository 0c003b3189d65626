"""The game's rounding rule (MECHANICS §0.3): x.5 goes up, below .5 goes down."""

from __future__ import annotations

import math

__all__ = ["ceil_div", "round_half_up"]

# Float products such as 75 * 0.1 can land a hair below an exact .5; a tiny epsilon keeps
# such documented half-way values rounding up as the game does.
_EPSILON = 1e-9


def round_half_up(x: float) -> int:
    """Round ``x`` to the nearest integer, halves upwards (``floor(x + 0.5)``).

    >>> round_half_up(2.5), round_half_up(2.49), round_half_up(-3.4), round_half_up(-1.5)
    (3, 2, -3, -1)
    """
    return math.floor(x + 0.5 + _EPSILON)


def ceil_div(numerator: int, denominator: int) -> int:
    """Integer ceiling of ``numerator / denominator`` without floating point.

    Raises:
        ZeroDivisionError: if ``denominator`` is 0.

    >>> ceil_div(5600, 120)
    47
    """
    return -(-numerator // denominator)
