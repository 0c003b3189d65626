"""The team's ``ActivePlan``: level the bottleneck skill through a whole production pipeline.

The bottleneck is the skill with the lowest average level across the team. For it, every
recipe the team can run end to end is rated by the XP the *bottleneck skill* earns per
game-second of the whole pipeline (gathering the raw materials, refining, fighting for drops,
buying from NPCs, crafting), so gathering skills are levelled by pipelines whose raw materials
they gather. The best recipe becomes the plan: a batch of craft runs, its full bill of
materials with sources, and pipeline stages (gather -> refine -> craft -> fight -> buy).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from guildmaster.knowledge import GATHERING_SKILLS, Drop, GameData, Resource
from guildmaster.planning.domains import (
    SKILLS,
    GameState,
    crafting_xp,
    gathering_seconds,
    gathering_xp,
)

__all__ = [
    "BATCH_CARRY",
    "STAGE_ORDER",
    "ActivePlan",
    "FightCheck",
    "Material",
    "MaterialSource",
    "SourceKind",
    "Stage",
    "StageKind",
    "bill_of_materials",
    "bottleneck_skill",
    "choose_plan",
    "has_shifted",
    "plan_for_recipe",
    "plan_gathering",
    "rate_recipe",
    "solo_rate",
    "team_levels",
]

SourceKind = Literal["gather", "craft", "drop", "npc", "ge", "none"]
#: Whether the team can beat a monster (by code); the default compares levels.
FightCheck = Callable[[str], bool]
StageKind = Literal["gather", "refine", "craft", "fight", "buy"]

#: The order stages are listed in (the flow of materials through the pipeline).
STAGE_ORDER: Final[tuple[StageKind, ...]] = ("gather", "refine", "craft", "fight", "buy")
#: Raw units of one batch per character of the team (about one inventory load each).
BATCH_CARRY: Final = 80
_MAX_RUNS: Final = 20
#: Prior costs in game seconds: one fight with its rest, one craft run, one NPC unit.
_FIGHT_SECONDS: Final = 45.0
_CRAFT_SECONDS: Final = 5.0
_NPC_SECONDS: Final = 1.0
#: Game seconds a low-level character needs to earn one gold (prices weigh against time).
_SECONDS_PER_GOLD: Final = 5.0
#: Moves and bank trips of one batch (fixed) and per raw unit (deposit + withdraw share).
_BATCH_OVERHEAD: Final = 60.0
_UNIT_OVERHEAD: Final = 0.5


@dataclass(frozen=True, slots=True)
class MaterialSource:
    """One way to get a material: ``kind`` through ``via`` (resource, monster, NPC, skill).

    ``level`` is what the source needs (skill, combat or craft level); ``seconds`` is the
    estimated game time per unit.
    """

    kind: SourceKind
    via: str
    skill: str
    level: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Material:
    """A line of the bill of materials: ``quantity`` of ``code`` from ``source``.

    ``alternatives`` lists every other source known for the item.
    """

    code: str
    quantity: int
    source: MaterialSource
    alternatives: tuple[MaterialSource, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the pipeline: produce ``outputs`` (per batch) with ``skill``.

    ``inputs`` are what the stage consumes (refine and craft stages); ``seconds`` the estimated
    work of one batch; ``level`` the skill level it needs.
    """

    id: str
    kind: StageKind
    skill: str
    level: int
    outputs: tuple[tuple[str, int], ...]
    inputs: tuple[tuple[str, int], ...] = ()
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "kind": self.kind,
            "skill": self.skill,
            "level": self.level,
            "outputs": [list(p) for p in self.outputs],
            "inputs": [list(p) for p in self.inputs],
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Stage:
        """Build from :meth:`to_json` output."""
        return cls(
            id=str(d["id"]),
            kind=d["kind"],
            skill=str(d["skill"]),
            level=int(d["level"]),
            outputs=tuple((str(c), int(q)) for c, q in d["outputs"]),
            inputs=tuple((str(c), int(q)) for c, q in d.get("inputs", ())),
            seconds=float(d.get("seconds", 0.0)),
        )


@dataclass(frozen=True)
class ActivePlan:
    """The team plan: level ``skill`` by crafting ``runs`` of ``recipe`` per batch.

    ``needed`` is the whole bill (raw, intermediate and final units) of one batch. A gathering
    skill without any recipe in reach gets a gathering-only plan (``recipe`` is then the
    gathered item and the only stage gathers it). ``bottleneck`` is the team's bottleneck when
    the plan was made: the plan completes when it shifts.
    """

    skill: str
    recipe: str
    runs: int
    xp_per_second: float
    materials: tuple[Material, ...]
    stages: tuple[Stage, ...]
    manual: bool = False
    bottleneck: str = ""

    @property
    def needed(self) -> dict[str, int]:
        """Return units of every material of one batch (final product included)."""
        return {m.code: m.quantity for m in self.materials}

    @property
    def is_gathering(self) -> bool:
        """Whether every stage gathers (a gathering-only plan: its XP is the gatherers' own)."""
        return all(s.kind == "gather" for s in self.stages)

    def stage(self, stage_id: str) -> Stage | None:
        """Return the stage ``stage_id`` or ``None``."""
        return next((s for s in self.stages if s.id == stage_id), None)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (materials by code and quantity; sources are recomputed on load)."""
        return {
            "skill": self.skill,
            "recipe": self.recipe,
            "runs": self.runs,
            "xp_per_second": self.xp_per_second,
            "manual": self.manual,
            "bottleneck": self.bottleneck,
            "stages": [s.to_json() for s in self.stages],
        }


def team_levels(states: Iterable[GameState], skill: str) -> list[int]:
    """Return each character's level in ``skill`` (``combat`` is the character level)."""
    return [s.skill(skill) for s in states]


def bottleneck_skill(states: Iterable[GameState], *, skills: Iterable[str] = SKILLS) -> str:
    """Return the skill with the lowest average level across ``states`` (ties: listed order).

    Raises:
        ValueError: no states were given.
    """
    team = list(states)
    if not team:
        raise ValueError("a bottleneck needs at least one character")
    return min(skills, key=lambda s: sum(team_levels(team, s)) / len(team))


def has_shifted(
    states: Iterable[GameState], skill: str, *, margin: float = 0.5, skills: Iterable[str] = SKILLS
) -> bool:
    """Return whether the bottleneck moved away from ``skill``.

    It has when another skill's team average is lower than ``skill``'s by at least ``margin``
    levels (the hysteresis keeps two nearly equal skills from trading the plan back and forth).

    Raises:
        ValueError: no states were given.
    """
    team = list(states)
    if not team:
        raise ValueError("a bottleneck needs at least one character")
    average = {s: sum(team_levels(team, s)) / len(team) for s in skills}
    return average.get(skill, 0.0) - min(average.values()) >= margin


def _best_level(states: Iterable[GameState], skill: str) -> int:
    return max((s.skill(skill) for s in states), default=1)


def _sources(
    gamedata: GameData,
    code: str,
    levels: Mapping[str, int],
    can_fight: FightCheck | None = None,
) -> list[MaterialSource]:
    """Every feasible source of a raw ``code`` for a team with ``levels``, fastest first."""
    found = gamedata.sources(code)
    result: list[MaterialSource] = []
    for resource, drop in found.resources:
        if levels.get(resource.skill, 1) >= resource.level and gamedata.resource_tiles(
            resource.code
        ):
            per_unit = gathering_seconds(resource.level) / max(1e-9, drop.expected_quantity())
            result.append(
                MaterialSource("gather", resource.code, resource.skill, resource.level, per_unit)
            )
    for monster, drop in found.monsters:
        beatable = (
            levels.get("combat", 1) >= monster.level
            if can_fight is None
            else can_fight(monster.code)
        )
        if monster.type != "boss" and beatable and gamedata.monster_tiles(monster.code):
            per_unit = _FIGHT_SECONDS / max(1e-9, drop.expected_quantity())
            result.append(MaterialSource("drop", monster.code, "combat", monster.level, per_unit))
    for offer in found.npcs:
        if offer.currency == "gold" and gamedata.npc_tiles(offer.npc):
            seconds = _NPC_SECONDS + (offer.buy_price or 0) * _SECONDS_PER_GOLD
            result.append(MaterialSource("npc", offer.npc, "trade", 0, seconds))
    result.sort(key=lambda s: (s.seconds, s.kind, s.via))
    item = gamedata.items.get(code)
    if not result and item is not None and item.tradeable:
        result.append(MaterialSource("ge", "grand_exchange", "trade", 0, math.inf))
    return result


def bill_of_materials(
    gamedata: GameData,
    code: str,
    runs: int,
    levels: Mapping[str, int],
    *,
    can_fight: FightCheck | None = None,
) -> tuple[Material, ...]:
    """Return the full bill for ``runs`` craft runs of ``code``: every raw material with its
    sources, every intermediate and the product itself (source ``craft``).

    A material nobody on the team can obtain gets source ``none`` (the plan is infeasible).

    Raises:
        ValueError: ``code`` has no recipe, or the recipe graph has a cycle.
    """
    craft = gamedata.recipe(code)
    if craft is None:
        raise ValueError(f"{code!r} cannot be crafted")
    quantity = runs * craft.quantity
    materials: list[Material] = []
    craft_runs = gamedata.craft_runs(code, quantity)
    for item_code, n in craft_runs.items():
        recipe = gamedata.recipe(item_code)
        assert recipe is not None  # craft_runs lists craftable items only
        produced = n * recipe.quantity if item_code != code else quantity
        source = MaterialSource(
            "craft", recipe.skill, recipe.skill, recipe.level, _CRAFT_SECONDS / recipe.quantity
        )
        materials.append(Material(item_code, produced, source))
    for raw_code, qty in sorted(gamedata.raw_materials(code, quantity).items()):
        options = _sources(gamedata, raw_code, levels, can_fight)
        if options:
            materials.append(Material(raw_code, qty, options[0], tuple(options[1:])))
        else:
            materials.append(Material(raw_code, qty, MaterialSource("none", "", "", 0, math.inf)))
    return tuple(materials)


def _pipeline(
    gamedata: GameData, skill: str, materials: tuple[Material, ...], levels: Mapping[str, int]
) -> tuple[float, float]:
    """Return ``(xp earned in skill, game seconds)`` of one batch of the pipeline."""
    seconds = _BATCH_OVERHEAD
    xp = 0.0
    for m in materials:
        src = m.source
        if src.kind == "craft":
            recipe = gamedata.recipe(m.code)
            assert recipe is not None
            runs = math.ceil(m.quantity / recipe.quantity)
            seconds += runs * _CRAFT_SECONDS
            if recipe.skill == skill:
                item = gamedata.items[m.code]
                xp += runs * crafting_xp(skill, levels.get(skill, 1), item.level)
            continue
        seconds += m.quantity * (src.seconds + _UNIT_OVERHEAD)
        if src.kind == "gather" and src.skill == skill:
            resource = gamedata.resources[src.via]
            drop = next(d for d in resource.drops if d.code == m.code)
            gathers = m.quantity / max(1e-9, drop.expected_quantity())
            xp += gathers * gathering_xp(levels.get(skill, 1), resource.level)
    return xp, seconds


def _batch_runs(gamedata: GameData, code: str, team_size: int) -> int:
    raw_per_run = sum(gamedata.raw_materials(code, 1).values())
    return max(1, min(_MAX_RUNS, BATCH_CARRY * max(1, team_size) // max(1, raw_per_run)))


def rate_recipe(
    gamedata: GameData,
    skill: str,
    code: str,
    levels: Mapping[str, int],
    *,
    team_size: int = 1,
    can_fight: FightCheck | None = None,
) -> tuple[float, int, tuple[Material, ...]] | None:
    """Return ``(xp of skill per game-second, runs per batch, bill)`` for crafting ``code``,
    or ``None`` when the team (best levels ``levels``) cannot run the whole pipeline.

    A batch is sized so each of the ``team_size`` characters carries about one load.
    """
    craft = gamedata.recipe(code)
    if craft is None:
        return None
    try:
        runs = _batch_runs(gamedata, code, team_size)
        materials = bill_of_materials(gamedata, code, runs, levels, can_fight=can_fight)
    except ValueError:
        return None
    for m in materials:
        if m.source.kind in ("none", "ge"):
            return None
        if m.source.kind == "craft" and levels.get(m.source.skill, 1) < m.source.level:
            return None
    xp, seconds = _pipeline(gamedata, skill, materials, levels)
    if xp <= 0 or seconds <= 0:
        return None
    return xp / seconds, runs, materials


def _stages(gamedata: GameData, code: str, materials: tuple[Material, ...]) -> tuple[Stage, ...]:
    grouped: dict[str, dict[str, Any]] = {}
    for m in materials:
        src = m.source
        inputs: tuple[tuple[str, int], ...] = ()
        if src.kind == "craft":
            kind: StageKind = "craft" if m.code == code else "refine"
            stage_id = f"{kind}:{m.code}"
            recipe = gamedata.recipe(m.code)
            assert recipe is not None
            runs = math.ceil(m.quantity / recipe.quantity)
            inputs = tuple((i.code, i.quantity * runs) for i in recipe.items)
            seconds = runs * _CRAFT_SECONDS
        else:
            kind = {"gather": "gather", "drop": "fight"}.get(src.kind, "buy")  # type: ignore[assignment]
            stage_id = f"{kind}:{src.via}"
            seconds = m.quantity * src.seconds
        entry = grouped.setdefault(
            stage_id,
            {"kind": kind, "skill": src.skill, "level": src.level, "out": {}, "in": {}, "s": 0.0},
        )
        entry["out"][m.code] = entry["out"].get(m.code, 0) + m.quantity
        for c, q in inputs:
            entry["in"][c] = entry["in"].get(c, 0) + q
        entry["s"] += seconds
    stages = [
        Stage(
            id=sid,
            kind=e["kind"],
            skill=e["skill"],
            level=e["level"],
            outputs=tuple(sorted(e["out"].items())),
            inputs=tuple(sorted(e["in"].items())),
            seconds=e["s"],
        )
        for sid, e in grouped.items()
    ]
    stages.sort(key=lambda s: (STAGE_ORDER.index(s.kind), s.id))
    return tuple(stages)


def plan_for_recipe(
    gamedata: GameData,
    skill: str,
    code: str,
    states: Iterable[GameState],
    *,
    manual: bool = False,
    team_size: int | None = None,
    can_fight: FightCheck | None = None,
) -> ActivePlan | None:
    """Return the plan levelling ``skill`` by crafting ``code`` (``None`` if infeasible).

    Batches are sized for ``team_size`` characters (default: as many as ``states``);
    ``can_fight`` says which monsters the team beats (default: by level).
    """
    team = list(states)
    levels = {s: _best_level(team, s) for s in (*SKILLS, "combat")}
    rated = rate_recipe(
        gamedata, skill, code, levels, team_size=team_size or len(team), can_fight=can_fight
    )
    if rated is None:
        return None
    rate, runs, materials = rated
    return ActivePlan(
        skill=skill,
        recipe=code,
        runs=runs,
        xp_per_second=rate,
        materials=materials,
        stages=_stages(gamedata, code, materials),
        manual=manual,
    )


def plan_gathering(
    gamedata: GameData,
    skill: str,
    states: Iterable[GameState],
    *,
    team_size: int | None = None,
) -> ActivePlan | None:
    """Return a gathering-only plan for gathering ``skill`` (its best resource per second)."""
    team = list(states)
    level = _best_level(team, skill)
    best: tuple[float, Resource, Drop] | None = None
    for resource in gamedata.gathering_ladder(skill):
        if resource.level > level or not gamedata.resource_tiles(resource.code):
            continue
        main = max(resource.drops, key=lambda d: (d.expected_quantity(), d.code), default=None)
        if main is None:
            continue
        rate = gathering_xp(level, resource.level) / gathering_seconds(resource.level)
        if rate > 0 and (best is None or rate > best[0]):
            best = (rate, resource, main)
    if best is None:
        return None
    rate, resource, drop = best
    quantity = BATCH_CARRY // 2 * max(1, team_size or len(team))
    per_unit = gathering_seconds(resource.level) / max(1e-9, drop.expected_quantity())
    source = MaterialSource("gather", resource.code, skill, resource.level, per_unit)
    materials = (Material(drop.code, quantity, source),)
    return ActivePlan(
        skill=skill,
        recipe=drop.code,
        runs=quantity,
        xp_per_second=rate,
        materials=materials,
        stages=_stages(gamedata, "", materials),
    )


def solo_rate(
    gamedata: GameData,
    state: GameState,
    skill: str,
    *,
    can_fight: FightCheck | None = None,
) -> float:
    """Return the XP per game-second ``state`` earns in ``skill`` on its own: its best
    recipe pipeline (gathering everything itself) or, for a gathering skill, plain gathering.
    """
    levels = {s: state.skill(s) for s in (*SKILLS, "combat")}
    best = 0.0
    code = _best_recipe(gamedata, skill, [state], can_fight)
    if code is not None:
        rated = rate_recipe(gamedata, skill, code, levels, can_fight=can_fight)
        if rated is not None:
            best = rated[0]
    if skill in GATHERING_SKILLS:
        level = levels[skill]
        for resource in gamedata.gathering_ladder(skill):
            if resource.level <= level and gamedata.resource_tiles(resource.code):
                rate = gathering_xp(level, resource.level) / gathering_seconds(resource.level)
                best = max(best, rate)
    return best


def _best_recipe(
    gamedata: GameData, target: str, team: list[GameState], can_fight: FightCheck | None
) -> str | None:
    levels = {s: _best_level(team, s) for s in (*SKILLS, "combat")}
    best: tuple[float, int, str] | None = None
    for item in gamedata.items.values():
        craft = item.craft
        if craft is None or levels.get(craft.skill, 1) < craft.level:
            continue
        if craft.skill != target and not any(
            src.skill == target
            for raw in gamedata.raw_materials(item.code, 1)
            for src in _sources(gamedata, raw, levels, can_fight)
        ):
            continue
        rated = rate_recipe(gamedata, target, item.code, levels, can_fight=can_fight)
        if rated is None:
            continue
        key = (rated[0], -craft.level, item.code)
        if best is None or (key[0], key[1]) > (best[0], best[1]):
            best = key
    return None if best is None else best[2]


def choose_plan(
    gamedata: GameData,
    states: Iterable[GameState],
    *,
    skill: str | None = None,
    team_size: int | None = None,
    can_fight: FightCheck | None = None,
) -> ActivePlan | None:
    """Return the best plan for ``skill`` (default: the bottleneck), or ``None``.

    Candidates are the recipes of the skill and the recipes whose raw materials it gathers
    (ties: lower recipe level); a gathering skill with no such recipe gets a gathering-only
    plan. Without ``skill``, when the bottleneck has no plan at all the next-lowest skill is
    tried, and the plan keeps the bottleneck it was made for.
    """
    team = list(states)
    if not team:
        return None
    bottleneck = bottleneck_skill(team)
    if skill is not None:
        candidates = [skill]
    else:
        candidates = sorted(SKILLS, key=lambda s: sum(team_levels(team, s)) / len(team))
    for target in candidates:
        code = _best_recipe(gamedata, target, team, can_fight)
        plan = None
        if code is not None:
            plan = plan_for_recipe(
                gamedata, target, code, team, team_size=team_size, can_fight=can_fight
            )
        elif target in GATHERING_SKILLS:
            plan = plan_gathering(gamedata, target, team, team_size=team_size)
        if plan is not None:
            return replace(plan, bottleneck=bottleneck)
    return None
