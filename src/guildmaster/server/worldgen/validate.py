"""``validate_world``: every check on a world, collected into one :class:`ValidationReport`.

Works on generated worlds and on real snapshots (whose optional lists, such as ``npc_details``
or ``tasks_rewards``, may be absent). Files that are not worlds raise :class:`WorldFileError`.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from guildmaster.server.worldgen.checks import (
    check_cycles,
    check_references,
    check_shape,
    obtainable_items,
    placed_content,
    reachable_tiles,
    spawn_tile,
)
from guildmaster.server.worldgen.ladder import (
    check_combat_ladder,
    check_skill_ladders,
    check_starter,
)
from guildmaster.server.worldgen.report import Problem, ValidationReport, WorldFileError
from guildmaster.server.worldgen.vocab import CRAFT_SKILLS

__all__ = ["load_world_file", "validate_world"]

logger = logging.getLogger(__name__)

_EQUIPMENT = (
    "weapon",
    "shield",
    "helmet",
    "body_armor",
    "leg_armor",
    "boots",
    "ring",
    "amulet",
    "artifact",
)


def load_world_file(path: Path) -> dict[str, Any]:
    """Read and shape-check a world JSON file.

    Raises:
        WorldFileError: unreadable file, invalid JSON or not a world.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorldFileError(f"cannot read {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorldFileError(f"{path} is not valid JSON: {exc}") from exc
    check_shape(data)
    assert isinstance(data, dict)  # check_shape guarantees it; narrows the type
    return data


def validate_world(
    world: dict[str, Any], *, balance: bool = True, samples: int = 6
) -> ValidationReport:
    """Run every check on ``world`` and return the report.

    ``balance`` adds the progression ladders (simulated fights, ``samples`` per tried monster).

    Raises:
        WorldFileError: ``world`` does not have the shape of a world.
    """
    check_shape(world)
    try:
        return _validate(world, balance=balance, samples=samples)
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError) as exc:
        # Shape checks cover the fields the checks index; anything odder deeper down is still
        # a malformed file, never a crash.
        raise WorldFileError(f"malformed world data: {exc!r}") from exc


def _validate(world: dict[str, Any], *, balance: bool, samples: int) -> ValidationReport:
    problems: list[Problem] = []
    problems += check_references(world)
    problems += check_cycles(world)
    reachable = reachable_tiles(world)
    if spawn_tile(world) not in reachable:
        problems.append(
            Problem(
                "error", "reachability", f"spawn tile {spawn_tile(world)} is blocked or missing"
            )
        )
    problems += _reachability(world, reachable)
    placed = placed_content(world, reachable)
    problems += _placement(world, placed)
    obtainable = obtainable_items(world, placed)
    for item in world["items"]:
        if item["code"] not in obtainable:
            problems.append(
                Problem(
                    "error",
                    "obtainable",
                    f"item '{item['code']}' is unobtainable (no reachable recipe, drop, "
                    "merchant or reward gives it)",
                )
            )
    if balance:
        problems += _balance(world, placed, obtainable, samples)
    summary = _summary(world, reachable, obtainable)
    return ValidationReport(tuple(problems), summary)


def _reachability(world: dict[str, Any], reachable: set[tuple[str, int, int]]) -> list[Problem]:
    problems: list[Problem] = []
    unreachable_open = 0
    for tile in world["maps"]:
        key = (tile["layer"], tile["x"], tile["y"])
        access = tile["access"].get("type")
        content = tile["interactions"].get("content")
        what = f"map ({tile['layer']} {tile['x']},{tile['y']})"
        if content:
            what += f" holds {content.get('type')} '{content.get('code')}'"
        if content and access == "blocked":
            problems.append(Problem("error", "reachability", f"{what} on a blocked tile"))
        elif content and key not in reachable:
            problems.append(Problem("error", "reachability", f"{what} but is unreachable"))
        elif access != "blocked" and key not in reachable:
            unreachable_open += 1
    if unreachable_open:
        message = f"{unreachable_open} open tiles without content cannot be reached from the spawn"
        problems.append(Problem("warning", "reachability", message))
    for event in world.get("events") or []:
        for spot in event.get("maps") or []:
            if (spot.get("layer"), spot.get("x"), spot.get("y")) not in reachable:
                where = f"({spot.get('layer')} {spot.get('x')},{spot.get('y')})"
                message = f"event '{event['code']}' tile {where} cannot be reached"
                problems.append(Problem("error", "reachability", message))
    return problems


def _placement(world: dict[str, Any], placed: dict[str, set[str]]) -> list[Problem]:
    problems: list[Problem] = []
    for key, kind in (("monsters", "monster"), ("resources", "resource")):
        for entry in world[key]:
            if entry["code"] not in placed.get(kind, set()) | placed.get(f"event_{kind}", set()):
                problems.append(
                    Problem(
                        "warning",
                        "placement",
                        f"{kind} '{entry['code']}' is on no reachable tile and in no event",
                    )
                )
    workshops = placed.get("workshop", set())
    used = {str((i.get("craft") or {}).get("skill")) for i in world["items"] if i.get("craft")}
    for skill in sorted(used & set(CRAFT_SKILLS)):
        if skill not in workshops:
            problems.append(Problem("error", "placement", f"no reachable workshop for {skill}"))
    for kind in ("bank", "grand_exchange", "tasks_master"):
        if not placed.get(kind):
            problems.append(Problem("error", "placement", f"no reachable {kind} tile"))
    return problems


def _balance(
    world: dict[str, Any], placed: dict[str, set[str]], obtainable: set[str], samples: int
) -> list[Problem]:
    monsters = [m for m in world["monsters"] if m["code"] in placed.get("monster", set())]
    resources = [r for r in world["resources"] if r["code"] in placed.get("resource", set())]
    gear = [i for i in world["items"] if i["type"] in _EQUIPMENT and i["code"] in obtainable]
    recipes = [i for i in world["items"] if i.get("craft") and i["code"] in obtainable]
    problems = check_skill_ladders(resources, recipes)
    problems += check_combat_ladder(monsters, gear, samples=samples)
    starter = set((world.get("meta") or {}).get("starter_items") or [])
    if starter:
        items = [i for i in world["items"] if i["code"] in starter]
        problems += check_starter(monsters, items)
    return problems


def _summary(
    world: dict[str, Any], reachable: set[tuple[str, int, int]], obtainable: set[str]
) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for key in (
        "maps",
        "items",
        "resources",
        "monsters",
        "npcs",
        "tasks",
        "events",
        "effects",
        "achievements",
    ):
        counts[key] = len(world.get(key) or [])
    counts["recipes"] = sum(1 for i in world["items"] if i.get("craft"))
    counts["reachable_tiles"] = len(reachable)
    counts["obtainable_items"] = len(obtainable & {i["code"] for i in world["items"]})
    return dict(counts)
