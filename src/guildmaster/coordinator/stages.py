"""The plan's stage advice: what a character assigned to a pipeline stage does next.

Used by :class:`~guildmaster.coordinator.coordinator.Coordinator` when plans are on:
deposit pipeline materials someone else consumes, gather/fight/buy a stage's most-needed
output, or craft a refine/craft stage's runs out of inputs reserved in the bank.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from guildmaster.agent.advisor import Advice
from guildmaster.coordinator.assign import assign_stages, stage_gain, stage_subject
from guildmaster.coordinator.pipeline import (
    holdings,
    remaining,
    stage_needs,
    starved_inputs,
)
from guildmaster.coordinator.plan import ActivePlan, Stage
from guildmaster.planning.domains import CraftFromBank, DepositItems, GameState, ObtainFrom

if TYPE_CHECKING:
    from guildmaster.coordinator.coordinator import Coordinator

__all__ = ["ROOM_MARGIN", "stage_advice"]

#: Keep this much inventory room free when sizing a production goal.
ROOM_MARGIN = 5


def stage_advice(coord: Coordinator, name: str, state: GameState) -> Advice:
    """Return the plan's advice for ``name``: its stage's next goal, or none (plan alone)."""
    plan = coord.lifecycle.plan
    avoid = coord._avoid(name)
    if plan is None:
        return Advice(avoid=avoid, note="no team plan")
    available = coord.ledger.available(coord.views.bank)
    held = holdings(available, coord.team.inventories())
    held = coord.lifecycle.batch_holdings(held)
    in_flight = coord.lifecycle.in_flight(excluding=name)
    work = remaining(coord.gamedata, plan, held, made=coord.lifecycle.made)
    if plan.is_gathering and not work:
        coord.lifecycle.next_batch()
        held = {}
        work = remaining(coord.gamedata, plan, held)
    missing = remaining(coord.gamedata, plan, held, in_flight=in_flight, made=coord.lifecycle.made)
    deposit = _deposit_advice(coord, name, state, plan, work, available, avoid)
    if deposit is not None:
        return deposit
    # Needs count in-flight work too: a stage being worked on still needs its workers.
    usable = holdings(available, [dict(state.inventory.items())])
    needs = stage_needs(coord.gamedata, plan, work, usable)
    current = coord.store.assignments()
    # Only characters on a coordinator goal occupy a stage; one busy with its own goal is
    # assigned again when it asks (it must not hold the single crafting place meanwhile).
    working = {
        n: st for n, st in coord.team.states.items() if n == name or coord.lifecycle.has_issued(n)
    }
    assignments = assign_stages(
        coord.gamedata,
        working,
        plan.stages,
        needs,
        current,
        wins=coord.team.wins,
        worth=lambda n, st, gain: coord._worth(n, st, gain, plan),
    )
    if assignments != current:
        coord.store.save_assignments(assignments)
    stage = plan.stage(assignments.get(name, ""))
    if stage is None:
        return Advice(avoid=avoid, note=f"plan {plan.skill}: no stage needs {name}")
    if stage.kind in ("refine", "craft"):
        return _craft_advice(coord, name, state, plan, stage, missing, avoid)
    advice = _produce_advice(coord, name, state, stage, missing, avoid)
    if advice.goal is None:
        # Others already produce what this stage lacks: help another producing stage.
        for alt in sorted(plan.stages, key=lambda s: -needs.get(s.id, 0.0)):
            if alt.kind in ("refine", "craft") or alt.id == stage.id:
                continue
            if stage_gain(coord.gamedata, state, alt, wins=coord.team.wins) is None:
                continue
            helped = _produce_advice(coord, name, state, alt, missing, avoid)
            if helped.goal is not None:
                return helped
    return advice


def _deposit_advice(
    coord: Coordinator,
    name: str,
    state: GameState,
    plan: ActivePlan,
    missing: Mapping[str, int],
    available: Mapping[str, int],
    avoid: frozenset[str],
) -> Advice | None:
    """Send ``name`` to the bank with pipeline materials someone else consumes."""
    mine = coord.store.assignments().get(name, "")
    stage = plan.stage(mine)
    consumes = {c for c, _ in stage.inputs} if stage is not None else set()
    wanted = {c for s in plan.stages for c, _ in s.inputs} | {plan.recipe}
    carried = {c: state.inventory[c] for c in wanted - consumes if state.inventory[c] > 0}
    if not carried:
        return None
    starved = starved_inputs(coord.gamedata, plan, missing, available)
    hungry = sorted(c for c in carried if c in starved)
    if sum(carried.values()) >= coord.deposit_threshold or hungry:
        codes = tuple(sorted(carried))
        why = f"crafter starved for {','.join(hungry)}" if hungry else "carrying 10+"
        return Advice(
            goal=DepositItems(codes, ctx=coord.context),
            avoid=avoid,
            note=f"deposit: {why}",
        )
    return None


def _produce_advice(
    coord: Coordinator,
    name: str,
    state: GameState,
    stage: Stage,
    missing: Mapping[str, int],
    avoid: frozenset[str],
) -> Advice:
    """Gather, fight or buy the stage's most-needed output."""
    outputs = [(missing.get(c, 0), c) for c, _ in stage.outputs if missing.get(c, 0) > 0]
    if not outputs:
        return Advice(avoid=avoid, note=f"{stage.id}: nothing missing")
    want, code = max(outputs)
    room = max(1, state.free_space() - ROOM_MARGIN)
    held = state.inventory[code]
    goal = ObtainFrom(
        code,
        held + min(want, room, coord.goal_chunk),
        kind={"fight": "fight", "gather": "gather"}.get(stage.kind, "buy"),
        via=stage_subject(stage),
        ctx=coord.context,
    )
    coord.lifecycle.issue(name, goal, held, final=False)
    # Never withdraw what this stage is meant to produce.
    return Advice(goal=goal, avoid=avoid | {code}, note=f"{stage.id}: {goal.name}")


def _craft_advice(
    coord: Coordinator,
    name: str,
    state: GameState,
    plan: ActivePlan,
    stage: Stage,
    missing: Mapping[str, int],
    avoid: frozenset[str],
) -> Advice:
    """Reserve the stage's inputs in the bank and craft as many runs as they allow, and
    no more than the batch still lacks (``missing``: net of what was made, what the team
    holds and what others are crafting)."""
    code = stage_subject(stage)
    recipe = coord.gamedata.recipe(code)
    if recipe is None:
        return Advice(avoid=avoid, note=f"{stage.id}: no recipe")
    lacking = missing.get(code, 0)
    if lacking <= 0:
        return Advice(avoid=avoid, note=f"{stage.id}: the batch has all it needs")
    per_run = sum(i.quantity for i in recipe.items)
    fits = max(1, (state.free_space() + sum(state.inventory[i.code] for i in recipe.items)))
    wanted = min(dict(stage.outputs).get(code, 1), lacking)
    wanted_runs = max(1, -(-wanted // recipe.quantity))
    wanted_runs = max(1, min(wanted_runs, fits // max(1, per_run)))
    wants = {
        i.code: max(0, i.quantity * wanted_runs - state.inventory[i.code]) for i in recipe.items
    }
    # Grant no more than the crafter believes is there (or it could not plan the withdraw),
    # and nothing another character may still be about to withdraw on its own.
    view = coord.views.view(name)
    exposed = coord.views.exposed(name)
    free = coord.ledger.available(coord.views.bank, for_owner=name)
    behind = any(view.get(c, 0) < min(q, free.get(c, 0)) for c, q in wants.items() if q)
    if behind and state.inventory.total > 0:
        # The agent's bank view is refreshed only by its own bank actions: a deposit
        # first lets it see the inputs others brought.
        codes = tuple(sorted(state.inventory))
        return Advice(
            goal=DepositItems(codes, ctx=coord.context),
            avoid=avoid,
            note=f"{stage.id}: deposit to refresh the bank view",
        )
    drawable = coord.bank_access.free_for(name)
    grantable = {c: min(q, view.get(c, 0)) for c, q in drawable.items() if c not in exposed}
    granted = coord.ledger.reserve(name, wants, bank=grantable)
    runs = min(
        (state.inventory[i.code] + granted.get(i.code, 0)) // i.quantity for i in recipe.items
    )
    runs = min(runs, wanted_runs)
    if runs <= 0:
        coord.ledger.release(name)
        return Advice(avoid=avoid, note=f"{stage.id}: inputs not in the bank yet")
    if runs < wanted_runs:
        # Keep only what the possible runs consume; the rest stays free for others.
        exact = {i.code: max(0, i.quantity * runs - state.inventory[i.code]) for i in recipe.items}
        granted = coord.ledger.reserve(name, exact, bank=grantable)
    held = state.inventory[code]
    inputs = tuple((i.code, i.quantity * runs) for i in recipe.items)
    goal = CraftFromBank(code, held + runs * recipe.quantity, inputs, ctx=coord.context)
    coord.lifecycle.issue(name, goal, held, final=stage.kind == "craft")
    return Advice(
        goal=goal,
        reserved=granted,
        # Reserved items stay listed: the agent then withdraws at most the reservation.
        avoid=avoid | set(granted) | {code},
        note=f"{stage.id}: craft {runs} run(s)",
    )
