"""Value objects of world validation: problems, the report, and the malformed-file error.

>>> p = Problem("error", "references", "items[3] craft uses unknown item 'x'")
>>> ValidationReport((p,), {}).is_valid
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Problem", "Severity", "ValidationReport", "WorldFileError"]

Severity = Literal["error", "warning"]


class WorldFileError(ValueError):
    """The file is not a world at all (unreadable, not JSON, wrong top-level shape)."""


@dataclass(frozen=True)
class Problem:
    """One finding of the validator: severity, the check that found it and a clear message."""

    severity: Severity
    check: str
    message: str

    def __str__(self) -> str:
        """Return ``"error [check] message"``."""
        return f"{self.severity} [{self.check}] {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """All problems found in a world plus counts describing it."""

    problems: tuple[Problem, ...]
    summary: Mapping[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems of severity ``warning``."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def is_valid(self) -> bool:
        """True when no problem is an error."""
        return not self.errors

    def checks_failed(self) -> set[str]:
        """Return the names of the checks that reported an error."""
        return {p.check for p in self.errors}
