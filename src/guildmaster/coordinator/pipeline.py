"""Where a batch of the plan stands: what is still missing, which stages need work, who starves.

Pure functions over the plan and the team's holdings (available bank units plus every
inventory), so the coordinator's decisions can be tested without a server:

- :func:`remaining` nets the bill against holdings through the recipe graph (bars already
  refined mean less ore to gather) and against what other characters were already asked to
  produce (so two gatherers are never sent for the same units);
- :func:`stage_needs` turns that into the work (game seconds) each stage still has;
- :func:`starved_inputs` lists what refine/craft stages lack in the bank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from guildmaster.coordinator.plan import ActivePlan, Stage
from guildmaster.knowledge import GameData

__all__ = ["holdings", "remaining", "stage_needs", "stage_runs", "starved_inputs"]


def holdings(bank: Mapping[str, int], inventories: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Return units held by the team: ``bank`` (already net of reservations) plus inventories."""
    total = {code: qty for code, qty in bank.items() if qty > 0}
    for inv in inventories:
        for code, qty in inv.items():
            total[code] = total.get(code, 0) + qty
    return total


def remaining(
    gamedata: GameData,
    plan: ActivePlan,
    held: Mapping[str, int],
    *,
    in_flight: Mapping[str, int] | None = None,
    made: int = 0,
) -> dict[str, int]:
    """Return the units of each material the current batch still needs produced.

    The product is wanted in full (one batch = ``plan.runs`` runs) minus the ``made`` units of
    this batch already crafted; intermediates and raw materials are netted against ``held`` and
    ``in_flight`` (units others are producing), top-down through the recipes, so holding an
    intermediate lowers the need of its inputs.
    """
    flying = in_flight or {}
    order = [m.code for m in plan.materials]
    crafted = {m.code for m in plan.materials if m.source.kind == "craft"}
    need: dict[str, int] = {code: 0 for code in order}
    need[plan.recipe] = plan.needed.get(plan.recipe, 0)
    result: dict[str, int] = {}
    for code in order:
        gross = need.get(code, 0)
        if code == plan.recipe and code in crafted:
            net = max(0, gross - made - flying.get(code, 0))
        else:
            net = max(0, gross - held.get(code, 0) - flying.get(code, 0))
        result[code] = net
        recipe = gamedata.recipe(code) if code in crafted else None
        if recipe is None or net <= 0:
            continue
        runs = math.ceil(net / recipe.quantity)
        for ing in recipe.items:
            need[ing.code] = need.get(ing.code, 0) + ing.quantity * runs
    return {code: qty for code, qty in result.items() if qty > 0}


def stage_runs(gamedata: GameData, stage: Stage, missing: Mapping[str, int]) -> int:
    """Return the craft runs a refine/craft stage still has to do (0 for other stages)."""
    if stage.kind not in ("refine", "craft"):
        return 0
    code = stage.outputs[0][0]
    recipe = gamedata.recipe(code)
    if recipe is None:
        return 0
    return math.ceil(missing.get(code, 0) / recipe.quantity)


def starved_inputs(
    gamedata: GameData, plan: ActivePlan, missing: Mapping[str, int], bank: Mapping[str, int]
) -> dict[str, int]:
    """Return the inputs refine/craft stages need now that the (available) bank lacks."""
    lacking: dict[str, int] = {}
    for stage in plan.stages:
        runs = stage_runs(gamedata, stage, missing)
        if runs <= 0:
            continue
        recipe = gamedata.recipe(stage.outputs[0][0])
        assert recipe is not None
        for ing in recipe.items:
            short = ing.quantity * runs - bank.get(ing.code, 0)
            if short > 0:
                lacking[ing.code] = lacking.get(ing.code, 0) + short
    return lacking


def stage_needs(
    gamedata: GameData,
    plan: ActivePlan,
    missing: Mapping[str, int],
    held: Mapping[str, int],
) -> dict[str, float]:
    """Return the work (game seconds) each stage still has in the current batch.

    A refine/craft stage only has work when ``held`` (what a crafter can use right now: the
    free bank, plus its own bag) covers one run's inputs; otherwise its crafter would idle
    and is better used upstream.
    """
    seconds = {m.code: m.source.seconds for m in plan.materials}
    needs: dict[str, float] = {}
    for stage in plan.stages:
        if stage.kind in ("refine", "craft"):
            runs = stage_runs(gamedata, stage, missing)
            recipe = gamedata.recipe(stage.outputs[0][0])
            ready = recipe is not None and all(
                held.get(i.code, 0) >= i.quantity for i in recipe.items
            )
            needs[stage.id] = runs * 5.0 + 30.0 if runs > 0 and ready else 0.0
        else:
            needs[stage.id] = sum(
                missing.get(code, 0) * min(seconds.get(code, 30.0), 3600.0)
                for code, _ in stage.outputs
            )
    return needs
