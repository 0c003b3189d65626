"""Static catalogue routes: items, monsters, resources, NPCs, tasks, events, effects, achievements.

Entries are served as the world stores them (already in the API's shape), filtered as the spec's
query parameters describe and paginated with the static-catalogue size bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from guildmaster.server.deps import GameDep
from guildmaster.server.errors import NotFound
from guildmaster.server.game import GameServer
from guildmaster.server.pagination import StaticPageDep, paginate
from guildmaster.server.routers.accounts import AchievementType
from guildmaster.server.routers.common import (
    CodePath,
    CodeQuery,
    ItemType,
    MapContentType,
    NameQuery,
    matches_name,
    within_levels,
)
from guildmaster.server.world import Json

__all__ = [
    "get_achievement",
    "get_achievements",
    "get_active_events",
    "get_effect",
    "get_effects",
    "get_events",
    "get_item",
    "get_items",
    "get_items_of_npc",
    "get_monster",
    "get_monsters",
    "get_npc",
    "get_npc_items",
    "get_npcs",
    "get_resource",
    "get_resources",
    "get_task",
    "get_task_reward",
    "get_task_rewards",
    "get_tasks",
    "npc_schema",
    "router",
]

CraftSkill = Literal[
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "woodcutting",
    "mining",
    "alchemy",
]
Skill = Literal[
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "woodcutting",
    "mining",
    "alchemy",
    "fishing",
]
GatheringSkill = Literal["mining", "woodcutting", "fishing", "alchemy"]
TaskType = Literal["monsters", "items"]
NPCType = Literal["merchant", "trader"]
LevelQuery = Annotated[int | None, Query(ge=0)]


def _one(catalogue: Mapping[str, Json], code: str, what: str) -> Json:
    entry = catalogue.get(code)
    if entry is None:
        raise NotFound(f"{what} not found.")
    return entry


def _drops_include(entry: Json, code: str | None) -> bool:
    return code is None or any(drop.get("code") == code for drop in entry.get("drops") or [])


def npc_schema(game: GameServer, details: Json) -> Json:
    """``NPCSchema``: an NPC's details with its item offers."""
    offers = [
        {
            "code": offer["code"],
            "currency": offer["currency"],
            "buy_price": offer.get("buy_price"),
            "sell_price": offer.get("sell_price"),
        }
        for offer in game.world.offers_of(str(details["code"]))
    ]
    return {**details, "items": offers}


def _achievement(entry: Json) -> Json:
    return {key: value for key, value in entry.items() if key != "completed_at"}


def _items(
    game: GameServer,
    name: str | None,
    min_level: int | None,
    max_level: int | None,
    type: str | None,
    craft_skill: str | None,
    craft_material: str | None,
) -> list[Json]:
    def keep(item: Json) -> bool:
        craft = item.get("craft") or {}
        materials = {m.get("code") for m in craft.get("items") or []}
        return (
            matches_name(item, name)
            and within_levels(int(item.get("level", 1)), min_level, max_level)
            and (type is None or item.get("type") == type)
            and (craft_skill is None or craft.get("skill") == craft_skill)
            and (craft_material is None or craft_material in materials)
        )

    return [item for item in game.world.items.values() if keep(item)]


def _monsters(
    game: GameServer,
    name: str | None,
    min_level: int | None,
    max_level: int | None,
    drop: str | None,
) -> list[Json]:
    return [
        m
        for m in game.world.monsters.values()
        if matches_name(m, name)
        and within_levels(int(m.get("level", 1)), min_level, max_level)
        and _drops_include(m, drop)
    ]


def _resources(
    game: GameServer,
    min_level: int | None,
    max_level: int | None,
    skill: str | None,
    drop: str | None,
) -> list[Json]:
    return [
        r
        for r in game.world.resources.values()
        if within_levels(int(r.get("level", 1)), min_level, max_level)
        and (skill is None or r.get("skill") == skill)
        and _drops_include(r, drop)
    ]


def _npcs(
    game: GameServer,
    name: str | None,
    type: str | None,
    currency: str | None,
    item: str | None,
) -> list[Json]:
    npcs = []
    for details in game.world.npc_details.values():
        offers = game.world.offers_of(str(details["code"]))
        if (
            matches_name(details, name)
            and (type is None or details.get("type") == type)
            and (currency is None or any(o.get("currency") == currency for o in offers))
            and (item is None or any(o.get("code") == item for o in offers))
        ):
            npcs.append(npc_schema(game, details))
    return npcs


def _npc_offers(
    game: GameServer, code: str | None, npc: str | None, currency: str | None
) -> list[Json]:
    return [
        o
        for o in game.world.npc_offers
        if (code is None or o.get("code") == code)
        and (npc is None or o.get("npc") == npc)
        and (currency is None or o.get("currency") == currency)
    ]


def _tasks(
    game: GameServer,
    min_level: int | None,
    max_level: int | None,
    skill: str | None,
    type: str | None,
) -> list[Json]:
    return [
        t
        for t in game.world.tasks.values()
        if within_levels(int(t.get("level", 1)), min_level, max_level)
        and (skill is None or t.get("skill") == skill)
        and (type is None or t.get("type") == type)
    ]


def _events(game: GameServer, type: str | None) -> list[Json]:
    return [
        e
        for e in game.world.events.values()
        if type is None or (e.get("content") or {}).get("type") == type
    ]


def _achievements(game: GameServer, type: str | None) -> list[Json]:
    return [
        _achievement(a)
        for a in game.world.achievements.values()
        if type is None or any(o.get("type") == type for o in a.get("objectives") or [])
    ]


router = APIRouter(tags=["catalogue"])


@router.get("/items")
async def get_items(
    game: GameDep,
    page: StaticPageDep,
    name: NameQuery = None,
    min_level: LevelQuery = None,
    max_level: LevelQuery = None,
    type: Annotated[ItemType | None, Query()] = None,
    craft_skill: Annotated[CraftSkill | None, Query()] = None,
    craft_material: CodeQuery = None,
) -> dict[str, Any]:
    """Items (filters: name, level range, type, craft skill, craft material)."""
    items = _items(game, name, min_level, max_level, type, craft_skill, craft_material)
    return paginate(items, page)


@router.get("/items/{code}")
async def get_item(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One item (404 if unknown)."""
    return {"data": _one(game.world.items, code, "Item")}


@router.get("/monsters")
async def get_monsters(
    game: GameDep,
    page: StaticPageDep,
    name: NameQuery = None,
    min_level: LevelQuery = None,
    max_level: LevelQuery = None,
    drop: CodeQuery = None,
) -> dict[str, Any]:
    """Monsters (filters: name, level range, drop)."""
    return paginate(_monsters(game, name, min_level, max_level, drop), page)


@router.get("/monsters/{code}")
async def get_monster(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One monster (404 if unknown)."""
    return {"data": _one(game.world.monsters, code, "Monster")}


@router.get("/resources")
async def get_resources(
    game: GameDep,
    page: StaticPageDep,
    min_level: LevelQuery = None,
    max_level: LevelQuery = None,
    skill: Annotated[GatheringSkill | None, Query()] = None,
    drop: CodeQuery = None,
) -> dict[str, Any]:
    """Resources (filters: level range, skill, drop)."""
    return paginate(_resources(game, min_level, max_level, skill, drop), page)


@router.get("/resources/{code}")
async def get_resource(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One resource (404 if unknown)."""
    return {"data": _one(game.world.resources, code, "Resource")}


@router.get("/npcs/details")
async def get_npcs(
    game: GameDep,
    page: StaticPageDep,
    name: NameQuery = None,
    type: Annotated[NPCType | None, Query()] = None,
    currency: CodeQuery = None,
    item: CodeQuery = None,
) -> dict[str, Any]:
    """NPCs with their offers (filters: name, type, currency, item)."""
    return paginate(_npcs(game, name, type, currency, item), page)


@router.get("/npcs/details/{code}")
async def get_npc(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One NPC with its offers (404 if unknown)."""
    return {"data": npc_schema(game, _one(game.world.npc_details, code, "NPC"))}


@router.get("/npcs/items")
async def get_npc_items(
    game: GameDep,
    page: StaticPageDep,
    code: CodeQuery = None,
    npc: CodeQuery = None,
    currency: CodeQuery = None,
) -> dict[str, Any]:
    """Every NPC item offer (filters: item code, npc, currency)."""
    return paginate(_npc_offers(game, code, npc, currency), page)


@router.get("/npcs/items/{code}")
async def get_items_of_npc(code: CodePath, game: GameDep, page: StaticPageDep) -> dict[str, Any]:
    """The item offers of one NPC (404 if unknown)."""
    _one(game.world.npc_details, code, "NPC")
    return paginate(game.world.offers_of(code), page)


@router.get("/tasks/list")
async def get_tasks(
    game: GameDep,
    page: StaticPageDep,
    min_level: LevelQuery = None,
    max_level: LevelQuery = None,
    skill: Annotated[Skill | None, Query()] = None,
    type: Annotated[TaskType | None, Query()] = None,
) -> dict[str, Any]:
    """Tasks (filters: level range, skill, type)."""
    return paginate(_tasks(game, min_level, max_level, skill, type), page)


@router.get("/tasks/list/{code}")
async def get_task(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One task (404 if unknown)."""
    return {"data": _one(game.world.tasks, code, "Task")}


@router.get("/tasks/rewards")
async def get_task_rewards(game: GameDep, page: StaticPageDep) -> dict[str, Any]:
    """The rewards of task exchanges, with their drop rates."""
    return paginate(game.world.task_rewards, page)


@router.get("/tasks/rewards/{code}")
async def get_task_reward(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One task-exchange reward (404 if unknown)."""
    rewards = {str(r["code"]): r for r in game.world.task_rewards}
    return {"data": _one(rewards, code, "Tasks reward")}


@router.get("/events")
async def get_events(
    game: GameDep,
    page: StaticPageDep,
    type: Annotated[MapContentType | None, Query()] = None,
) -> dict[str, Any]:
    """Every event of the world (filter: content type)."""
    return paginate(_events(game, type), page)


@router.get("/events/active")
async def get_active_events(game: GameDep, page: StaticPageDep) -> dict[str, Any]:
    """Events running now (``ActiveEventSchema``)."""
    return paginate(game.state.active_events, page)


@router.get("/effects")
async def get_effects(game: GameDep, page: StaticPageDep) -> dict[str, Any]:
    """Every effect."""
    return paginate(list(game.world.effects.values()), page)


@router.get("/effects/{code}")
async def get_effect(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One effect (404 if unknown)."""
    return {"data": _one(game.world.effects, code, "Effect")}


@router.get("/achievements")
async def get_achievements(
    game: GameDep,
    page: StaticPageDep,
    type: Annotated[AchievementType | None, Query()] = None,
) -> dict[str, Any]:
    """Every achievement (filter: objective type)."""
    return paginate(_achievements(game, type), page)


@router.get("/achievements/{code}")
async def get_achievement(code: CodePath, game: GameDep) -> dict[str, Any]:
    """One achievement (404 if unknown)."""
    return {"data": _achievement(_one(game.world.achievements, code, "Achievement"))}
