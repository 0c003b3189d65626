"""Per-bucket request rate limits (MECHANICS §21) on the injected clock, as ASGI middleware.

Requests fall into buckets by path: ``POST /my/{name}/action/*`` is ``action``,
``POST /simulation/fight`` is ``simulation``, ``/my/*``, ``/accounts/*``, ``/token`` and character
creation/deletion are ``account``, everything else ``data``. Each bucket has fixed windows
(second, minute, hour, day) counted per client key: the account of a valid bearer token, else the
token (hashed), else (anonymous requests) the client IP. A request over any window's limit gets
429 with ``Retry-After`` and the API's error body, and is not counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from guildmaster.clock import Clock
from guildmaster.server.auth import parse_bearer
from guildmaster.server.errors import RateLimited
from guildmaster.server.settings import WINDOWS, Bucket, RateLimitSettings, Window

__all__ = [
    "RateLimitMiddleware",
    "RateLimiter",
    "bucket_of",
    "client_key",
]

logger = logging.getLogger(__name__)

_ACCOUNT_PATHS = ("/token", "/characters/create", "/characters/delete")
_PRUNE_AT = 50_000


def bucket_of(method: str, path: str) -> Bucket:
    """The rate-limit bucket of a request.

    >>> bucket_of("POST", "/my/bob/action/move"), bucket_of("GET", "/items")
    ('action', 'data')
    """
    if method == "POST" and path.startswith("/my/") and "/action/" in path:
        return "action"
    if path.startswith("/simulation/"):
        return "simulation"
    if path.startswith(("/my/", "/accounts/")) or path in _ACCOUNT_PATHS:
        return "account"
    return "data"


def client_key(
    authorization: str | None,
    client_host: str | None,
    *,
    resolve_token: Callable[[str], str | None] | None = None,
) -> str:
    """The key requests are counted under: the token's account (if ``resolve_token`` knows it),
    else the hashed bearer token, else the client address."""
    token = parse_bearer(authorization)
    if token is not None:
        account = resolve_token(token) if resolve_token is not None else None
        if account is not None:
            return "account:" + account
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    return "ip:" + (client_host or "unknown")


class RateLimiter:
    """Fixed-window counters per (client key, bucket, window)."""

    def __init__(
        self,
        settings: RateLimitSettings,
        clock: Clock,
        *,
        resolve_token: Callable[[str], str | None] | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.resolve_token = resolve_token
        self._counts: dict[tuple[str, Bucket, Window], list[int]] = {}

    def key_for(self, authorization: str | None, client_host: str | None) -> str:
        """The counting key of a request (see :func:`client_key`)."""
        return client_key(authorization, client_host, resolve_token=self.resolve_token)

    @property
    def enabled(self) -> bool:
        """Whether limits are enforced."""
        return self.settings.enabled

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def hit(self, key: str, bucket: Bucket) -> float | None:
        """Count one request; None if allowed, else the seconds until it would be allowed."""
        if not self.settings.enabled:
            return None
        limits = self.settings.buckets.get(bucket)
        if limits is None:
            return None
        now = self._now()
        windows = limits.limits()
        wait = 0.0
        for window, limit in windows.items():
            length = WINDOWS[window]
            index = math.floor(now / length)
            entry = self._counts.get((key, bucket, window))
            count = entry[1] if entry is not None and entry[0] == index else 0
            if count >= limit:
                wait = max(wait, (index + 1) * length - now)
        if wait > 0:
            return wait
        for window in windows:
            length = WINDOWS[window]
            index = math.floor(now / length)
            entry = self._counts.get((key, bucket, window))
            if entry is None or entry[0] != index:
                self._counts[(key, bucket, window)] = [index, 1]
            else:
                entry[1] += 1
        if len(self._counts) > _PRUNE_AT:
            self._prune(now)
        return None

    def _prune(self, now: float) -> None:
        stale = [
            k for k, (index, _) in self._counts.items() if index < math.floor(now / WINDOWS[k[2]])
        ]
        for k in stale:
            del self._counts[k]

    def report(self, key: str) -> dict[str, Any]:
        """``RateLimitsDataSchema`` for ``key``: limit, remaining and reset of every window."""
        now = self._now()
        data: dict[str, Any] = {}
        for bucket, limits in self.settings.buckets.items():
            scope: dict[str, Any] = {"second": None, "minute": None, "hour": None, "day": None}
            for window, limit in limits.limits().items():
                length = WINDOWS[window]
                index = math.floor(now / length)
                entry = self._counts.get((key, bucket, window))
                used = entry[1] if entry is not None and entry[0] == index else 0
                reset = datetime.fromtimestamp((index + 1) * length, tz=UTC)
                scope[window] = {
                    "limit": limit,
                    "remaining": max(0, limit - used),
                    "reset": reset.isoformat().replace("+00:00", "Z"),
                }
            data[bucket] = scope
        for bucket in ("account", "data", "action", "simulation"):
            data.setdefault(bucket, {"second": None, "minute": None, "hour": None, "day": None})
        data["assistant"] = None
        return data


class RateLimitMiddleware:
    """ASGI middleware answering 429 (with ``Retry-After``) when a bucket is exhausted."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request and pass it on, or answer 429."""
        if scope["type"] != "http" or not self.limiter.enabled:
            await self.app(scope, receive, send)
            return
        authorization = None
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                authorization = value.decode("latin-1")
                break
        client = scope.get("client")
        key = self.limiter.key_for(authorization, client[0] if client else None)
        bucket = bucket_of(scope["method"], scope["path"])
        wait = self.limiter.hit(key, bucket)
        if wait is None:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        logger.debug("429 for %s on %s (%s bucket)", key, scope["path"], bucket)
        error = RateLimited(f"Too many requests: {bucket} rate limit exceeded.")
        body = json.dumps(error.body()).encode()
        await send(
            {
                "type": "http.response.start",
                "status": error.code,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry_after).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
