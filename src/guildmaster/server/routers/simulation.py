"""``POST /simulation/fight``: the engine's fight on fake characters."""

from __future__ import annotations

import random
from typing import Any

from fastapi import APIRouter, Request

from guildmaster.server.deps import AccountDep, GameDep
from guildmaster.server.engine import Fighter, Utility, character_stats, monster_stats
from guildmaster.server.engine.combat import simulate_fight
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.schemas import CombatSimulationRequestSchema, FakeCharacterSchema
from guildmaster.server.state import EQUIPMENT_SLOTS
from guildmaster.server.world import Json

__all__ = ["build_router", "fake_fighter"]


def _item(game: GameServer, code: str) -> Json:
    item = game.world.items.get(code)
    if item is None:
        raise NotFound(f"Item {code} not found.")
    return item


def _effects(item: Json) -> list[tuple[str, int]]:
    return [(str(e["code"]), int(e["value"])) for e in item.get("effects") or []]


def fake_fighter(game: GameServer, fake: FakeCharacterSchema, name: str) -> Fighter:
    """A fighter from a fake character's level and slots.

    Raises:
        NotFound: A slot names an unknown item.
    """
    equipment: list[tuple[str, int]] = []
    rune_effects: list[tuple[str, int]] = []
    utilities: list[Utility] = []
    for slot in EQUIPMENT_SLOTS:
        code = getattr(fake, f"{slot}_slot", None)
        if not code:
            continue
        item = _item(game, code)
        if slot.startswith("utility"):
            quantity = int(getattr(fake, f"{slot}_slot_quantity"))
            utilities.append(Utility(slot, code, quantity, tuple(_effects(item))))
            continue
        equipment.extend(_effects(item))
        if slot == "rune":
            rune_effects.extend(_effects(item))
    stats = character_stats(fake.level, equipment)
    return Fighter(
        name=name,
        stats=stats,
        hp=stats.max_hp,
        effects=tuple(rune_effects),
        utilities=tuple(utilities),
    )


def build_router() -> APIRouter:
    """The fight simulation route."""
    router = APIRouter(tags=["simulation"])

    @router.post("/simulation/fight")
    async def simulate(
        body: CombatSimulationRequestSchema, request: Request, account: AccountDep, game: GameDep
    ) -> dict[str, Any]:
        """Fight ``iterations`` times; ``{results, wins, losses, winrate}`` (404 unknown code)."""
        monster = game.world.monsters.get(body.monster)
        if monster is None:
            raise NotFound("Monster not found.")
        fighters = [
            fake_fighter(game, fake, f"Character {index}")
            for index, fake in enumerate(body.characters, start=1)
        ]
        enemy = Fighter(
            name=str(monster.get("name") or monster["code"]),
            stats=monster_stats(monster),
            hp=int(monster["hp"]),
            effects=tuple(_effects(monster)),
            is_monster=True,
        )
        rng: random.Random = request.app.state.simulation_rng
        results = []
        wins = 0
        for _ in range(body.iterations):
            outcome = simulate_fight(
                fighters,
                enemy,
                rng,
                monster_type=str(monster.get("type", "normal")),
                rules=game.rules,
            )
            wins += outcome.result == "win"
            results.append(
                {
                    "result": outcome.result,
                    "turns": outcome.turns,
                    "logs": list(outcome.logs),
                    "character_results": [
                        {
                            "character_name": fighter.name,
                            "final_hp": int(outcome.final_hp.get(fighter.name, 0)),
                            "utilities_used": dict(outcome.utilities_used.get(fighter.name, {})),
                        }
                        for fighter in fighters
                    ],
                }
            )
        losses = body.iterations - wins
        return {
            "data": {
                "results": results,
                "wins": wins,
                "losses": losses,
                "winrate": round(100.0 * wins / body.iterations, 2),
            }
        }

    return router
