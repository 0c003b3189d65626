"""Disposal goals on a hand-built world: sell surplus to an NPC, or recycle it."""

from __future__ import annotations

import pytest
from planning_world import BANK, MERCHANT, WEAPON_WORKSHOP, start_state

from guildmaster.planning import Multiset, PlanNotFound, plan
from guildmaster.planning.domains import (
    DisposeItems,
    GameContext,
    NpcSell,
    ObtainItem,
    Recycle,
    SimpleItem,
    SimpleOffer,
    SimpleQuantity,
    SimpleRecipe,
    StaticFacts,
    build_domain,
)


def _facts() -> StaticFacts:
    """A merchant buying daggers for 7 gold, a weapon workshop recycling them."""
    recipe = SimpleRecipe(
        "weaponcrafting", 5, (SimpleQuantity("copper_bar", 6), SimpleQuantity("feather", 1))
    )
    items = [
        SimpleItem("copper_bar"),
        SimpleItem("feather"),
        SimpleItem("copper_dagger", type="weapon", recyclable=True, craft=recipe),
        SimpleItem("old_shield", type="shield"),
    ]
    offers = [
        SimpleOffer("copper_dagger", "merchant", sell_price=7),
        SimpleOffer("old_shield", "merchant", buy_price=30, sell_price=4),
    ]
    tiles = {
        MERCHANT: ("npc", "merchant"),
        WEAPON_WORKSHOP: ("workshop", "weaponcrafting"),
        BANK: ("bank", "bank"),
    }
    return StaticFacts.build(items=items, offers=offers, tiles=tiles)


@pytest.fixture
def ctx() -> GameContext:
    return GameContext(_facts())


def test_sell_surplus_from_the_bank_to_the_npc(ctx: GameContext) -> None:
    state = start_state(bank=Multiset({"copper_dagger": 5}), gold=3)
    goal = DisposeItems.of(state, "copper_dagger", 3, venue="npc", npc="merchant", ctx=ctx)
    result = plan(build_domain(ctx), state, goal)
    assert result.action_names == (
        "move(overworld,4,1)",
        "bank/withdraw/item(copper_dagger x3)",
        "move(overworld,3,0)",
        "npc/sell(merchant:copper_dagger x3)",
    )
    final = result.final_state
    assert final.gold == 3 + 3 * 7
    assert final.bank["copper_dagger"] == 2
    assert final.inventory["copper_dagger"] == 0


def test_sell_only_the_surplus_held_in_the_bag(ctx: GameContext) -> None:
    state = start_state(inventory=Multiset({"copper_dagger": 4}))
    goal = DisposeItems.of(state, "copper_dagger", 1, venue="npc", npc="merchant", ctx=ctx)
    result = plan(build_domain(ctx), state, goal)
    assert result.action_names[-1] == "npc/sell(merchant:copper_dagger x1)"
    assert result.final_state.inventory["copper_dagger"] == 3
    assert result.final_state.gold == 7


def test_recycle_surplus_at_the_workshop_yields_materials(ctx: GameContext) -> None:
    skills = start_state().skills.add("weaponcrafting", 4)
    state = start_state(inventory=Multiset({"copper_dagger": 2}), skills=skills)
    goal = DisposeItems.of(state, "copper_dagger", 2, venue="recycle", ctx=ctx)
    result = plan(build_domain(ctx), state, goal)
    assert result.action_names == ("move(overworld,2,1)", "recycling(copper_dagger x2)")
    final = result.final_state
    assert final.inventory["copper_dagger"] == 0
    # 7 recipe units give back 2 units each, of the main ingredient.
    assert final.inventory["copper_bar"] == 4


def test_recycling_needs_the_crafting_level(ctx: GameContext) -> None:
    state = start_state(inventory=Multiset({"copper_dagger": 2}))
    goal = DisposeItems.of(state, "copper_dagger", 1, venue="recycle", ctx=ctx)
    with pytest.raises(PlanNotFound):
        plan(build_domain(ctx), state, goal, node_budget=200)


def test_normal_goals_never_offer_selling_or_recycling(ctx: GameContext) -> None:
    domain = build_domain(ctx)
    skills = start_state().skills.add("weaponcrafting", 10)
    state = start_state(
        location=MERCHANT, inventory=Multiset({"copper_dagger": 3}), gold=100, skills=skills
    )
    goal = ObtainItem("old_shield", 1, ctx=ctx)
    assert not any(isinstance(a, NpcSell | Recycle) for a in domain.actions(state, goal))
    at_workshop = state.with_(location=WEAPON_WORKSHOP)
    assert not any(isinstance(a, Recycle) for a in domain.actions(at_workshop, goal))


def test_dispose_items_validates_and_names(ctx: GameContext) -> None:
    state = start_state(inventory=Multiset({"copper_dagger": 2}))
    with pytest.raises(ValueError):
        DisposeItems.of(state, "copper_dagger", 0, venue="npc", npc="merchant", ctx=ctx)
    with pytest.raises(ValueError):
        DisposeItems.of(state, "copper_dagger", 1, venue="npc", ctx=ctx)
    goal = DisposeItems.of(state, "copper_dagger", 5, venue="recycle", ctx=ctx)
    assert goal.keep == 0
    assert goal.demand(state) == {"copper_dagger": 0}
    assert goal.relevance(state).recycles == frozenset({"copper_dagger"})
    assert goal.name == "dispose(copper_dagger to 0 recycle)"
