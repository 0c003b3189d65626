"""Measurements of a run: utilisation, decision times, request counts, progress timeline.

The benchmark JSON (``guildmaster bench --json OUT``) is :meth:`RunMetrics.report`, one object
with the keys fixed in DESIGN.md: ``game_hours, wall_seconds, actions, requests,
requests_per_action, http_429, cooldown_errors, other_errors, utilization {mean, min},
decision_ms {p50, p95, p99, max}, characters [...], team {...}, timeline [...]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from guildmaster.api.fields import skill_levels
from guildmaster.api.models import CharacterSchema

__all__ = [
    "CharacterProgress",
    "RunMetrics",
    "SlowestDecision",
    "percentile",
]


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) percentile of ``values`` by nearest rank; 0.0 when empty.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.0
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class CharacterProgress:
    """A character's levels at one moment."""

    name: str
    level: int
    xp: int
    skills: Mapping[str, int]
    gold: int

    @classmethod
    def from_character(cls, character: CharacterSchema) -> CharacterProgress:
        """Build from the API's character."""
        return cls(
            name=character.name,
            level=character.level,
            xp=character.xp,
            skills=skill_levels(character),
            gold=character.gold,
        )

    def to_json(self) -> dict[str, Any]:
        """The ``characters[]`` entry of the report."""
        return {
            "name": self.name,
            "level": self.level,
            "xp": self.xp,
            "skills": dict(self.skills),
            "gold": self.gold,
        }


@dataclass(frozen=True)
class SlowestDecision:
    """The slowest decision of a run: its time, the character and the goal it was for."""

    ms: float
    character: str = ""
    goal: str = ""


@dataclass
class RunMetrics:
    """Accumulates what a run measures; every method is cheap and synchronous."""

    busy_seconds: dict[str, float] = field(default_factory=dict)
    decision_ms: list[float] = field(default_factory=list)
    decision_slowest: SlowestDecision = field(default_factory=lambda: SlowestDecision(0.0))
    actions: int = 0
    requests: int = 0
    http_429: int = 0
    cooldown_errors: int = 0
    other_errors: int = 0
    error_codes: dict[int, int] = field(default_factory=dict)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    #: character -> cooldown reason (``fight``, ``gathering``, ``rest``...) -> [count, seconds].
    activity: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    def record_action(
        self, character: str, game_seconds: float, *, reason: str | None = None
    ) -> None:
        """Count one action that kept ``character`` busy for ``game_seconds``.

        ``reason`` names the action (``fight``, ``rest()``, ``use(food x2)``...); its kind, the
        part before any ``(``, feeds the activity breakdown.
        """
        self.actions += 1
        self.busy_seconds[character] = self.busy_seconds.get(character, 0.0) + game_seconds
        if reason is not None:
            kinds = self.activity.setdefault(character, {})
            entry = kinds.setdefault(reason.split("(", 1)[0], [0, 0.0])
            entry[0] += 1
            entry[1] += game_seconds

    def activity_report(self) -> dict[str, dict[str, dict[str, float]]]:
        """Per character and per reason: actions, game seconds and share of busy time."""
        report: dict[str, dict[str, dict[str, float]]] = {}
        for character in sorted(self.activity):
            kinds = self.activity[character]
            busy = sum(seconds for _, seconds in kinds.values()) or 1.0
            report[character] = {
                reason: {
                    "actions": int(count),
                    "seconds": round(seconds, 1),
                    "share": round(seconds / busy, 4),
                }
                for reason, (count, seconds) in sorted(
                    kinds.items(), key=lambda item: (-item[1][1], item[0])
                )
            }
        return report

    def record_decision(self, milliseconds: float, *, character: str = "", goal: str = "") -> None:
        """Record the computation time of one decision (goal selection + planning), and who
        made it for which goal when it is the slowest so far."""
        if not self.decision_ms or milliseconds > self.decision_slowest.ms:
            self.decision_slowest = SlowestDecision(round(milliseconds, 3), character, goal)
        self.decision_ms.append(milliseconds)

    def record_response(self, status: int) -> None:
        """Count one HTTP response by status."""
        self.requests += 1
        if status == 429:
            self.http_429 += 1
        elif status == 499:
            self.cooldown_errors += 1
        elif status >= 400:
            self.other_errors += 1
        if status >= 400:
            self.error_codes[status] = self.error_codes.get(status, 0) + 1

    def record_timeline(self, game_hour: float, team: Sequence[CharacterProgress]) -> None:
        """Add a progress point to the timeline."""
        self.timeline.append({"game_hour": round(game_hour, 3), **_team_summary(team)})

    def utilization(self, characters: Sequence[str], game_seconds: float) -> dict[str, float]:
        """Share of game time each character had an action running: mean and min."""
        if not characters or game_seconds <= 0:
            return {"mean": 0.0, "min": 0.0}
        shares = [min(1.0, self.busy_seconds.get(name, 0.0) / game_seconds) for name in characters]
        return {"mean": round(sum(shares) / len(shares), 4), "min": round(min(shares), 4)}

    def report(
        self,
        *,
        game_hours: float,
        wall_seconds: float,
        team: Sequence[CharacterProgress],
        extra: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The benchmark JSON object."""
        names = [member.name for member in team]
        report: dict[str, Any] = {
            "game_hours": game_hours,
            "wall_seconds": round(wall_seconds, 3),
            "actions": self.actions,
            "requests": self.requests,
            "requests_per_action": round(self.requests / self.actions, 3) if self.actions else 0.0,
            "http_429": self.http_429,
            "cooldown_errors": self.cooldown_errors,
            "other_errors": self.other_errors,
            "error_codes": {str(code): n for code, n in sorted(self.error_codes.items())},
            "utilization": self.utilization(names, game_hours * 3600),
            "decision_ms": {
                "p50": round(percentile(self.decision_ms, 0.50), 3),
                "p95": round(percentile(self.decision_ms, 0.95), 3),
                "p99": round(percentile(self.decision_ms, 0.99), 3),
                "max": round(max(self.decision_ms, default=0.0), 3),
            },
            "decision_slowest": asdict(self.decision_slowest),
            "characters": [member.to_json() for member in team],
            "team": _team_summary(team),
            "timeline": list(self.timeline),
            "activity": self.activity_report(),
        }
        if extra:
            report.update(extra)
        return report


def _team_summary(team: Sequence[CharacterProgress]) -> dict[str, Any]:
    if not team:
        return {"min_level": 0, "mean_level": 0.0, "total_skill_levels": 0}
    levels = [member.level for member in team]
    return {
        "min_level": min(levels),
        "mean_level": round(sum(levels) / len(levels), 3),
        "total_skill_levels": sum(sum(member.skills.values()) for member in team),
    }
