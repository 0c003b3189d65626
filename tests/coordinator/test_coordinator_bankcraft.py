"""Bank crafting: errands rated in levels per second, out of the bag and the free bank."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_coordinator_sim import character

from guildmaster.agent.advisor import Advice
from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    BankSettings,
    ClaimsPolicy,
    Coordinator,
    CoordinatorSettings,
    PlanSettings,
    SharesPolicy,
    TeamStore,
)
from guildmaster.coordinator.bankcraft import best_bank_craft, craft_value
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import SKILLS, CraftFromBank
from guildmaster.planning.state import Multiset
from guildmaster.server.worldgen.generator import generate_world


@pytest.fixture(scope="module")
def generated() -> GameData:
    return GameData.from_snapshot(generate_world(7))


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _two_step(gamedata: GameData) -> tuple[str, str, str]:
    """A level-1 final recipe whose ingredients are one refined item plus raw ones, and that
    refined item's raw input: ``(product, refined, raw)`` found in the data."""
    for item in sorted(gamedata.items.values(), key=lambda i: i.code):
        recipe = item.craft
        if recipe is None or recipe.level > 1 or recipe.skill in ("cooking",):
            continue
        refined = [i.code for i in recipe.items if gamedata.recipe(i.code) is not None]
        if len(refined) != 1:
            continue
        sub = gamedata.recipe(refined[0])
        assert sub is not None
        if sub.level <= 1 and len(sub.items) == 1 and item.type != "consumable":
            return item.code, refined[0], sub.items[0].code
    pytest.skip("no two-step level-1 recipe")


def _bank_for(gamedata: GameData, product: str, raw: str, runs: int) -> dict[str, int]:
    """Enough raw stock (and the unrefined ingredients) for ``runs`` runs of ``product``."""
    recipe = gamedata.recipe(product)
    assert recipe is not None
    bank: dict[str, int] = {}
    for ing in recipe.items:
        sub = gamedata.recipe(ing.code)
        if sub is None:
            bank[ing.code] = ing.quantity * runs
        else:
            for s in sub.items:
                bank[s.code] = s.quantity * ing.quantity * runs
    assert raw in bank
    return bank


@pytest.mark.parametrize("world", ["generated", "real"])
def test_refines_first_when_the_bank_holds_only_the_raw_material(
    world: str, request: pytest.FixtureRequest
) -> None:
    gamedata: GameData = request.getfixturevalue(world)
    product, refined, raw = _two_step(gamedata)
    state = character("a", level=5)
    bank = _bank_for(gamedata, product, raw, runs=2)
    errand = best_bank_craft(gamedata, state, bank, skip=frozenset())
    assert errand is not None
    assert errand.refine and errand.step == refined and errand.rate > 0
    # Every unit the errand withdraws is in the bank, and it fits in the bag.
    assert all(bank.get(c, 0) >= q for c, q in errand.withdraw)
    assert sum(q for _, q in errand.withdraw) <= state.free_space()
    # With the refined item in the bag, the final craft comes next.
    step_recipe = gamedata.recipe(errand.step)
    assert step_recipe is not None
    made = state.with_(inventory=Multiset({errand.step: errand.step_runs * step_recipe.quantity}))
    rest = {c: q for c, q in bank.items() if c not in {i.code for i in step_recipe.items}}
    final = best_bank_craft(gamedata, made, rest)
    assert final is not None and not final.refine
    assert craft_value(gamedata, made, final.code) > 0


def test_nothing_without_stock_or_skill(generated: GameData) -> None:
    product, _, raw = _two_step(generated)
    state = character("a", level=5)
    assert best_bank_craft(generated, state, {}) is None
    bank = _bank_for(generated, product, raw, runs=1)
    # A product on the skip list is never made.
    errand = best_bank_craft(generated, state, bank, skip=frozenset({product}))
    assert errand is None or errand.code != product
    # Far above the item's level, the recipe pays nothing.
    recipe = generated.recipe(product)
    assert recipe is not None
    high = character("b", level=5, skills={s: 40 for s in SKILLS})
    assert craft_value(generated, high, product) == 0.0


def test_the_lowest_skill_gains_most(generated: GameData) -> None:
    product, _, raw = _two_step(generated)
    recipe = generated.recipe(product)
    assert recipe is not None
    low = character("a", level=5)
    higher = character("b", level=5, skills={recipe.skill: 6})
    bank = _bank_for(generated, product, raw, runs=3)
    a = best_bank_craft(generated, low, bank)
    b = best_bank_craft(generated, higher, bank)
    assert a is not None and b is not None
    assert craft_value(generated, low, product) > craft_value(generated, higher, product)


#: Errands alone: no team plan hands out goals of its own.
_NO_PLANS = CoordinatorSettings(plans=PlanSettings(enabled=False))


def _errand_for_a(
    generated: GameData, *, claims: bool = True
) -> tuple[Coordinator, dict[str, int], Advice]:
    """A coordinator for ``a`` and ``b`` over a bank holding three runs of a two-step recipe,
    and the bank-craft errand it gives ``a``."""
    product, _, raw = _two_step(generated)
    policy = ClaimsPolicy() if claims else SharesPolicy()
    # The stock counts as unused by anyone at once.
    bank_settings = BankSettings(policy=policy, idle_window=0.0)
    coordinator = Coordinator(
        generated,
        TeamStore(),
        clock=VirtualClock(),
        characters=("a", "b"),
        settings=CoordinatorSettings(bank=bank_settings),
    )
    bank = _bank_for(generated, product, raw, runs=3)
    # Both characters' views and the truth show the stock (a bank action of each).
    coordinator.report("b", "bank", {"items": bank})
    coordinator.report("a", "bank", {"items": bank})
    a = character("a", level=5).with_(bank=Multiset(bank))
    advice = coordinator.advise("a", a)
    assert advice is not None and isinstance(advice.goal, CraftFromBank)
    return coordinator, bank, advice


def test_the_coordinator_reserves_the_errand_inputs(generated: GameData) -> None:
    coordinator, bank, advice = _errand_for_a(generated)
    assert isinstance(advice.goal, CraftFromBank)
    assert advice.reserved and all(bank[c] >= q for c, q in advice.reserved.items())
    assert coordinator.ledger.held("a") == dict(advice.reserved)
    assert coordinator.errand_counts.get("refine", 0) + coordinator.errand_counts.get("craft", 0)
    # b, on its own, may take at most what a's reservation left (its share of the rest).
    b = character("b", level=5, skills={s: 40 for s in SKILLS}).with_(bank=Multiset(bank))
    other = coordinator.advise("b", b)
    assert other is not None and other.goal is None
    for code in advice.reserved:
        assert code in other.avoid
        assert advice.reserved[code] + other.reserved.get(code, 0) <= bank[code]
    # Reaching the goal releases the reservation.
    coordinator.report("a", "goal_reached", {"goal": advice.goal.name, "reason": "satisfied"})
    assert coordinator.ledger.held("a") == {}


def test_errands_use_only_stock_nobody_needed_lately(generated: GameData) -> None:
    product, _, raw = _two_step(generated)
    clock = VirtualClock()
    # Errands alone: no team plan hands out goals of its own.
    coordinator = Coordinator(
        generated, TeamStore(), clock=clock, characters=("a", "b"), settings=_NO_PLANS
    )
    bank = _bank_for(generated, product, raw, runs=3)
    coordinator.report("a", "bank", {"items": bank})
    a = character("a", level=5).with_(bank=Multiset(bank))
    # Just deposited: a character may come back for it, so no errand yet.
    advice = coordinator.advise("a", a)
    assert advice is not None and advice.goal is None
    assert coordinator.errand_counts == {"no stock": 1}
    clock.advance(coordinator.bank_access.settings.idle_window)
    # b, playing on its own, takes one unit of the raw material: it is in demand again.
    taken = {**bank, raw: bank[raw] - 1}
    coordinator.report("b", "bank", {"items": taken})
    coordinator.report("a", "bank", {"items": taken})
    advice = coordinator.advise("a", a.with_(bank=Multiset(taken)))
    assert advice is not None and not isinstance(advice.goal, CraftFromBank)
    # Left alone for the idle window, the stock is the errands'.
    clock.advance(coordinator.bank_access.settings.idle_window)
    advice = coordinator.advise("a", a.with_(bank=Multiset(taken)))
    assert advice is not None and isinstance(advice.goal, CraftFromBank)


def test_no_errand_crafts_away_the_plans_materials(generated: GameData) -> None:
    """A gatherer back with the plan's raw material deposits it for the plan's crafter: an
    errand crafting it in the bag had the plan ask for the same units again (over-production)."""
    product, refined, raw = _two_step(generated)
    recipe = generated.recipe(refined)  # the plan refines the raw material
    assert recipe is not None
    coordinator = Coordinator(generated, TeamStore(), clock=VirtualClock(), characters=("a", "b"))
    coordinator.bank_access.settings = replace(coordinator.bank_access.settings, idle_window=0.0)
    bank = _bank_for(generated, product, raw, runs=3)
    coordinator.report("a", "bank", {"items": bank})
    carried = Multiset({raw: recipe.items[0].quantity})  # one run's worth
    a = character("a", level=5).with_(inventory=carried, bank=Multiset(bank))
    coordinator.advise("b", character("b", level=5))  # the team the plan is sized for
    plan = coordinator.set_manual(recipe.skill, refined)
    assert plan is not None and raw in plan.needed
    for _ in range(2):
        advice = coordinator.advise("a", a)
        assert advice is not None
        assert advice.goal is not None  # the plan's own stage (its crafter's, here)
        assert not advice.note.startswith("bank craft")
    assert coordinator.errand_counts.get("carries plan materials") == 2
    # Without a plan, the same bag and bank make an errand.
    alone = Coordinator(
        generated, TeamStore(), clock=VirtualClock(), characters=("a", "b"), settings=_NO_PLANS
    )
    alone.bank_access.settings = replace(alone.bank_access.settings, idle_window=0.0)
    alone.report("a", "bank", {"items": bank})
    alone.advise("a", a)  # its own deposit: kept for it once
    advice = alone.advise("a", a)
    assert advice is not None and isinstance(advice.goal, CraftFromBank)
    assert advice.note.startswith("bank craft")


def test_no_errand_below_what_the_character_was_measured_to_earn_alone(
    generated: GameData,
) -> None:
    product, _, raw = _two_step(generated)
    coordinator = Coordinator(generated, TeamStore(), clock=VirtualClock(), characters=("a", "b"))
    coordinator.bank_access.settings = replace(coordinator.bank_access.settings, idle_window=0.0)
    bank = _bank_for(generated, product, raw, runs=3)
    coordinator.report("b", "bank", {"items": bank})
    coordinator.report("a", "bank", {"items": bank})
    a = character("a", level=5).with_(bank=Multiset(bank))
    # Measured on its own at a pace no errand matches (ten levels a game second).
    coordinator.team.pace.observe("a", a, -1.0, alone=True)
    coordinator.team.pace.observe("a", a.with_(level=15), 0.0, alone=True)
    advice = coordinator.advise("a", a)
    assert advice is not None and not isinstance(advice.goal, CraftFromBank)
    assert coordinator.errand_counts == {"below solo": 1}


@pytest.mark.parametrize("claims", [True, False])
def test_errand_inputs_are_hidden_for_good_only_without_claims(
    generated: GameData, claims: bool
) -> None:
    coordinator, bank, advice = _errand_for_a(generated, claims=claims)
    assert isinstance(advice.goal, CraftFromBank)
    inputs = set(advice.reserved)
    assert inputs
    coordinator.report("a", "goal_reached", {"goal": advice.goal.name, "reason": "satisfied"})
    # The errand is over: with claims, what is left of its inputs is everyone's again (a
    # withdrawal racing a later errand is refused when it happens); without, it stays theirs.
    b = character("b", level=5, skills={s: 40 for s in SKILLS}).with_(bank=Multiset(bank))
    other = coordinator.advise("b", b)
    assert other is not None and other.goal is None
    hidden = inputs & other.avoid
    assert hidden == (set() if claims else inputs)
