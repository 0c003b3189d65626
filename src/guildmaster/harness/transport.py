"""HTTP plumbing of a run: where a server is, and a transport that reports every status.

:class:`Endpoint` is a base URL plus how to build a transport to it (an in-process app through
``httpx.ASGITransport``, or a real HTTP server); :class:`RecordingTransport` wraps a transport
and reports each response's status to a :class:`ResponseTap` (the bench's request counters).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Endpoint", "RecordingTransport", "ResponseTap"]


class ResponseTap:
    """Fans every HTTP response status out to its listeners (and counts them)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[int], None]] = []
        self.count = 0

    def subscribe(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(status)`` for every later response."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[int], None]) -> None:
        """Stop calling ``listener`` (no-op if it was not subscribed)."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def publish(self, status: int) -> None:
        """Report one response status."""
        self.count += 1
        for listener in list(self._listeners):
            listener(status)


class RecordingTransport(httpx.AsyncBaseTransport):
    """A transport wrapper that reports each response's status to a :class:`ResponseTap`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, tap: ResponseTap) -> None:
        self._inner = inner
        self._tap = tap

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Forward ``request`` and publish the status of its response."""
        response = await self._inner.handle_async_request(request)
        self._tap.publish(response.status_code)
        return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()


@dataclass(frozen=True)
class Endpoint:
    """Where a server is: its base URL and how to build a transport to it."""

    base_url: str
    make_transport: Callable[[], httpx.AsyncBaseTransport]

    @classmethod
    def from_url(cls, url: str) -> Endpoint:
        """A real HTTP server at ``url``."""
        return cls(base_url=url.rstrip("/"), make_transport=httpx.AsyncHTTPTransport)

    @classmethod
    def from_app(cls, app: Any, *, base_url: str = "http://local.guildmaster") -> Endpoint:
        """An ASGI app in this process (``httpx.ASGITransport``; no socket)."""
        return cls(base_url=base_url, make_transport=lambda: httpx.ASGITransport(app=app))
