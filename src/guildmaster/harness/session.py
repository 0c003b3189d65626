"""A local game and an account on it: :class:`LocalGame`, :func:`open_session`, :class:`Session`.

:class:`LocalGame` is the local server app built on a given clock and world spec (the only
place on the player side that builds the server, so the package imports
:mod:`guildmaster.server`). :func:`open_session` bootstraps an account (created if needed, token
via ``POST /token``, rate limits from ``GET /my/rates``, N characters with original names);
the :class:`Session` builds clients that share one rate limiter and report every HTTP status to
its :class:`~guildmaster.harness.transport.ResponseTap`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import CharacterNameTaken, UsernameTaken
from guildmaster.api.ratelimit import RateLimiter
from guildmaster.clock import Clock
from guildmaster.harness.transport import Endpoint, RecordingTransport, ResponseTap
from guildmaster.server.app import create_app
from guildmaster.server.settings import RateLimitSettings, ServerSettings

__all__ = [
    "ORIGINAL_NAMES",
    "SKINS",
    "AccountSpec",
    "LocalGame",
    "Session",
    "character_names",
    "open_session",
]

logger = logging.getLogger(__name__)

#: Names given to new characters, in order (original names, 3-12 characters).
ORIGINAL_NAMES: tuple[str, ...] = (
    "Alderwick",
    "Brisketta",
    "Cindervale",
    "Dunmorrow",
    "Emberlyn",
    "Fennimore",
    "Gorsebrook",
    "Hollowell",
    "Ivytide",
    "Juniperra",
)

#: Skins cycled through when creating characters (every server accepts these).
SKINS: tuple[str, ...] = ("men1", "women1", "men2", "women2", "men3")


class LocalGame:
    """The local game server app on ``clock``, reached in process through ASGITransport.

    ``world`` is ``generated:SEED`` or a world file path. Rate limits are on with the default
    numbers unless ``rate_limits=False``; ``rate_limit_scale`` multiplies them (the demo scales
    them with the clock so a faster game keeps the same requests per game second).

    Raises:
        WorldLoadError: if the world cannot be loaded.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        world: str = "generated:1",
        seed: int = 0,
        rate_limits: bool = True,
        rate_limit_scale: float = 1.0,
        db: str | None = None,
    ) -> None:
        limits = RateLimitSettings(enabled=rate_limits)
        if rate_limit_scale != 1.0:
            limits = limits.scaled(rate_limit_scale)
        self.clock = clock
        self.settings = ServerSettings(
            world=world, time_scale=clock.scale, db_path=db, seed=seed, rate_limits=limits
        )
        self.app = create_app(self.settings, clock)

    @property
    def endpoint(self) -> Endpoint:
        """The in-process endpoint of this game."""
        return Endpoint.from_app(self.app)


@dataclass(frozen=True)
class AccountSpec:
    """Credentials of an account to create (or reuse) on a local server."""

    username: str = "guildmaster"
    password: str = "guildmaster-pass"
    email: str = "guildmaster@example.com"


def character_names(count: int, *, taken: Sequence[str] = ()) -> list[str]:
    """``count`` original character names not in ``taken`` (case-insensitive).

    >>> character_names(2, taken=["alderwick"])
    ['Brisketta', 'Cindervale']
    """
    used = {name.lower() for name in taken}
    names: list[str] = []
    index = 0
    while len(names) < count:
        base = ORIGINAL_NAMES[index % len(ORIGINAL_NAMES)]
        round_ = index // len(ORIGINAL_NAMES)
        candidate = base if round_ == 0 else f"{base[:9]}{round_}"
        if candidate.lower() not in used:
            names.append(candidate)
            used.add(candidate.lower())
        index += 1
    return names


@dataclass
class Session:
    """An authenticated account on a server, with the characters a run plays.

    Every client it builds shares one account-wide :class:`RateLimiter`; tapped clients report
    each response status to :attr:`tap`. :meth:`aclose` closes every client built.
    """

    endpoint: Endpoint
    clock: Clock
    token: str
    names: tuple[str, ...]
    limiter: RateLimiter
    tap: ResponseTap = field(default_factory=ResponseTap)
    _clients: list[AsyncArtifactsClient] = field(default_factory=list)

    def client(self, *, tapped: bool = True, seed: int = 0) -> AsyncArtifactsClient:
        """A new client of this account (closed by :meth:`aclose`)."""
        transport = self.endpoint.make_transport()
        if tapped:
            transport = RecordingTransport(transport, self.tap)
        client = AsyncArtifactsClient(
            self.endpoint.base_url,
            self.token,
            transport=transport,
            clock=self.clock,
            limiter=self.limiter,
            seed=seed,
        )
        self._clients.append(client)
        return client

    @property
    def clients(self) -> tuple[AsyncArtifactsClient, ...]:
        """Every client built so far."""
        return tuple(self._clients)

    async def aclose(self) -> None:
        """Close every client built."""
        for client in self._clients:
            await client.aclose()
        self._clients.clear()


async def open_session(
    endpoint: Endpoint,
    *,
    clock: Clock,
    token: str | None = None,
    account: AccountSpec | None = None,
    characters: int | Sequence[str] | None = 1,
    create_missing: bool = True,
) -> Session:
    """Log in (creating ``account`` first when no ``token``) and make sure the characters exist.

    ``characters`` is a count (the account's existing characters first, then new ones with
    original names), explicit names, or None (every character the account has). The shared
    limiter is configured from ``GET /my/rates``.

    Raises:
        ValueError: neither ``token`` nor ``account`` given, or a wanted character is missing
            and ``create_missing`` is false.
        ArtifactsError: any API failure (bad credentials, full account...).
    """
    limiter = RateLimiter(clock=clock)
    session = Session(endpoint=endpoint, clock=clock, token=token or "", names=(), limiter=limiter)
    setup = session.client(tapped=False)
    try:
        if token is None:
            if account is None:
                raise ValueError("give a token or an account to create")
            with contextlib.suppress(UsernameTaken):
                await setup.create_account(account.username, account.password, account.email)
                logger.info("account %s created", account.username)
            session.token = await setup.generate_token(account.username, account.password)
        await setup.configure_rate_limits()
        session.names = tuple(await _ensure_characters(setup, characters, create_missing))
    except BaseException:
        await session.aclose()
        raise
    logger.info("session on %s: %s", endpoint.base_url, ", ".join(session.names))
    return session


async def _ensure_characters(
    client: AsyncArtifactsClient, characters: int | Sequence[str] | None, create_missing: bool
) -> list[str]:
    existing = [c.name for c in await client.my_characters()]
    if characters is None:
        return existing
    if isinstance(characters, int):
        wanted = existing[:characters]
        fresh = character_names(characters - len(wanted), taken=existing)
    else:
        wanted = [name for name in characters if name in existing]
        fresh = [name for name in characters if name not in existing]
    if fresh and not create_missing:
        raise ValueError(f"characters not on this account: {', '.join(fresh)}")
    taken = list(existing) + fresh
    for name in fresh:
        candidate = name
        while True:
            try:
                skin = SKINS[len(wanted) % len(SKINS)]
                await client.create_character(candidate, skin)
                break
            except CharacterNameTaken:
                if not isinstance(characters, int):
                    raise
                # Names are global on a shared server: take the next original name.
                candidate = character_names(1, taken=taken)[0]
                taken.append(candidate)
        wanted.append(candidate)
        logger.info("character %s created", candidate)
    return wanted
