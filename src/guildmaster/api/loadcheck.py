"""A limiter/cooldown check: N characters act as fast as allowed through one shared limiter.

:func:`run_limiter_check` gives each character its own client (as separate agents would have)
sharing one :class:`~guildmaster.api.ratelimit.RateLimiter`, configures it from
``GET /my/rates``, and has every character ``rest`` back to back (the shortest action, 3 s,
so five characters press against the 100 actions/minute cap) with a character read every few
actions. It counts what a well-behaved client must keep at zero (429s, 499s) and how many
requests each action costs. Works on any clock; on a ``VirtualClock`` with the local server in
process, two minutes of play take well under a second.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError, MaxCharactersReached
from guildmaster.api.ratelimit import RateLimiter
from guildmaster.clock import Clock

__all__ = ["ClientFactory", "run_limiter_check"]

logger = logging.getLogger(__name__)

#: Builds one authenticated client on the shared limiter (sync or async).
ClientFactory = Callable[[RateLimiter], AsyncArtifactsClient | Awaitable[AsyncArtifactsClient]]

_SKINS = ("men1", "women1", "men2", "women2", "men3")


async def _make_client(factory: ClientFactory, limiter: RateLimiter) -> AsyncArtifactsClient:
    made = factory(limiter)
    if inspect.isawaitable(made):
        return await made
    return made


async def _ensure_characters(
    client: AsyncArtifactsClient, count: int, names: Sequence[str] | None
) -> list[str]:
    """Return ``count`` character names of the account, creating missing ones if allowed."""
    existing = [c.name for c in await client.my_characters()]
    wanted = list(names) if names is not None else []
    if not wanted:
        wanted = existing[:count]
        index = 0
        while len(wanted) < count:
            candidate = f"loadcheck{index}"
            index += 1
            if candidate not in wanted:
                wanted.append(candidate)
    ready: list[str] = []
    for i, name in enumerate(wanted[:count]):
        if name not in existing:
            try:
                await client.create_character(name, _SKINS[i % len(_SKINS)])
            except MaxCharactersReached:
                logger.warning("account is full; checking with %d characters", len(ready))
                break
        ready.append(name)
    return ready


async def run_limiter_check(
    client_factory: ClientFactory,
    *,
    characters: int = 5,
    seconds: float = 120.0,
    clock: Clock,
    names: Sequence[str] | None = None,
    read_every: int = 5,
) -> dict[str, Any]:
    """Run the check for ``seconds`` of ``clock`` time and return its counters.

    The result has ``characters, seconds, elapsed_seconds, actions, requests,
    requests_per_action, actions_per_minute, http_429, cooldown_errors (499),
    in_progress_errors (486), other_errors, retries, per_character {name: actions}``.

    Raises:
        ValueError: if ``characters`` < 1 or ``seconds`` <= 0.
    """
    if characters < 1 or seconds <= 0:
        raise ValueError("need at least one character and a positive duration")
    limiter = RateLimiter(clock=clock)
    setup = await _make_client(client_factory, limiter)
    clients: list[AsyncArtifactsClient] = [setup]
    try:
        await setup.configure_rate_limits()
        cast = await _ensure_characters(setup, characters, names)
        for character in cast:
            await setup.get_character(character)
        clients.extend([await _make_client(client_factory, limiter) for _ in cast[1:]])
        start = clock.now()
        deadline = start + timedelta(seconds=seconds)
        per_character = {name: 0 for name in cast}
        errors: dict[str, int] = {}

        async def play(client: AsyncArtifactsClient, name: str) -> None:
            # Seed this client's view of the character's cooldown (one read per agent).
            await client.get_character(name)
            while clock.now() < deadline:
                try:
                    await client.rest(name)
                    per_character[name] += 1
                    if read_every > 0 and per_character[name] % read_every == 0:
                        await client.get_character(name)
                except ArtifactsError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    logger.warning("%s: %s", name, exc)
                    await clock.sleep(1.0)

        await asyncio.gather(*(play(c, n) for c, n in zip(clients, cast, strict=True)))
        elapsed = (clock.now() - start).total_seconds()
        # ``setup`` played the first character too, so sum every client once.
        totals = [c.stats for c in clients]
        actions = sum(s.actions for s in totals)
        requests = sum(s.requests for s in totals)
        return {
            "characters": len(cast),
            "seconds": seconds,
            "elapsed_seconds": elapsed,
            "actions": actions,
            "requests": requests,
            "requests_per_action": requests / actions if actions else 0.0,
            "actions_per_minute": actions / elapsed * 60 if elapsed > 0 else 0.0,
            "http_429": sum(s.http_429 for s in totals),
            "cooldown_errors": sum(s.cooldown_errors for s in totals),
            "in_progress_errors": sum(s.in_progress_errors for s in totals),
            "other_errors": sum(s.other_errors for s in totals),
            "retries": sum(s.retries for s in totals),
            "errors_by_type": errors,
            "per_character": per_character,
        }
    finally:
        for client in clients:
            await client.aclose()
