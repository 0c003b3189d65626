"""Game errors raised by the server's services and turned into HTTP responses.

Every failure the API reports is a :class:`GameError` with the game's code as HTTP status and the
body ``{"error": {"code": <int>, "message": <str>}}`` (``ErrorResponseSchema`` of the v8 spec).
Services raise the subclass named by the situation; routes never build error bodies themselves.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "GameError",
    "error_body",
]


class GameError(Exception):
    """A rule violation reported to the client with the game's error code.

    >>> GameError(499, "Character in cooldown: 12 seconds left.").code
    499
    """

    def __init__(self, code: int, message: str, *, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        return error_body(self.code, self.message, data=self.data)


def error_body(code: int, message: str, *, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build an ``ErrorResponseSchema`` body."""
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"error": error}
