"""Server configuration: one frozen :class:`ServerSettings` passed to ``create_app``.

Rate limits default to MECHANICS §21 (per bucket: second / minute / hour / day windows); rule
knobs are the engine's :class:`RuleSettings`. Nothing here reads the environment: the CLI builds
the settings from its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings

if TYPE_CHECKING:  # imported lazily: those modules import this one
    from guildmaster.server.actions.tasks import TaskSettings
    from guildmaster.server.events import EventSettings

__all__ = [
    "DEFAULT_SKINS",
    "WINDOWS",
    "Bucket",
    "BucketLimits",
    "RateLimitSettings",
    "ServerSettings",
    "Window",
]

Bucket = Literal["account", "data", "action", "simulation"]
Window = Literal["second", "minute", "hour", "day"]

WINDOWS: Final[dict[Window, int]] = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
DEFAULT_SKINS: Final = ("men1", "men2", "men3", "women1", "women2", "women3")


@dataclass(frozen=True, slots=True)
class BucketLimits:
    """Request limits of one bucket per window (None: no limit in that window).

    >>> BucketLimits(second=10, hour=300).limits()
    {'second': 10, 'hour': 300}
    """

    second: int | None = None
    minute: int | None = None
    hour: int | None = None
    day: int | None = None

    def limits(self) -> dict[Window, int]:
        """The windows that have a limit, with their limits."""
        values: dict[Window, int | None] = {
            "second": self.second,
            "minute": self.minute,
            "hour": self.hour,
            "day": self.day,
        }
        return {window: limit for window, limit in values.items() if limit is not None}

    def scaled(self, factor: float) -> BucketLimits:
        """These limits multiplied by ``factor`` (benchmarks raise limits this way)."""
        return BucketLimits(
            **{window: max(1, int(limit * factor)) for window, limit in self.limits().items()}
        )


def _default_buckets() -> dict[Bucket, BucketLimits]:
    return {
        "account": BucketLimits(second=10, hour=300),
        "data": BucketLimits(second=10, minute=200, hour=2000),
        "action": BucketLimits(second=10, minute=100, hour=5000),
        "simulation": BucketLimits(second=1),
    }


@dataclass(frozen=True, slots=True)
class RateLimitSettings:
    """Whether rate limits apply, and the limits of each bucket (MECHANICS §21 defaults).

    >>> RateLimitSettings().buckets["data"].minute
    200
    """

    enabled: bool = True
    buckets: dict[Bucket, BucketLimits] = field(default_factory=_default_buckets)

    def scaled(self, factor: float) -> RateLimitSettings:
        """Every bucket's limits multiplied by ``factor``."""
        return RateLimitSettings(
            enabled=self.enabled,
            buckets={name: limits.scaled(factor) for name, limits in self.buckets.items()},
        )


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything configurable about one server instance.

    >>> ServerSettings(world="generated:7").max_characters
    5
    """

    world: str = "generated:1"
    """``generated:SEED`` or a world file path (informational when a World is passed in)."""
    time_scale: float = 1.0
    db_path: str | None = None
    """SQLite file for persistence; None keeps everything in memory."""
    seed: int = 0
    """Seed of the game's random number generator (drops, combat, events)."""
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    rules: RuleSettings = DEFAULT_RULES
    default_starter_items: tuple[str, ...] = ("wooden_stick",)
    """Starter items for worlds without ``meta.starter_items`` (codes missing from the world are
    skipped; a weapon is equipped, anything else goes to the inventory)."""
    skins: tuple[str, ...] = DEFAULT_SKINS
    max_characters: int = 5
    max_page_size: int = 100
    """Upper bound of ``size`` for account/GE/log/leaderboard lists (the spec's 100)."""
    max_static_page_size: int = 10_000
    """Upper bound of ``size`` for static catalogues (the spec's 10 000)."""
    default_page_size: int = 50
    version: str = "8.0.0-local"
    events: EventSettings | None = None
    """Event spawning knobs (None: the events module's defaults)."""
    tasks: TaskSettings | None = None
    """Task rules of the action routes (None: the actions module's defaults)."""
