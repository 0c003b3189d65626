"""Goals a team coordinator hands out: deposit what the pipeline needs, gather (or fight, or
buy) from one source, craft out of reserved bank stock, join a boss party.

They are ordinary planning goals (:class:`~guildmaster.planning.domains.GameGoal`), so the
character agent plans them like any other. :class:`BossPartyGoal` additionally carries the
party's data; the agent acts on its ``role``:

- ``"move"``: plan to the boss tile (the goal is satisfied there);
- ``"wait"``: stand on the tile and ask again shortly (the party is still assembling);
- ``"fight"`` (the leader only, once everyone is there): fight ``monster`` with
  ``participants`` (the other members), then report ``goal_reached`` with
  ``{"goal": name, "party": party, "win": bool}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from guildmaster.planning.domains.context import Relevance
from guildmaster.planning.domains.goals import GameGoal, ObtainItem, ReachLocation
from guildmaster.planning.domains.state import GameState

__all__ = ["BossPartyGoal", "CraftFromBank", "DepositItems", "ObtainFrom", "PartyRole"]

#: What a party member does next: ``move``, ``wait`` or ``fight`` (leader).
PartyRole: TypeAlias = Literal["move", "wait", "fight"]


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
class ObtainFrom(ObtainItem):
    """Hold ``quantity`` of ``code`` got only from one source: ``kind`` (``gather``, ``fight``
    or ``buy``) at ``via`` (resource, monster or NPC code).

    A pipeline stage gathers (or fights, or buys) its material; without the restriction the
    planner could buy gathered ore from an NPC or take it out of the bank.

    >>> from guildmaster.planning.domains import GameContext, StaticFacts
    >>> goal = ObtainFrom("ore", 5, kind="gather", via="rocks", ctx=GameContext(StaticFacts()))
    >>> goal.name, sorted(goal.relevance(GameState(("overworld", 0, 0), 10, 10)).resources)
    ('gather(ore x5 at rocks)', ['rocks'])
    """

    kind: str = "gather"
    via: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}({self.code} x{self.quantity} at {self.via})"

    def relevance(self, state: GameState) -> Relevance:
        items = frozenset({self.code})
        if self.kind == "gather":
            return Relevance(items=items, resources=frozenset({self.via}))
        if self.kind == "fight":
            return Relevance(items=items, monsters=frozenset({self.via}))
        return Relevance(items=items, buys=frozenset({(self.via, self.code)}))


@dataclass(frozen=True)
class CraftFromBank(GameGoal):
    """Hold ``quantity`` of ``code`` by withdrawing at most ``inputs`` and crafting.

    Only withdrawing the listed inputs (never more than listed: they are this character's
    reservation) and crafting ``code`` are relevant, so the crafter never gathers and never
    takes finished units out of the bank.

    >>> from guildmaster.planning.domains import GameContext, StaticFacts
    >>> goal = CraftFromBank("bar", 2, (("ore", 20),), ctx=GameContext(StaticFacts()))
    >>> goal.name, dict(goal.demand(GameState(("overworld", 0, 0), 10, 10)))
    ('craft(bar x2)', {'ore': 20, 'bar': 2})
    """

    code: str
    quantity: int
    inputs: tuple[tuple[str, int], ...]

    @property
    def name(self) -> str:
        return f"craft({self.code} x{self.quantity})"

    def is_satisfied(self, state: GameState) -> bool:
        return state.inventory[self.code] >= self.quantity

    def demand(self, state: GameState) -> Mapping[str, int] | None:
        wanted = {c: max(0, q - state.inventory[c]) for c, q in self.inputs}
        wanted[self.code] = max(0, self.quantity - state.inventory[self.code])
        return wanted

    def relevance(self, state: GameState) -> Relevance:
        # The product is not an item to fetch: taking finished units out of the bank would
        # satisfy the goal without crafting (and the deposit advice would put them back).
        return Relevance(items=frozenset(c for c, _ in self.inputs), crafts=frozenset({self.code}))


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
