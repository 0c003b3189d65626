"""Fights (MECHANICS §4): solo and multi-character boss fights, rewards, death and respawn.

The engine's ``simulate_fight`` plays the fight; this service checks the preconditions, builds
the fighters from the characters' equipment, then applies the outcome: HP, consumed utilities,
XP/gold/drops on a win (each participant rolls its own), monster-task progress, achievement
counters, and on death a respawn at the spawn tile with the configured HP.
"""

from __future__ import annotations

import logging

from guildmaster.server.actions.achievements import record_achievement
from guildmaster.server.actions.common import (
    award_combat_xp,
    deliver_items,
    inventory_is_full,
    require_item,
    stack_list,
)
from guildmaster.server.engine.combat import Fighter, FightResult, Utility, simulate_fight
from guildmaster.server.engine.drops import DropRate, roll_drops, roll_gold
from guildmaster.server.engine.durations import fight_seconds
from guildmaster.server.engine.stats import character_stats, monster_stats
from guildmaster.server.engine.xp import combat_xp
from guildmaster.server.errors import (
    ActionInProgress,
    CharacterInCooldown,
    ContentNotOnMap,
    InvalidPayload,
    InventoryFull,
    RaidPhaseInactive,
)
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = [
    "SPAWN",
    "character_fighter",
    "fight",
    "respawn",
]

logger = logging.getLogger(__name__)

#: Where dead characters reappear: (layer, x, y).
SPAWN = ("overworld", 0, 0)


def character_fighter(game: GameServer, char: Character) -> Fighter:
    """The engine's view of a character: stats, current HP, rune effects and utilities."""
    equipment = char.equipment_effects(game.world)
    effects: list[tuple[str, int]] = []
    rune = char.equipment.get("rune", "")
    if rune:
        item = require_item(game, rune)
        effects.extend((str(e["code"]), int(e["value"])) for e in item.get("effects") or [])
    utilities = []
    for slot in ("utility1", "utility2"):
        code = char.equipment.get(slot, "")
        quantity = char.utility_quantity.get(slot, 0)
        if code and quantity > 0:
            item = require_item(game, code)
            utility_effects = tuple(
                (str(e["code"]), int(e["value"])) for e in item.get("effects") or []
            )
            utilities.append(Utility(slot, code, quantity, utility_effects))
    return Fighter(
        name=char.name,
        stats=character_stats(char.level, equipment),
        hp=char.hp,
        effects=tuple(effects),
        utilities=tuple(utilities),
    )


def _monster_fighter(monster: Json, taken: set[str]) -> Fighter:
    name = str(monster.get("name") or monster["code"])
    while name in taken:
        name = f"{name} (monster)"
    effects = tuple((str(e["code"]), int(e["value"])) for e in monster.get("effects") or [])
    return Fighter(
        name=name,
        stats=monster_stats(monster),
        hp=int(monster["hp"]),
        effects=effects,
        is_monster=True,
    )


def respawn(game: GameServer, char: Character) -> None:
    """Send a dead character to the spawn tile with the configured HP."""
    layer, x, y = SPAWN
    tile = game.world.maps.get(layer, x, y)
    char.layer, char.x, char.y = layer, x, y
    if tile is not None:
        char.map_id = int(tile["map_id"])
    char.hp = max(1, min(game.rules.death_respawn_hp, char.max_hp))
    char.deaths += 1


def _participants(game: GameServer, char: Character, names: list[str]) -> list[Character]:
    others: list[Character] = []
    for name in names:
        if name == char.name or name in {o.name for o in others}:
            raise InvalidPayload("Participants must be distinct other characters.")
        other = game.owned_character(char.account, name)
        if (other.layer, other.x, other.y) != (char.layer, char.x, char.y):
            raise InvalidPayload(f"Participant {name} is not on the same map.")
        if game.is_busy(name):
            raise ActionInProgress(f"An action is already in progress for {name}.")
        if game.cooldown_left(other) > 0:
            raise CharacterInCooldown(f"Participant {name} is in cooldown.")
        others.append(other)
    return others


def _apply_outcome(game: GameServer, char: Character, monster: Json, result: FightResult) -> Json:
    """Apply one character's share of the fight; returns its CharacterMultiFightResultSchema."""
    final_hp = max(0, int(result.final_hp.get(char.name, char.hp)))
    for slot, used in result.utilities_used.get(char.name, {}).items():
        left = max(0, char.utility_quantity.get(slot, 0) - int(used))
        char.utility_quantity[slot] = left
        if left == 0:
            char.equipment[slot] = ""
    char.hp = final_hp
    xp = gold = 0
    drops: list[tuple[str, int]] = []
    if result.result == "win":
        xp = combat_xp(
            char_level=char.level,
            monster_level=int(monster.get("level", 1)),
            monster_hp=int(monster["hp"]),
            monster_type=str(monster.get("type", "normal")),
            wisdom=int(char.stats.get("wisdom", 0)),
            rules=game.rules,
        )
        gold = roll_gold(int(monster.get("min_gold", 0)), int(monster.get("max_gold", 0)), game.rng)
        table = [DropRate.from_api(d) for d in monster.get("drops") or []]
        drops = roll_drops(table, prospecting=int(char.stats.get("prospecting", 0)), rng=game.rng)
        deliver_items(game, char, drops, what="Fight drops")
        char.gold += gold
        award_combat_xp(game, char, xp)
        code = str(monster["code"])
        if char.task_type == "monsters" and char.task == code:
            char.task_progress = min(char.task_total, char.task_progress + 1)
        record_achievement(game, char.account, "combat_kill", code, 1)
        for item_code, quantity in drops:
            record_achievement(game, char.account, "combat_drop", item_code, quantity)
        record_achievement(game, char.account, "combat_level", None, char.level, absolute=True)
    if char.hp <= 0:
        respawn(game, char)
    return {
        "character_name": char.name,
        "xp": xp,
        "gold": gold,
        "drops": stack_list(drops),
        "final_hp": final_hp,
    }


def fight(game: GameServer, char: Character, participants: list[str] | None = None) -> ActionResult:
    """``POST /action/fight`` (``participants``: up to 2 more characters, bosses only).

    Raises:
        ContentNotOnMap: No monster here.
        RaidPhaseInactive: Raid not active.
        ActionInProgress: Participants for a non-boss (or a participant busy).
        CharacterNotFound: Unknown participant.
        CharacterInCooldown: Participant in cooldown.
        InvalidPayload: Participant elsewhere.
        InventoryFull: An inventory is full.
    """
    content = game.content_here(char)
    if content is not None and content.get("type") == "raid":
        raise RaidPhaseInactive("This raid phase is not currently active.")
    if content is None or content.get("type") != "monster":
        raise ContentNotOnMap("Monster not found on this map.")
    monster = game.world.monsters.get(str(content.get("code")))
    if monster is None:
        raise ContentNotOnMap("Monster not found on this map.")
    names = list(participants or [])
    if names and monster.get("type") != "boss":
        raise ActionInProgress("Only boss monsters can be fought by multiple characters.")
    team = [char, *_participants(game, char, names)]
    for member in team:
        if inventory_is_full(member):
            raise InventoryFull(f"{member.name}'s inventory is full.")
    fighters = [character_fighter(game, member) for member in team]
    opponent = _monster_fighter(monster, {f.name for f in fighters})
    result = simulate_fight(
        fighters,
        opponent,
        game.rng,
        monster_type=str(monster.get("type", "normal")),
        rules=game.rules,
    )
    shares = [_apply_outcome(game, member, monster, result) for member in team]
    seconds = fight_seconds(result.turns, int(char.stats.get("haste", 0)), game.rules)
    fight_data: Json = {
        "result": result.result,
        "turns": result.turns,
        "opponent": str(monster["code"]),
        "logs": list(result.logs),
        "characters": shares,
    }
    return ActionResult(
        seconds=seconds,
        reason="multi_fight" if names else "fight",
        data={"fight": fight_data, "characters": []},
        log_type="multi_fight" if names else "fight",
        description=f"{char.name} fought {monster['code']}: {result.result}.",
        content={"result": result.result, "turns": result.turns, "monster": monster["code"]},
        include_character=False,
        others=tuple(team[1:]),
        others_share_cooldown=True,
    )
