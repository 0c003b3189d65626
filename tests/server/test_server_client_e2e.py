"""End to end: the player's API client against the local server, in one virtual-time loop.

The client's pydantic models (generated from the real spec) must parse every response of the
core endpoints, and its rate limiter must keep it under the server's default limits.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from server_fixtures import fixture_settings, snapshot_world, world_data

from guildmaster.api.client import CATALOGUES, AsyncArtifactsClient
from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.settings import RateLimitSettings
from guildmaster.server.world import World, parse_world


async def _tour(client: AsyncArtifactsClient, world: World) -> dict[str, int]:
    await client.create_account("touring", "tour-pass", "tour@example.com")
    await client.generate_token("touring", "tour-pass")
    await client.configure_rate_limits()
    char = await client.create_character("Tourist", "women2")
    assert char.name == "Tourist" and char.hp == char.max_hp
    assert [c.name for c in await client.my_characters()] == ["Tourist"]
    assert (await client.get_character("Tourist")).account == "touring"
    assert (await client.my_details()).username == "touring"
    assert (await client.my_bank()).slots > 0
    assert await client.my_bank_items() == []
    await client.my_logs()
    await client.my_pending_items()
    await client.my_ge_orders()
    await client.my_ge_history()
    await client.character_stats("Tourist")
    await client.account("touring")
    await client.account_achievements("touring")
    await client.leaderboard_characters()
    await client.leaderboard_accounts()
    await client.ge_orders()
    item = next(iter(world.items))
    monster = next(iter(world.monsters))
    assert (await client.item(item)).code == item
    assert (await client.monster(monster)).code == monster
    tile = world.maps.tiles[0]
    assert (await client.map_at(tile["layer"], tile["x"], tile["y"])).map_id == tile["map_id"]
    assert (await client.map_by_id(tile["map_id"])).name == tile["name"]
    sizes = {name: len(await client.fetch_catalogue(name)) for name in sorted(CATALOGUES)}
    result = await client.simulate_fight([{"level": 10}], monster, iterations=2)
    assert result.wins + result.losses == 2
    await client.delete_character("Tourist")
    assert await client.my_characters() == []
    return sizes


def _run(world: World, *, rate_limits: RateLimitSettings) -> tuple[dict[str, int], dict[str, int]]:
    clock = VirtualClock()
    app = create_app(fixture_settings(rate_limits=rate_limits), clock, world=world)

    async def scenario() -> tuple[dict[str, int], dict[str, int]]:
        transport = httpx.ASGITransport(app=app)
        async with AsyncArtifactsClient(
            "http://test", None, transport=transport, clock=clock
        ) as client:
            return await _tour(client, world), client.stats.as_dict()

    return clock.run(scenario())


def test_client_tour_on_the_fixture_world_under_default_limits() -> None:
    world = parse_world(world_data())
    sizes, stats = _run(world, rate_limits=RateLimitSettings())
    assert stats["http_429"] == 0 and stats["other_errors"] == 0
    assert sizes["items"] == len(world.items)
    assert sizes["maps"] == len(world.maps.tiles)
    assert sizes["npcs/items"] == len(world.npc_offers)


def test_client_tour_on_the_snapshot_world(snapshot_path: Path) -> None:
    world = snapshot_world(snapshot_path)
    sizes, _ = _run(world, rate_limits=RateLimitSettings(enabled=False))
    assert sizes["items"] == len(world.items) > 100
    assert sizes["maps"] == len(world.maps.tiles) > 1000
    assert sizes["monsters"] == len(world.monsters)
