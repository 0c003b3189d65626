"""Assigning characters to pipeline stages: by need, by whose skill gains most, sticky.

A stage's *need* is the work it still has to do (game seconds). Characters are assigned
greedily, best ``(character, stage)`` score first::

    score = need / (1 + already assigned) * (1 + gain / best gain on that stage) * stickiness

where ``gain`` is the XP per game-second the character's own skill earns on the stage and
``stickiness`` is 1.3 for the stage the character already works (switching costs travel and
breaks batches). Several characters may share a stage; craft and refine stages take one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from guildmaster.coordinator.plan import Stage
from guildmaster.coordinator.store import CharacterName
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import (
    GameState,
    combat_xp,
    crafting_xp,
    gathering_seconds,
    gathering_xp,
)

__all__ = ["STICKY_BONUS", "assign_stages", "stage_capacity", "stage_gain", "stage_subject"]

logger = logging.getLogger(__name__)

#: Bonus for keeping one's current stage (30 %).
STICKY_BONUS: Final = 0.30
_CRAFT_SECONDS: Final = 5.0
_FIGHT_SECONDS: Final = 45.0


def stage_subject(stage: Stage) -> str:
    """Return what the stage works on: resource, item, monster or NPC code (from its id)."""
    return stage.id.split(":", 1)[1]


def stage_capacity(stage: Stage) -> int | None:
    """Return how many characters a stage takes (``None``: any number)."""
    return 1 if stage.kind in ("craft", "refine") else None


def stage_gain(
    gamedata: GameData,
    state: GameState,
    stage: Stage,
    *,
    wins: Callable[[GameState, str], bool] | None = None,
) -> float | None:
    """Return the XP per game-second ``state``'s own skill earns on ``stage``.

    ``None`` when the character cannot work the stage (skill too low, or a fight it would
    not win: ``wins`` decides, by default the character's level must reach the monster's).
    """
    subject = stage_subject(stage)
    if stage.kind == "gather":
        resource = gamedata.resources.get(subject)
        if resource is None or state.skill(resource.skill) < resource.level:
            return None
        xp = gathering_xp(state.skill(resource.skill), resource.level)
        return xp / gathering_seconds(resource.level)
    if stage.kind in ("craft", "refine"):
        item = gamedata.items.get(subject)
        if item is None or item.craft is None or state.skill(item.craft.skill) < item.craft.level:
            return None
        return crafting_xp(item.craft.skill, state.skill(item.craft.skill), item.level) / (
            _CRAFT_SECONDS
        )
    if stage.kind == "fight":
        monster = gamedata.monsters.get(subject)
        if monster is None:
            return None
        if not (state.level >= monster.level if wins is None else wins(state, monster.code)):
            return None
        xp = combat_xp(state.level, monster.level, monster.hp, monster_type=monster.type)
        return xp / _FIGHT_SECONDS
    return 0.0


def assign_stages(
    gamedata: GameData,
    states: Mapping[CharacterName, GameState],
    stages: Sequence[Stage],
    need: Mapping[str, float],
    current: Mapping[CharacterName, str],
    *,
    sticky_bonus: float = STICKY_BONUS,
    wins: Callable[[GameState, str], bool] | None = None,
    worth: Callable[[CharacterName, Stage, float], bool] | None = None,
) -> dict[CharacterName, str]:
    """Return ``character -> stage id`` for the characters that have useful work.

    Stages without need (``need <= 0``) get nobody; a character that can work no needy stage
    stays unassigned (it plans alone). ``worth(name, stage, gain)`` can veto a pairing (the
    character would do better on its own).
    """
    gains: dict[tuple[CharacterName, str], float] = {}
    for name, state in states.items():
        for stage in stages:
            if need.get(stage.id, 0.0) <= 0:
                continue
            gain = stage_gain(gamedata, state, stage, wins=wins)
            if gain is not None and (worth is None or worth(name, stage, gain)):
                gains[(name, stage.id)] = gain
    best_gain: dict[str, float] = {}
    for (_, stage_id), gain in gains.items():
        best_gain[stage_id] = max(best_gain.get(stage_id, 0.0), gain)
    capacity = {s.id: stage_capacity(s) for s in stages}
    counts = {s.id: 0 for s in stages}
    result: dict[CharacterName, str] = {}
    while True:
        best: tuple[float, CharacterName, str] | None = None
        for (name, stage_id), gain in sorted(gains.items()):
            if name in result:
                continue
            cap = capacity.get(stage_id)
            if cap is not None and counts[stage_id] >= cap:
                continue
            top = best_gain.get(stage_id, 0.0)
            score = need[stage_id] / (1 + counts[stage_id]) * (1 + (gain / top if top else 0.0))
            if current.get(name) == stage_id:
                score *= 1 + sticky_bonus
            if best is None or score > best[0]:
                best = (score, name, stage_id)
        if best is None:
            break
        _, name, stage_id = best
        result[name] = stage_id
        counts[stage_id] += 1
    changed = {n: s for n, s in result.items() if current.get(n) != s}
    if changed:
        logger.info("assignments changed: %s", changed)
    return result
