"""Scripted stand-ins for the dashboard tests: a source whose team changes on demand and a
coordinator that records what the dashboard asked of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from guildmaster.agent.metrics import RunMetrics
from guildmaster.dashboard import CoordinatorControl, DashboardEvent


@dataclass(frozen=True)
class FakeSurplus:
    """Shaped like the coordinator's ``Surplus``."""

    code: str
    quantity: int
    action: str
    to: str = ""


@dataclass
class FakeCoordinator:
    """Implements ``CoordinatorControl``; ``set_manual`` refuses the recipe ``"impossible"``."""

    enabled: bool = True
    plan: dict[str, Any] | None = None
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def set_manual(self, skill: str, recipe: str | None = None) -> Any:
        """Fix a plan (or raise ValueError like the real one)."""
        self.calls.append(("manual", skill, recipe or ""))
        if recipe == "impossible":
            raise ValueError(f"no feasible plan for {skill} ({recipe})")
        self.plan = {
            "skill": skill,
            "recipe": recipe or "copper_bar",
            "runs": 4,
            "manual": True,
            "bottleneck": skill,
            "stages": [
                {
                    "id": "s1",
                    "kind": "gather",
                    "skill": skill,
                    "level": 1,
                    "outputs": [["copper_ore", 40]],
                    "inputs": [],
                    "seconds": 0.0,
                }
            ],
        }
        return self.plan

    def set_auto(self) -> None:
        """Leave manual mode."""
        self.calls.append(("auto",))
        if self.plan is not None:
            self.plan = dict(self.plan, manual=False)

    def status(self) -> dict[str, Any]:
        """Like ``Coordinator.status()``."""
        return {
            "enabled": self.enabled,
            "plan": self.plan,
            "assignments": {"Alderwick": "s1"},
            "roles": {"Alderwick": "fighter", "Brisketta": "producer"},
            "reservations": {"Alderwick": {"copper_ore": 8}},
            "parties": [
                {"id": "p1", "monster": "ogre_king", "members": ["Alderwick"], "phase": "forming"}
            ],
            "best_boss_chance": {
                "monster": "ogre_king",
                "members": ["Alderwick", "Brisketta", "Cindervale"],
                "win_probability": 0.42,
            },
            "max_overproduction": 1.0,
        }

    def surplus(self) -> Sequence[FakeSurplus]:
        """One piece of spare gear."""
        return (FakeSurplus("copper_dagger", 2, "npc", "weapon_merchant"),)


def character(name: str, level: int, **more: Any) -> dict[str, Any]:
    """An agent status dict (as ``CharacterAgent.status()`` reports it)."""
    data: dict[str, Any] = {
        "name": name,
        "level": level,
        "xp": 10 * level,
        "skills": {"mining": level + 1, "woodcutting": 2, "cooking": 3},
        "hp": 100,
        "max_hp": 120,
        "gold": 50,
        "goal": f"gather(copper_ore x{level})",
        "action": "gathering(copper_rocks)",
        "cooldown_expiration": None,
        "deaths": 1,
        "errors": 0,
    }
    data.update(more)
    return data


@dataclass
class FakeSource:
    """A ``DashboardSource`` whose characters, coordinator and events the test sets."""

    characters: list[dict[str, Any]] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=dict)
    coordinator_: CoordinatorControl | None = None
    metrics_: RunMetrics | None = None
    events_: list[DashboardEvent] = field(default_factory=list)
    at: datetime | None = None

    def label(self) -> str:
        """The game's description."""
        return "fake world"

    def team_status(self) -> Mapping[str, Any]:
        """The characters as set by the test."""
        at = self.at.isoformat() if self.at else ""
        return {"at": at, "characters": list(self.characters), "restarts": dict(self.restarts)}

    def coordinator(self) -> CoordinatorControl | None:
        """The fake coordinator (or none)."""
        return self.coordinator_

    def metrics(self) -> RunMetrics | None:
        """The run counters."""
        return self.metrics_

    def events(self) -> Sequence[DashboardEvent]:
        """The events, oldest first."""
        return list(self.events_)


def expiring(now: datetime, seconds: float) -> str:
    """An ISO cooldown expiration ``seconds`` after ``now`` (server style, ``Z``)."""
    return (now + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
