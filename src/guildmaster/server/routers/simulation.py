"""``POST /simulation/fight``: the engine's fight on fake characters."""

from __future__ import annotations

import random
from typing import Any

from fastapi import APIRouter

from guildmaster.server.deps import AccountDep, GameDep, SimulationRngDep
from guildmaster.server.engine import (
    Fighter,
    FightResult,
    Utility,
    character_stats,
    monster_stats,
)
from guildmaster.server.engine.combat import simulate_fight
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.schemas import CombatSimulationRequestSchema, FakeCharacterSchema
from guildmaster.server.state import EQUIPMENT_SLOTS
from guildmaster.server.world import Json

__all__ = [
    "fake_fighter",
    "router",
    "simulate",
    "simulate_fights",
]


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


def _enemy(monster: Json) -> Fighter:
    return Fighter(
        name=str(monster.get("name") or monster["code"]),
        stats=monster_stats(monster),
        hp=int(monster["hp"]),
        effects=tuple(_effects(monster)),
        is_monster=True,
    )


def _fight_result(outcome: FightResult, fighters: list[Fighter]) -> dict[str, Any]:
    """``CombatSimulationResult`` of one simulated fight."""
    return {
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


def simulate_fights(
    game: GameServer, body: CombatSimulationRequestSchema, rng: random.Random
) -> dict[str, Any]:
    """Fight ``body.iterations`` times: ``{results, wins, losses, winrate}``.

    Raises:
        NotFound: The monster or an equipped item is unknown.
    """
    monster = game.world.monsters.get(body.monster)
    if monster is None:
        raise NotFound("Monster not found.")
    fighters = [
        fake_fighter(game, fake, f"Character {index}")
        for index, fake in enumerate(body.characters, start=1)
    ]
    enemy = _enemy(monster)
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
        results.append(_fight_result(outcome, fighters))
    losses = body.iterations - wins
    return {
        "results": results,
        "wins": wins,
        "losses": losses,
        "winrate": round(100.0 * wins / body.iterations, 2),
    }


router = APIRouter(tags=["simulation"])


@router.post("/simulation/fight")
async def simulate(
    body: CombatSimulationRequestSchema,
    account: AccountDep,
    game: GameDep,
    rng: SimulationRngDep,
) -> dict[str, Any]:
    """Fight ``iterations`` times; ``{results, wins, losses, winrate}`` (404 unknown code)."""
    return {"data": simulate_fights(game, body, rng)}
