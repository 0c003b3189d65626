"""Goals only the coordinator hands out: deposit what the pipeline needs, join a boss party.

Both are ordinary planning goals (:class:`~guildmaster.planning.domains.GameGoal`), so the
character agent plans them like any other. :class:`BossPartyGoal` additionally carries the
party's data; the agent acts on its ``role``:

- ``"move"``: plan to the boss tile (the goal is satisfied there);
- ``"wait"``: stand on the tile and ask again shortly (the party is still assembling);
- ``"fight"`` (the leader only, once everyone is there): fight ``monster`` with
  ``participants`` (the other members), then report ``goal_reached`` with
  ``{"goal": name, "party": party, "win": bool}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from guildmaster.planning.domains import (
    GameGoal,
    GameState,
    ReachLocation,
    Relevance,
)

__all__ = ["BossPartyGoal", "DepositItems", "PartyRole"]

#: What a party member does next: ``move``, ``wait`` or ``fight`` (leader).
PartyRole = str


@dataclass(frozen=True)
class DepositItems(GameGoal):
    """Carry none of ``codes``: go to the bank and deposit them (with the rest of the bag).

    >>> from guildmaster.planning.domains import GameContext, StaticFacts
    >>> goal = DepositItems(("copper_ore",), ctx=GameContext(StaticFacts()))
    >>> goal.name, goal.is_satisfied(GameState(("overworld", 0, 0), 10, 10))
    ('deposit(copper_ore)', True)
    """

    codes: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"deposit({','.join(self.codes)})"

    def is_satisfied(self, state: GameState) -> bool:
        return all(state.inventory[code] == 0 for code in self.codes)

    def relevance(self, state: GameState) -> Relevance:
        return Relevance(deposit=True)


@dataclass(frozen=True)
class BossPartyGoal(ReachLocation):
    """Be on the boss tile for party ``party``; ``role`` says what to do there (module doc)."""

    party: str
    monster: str
    leader: str
    participants: tuple[str, ...]
    role: PartyRole

    @property
    def name(self) -> str:
        return f"party({self.monster},{self.role})"
