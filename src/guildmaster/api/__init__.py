"""guildmaster.api: the async client of the ArtifactsMMO v8 API.

``AsyncArtifactsClient`` (one ``httpx.AsyncClient``, injectable transport and clock) with typed
results from :mod:`guildmaster.api.models`, an account-wide :class:`RateLimiter`, cooldown
tracking, retries, and one error class per game code (:mod:`guildmaster.api.errors`).
"""

from __future__ import annotations

from guildmaster.api.client import CATALOGUES, AsyncArtifactsClient
from guildmaster.api.cooldowns import CooldownTracker, parse_remaining_seconds
from guildmaster.api.core import ClientStats
from guildmaster.api.errors import (
    ERROR_CLASSES,
    ActionInProgress,
    ActionOutcomeUnknown,
    ActionRefused,
    ArtifactsError,
    CooldownActive,
    GameError,
    MalformedResponse,
    RateLimited,
    ServerUnavailable,
    TransientError,
    TransportFailure,
)
from guildmaster.api.models import Page
from guildmaster.api.ratelimit import DEFAULT_LIMITS, RateLimiter, Window, scope_for

__all__ = [
    "CATALOGUES",
    "DEFAULT_LIMITS",
    "ERROR_CLASSES",
    "ActionInProgress",
    "ActionOutcomeUnknown",
    "ActionRefused",
    "ArtifactsError",
    "AsyncArtifactsClient",
    "ClientStats",
    "CooldownActive",
    "CooldownTracker",
    "GameError",
    "MalformedResponse",
    "Page",
    "RateLimited",
    "RateLimiter",
    "ServerUnavailable",
    "TransientError",
    "TransportFailure",
    "Window",
    "parse_remaining_seconds",
    "scope_for",
]
