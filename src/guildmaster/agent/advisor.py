"""What a coordinator may tell a character agent: the :class:`Advisor` protocol and :class:`Advice`.

A :class:`~guildmaster.agent.character.CharacterAgent` asks its advisor (if it has one) before
each goal selection. The advice may impose a goal, reserve bank items for this character and
forbid others; the agent reports notable events back (goal chosen, goal reached, death, bank
changes, task taken...) through :meth:`Advisor.report`.

Event names reported by the agent (``data`` is JSON-ready):

- ``"goal"``: ``{"goal": name, "source": "advice" | "selection"}`` when a goal is adopted;
- ``"goal_reached"`` / ``"goal_failed"``: ``{"goal": name, "reason": str}``;
- ``"bank"``: ``{"items": {code: quantity}}`` after any bank change the agent saw;
- ``"death"``: ``{"monster": code}``;
- ``"task"``: ``{"code": str, "type": str, "total": int, "progress": int}``;
- ``"action"``: ``{"action": name, "seconds": float}`` after each game action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from guildmaster.planning.domains.state import GameState
from guildmaster.planning.goal import Goal

__all__ = ["EVENTS", "Advice", "Advisor", "WithdrawClaims"]

EVENTS: frozenset[str] = frozenset(
    {"action", "bank", "death", "goal", "goal_failed", "goal_reached", "task"}
)
"""The event names an agent may pass to :meth:`Advisor.report`."""


@dataclass(frozen=True)
class Advice:
    """A coordinator's instruction to one character for its next decision.

    ``goal``: a goal to pursue instead of self-selection (``None``: select freely);
    ``reserved``: bank items (code -> quantity) this character may withdraw;
    ``avoid``: bank items it must not take; ``note``: a free-form explanation for logs;
    ``bank_share``: the part of the bank's food and potions it counts as its own stock when
    deciding whether to make more (the bank feeds the whole team); ``combat_weight``: how
    much its combat XP weighs against skill XP (its role in the team; ``None``: its own
    ``AgentConfig.combat_weight``).
    """

    goal: Goal[GameState] | None = None
    reserved: Mapping[str, int] = field(default_factory=dict)
    avoid: frozenset[str] = frozenset()
    note: str = ""
    bank_share: float = 1.0
    combat_weight: float | None = None


class Advisor(Protocol):
    """Something that steers character agents (implemented by the team coordinator)."""

    def advise(self, name: str, state: GameState) -> Advice | None:
        """Return advice for character ``name`` in ``state``, or ``None`` to let it choose."""

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        """Receive an event (one of :data:`EVENTS`) from character ``name``."""


@runtime_checkable
class WithdrawClaims(Protocol):
    """An advisor that hands out bank units at withdraw time (the team's lock on the bank)."""

    def claim(self, name: str, code: str, quantity: int) -> bool:
        """Whether ``name`` may withdraw ``quantity`` of ``code`` now (then they are its own
        until its next bank change); ``False``: they are gone or another character's."""

    def claimable(self, name: str, code: str) -> int:
        """How many units of ``code`` ``name`` could claim now (after a refused claim, it
        plans on these instead of the units it believed were there)."""

    def team_bank(self) -> Mapping[str, int] | None:
        """The bank as the team last saw it (every character's bank actions), or ``None``
        when not known: fresher than one character's own view, which only its own bank
        actions update."""
