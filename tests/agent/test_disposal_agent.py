"""The agent's side of a disposal errand: it recycles the banked surplus the team coordinator
hands it, on the local server."""

from __future__ import annotations

import asyncio
from typing import Any

from test_player_support import generated_world, session

from guildmaster.agent.character import CharacterAgent
from guildmaster.clock import VirtualClock
from guildmaster.coordinator import Coordinator, TeamStore

HELM = "govaine_helm"  # gearcrafting 1: 4 govaine_bar + 2 traenorybow_wisp, no NPC buys it
BANK_TILE = ("overworld", 0, 2)


def test_a_character_recycles_banked_surplus_on_the_local_server() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[dict[str, int], dict[str, int], Coordinator]:
        async with session(generated_world(7), clock) as s:
            server = s.game.character(s.name)
            server.layer, server.x, server.y = BANK_TILE
            s.game.state.banks[server.account].items[HELM] = 5
            coordinator = Coordinator(s.gamedata, TeamStore(), clock=clock, characters=(s.name,))
            agent = CharacterAgent(
                s.name, client=s.client, gamedata=s.gamedata, clock=clock, advisor=coordinator
            )
            stop = asyncio.Event()

            async def stopper() -> None:
                await clock.sleep(900)
                stop.set()

            timer = asyncio.create_task(stopper())
            await agent.run(stop)
            await timer
            bank = {i.code: i.quantity for i in await s.client.my_bank_items()}
            return bank, dict(server.inventory_items()), coordinator

    bank, held, coordinator = clock.run(scenario())
    assert bank.get(HELM, 0) + held.get(HELM, 0) == 3  # the quota is kept
    materials = bank.get("govaine_bar", 0) + held.get("govaine_bar", 0)
    materials += bank.get("traenorybow_wisp", 0) + held.get("traenorybow_wisp", 0)
    assert materials >= 4  # two helms recycled: 2 units each
    counts: dict[str, Any] = coordinator.status()["disposals"]
    assert counts.get("recycle") == 1 and counts.get("reached") == 1
