"""Helpers for the player tests: a local server in process, an account, a character, an agent.

No tests here; the player tests import these helpers (``from test_player_support import ...``).
"""

from __future__ import annotations

import asyncio
import base64
import functools
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from guildmaster.agent.advisor import Advice
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.metrics import RunMetrics
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.clock import VirtualClock
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains.state import GameState
from guildmaster.server.actions.tasks import TaskSettings
from guildmaster.server.app import create_app
from guildmaster.server.settings import RateLimitSettings, ServerSettings
from guildmaster.server.world import parse_world
from guildmaster.server.worldgen import generate_world

__all__ = ["AdviseOnce", "Session", "generated_world", "play_for", "session"]

PASSWORD = "secret-pass"


@functools.lru_cache(maxsize=4)
def generated_world(seed: int) -> dict[str, Any]:
    """The generated world ``seed`` (cached: generation takes a moment)."""
    return generate_world(seed)


@dataclass
class Session:
    """A running local server with one account and one character, and a client for it."""

    app: Any
    client: AsyncArtifactsClient
    gamedata: GameData
    clock: VirtualClock
    name: str

    @property
    def game(self) -> Any:
        """The server's GameServer (tests may tweak the world state directly)."""
        return self.app.state.game


@asynccontextmanager
async def session(
    world: Mapping[str, Any],
    clock: VirtualClock,
    *,
    name: str = "hero",
    rate_limits: bool = True,
    seed: int = 0,
) -> AsyncIterator[Session]:
    """Start a server on ``world``, create an account and character ``name``, yield a client."""
    # Generated worlds name their tasks currency; the server's task rules must use it.
    coin = (world.get("meta") or {}).get("tasks_currency")
    settings = ServerSettings(
        world="test",
        seed=seed,
        rate_limits=RateLimitSettings(enabled=rate_limits),
        tasks=TaskSettings(coin=str(coin)) if coin else None,
    )
    app = create_app(settings, clock, world=parse_world(world))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.post(
            "/accounts/create",
            json={"username": "player1", "password": PASSWORD, "email": "p@example.com"},
        )
        assert response.status_code == 200, response.text
        basic = base64.b64encode(f"player1:{PASSWORD}".encode()).decode()
        response = await http.post("/token", headers={"Authorization": f"Basic {basic}"})
        token = response.json()["token"]
    client = AsyncArtifactsClient("http://test", token, transport=transport, clock=clock)
    try:
        await client.create_character(name, "men1")
        gamedata = GameData.from_snapshot(world)
        yield Session(app, client, gamedata, clock, name)
    finally:
        await client.aclose()


async def play_for(
    s: Session,
    game_seconds: float,
    *,
    config: AgentConfig | None = None,
    metrics: RunMetrics | None = None,
) -> CharacterAgent:
    """Run an agent on ``s`` for ``game_seconds`` of virtual time and return it."""
    agent = CharacterAgent(
        s.name,
        client=s.client,
        gamedata=s.gamedata,
        clock=s.clock,
        metrics=metrics,
        config=config,
    )
    stop = asyncio.Event()

    async def stopper() -> None:
        await s.clock.sleep(game_seconds)
        stop.set()

    timer = asyncio.create_task(stopper())
    await agent.run(stop)
    await timer
    return agent


class AdviseOnce:
    """An advisor that gives one goal (built by ``make`` from the state) once, then nothing,
    and records why goals failed."""

    def __init__(self, make: Any) -> None:
        self.make = make
        self.given = False
        self.failures: list[str] = []

    def advise(self, name: str, state: GameState) -> Advice | None:
        if self.given:
            return None
        self.given = True
        return Advice(goal=self.make(state), note="test")

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        """Record why goals failed."""
        if event == "goal_failed":
            self.failures.append(str(data["reason"]))
