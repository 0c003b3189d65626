"""Rest (MECHANICS §5.1): back to full HP, 1 s per missing % (minimum 3 s)."""

from __future__ import annotations

from guildmaster.server.engine.rest import rest as rest_rule
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character

__all__ = ["rest"]


def rest(game: GameServer, char: Character) -> ActionResult:
    """``POST /action/rest``: restore all missing HP; allowed at full HP (3 s)."""
    restored, seconds = rest_rule(char.hp, char.max_hp)
    char.hp = char.max_hp
    return ActionResult(
        seconds=seconds,
        reason="rest",
        data={"hp_restored": restored},
        description=f"{char.name} rested and restored {restored} HP.",
        content={"hp_restored": restored},
    )
