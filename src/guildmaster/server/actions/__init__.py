"""Action services of the local game server: one module per group of ``/action/*`` endpoints.

Each service takes the :class:`~guildmaster.server.game.GameServer` and the acting character,
validates the whole request first (raising :class:`~guildmaster.server.errors.GameError` with the
spec's code and changing nothing), then applies it and returns an
:class:`~guildmaster.server.game.ActionResult`.
"""

from __future__ import annotations

from guildmaster.server.actions import (
    achievements,
    bank,
    combat,
    common,
    equipment,
    grandexchange,
    items,
    movement,
    npc,
    rest,
    skills,
    tasks,
)

__all__ = [
    "achievements",
    "bank",
    "combat",
    "common",
    "equipment",
    "grandexchange",
    "items",
    "movement",
    "npc",
    "rest",
    "skills",
    "tasks",
]
