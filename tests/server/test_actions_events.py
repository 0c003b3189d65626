"""Events: per-minute spawns with probability 1/rate, tile overlay, expiry, cap, catch-up."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import httpx
from server_fixtures import SpecValidator, world_data
from test_actions_helpers import add_character, token_for
from test_actions_helpers import light_game as game

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import combat
from guildmaster.server.events import (
    EventScheduler,
    EventSettings,
    advance_events,
    scheduler_of,
)
from guildmaster.server.game import GameServer
from guildmaster.server.world import parse_world

__all__ = ["game"]

SPOT = ("overworld", -2, -2)


def _content(game: GameServer) -> Any:
    tile = game.world.maps.get(*SPOT)
    assert tile is not None
    return tile["interactions"]["content"]


def test_event_starts_overlays_its_tile_and_expires(game: GameServer, clock: VirtualClock) -> None:
    game.world.events["chicken_swarm"]["rate"] = 1
    scheduler = EventScheduler(EventSettings(seed=3))
    assert scheduler.advance(game) == []  # the first call only sets the cursor
    assert _content(game) is None
    clock.advance(60)
    assert scheduler.advance(game) == ["chicken_swarm"]
    assert _content(game) == {"type": "monster", "code": "chicken"}
    (active,) = game.state.active_events
    assert set(active) == {
        "name",
        "code",
        "map",
        "previous_map",
        "duration",
        "expiration",
        "created_at",
    }
    assert active["map"]["interactions"]["content"]["code"] == "chicken"
    assert active["map"]["skin"] == "swarm"
    assert active["previous_map"]["interactions"]["content"] is None
    assert active["expiration"] == (clock.epoch + timedelta(minutes=61)).isoformat().replace(
        "+00:00", "Z"
    )
    # the event's content is fought with the normal action
    hero = add_character(game, at=(-2, -2))
    assert combat.fight(game, hero).data["fight"]["opponent"] == "chicken"
    scheduler.settings = EventSettings(enabled=False)
    clock.advance(59 * 60)
    scheduler.advance(game)
    assert len(game.state.active_events) == 1  # minute 60: still running
    clock.advance(60)
    scheduler.advance(game)
    assert game.state.active_events == []
    assert _content(game) is None
    tile = game.world.maps.get(*SPOT)
    assert tile is not None and tile["skin"] == "overworld_-2_-2"


def test_catch_up_replays_every_minute(game: GameServer, clock: VirtualClock) -> None:
    game.world.events["chicken_swarm"]["rate"] = 1
    scheduler = EventScheduler()
    scheduler.advance(game)
    clock.advance(150 * 60)
    started = scheduler.advance(game)
    assert started == ["chicken_swarm"] * 3  # minutes 1, 61 and 121
    (active,) = game.state.active_events
    assert active["created_at"] == (clock.epoch + timedelta(minutes=121)).isoformat().replace(
        "+00:00", "Z"
    )


def test_spawn_frequency_follows_the_rate(game: GameServer, clock: VirtualClock) -> None:
    game.world.events["chicken_swarm"].update(rate=10, duration=1)
    scheduler = EventScheduler(EventSettings(seed=11))
    scheduler.advance(game)
    clock.advance(5000 * 60)
    started = len(scheduler.advance(game))
    # about one start per 10 inactive minutes (each lasts 1 minute): ~5000/11 = 455
    assert 350 < started < 560


def test_global_cap_and_transition_overlay(game: GameServer, clock: VirtualClock) -> None:
    event = game.world.events["chicken_swarm"]
    event["rate"] = 1
    event["transition"] = {"map_id": 101, "x": 3, "y": 0, "layer": "underground", "conditions": []}
    capped = EventScheduler(EventSettings(max_active=0))
    capped.advance(game)
    clock.advance(600)
    assert capped.advance(game) == []
    scheduler = EventScheduler()
    scheduler.advance(game)
    clock.advance(60)
    scheduler.advance(game)
    tile = game.world.maps.get(*SPOT)
    assert tile is not None
    assert tile["interactions"]["transition"]["map_id"] == 101


def test_same_seed_same_events() -> None:
    def run() -> list[str]:
        virtual = VirtualClock()
        server = GameServer(world=parse_world(world_data()), clock=virtual, rng=random.Random(1))
        server.world.events["chicken_swarm"].update(rate=7, duration=3)
        scheduler = EventScheduler(EventSettings(seed=5))
        scheduler.advance(server)
        starts: list[str] = []
        for _ in range(50):
            virtual.advance(60 * 13)
            starts.extend(f"{server.clock.now()}:{c}" for c in scheduler.advance(server))
        return starts

    first = run()
    assert first and first == run()


def test_reconcile_reapplies_persisted_events(game: GameServer, clock: VirtualClock) -> None:
    game.world.events["chicken_swarm"]["rate"] = 1
    scheduler = EventScheduler()
    scheduler.advance(game)
    clock.advance(60)
    scheduler.advance(game)
    saved = list(game.state.active_events)
    restarted = GameServer(world=parse_world(world_data()), clock=clock, state=game.state)
    assert _content(restarted) is None  # a fresh world has the base tile
    advance_events(restarted)
    assert _content(restarted) == {"type": "monster", "code": "chicken"}
    assert restarted.state.active_events == saved
    assert scheduler_of(restarted) is scheduler_of(restarted)


async def test_events_advance_before_requests(
    app: Any, client: httpx.AsyncClient, clock: VirtualClock
) -> None:
    server: GameServer = app.state.game
    server.world.events["chicken_swarm"]["rate"] = 1
    hero = add_character(server)
    headers = token_for(app, hero.account)
    response = await client.post("/my/hero/action/rest", headers=headers)
    assert response.status_code == 200
    assert server.state.active_events == []
    clock.advance(120)
    response = await client.post("/my/hero/action/rest", headers=headers)
    assert response.status_code == 200
    assert [e["code"] for e in server.state.active_events] == ["chicken_swarm"]


def test_active_events_match_the_spec(
    game: GameServer, clock: VirtualClock, spec_validator: SpecValidator
) -> None:
    game.world.events["chicken_swarm"]["rate"] = 1
    advance_events(game)
    clock.advance(60)
    advance_events(game)
    (active,) = game.state.active_events
    spec_validator.validate_body(active, "#/components/schemas/ActiveEventSchema")
