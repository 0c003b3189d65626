"""Monte-Carlo estimates over many simulated fights (used by the world validator)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from guildmaster.server.engine.combat import simulate_fight
from guildmaster.server.engine.combatant import Fighter
from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings

__all__ = ["FightEstimate", "estimate_fight", "win_probability"]


@dataclass(frozen=True, slots=True)
class FightEstimate:
    """Aggregates over ``samples`` simulated fights."""

    samples: int
    wins: int
    mean_turns: float
    mean_final_hp: float
    """Mean final HP of the first character (0 for losses)."""

    @property
    def win_rate(self) -> float:
        """Share of fights won."""
        return self.wins / self.samples if self.samples else 0.0


def estimate_fight(
    characters: Sequence[Fighter],
    monster: Fighter,
    *,
    samples: int = 200,
    seed: int = 0,
    monster_type: str = "normal",
    rules: RuleSettings = DEFAULT_RULES,
) -> FightEstimate:
    """Simulate ``samples`` fights with one seeded rng and aggregate the results.

    Raises:
        ValueError: if ``samples`` < 1 (or simulate_fight rejects the combatants).
    """
    if samples < 1:
        raise ValueError(f"samples must be >= 1, got {samples}")
    rng = random.Random(seed)
    wins = 0
    turns = 0
    hp = 0
    first = characters[0].name if characters else ""
    for _ in range(samples):
        result = simulate_fight(
            characters, monster, rng, monster_type=monster_type, rules=rules, keep_logs=False
        )
        wins += result.result == "win"
        turns += result.turns
        hp += result.final_hp.get(first, 0)
    return FightEstimate(
        samples=samples, wins=wins, mean_turns=turns / samples, mean_final_hp=hp / samples
    )


def win_probability(
    characters: Sequence[Fighter],
    monster: Fighter,
    *,
    samples: int = 200,
    seed: int = 0,
    monster_type: str = "normal",
    rules: RuleSettings = DEFAULT_RULES,
) -> float:
    """Estimated probability that ``characters`` beat ``monster`` (share of simulated wins).

    Raises:
        ValueError: if ``samples`` < 1.
    """
    return estimate_fight(
        characters, monster, samples=samples, seed=seed, monster_type=monster_type, rules=rules
    ).win_rate
