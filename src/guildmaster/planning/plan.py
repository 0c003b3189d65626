"""Plans: the planner's answer, a tuple of steps with their expected states and costs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic

from guildmaster.planning.action import Action
from guildmaster.planning.state import StateT

__all__ = ["Plan", "PlanStep"]


@dataclass(frozen=True, slots=True)
class PlanStep(Generic[StateT]):
    """One planned action, the state expected after it, and its cost in game-seconds."""

    action: Action[StateT]
    expected_state: StateT
    cost: float


@dataclass(frozen=True, slots=True)
class Plan(Generic[StateT]):
    """A sequence of steps from ``start`` that reaches the goal named ``goal``.

    ``nodes_expanded`` records how much search it took (for benchmarks and explanations).
    """

    start: StateT
    goal: str
    steps: tuple[PlanStep[StateT], ...] = ()
    nodes_expanded: int = 0

    @property
    def total_cost(self) -> float:
        """Sum of step costs in game-seconds."""
        return sum(step.cost for step in self.steps)

    @property
    def final_state(self) -> StateT:
        """The state expected once every step ran."""
        return self.steps[-1].expected_state if self.steps else self.start

    @property
    def action_names(self) -> tuple[str, ...]:
        """The names of the planned actions, in order."""
        return tuple(step.action.name for step in self.steps)

    def is_empty(self) -> bool:
        """Return whether the goal already held at the start."""
        return not self.steps

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[PlanStep[StateT]]:
        return iter(self.steps)

    def explain(self) -> list[str]:
        """Return one human-readable line per step with running cost totals."""
        lines = [f"plan for {self.goal}: {len(self.steps)} steps, {self.total_cost:.1f} s"]
        elapsed = 0.0
        for index, step in enumerate(self.steps, start=1):
            elapsed += step.cost
            lines.append(
                f"{index:3d}. {step.action.name:<40} +{step.cost:7.1f} s  = {elapsed:8.1f} s"
            )
        return lines
