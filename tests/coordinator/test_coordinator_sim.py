"""A tiny in-memory executor for coordinator tests: advice goals happen instantly.

Gather/fight/buy goals add the asked units, crafts withdraw exactly what was reserved (and
fail loudly if the bank lacks it: that would be a 478 on the real server), deposits empty the
bag into the shared bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guildmaster.agent.advisor import Advice
from guildmaster.coordinator import Coordinator
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import SKILLS, CraftFromBank, DepositItems, GameState, ObtainItem
from guildmaster.planning.state import Multiset


class BankContention(AssertionError):
    """A withdraw asked for more than the bank held (the server would answer 478)."""


def character(name: str, *, level: int = 1, skills: dict[str, int] | None = None) -> GameState:
    """A fresh character state at spawn."""
    levels = {s: (skills or {}).get(s, 1) for s in SKILLS}
    return GameState(
        location=("overworld", 0, 0),
        hp=100,
        max_hp=100,
        level=level,
        skills=Multiset(levels),
        name=name,
    )


@dataclass
class TeamSim:
    """Characters, one shared bank, and a coordinator steering them."""

    gamedata: GameData
    coordinator: Coordinator
    states: dict[str, GameState]
    bank: dict[str, int] = field(default_factory=dict)
    crafted: dict[str, int] = field(default_factory=dict)
    advice_log: list[tuple[str, Advice | None]] = field(default_factory=list)

    def view(self, name: str) -> GameState:
        return self.states[name].with_(bank=Multiset(self.bank))

    def step(self, name: str) -> Advice | None:
        advice = self.coordinator.advise(name, self.view(name))
        self.advice_log.append((name, advice))
        if advice is None or advice.goal is None:
            return advice
        goal = advice.goal
        state = self.states[name]
        if isinstance(goal, DepositItems):
            for code, qty in state.inventory.items():
                self.bank[code] = self.bank.get(code, 0) + qty
            self.states[name] = state.with_(inventory=Multiset())
            self.coordinator.report(name, "bank", {"items": dict(self.bank)})
        elif isinstance(goal, CraftFromBank):
            recipe = self.gamedata.recipe(goal.code)
            assert recipe is not None
            wanted = {c: max(0, q - state.inventory[c]) for c, q in goal.inputs}
            for code, qty in wanted.items():
                if qty > advice.reserved.get(code, 0):
                    raise AssertionError(f"{name} would withdraw unreserved {code}")
            state = self._withdraw(name, state, {c: q for c, q in wanted.items() if q})
            missing = goal.quantity - state.inventory[goal.code]
            runs = -(-missing // recipe.quantity)
            for ing in recipe.items:
                state = state.lose(ing.code, ing.quantity * runs)
            state = state.gain(goal.code, runs * recipe.quantity)
            self.crafted[goal.code] = self.crafted.get(goal.code, 0) + runs
            self.states[name] = state
        elif isinstance(goal, ObtainItem):
            # Gathering, fighting or buying: the units simply appear.
            self.states[name] = state.gain(goal.code, goal.quantity - state.inventory[goal.code])
        self.coordinator.report(name, "goal_reached", {"goal": goal.name})
        return advice

    def _withdraw(self, name: str, state: GameState, items: dict[str, int]) -> GameState:
        for code, qty in items.items():
            if self.bank.get(code, 0) < qty:
                raise BankContention(f"{name} withdraws {qty} {code}, bank has {self.bank}")
            self.bank[code] -= qty
            state = state.gain(code, qty)
        self.coordinator.report(name, "bank", {"items": dict(self.bank)})
        return state
