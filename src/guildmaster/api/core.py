"""The HTTP core of the client: one ``httpx.AsyncClient``, limits, retries, decoding, paging.

:class:`ApiCore` does everything that is not specific to one endpoint:

* every request waits for a slot in the account's :class:`~guildmaster.api.ratelimit.RateLimiter`
  (scope from :func:`~guildmaster.api.ratelimit.scope_for`, fairness key = character);
* a 429 pauses the scope (``Retry-After``) and the request queues again, it never fails
  unless the server keeps refusing for ``max_rate_limited`` attempts;
* network errors and 5xx are retried with exponential back-off and seeded jitter (tenacity,
  sleeping on the injected clock), except where resending an action could perform it twice
  (read timeouts, 500, 504: :class:`~guildmaster.api.errors.ActionOutcomeUnknown`); game
  errors are raised at once as :mod:`guildmaster.api.errors` classes;
* action requests of one character are serialised (one in flight per client), wait for the
  character's known cooldown first, record the new cooldown, and on 499/486 resynchronise
  (message or character re-read), wait, and retry once; an action whose answer was lost is
  never resent (:class:`~guildmaster.api.errors.ActionOutcomeUnknown`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self, TypeVar, cast
from urllib.parse import quote

import httpx
import pydantic
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
)
from tenacity.wait import wait_base

from guildmaster.api.cooldowns import CooldownTracker, parse_remaining_seconds
from guildmaster.api.errors import (
    ERROR_CLASSES,
    ActionInProgress,
    ActionOutcomeUnknown,
    ArtifactsError,
    CooldownActive,
    MalformedResponse,
    RateLimited,
    ServerUnavailable,
    TransportFailure,
    error_for_status,
)
from guildmaster.api.models import ApiModel, CharacterSchema, CooldownSchema, Page
from guildmaster.api.ratelimit import RateLimiter, scope_for
from guildmaster.clock import Clock, RealClock

__all__ = ["ApiCore", "ClientStats"]

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=ApiModel)

#: Transport errors that guarantee the request never reached the server (safe to resend).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

#: 5xx statuses meaning the request was not processed (safe to resend an action).
_NOT_PROCESSED = frozenset({502, 503})

#: Largest page size the catalogue endpoints accept everywhere.
PAGE_SIZE = 100


@dataclass
class ClientStats:
    """Counters of one client (mutable; read them, do not write)."""

    requests: int = 0
    actions: int = 0
    retries: int = 0
    http_429: int = 0
    cooldown_errors: int = 0
    in_progress_errors: int = 0
    other_errors: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counters as a plain dict."""
        return asdict(self)


class _JitteredBackoff(wait_base):
    """Exponential back-off with "equal jitter" from a seeded generator."""

    def __init__(self, rng: random.Random, *, base: float, cap: float) -> None:
        self._rng = rng
        self._base = base
        self._cap = cap

    def __call__(self, retry_state: RetryCallState) -> float:
        ceiling = min(self._cap, self._base * 2.0 ** (retry_state.attempt_number - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)


def _retry_after(response: httpx.Response, now: datetime) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), None if absent or bad."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, str | int | float]:
    cleaned: dict[str, str | int | float] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            cleaned[key] = "true" if value else "false"
        else:
            cleaned[key] = value
    return cleaned


def _segment(value: str | int) -> str:
    """Quote one path segment (names are ``[a-zA-Z0-9_-]`` but never trust input)."""
    return quote(str(value), safe="")


class ApiCore:
    """Transport, limiter, retries, decoding and pagination shared by every endpoint method.

    Raises (from every request): the :mod:`guildmaster.api.errors` classes.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        limiter: RateLimiter | None = None,
        timeout: float = 30.0,
        max_attempts: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_rate_limited: int = 50,
        busy_pause: float = 1.0,
        page_concurrency: int = 4,
        seed: int = 0,
    ) -> None:
        self._clock = clock or (limiter.clock if limiter is not None else RealClock())
        self._limiter = limiter or RateLimiter(clock=self._clock)
        self.cooldowns = CooldownTracker(self._clock)
        self.stats = ClientStats()
        # One action at a time per character from this client (a second would get 486).
        self._action_locks: dict[str, asyncio.Lock] = {}
        self._max_attempts = max_attempts
        self._max_rate_limited = max_rate_limited
        self._busy_pause = busy_pause
        self._page_concurrency = max(1, page_concurrency)
        self._backoff = _JitteredBackoff(random.Random(seed), base=backoff_base, cap=backoff_cap)
        headers = {"Accept": "application/json"}
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), transport=transport, timeout=timeout, headers=headers
        )
        self.set_token(token)

    # --- lifecycle -----------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        """The clock every wait goes through."""
        return self._clock

    @property
    def base_url(self) -> str:
        """The server's base URL (also the key of the knowledge layer's catalogue cache)."""
        return str(self._http.base_url).rstrip("/")

    @property
    def limiter(self) -> RateLimiter:
        """The (account-wide) rate limiter this client queues on."""
        return self._limiter

    def set_token(self, token: str | None) -> None:
        """Use ``token`` (or none) for the following requests."""
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        else:
            self._http.headers.pop("Authorization", None)

    async def aclose(self) -> None:
        """Close the underlying HTTP client."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- requests ------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        character: str | None = None,
        auth: httpx.Auth | None = None,
    ) -> Any:
        """Send one request with limits and retries; return the decoded JSON body.

        Raises:
            TransportFailure: network errors persisted through every attempt.
            ActionOutcomeUnknown: an action was sent but its answer was lost (not resent).
            ServerUnavailable: 5xx persisted through every attempt.
            RateLimited: the server kept answering 429 ``max_rate_limited`` times.
            MalformedResponse: the body is not JSON.
            GameError: the server refused with a game code (a subclass per code).
        """
        retrying = AsyncRetrying(
            retry=(
                retry_if_exception_type((TransportFailure, ServerUnavailable))
                & retry_if_not_exception_type(ActionOutcomeUnknown)
            ),
            stop=stop_after_attempt(self._max_attempts),
            wait=self._backoff,
            sleep=self._clock.sleep,
            reraise=True,
            before_sleep=self._before_retry,
        )
        async for attempt in retrying:
            with attempt:
                return await self._send_once(method, path, json, params, character, auth)
        raise AssertionError("unreachable: tenacity either returns or reraises")  # pragma: no cover

    def _before_retry(self, retry_state: RetryCallState) -> None:
        self.stats.retries += 1
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        logger.warning("retrying after %r (attempt %d)", error, retry_state.attempt_number)

    async def _send_once(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, Any] | None,
        character: str | None,
        auth: httpx.Auth | None,
    ) -> Any:
        scope = scope_for(method, path)
        refused = 0
        while True:
            await self._limiter.acquire(scope, key=character)
            self.stats.requests += 1
            try:
                response = await self._http.request(
                    method,
                    path,
                    json=json,
                    params=_clean_params(params),
                    auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
                )
            except httpx.TransportError as exc:
                message = f"{method} {path}: {type(exc).__name__}: {exc}"
                if scope == "action" and not isinstance(exc, _NOT_SENT):
                    raise ActionOutcomeUnknown(message, character=character) from exc
                raise TransportFailure(message, character=character) from exc
            logger.debug("%s %s -> %d", method, path, response.status_code)
            if response.status_code != 429:
                self._limiter.succeeded(scope)
                return self._decode(response, character, is_action=scope == "action")
            refused += 1
            self.stats.http_429 += 1
            retry_after = _retry_after(response, self._clock.now())
            self._limiter.penalize(scope, retry_after)
            if refused >= self._max_rate_limited:
                raise RateLimited(
                    f"{method} {path}: still rate limited after {refused} attempts",
                    retry_after=retry_after,
                    character=character,
                    response=response,
                )

    def _decode(
        self, response: httpx.Response, character: str | None, *, is_action: bool = False
    ) -> Any:
        status = response.status_code
        if status >= 500 and status not in ERROR_CLASSES:
            if is_action and status not in _NOT_PROCESSED:
                # A crash mid-action may have changed the game: resending could do it twice.
                raise ActionOutcomeUnknown(
                    f"HTTP {status} during an action: {response.text[:200]}",
                    code=status,
                    character=character,
                    response=response,
                )
            raise ServerUnavailable(
                f"HTTP {status}: {response.text[:200]}",
                code=status,
                character=character,
                response=response,
            )
        try:
            body = response.json()
        except ValueError as exc:
            if status >= 400:
                self.stats.other_errors += 1
                raise error_for_status(
                    status, response.text[:200], character=character, response=response
                ) from exc
            raise MalformedResponse(
                f"HTTP {status}: body is not JSON: {response.text[:200]!r}",
                character=character,
                response=response,
            ) from exc
        if status >= 400:
            raise self._error_from_body(status, body, response, character)
        return body

    def _error_from_body(
        self, status: int, body: Any, response: httpx.Response, character: str | None
    ) -> Exception:
        code, message, data = status, "", None
        envelope = body.get("error") if isinstance(body, dict) else None
        if isinstance(envelope, dict):
            raw_code = envelope.get("code")
            code = raw_code if isinstance(raw_code, int) else status
            message = str(envelope.get("message", ""))
            raw_data = envelope.get("data")
            data = raw_data if isinstance(raw_data, dict) else None
        elif isinstance(body, dict) and "detail" in body:
            message = str(body["detail"])  # FastAPI's own 422/HTTPException shape
        error = error_for_status(code, message, character=character, response=response, data=data)
        if isinstance(error, CooldownActive):
            error.remaining_seconds = parse_remaining_seconds(message)
            self.stats.cooldown_errors += 1
        elif isinstance(error, ActionInProgress):
            self.stats.in_progress_errors += 1
        else:
            self.stats.other_errors += 1
        return error

    # --- decoding helpers ----------------------------------------------------------------

    @staticmethod
    def _data(body: Any, response_hint: str = "") -> Any:
        if not isinstance(body, dict) or "data" not in body:
            raise MalformedResponse(f"expected a {{'data': ...}} envelope {response_hint}".strip())
        return body["data"]

    @staticmethod
    def _validate(model: type[M], value: Any) -> M:
        try:
            return model.model_validate(value)
        except pydantic.ValidationError as exc:
            raise MalformedResponse(f"invalid {model.__name__}: {exc}") from exc

    async def get_data(
        self, model: type[M], path: str, *, params: Mapping[str, Any] | None = None
    ) -> M:
        """GET ``path`` and return its ``data`` validated as ``model``."""
        body = await self.request("GET", path, params=params)
        return self._validate(model, self._data(body, path))

    async def post_data(
        self, model: type[M], path: str, *, json: Any = None, character: str | None = None
    ) -> M:
        """POST ``json`` to ``path`` and return its ``data`` validated as ``model``."""
        body = await self.request("POST", path, json=json, character=character)
        return self._validate(model, self._data(body, path))

    async def get_page(
        self,
        model: type[M],
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        page: int = 1,
        size: int = PAGE_SIZE,
    ) -> Page[M]:
        """GET one page of a paginated list.

        Raises:
            ValueError: if ``page`` < 1 or ``size`` is not in 1..100.
        """
        if page < 1 or not 1 <= size <= PAGE_SIZE:
            raise ValueError(f"invalid page {page} / size {size}")
        body = await self.request(
            "GET", path, params={**(params or {}), "page": page, "size": size}
        )
        page_model = cast(type[Page[M]], Page[model])  # type: ignore[valid-type]
        return self._validate(page_model, body)

    async def get_all(
        self, model: type[M], path: str, *, params: Mapping[str, Any] | None = None
    ) -> list[M]:
        """GET every page of a paginated list and return all items validated as ``model``."""
        return [self._validate(model, raw) for raw in await self.get_all_raw(path, params=params)]

    async def get_all_raw(
        self, path: str, *, params: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """GET every page of a paginated list (size 100, a few pages at a time) as raw dicts.

        Raises:
            MalformedResponse: a page is not ``{data: [...], ...}``.
        """
        first = await self.request("GET", path, params={**(params or {}), "page": 1, "size": 100})
        items = self._page_items(first, path)
        pages = first.get("pages") if isinstance(first, dict) else None
        if not isinstance(pages, int):
            total = first.get("total")
            pages = -(-total // PAGE_SIZE) if isinstance(total, int) else None
        if pages is None:
            # No page count: walk sequentially until a short page.
            page = 1
            last = items
            while len(last) == PAGE_SIZE:
                page += 1
                body = await self.request("GET", path, params={**(params or {}), "page": page})
                last = self._page_items(body, path)
                items.extend(last)
            return items
        gate = asyncio.Semaphore(self._page_concurrency)

        async def fetch(page: int) -> list[dict[str, Any]]:
            async with gate:
                query = {**(params or {}), "page": page, "size": PAGE_SIZE}
                return self._page_items(await self.request("GET", path, params=query), path)

        rest = await asyncio.gather(*(fetch(page) for page in range(2, pages + 1)))
        for chunk in rest:
            items.extend(chunk)
        return items

    @staticmethod
    def _page_items(body: Any, path: str) -> list[dict[str, Any]]:
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise MalformedResponse(f"{path}: expected a page {{'data': [objects], ...}}")
        return cast(list[dict[str, Any]], data)

    # --- actions -------------------------------------------------------------------------

    async def action(self, name: str, action: str, model: type[M], body: Any = None) -> M:
        """Run ``POST /my/{name}/action/{action}`` honouring and recording the cooldown.

        Raises:
            ActionOutcomeUnknown: the answer was lost; the cooldown was re-read, state may
                have changed (the action is never resent blindly).
            CooldownActive: still in cooldown after one resynchronised retry.
            ActionInProgress: still busy after one retry.
            GameError: any other refusal (not retried).
        """
        path = f"/my/{_segment(name)}/action/{action}"
        lock = self._action_locks.setdefault(name, asyncio.Lock())
        async with lock:
            await self.cooldowns.wait(name)
            retried = False
            while True:
                try:
                    raw = await self.request("POST", path, json=body, character=name)
                except (CooldownActive, ActionInProgress) as exc:
                    # 486 also means "only bosses take several characters": waiting won't help.
                    if retried or "multiple characters" in exc.message:
                        raise
                    retried = True
                    await self._resync(name, exc)
                    continue
                except ActionOutcomeUnknown:
                    await self._refresh_cooldown(name)
                    raise
                self.stats.actions += 1
                result = self._validate(model, self._data(raw, path))
                self._record_action(name, result)
                return result

    def _record_action(self, name: str, result: ApiModel) -> None:
        cooldown = getattr(result, "cooldown", None)
        if isinstance(cooldown, CooldownSchema):
            self.cooldowns.record_cooldown(name, cooldown)
        # Multi-character fights put every participant in cooldown.
        for character in getattr(result, "characters", None) or ():
            if isinstance(character, CharacterSchema) and character.name != name:
                self.cooldowns.record_server_expiration(
                    character.name, character.cooldown_expiration
                )

    async def _refresh_cooldown(self, name: str) -> None:
        """Best effort: learn ``name``'s cooldown after a lost answer (ignore failures)."""
        try:
            body = await self.request("GET", f"/characters/{_segment(name)}")
            self.cooldowns.record_character(self._validate(CharacterSchema, self._data(body)))
        except ArtifactsError as exc:
            logger.warning("%s: could not re-read the character after a lost answer: %s", name, exc)

    async def _resync(self, name: str, error: CooldownActive | ActionInProgress) -> None:
        remaining = error.remaining_seconds if isinstance(error, CooldownActive) else None
        if remaining is not None:
            self.cooldowns.record_remaining(name, remaining)
        else:
            body = await self.request("GET", f"/characters/{_segment(name)}")
            self.cooldowns.record_character(self._validate(CharacterSchema, self._data(body)))
        if self.cooldowns.remaining(name) <= 0:
            # Busy or skewed clocks: the server said no, so give it a moment.
            self.cooldowns.record_remaining(name, self._busy_pause)
        logger.info(
            "%s: %s, resynchronised; waiting %.2fs", name, error, self.cooldowns.remaining(name)
        )
        await self.cooldowns.wait(name)

    @staticmethod
    def items_body(items: Sequence[tuple[str, int]] | Mapping[str, int]) -> list[dict[str, Any]]:
        """Build a ``[{code, quantity}]`` body from pairs or a mapping.

        Raises:
            ValueError: if the list is empty, longer than 20, or a quantity is not positive.
        """
        pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
        if not 1 <= len(pairs) <= 20:
            raise ValueError(f"between 1 and 20 item stacks per request, got {len(pairs)}")
        for code, quantity in pairs:
            if quantity < 1:
                raise ValueError(f"quantity of {code} must be positive, got {quantity}")
        return [{"code": code, "quantity": quantity} for code, quantity in pairs]
