"""FastAPI dependencies as ``Annotated`` aliases over what ``create_app`` puts on ``app.state``.

The game service, settings, task rules, account service, rate limiter, the simulation RNG and the
current account. Every dependency is ``async`` (the server also runs inside a virtual-time event
loop, where FastAPI's thread pool for sync dependencies would break time).
"""

from __future__ import annotations

import random
from typing import Annotated

from fastapi import Depends, Request

from guildmaster.server.accounts import AccountService
from guildmaster.server.actions.tasks import DEFAULT_TASK_SETTINGS, TaskSettings
from guildmaster.server.auth import parse_bearer
from guildmaster.server.errors import TokenInvalid, TokenMissing
from guildmaster.server.events import advance_events
from guildmaster.server.game import GameServer
from guildmaster.server.ratelimit import RateLimiter
from guildmaster.server.settings import ServerSettings

__all__ = [
    "AccountDep",
    "AccountsDep",
    "GameDep",
    "LimiterDep",
    "SettingsDep",
    "SimulationRngDep",
    "TaskSettingsDep",
    "current_account",
    "get_accounts",
    "get_game",
    "get_limiter",
    "get_settings",
    "get_simulation_rng",
    "get_task_settings",
]


async def get_game(request: Request) -> GameServer:
    """The app's :class:`GameServer`, after catching up on world events."""
    game: GameServer = request.app.state.game
    advance_events(game)
    return game


async def get_settings(request: Request) -> ServerSettings:
    """The app's :class:`ServerSettings`."""
    settings: ServerSettings = request.app.state.settings
    return settings


async def get_task_settings(request: Request) -> TaskSettings:
    """The task rules of the action routes (``settings.tasks``, else the defaults)."""
    settings: ServerSettings = request.app.state.settings
    return DEFAULT_TASK_SETTINGS if settings.tasks is None else settings.tasks


async def get_accounts(request: Request) -> AccountService:
    """The app's :class:`AccountService`."""
    accounts: AccountService = request.app.state.accounts
    return accounts


async def get_limiter(request: Request) -> RateLimiter:
    """The app's :class:`RateLimiter`."""
    limiter: RateLimiter = request.app.state.limiter
    return limiter


async def get_simulation_rng(request: Request) -> random.Random:
    """The seeded RNG of the app's fight simulations (apart from the game's own)."""
    rng: random.Random = request.app.state.simulation_rng
    return rng


async def current_account(request: Request) -> str:
    """The account name the request's bearer token belongs to.

    Raises:
        TokenMissing: No bearer token is sent.
        TokenInvalid: The token is unknown.
    """
    token = parse_bearer(request.headers.get("authorization"))
    if token is None:
        raise TokenMissing("Token is missing.")
    accounts: AccountService = request.app.state.accounts
    account = accounts.account_of(token)
    if account is None:
        raise TokenInvalid("Token is invalid.")
    return account


GameDep = Annotated[GameServer, Depends(get_game)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
TaskSettingsDep = Annotated[TaskSettings, Depends(get_task_settings)]
AccountsDep = Annotated[AccountService, Depends(get_accounts)]
LimiterDep = Annotated[RateLimiter, Depends(get_limiter)]
SimulationRngDep = Annotated[random.Random, Depends(get_simulation_rng)]
AccountDep = Annotated[str, Depends(current_account)]
