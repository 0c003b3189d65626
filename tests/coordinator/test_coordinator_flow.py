"""The coordinator steering five characters (in-memory executor): pipeline, bank, restarts."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from test_coordinator_sim import TeamSim, character

from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    RESERVATION_GAME_SECONDS,
    BankSettings,
    ClaimsPolicy,
    Coordinator,
    CoordinatorSettings,
    ErrandSettings,
    PlanSettings,
    SharesPolicy,
    TeamStore,
)
from guildmaster.coordinator.pipeline import remaining
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import SKILLS, CraftFromBank, DepositItems, ObtainItem

NAMES = ("a", "b", "c", "d", "e")


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GameData:
    out = tmp_path_factory.mktemp("world") / "world.json"
    entry = "import sys; from guildmaster.cli import main; sys.argv[0] = 'guildmaster'; main()"
    cmd = [sys.executable, "-c", entry, "world", "generate", "--seed", "7", "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        pytest.fail(f"world generation failed: {proc.stderr[-2000:]}")
    return GameData.from_snapshot(json.loads(out.read_text()))


def _sim(gamedata: GameData, store: TeamStore | None = None, **levels: int) -> TeamSim:
    coordinator = Coordinator(
        gamedata,
        store or TeamStore(),
        clock=VirtualClock(),
        characters=NAMES,
        settings=CoordinatorSettings(
            plans=PlanSettings(solo_margin=0.0),
            errands=ErrandSettings(enabled=False),
            # These flows check the bank shares of characters on their own.
            bank=BankSettings(policy=SharesPolicy()),
        ),
    )
    skills = {s: levels.get(s, 3) for s in SKILLS}
    states = {n: character(n, level=5, skills=skills) for n in NAMES}
    return TeamSim(gamedata, coordinator, states)


def _solo_margin(coordinator: Coordinator, margin: float) -> None:
    desk = coordinator.stage_desk
    desk.settings = replace(desk.settings, solo_margin=margin)


def _run(sim: TeamSim, rounds: int) -> None:
    for _ in range(rounds):
        for name in NAMES:
            sim.step(name)


@pytest.mark.parametrize("world", ["real", "generated"])
def test_five_characters_run_the_pipeline_without_contention(
    world: str, request: pytest.FixtureRequest
) -> None:
    gamedata: GameData = request.getfixturevalue(world)
    sim = _sim(gamedata)
    _run(sim, 80)  # the executor raises BankContention on any impossible withdraw
    plan = sim.coordinator.plan
    assert plan is not None
    goals = [a.goal for _, a in sim.advice_log if a is not None and a.goal is not None]
    assert any(isinstance(g, DepositItems) for g in goals)
    assert any(isinstance(g, CraftFromBank) for g in goals)
    # Several batches of the product were crafted, and nothing was produced far beyond need.
    assert sim.crafted.get(plan.recipe, 0) * 1 >= 2
    assert 0 < sim.coordinator.max_overproduction() <= 1.2
    # Batches follow production: at most the running batch (and one being credited) is open.
    production = sim.coordinator.production()
    batch = plan.needed[plan.recipe]
    assert production[plan.recipe][1] >= production[plan.recipe][0] - 2 * batch


def test_crafters_only_withdraw_their_reservation_and_others_avoid_it(real: GameData) -> None:
    sim = _sim(real)
    _run(sim, 40)
    seen = False
    for name, advice in sim.advice_log:
        if advice is None:
            continue
        for other, held in sim.coordinator.ledger.owners().items():
            if other != name:
                assert set(held) <= advice.avoid | set(advice.reserved)
        if isinstance(advice.goal, CraftFromBank):
            seen = True
            assert dict(advice.goal.inputs).keys() >= advice.reserved.keys()
            # The product is crafted, never fetched from the bank.
            assert advice.goal.code in advice.avoid
            state = sim.view(name)
            assert advice.goal.code not in advice.goal.relevance(state).items
        if isinstance(advice.goal, ObtainItem):
            # A producer never takes its own product out of the bank.
            assert advice.goal.code in advice.avoid
    assert seen


def test_switching_the_coordinator_off_lets_everyone_plan_alone(real: GameData) -> None:
    sim = _sim(real)
    sim.coordinator.enabled = False
    assert sim.coordinator.advise("a", sim.view("a")) is None
    sim.coordinator.enabled = True
    advice = sim.coordinator.advise("a", sim.view("a"))
    assert advice is not None and advice.goal is not None


def test_a_bottleneck_shift_completes_the_plan(real: GameData) -> None:
    sim = _sim(real, cooking=1)
    _run(sim, 6)
    plan = sim.coordinator.plan
    assert plan is not None and plan.bottleneck == "cooking" and plan.skill == "cooking"
    # Cooking catches up: the bottleneck moves, the plan completes and a new one starts.
    for name in NAMES:
        state = sim.states[name]
        skills = state.skills.remove("cooking", state.skills["cooking"]).add("cooking", 9)
        sim.states[name] = state.with_(skills=skills)
    _run(sim, 1)
    new = sim.coordinator.plan
    assert new is not None and new.bottleneck != "cooking" and new.skill != "cooking"
    assert sim.coordinator.store.get("plan")["skill"] == new.skill


def test_manual_mode_holds_until_auto(real: GameData) -> None:
    sim = _sim(real, cooking=1)
    sim.step("a")
    plan = sim.coordinator.set_manual("mining", "copper_bar")
    assert plan is not None and plan.manual and plan.recipe == "copper_bar"
    _run(sim, 3)
    assert sim.coordinator.plan is not None and sim.coordinator.plan.recipe == "copper_bar"
    sim.coordinator.set_auto()
    sim.step("a")
    assert sim.coordinator.plan is not None and sim.coordinator.plan.skill == "cooking"
    with pytest.raises(ValueError):
        sim.coordinator.set_manual("mining", "not_an_item")


def test_a_crashed_crafters_reservation_expires(real: GameData) -> None:
    sim = _sim(real)
    coordinator = sim.coordinator
    crafter = None
    for _ in range(40):
        for name in NAMES:
            advice = coordinator.advise(name, sim.view(name))
            if advice is not None and isinstance(advice.goal, CraftFromBank):
                crafter = name  # it "crashes" now: never executes, never reports
                break
            sim.step(name)
        if crafter is not None:
            break
    assert crafter is not None
    held = coordinator.ledger.held(crafter)
    assert held
    others = [n for n in NAMES if n != crafter]
    for name in others:
        advice = coordinator.advise(name, sim.view(name))
        assert advice is not None and set(held) <= advice.avoid
    clock = coordinator.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(RESERVATION_GAME_SECONDS + 1)
    assert coordinator.ledger.owners() == {}
    assert coordinator.ledger.available(sim.bank) == {c: q for c, q in sim.bank.items() if q > 0}


def test_kill_and_restart_resumes_plan_reservations_and_assignments(
    real: GameData, tmp_path: Path
) -> None:
    path = tmp_path / "team.db"
    sim = _sim(real, TeamStore(path))
    _run(sim, 12)
    before = sim.coordinator
    plan = before.plan
    assert plan is not None
    assignments = before.store.assignments()
    reservations = before.ledger.owners()
    production = before.production()
    # No close(): the process "dies" here; a new process opens the same file.
    again = Coordinator(
        real,
        TeamStore(path),
        clock=before.clock,
        characters=NAMES,
        settings=CoordinatorSettings(errands=ErrandSettings(enabled=False)),
    )
    assert again.store.assignments() == assignments
    assert again.ledger.owners() == reservations
    assert again.production() == production
    sim.coordinator = again
    sim.step("a")
    resumed = again.plan
    assert resumed is not None
    assert (resumed.skill, resumed.recipe, resumed.bottleneck) == (
        plan.skill,
        plan.recipe,
        plan.bottleneck,
    )
    _run(sim, 20)
    assert again.max_overproduction() <= 1.2


def test_characters_on_their_own_share_the_bank_without_overdrawing(real: GameData) -> None:
    sim = _sim(real)
    coordinator = sim.coordinator
    # No pipeline work: everyone plans alone (and a plan's materials are never open).
    plans = coordinator.stage_desk.settings
    coordinator.stage_desk.settings = replace(plans, enabled=False, solo_margin=1e9)
    coordinator.errand_desk.settings = replace(coordinator.errand_desk.settings, enabled=False)
    stock = {"feather": 7, "small_health_potion": 3, "copper_dagger": 1, "copper_ore": 5000}
    sim.bank.update(stock)
    coordinator.report("a", "bank", {"items": dict(sim.bank)})
    latest: dict[str, object] = {}
    scarce = ("feather", "small_health_potion", "copper_dagger")
    for _ in range(6):
        for name in NAMES:
            advice = sim.step(name)
            assert advice is not None and advice.goal is None
            latest[name] = advice
            for code in scarce:
                # Units each character may take: its share (nothing outside a share).
                allowed = 0
                for a in latest.values():
                    assert code in a.avoid  # type: ignore[attr-defined]
                    allowed += a.reserved.get(code, 0)  # type: ignore[attr-defined]
                assert allowed <= sim.bank[code], (code, allowed)
    # A scarce item is one character's at a time (all of it); a plentiful one is open to all.
    for code in scarce:
        held = [a.reserved.get(code, 0) for a in latest.values()]  # type: ignore[attr-defined]
        assert sorted(held) == [0, 0, 0, 0, sim.bank[code]], (code, held)
    assert all("copper_ore" not in a.avoid for a in latest.values())  # type: ignore[attr-defined]


def test_characters_better_off_alone_are_left_free(real: GameData) -> None:
    sim = _sim(real)
    _solo_margin(sim.coordinator, 1e9)  # nothing the plan offers beats playing alone
    for name in NAMES:
        advice = sim.step(name)
        assert advice is not None and advice.goal is None
    assert sim.coordinator.store.assignments() == {}
    # With the default margin a level-3 team still finds pipeline work worth its time.
    _solo_margin(sim.coordinator, 1.0)
    assert sim.coordinator.team.solo_value(sim.states["a"]) > 0


def test_the_plans_product_is_open_to_characters_on_their_own(real: GameData) -> None:
    sim = _sim(real)
    sim.coordinator.bank_access.settings = BankSettings(policy=ClaimsPolicy())
    _run(sim, 12)
    plan = sim.coordinator.plan
    assert plan is not None
    inputs = set(plan.needed) - {plan.recipe}
    assert inputs, "the real snapshot's plan has inputs"
    _solo_margin(sim.coordinator, 1e9)  # nobody is worth a stage now: all play alone
    alone = []
    for _ in range(3):
        for name in NAMES:
            advice = sim.step(name)
            if advice is not None and advice.goal is None:
                alone.append(advice)
    assert alone
    for advice in alone:
        # The inputs are the stages' (taken through reservations only); the product, once
        # made, is everyone's.
        assert inputs <= advice.avoid
        assert plan.recipe not in advice.avoid


def test_a_crafter_with_a_bag_full_of_inputs_crafts_only_what_the_batch_lacks(
    real: GameData,
) -> None:
    sim = _sim(real)
    _run(sim, 6)
    coordinator, plan = sim.coordinator, sim.coordinator.plan
    assert plan is not None
    stage = next(s for s in plan.stages if s.kind == "craft")
    recipe = real.recipe(plan.recipe)
    assert recipe is not None
    need = plan.needed[plan.recipe]
    coordinator.lifecycle._made = need - recipe.quantity  # one run left in this batch
    state = sim.view("a")
    for ing in recipe.items:  # inputs for ten runs in the bag
        state = state.gain(ing.code, 10 * ing.quantity - state.inventory[ing.code])
    missing = remaining(real, plan, {}, made=coordinator.lifecycle.made)
    advice = coordinator.stage_desk.craft_advice("a", state, plan, stage, missing, frozenset())
    assert isinstance(advice.goal, CraftFromBank)
    assert advice.goal.quantity - state.inventory[plan.recipe] == recipe.quantity
    # Nothing left to make: no craft at all.
    coordinator.lifecycle._made = need
    done = remaining(real, plan, {}, made=need)
    assert (
        coordinator.stage_desk.craft_advice("a", state, plan, stage, done, frozenset()).goal is None
    )
