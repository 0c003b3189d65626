"""The root of the API client's errors and its branches, named by the recovery they need.

The whole tree is drawn in :mod:`guildmaster.api.errors`; import every error class from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

__all__ = [
    "AccountError",
    "ActionOutcomeUnknown",
    "ActionRefused",
    "ArtifactsError",
    "AuthError",
    "GameError",
    "MalformedResponse",
    "RequestError",
    "ServerUnavailable",
    "TransientError",
    "TransportFailure",
    "UnknownGameError",
]


class ArtifactsError(Exception):
    """Root of every error the API client raises."""

    #: The game code a class stands for (None for failures that are not game codes).
    default_code: ClassVar[int | None] = None

    def __init__(
        self,
        message: str = "",
        *,
        code: int | None = None,
        character: str | None = None,
        response: httpx.Response | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message or (self.__doc__ or type(self).__name__).strip().splitlines()[0]
        self.code = code if code is not None else self.default_code
        self.character = character
        self.response = response
        self.data: Mapping[str, Any] = data or {}
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f" [{self.character}]" if self.character else ""
        code = f"{self.code} " if self.code is not None else ""
        return f"{code}{self.message}{where}"


class TransportFailure(ArtifactsError):
    """The request could not be completed (timeout, connection error) after retries."""


class ActionOutcomeUnknown(TransportFailure):
    """An action may have been performed but its outcome is unknown; re-read the state.

    Raised for a lost answer (read timeout, dropped connection) or a 500/504 during an action.

    Never retried automatically: resending could perform the action twice.
    """


class ServerUnavailable(ArtifactsError):
    """The server kept answering 5xx after retries."""


class MalformedResponse(ArtifactsError):
    """The response body is not the JSON shape the v8 spec promises."""


class GameError(ArtifactsError):
    """The server answered with a game error code."""


class UnknownGameError(GameError):
    """A game error code this client does not know (kept with its code)."""


class TransientError(GameError):
    """A temporary refusal: wait and retry the same request."""


class RequestError(GameError):
    """The request is wrong (unknown entity, invalid payload)."""


class AuthError(GameError):
    """Authentication or membership problem."""


class AccountError(GameError):
    """Account management refused (names, passwords, gems, subscriptions, skins)."""


class ActionRefused(GameError):
    """The game rules refuse this action in the current state."""
