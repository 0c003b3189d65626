"""Team roles: which characters fight for the team and which produce for it.

Five characters that all level combat the same way all rest after their fights, and the
bank's food runs out. A team plays like one player: a few characters carry its combat (as
many as a boss party needs), and the others weigh combat XP like any other skill, so they
spend their time gathering and crafting, and the food they cook feeds the fighters instead
of their own fights. On generated:7 (5 characters, 24 game-hours, seeds 0-3) the fighters
rested 7 % of their time instead of about 20 %, and the team ended with more skill levels
than five characters playing alone.

:func:`choose_fighters` is a pure function; the coordinator keeps the result in its store, so
a restart keeps the same fighters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from guildmaster.coordinator.store import CharacterName

__all__ = ["choose_fighters"]


def choose_fighters(
    levels: Mapping[CharacterName, tuple[int, int]],
    count: int,
    *,
    current: Iterable[CharacterName] = (),
) -> tuple[CharacterName, ...]:
    """Return the ``count`` fighters of a team, in name order.

    ``levels`` maps each character of the team to its combat ``(level, xp)``. The current
    fighters still on the team keep their role (a role is a long commitment: gear, food and
    levels follow it); free places go to the strongest characters (level, then XP, then
    name order).

    >>> choose_fighters({"a": (3, 0), "b": (5, 10), "c": (5, 20)}, 2)
    ('b', 'c')
    >>> choose_fighters({"a": (3, 0), "b": (5, 10), "c": (5, 20)}, 2, current=["a"])
    ('a', 'c')
    >>> choose_fighters({"a": (1, 0), "b": (1, 0)}, 5)
    ('a', 'b')
    """
    if count < 0:
        raise ValueError(f"the number of fighters must be >= 0, not {count}")
    kept = [name for name in dict.fromkeys(current) if name in levels][:count]
    rest: Sequence[CharacterName] = sorted(
        (name for name in levels if name not in kept),
        key=lambda name: (-levels[name][0], -levels[name][1], name),
    )
    return tuple(sorted([*kept, *rest[: count - len(kept)]]))
