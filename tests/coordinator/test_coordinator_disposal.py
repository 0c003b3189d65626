"""Disposal errands: surplus gear above the quotas is sold or recycled, gear at quota stays."""

from __future__ import annotations

import pytest
from test_coordinator_sim import character

from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    NEED_GOLD,
    Coordinator,
    Surplus,
    TeamStore,
    choose_disposal,
    disposal_venues,
    recycle_yield,
)
from guildmaster.knowledge import GameData
from guildmaster.planning import Multiset
from guildmaster.planning.domains import SKILLS, DisposeItems
from guildmaster.server.worldgen import generate_world

HELM = "govaine_helm"  # gearcrafting 1: 4 govaine_bar + 2 traenorybow_wisp, no NPC buys it
CUIRASS = "govaine_cuirass"
BANK_TILE = ("overworld", 0, 2)


@pytest.fixture(scope="module")
def gen7() -> GameData:
    return GameData.from_snapshot(generate_world(7))


def test_recycle_yield_follows_the_recipe(gen7: GameData) -> None:
    # 6 recipe units give back 2 per item, in proportion to the recipe.
    assert recycle_yield(gen7, HELM, 3) == pytest.approx(
        {"govaine_bar": 4.0, "traenorybow_wisp": 2.0}
    )
    assert recycle_yield(gen7, "govaine_bar", 1) == {}  # not recyclable gear


def test_recycling_is_valued_by_what_the_team_needs(gen7: GameData) -> None:
    low = character("a", level=1)
    plain = disposal_venues(gen7, low, HELM, 3)
    needed = disposal_venues(gen7, low, HELM, 3, needs={"govaine_bar"})
    assert [d.venue for d in plain] == ["recycle"]
    assert needed[0].value == pytest.approx(plain[0].value + 4 * NEED_GOLD)
    # Without the crafting level there is no venue at all (no NPC buys the helm).
    unskilled = Multiset({s: 1 for s in SKILLS if s != "gearcrafting"})
    assert disposal_venues(gen7, low.with_(skills=unskilled), HELM, 1) == ()


def test_choose_disposal_takes_carried_units_then_banked_ones_near_the_bank(
    gen7: GameData,
) -> None:
    state = character("a").with_(inventory=Multiset({HELM: 1}))
    surplus = [Surplus(HELM, 4, "recycle", "gearcrafting")]
    far = choose_disposal(gen7, state, surplus, bank={HELM: 5}, near_bank=False, room=50)
    assert far is not None and far.quantity == 1
    near = choose_disposal(gen7, state, surplus, bank={HELM: 5}, near_bank=True, room=50)
    assert near is not None and near.quantity == 4
    tight = choose_disposal(gen7, state, surplus, bank={HELM: 5}, near_bank=True, room=2)
    assert tight is not None and tight.quantity == 3
    busy = choose_disposal(
        gen7, state, surplus, bank={HELM: 5}, near_bank=True, room=50, busy={HELM}
    )
    assert busy is None


def test_surplus_above_quota_becomes_one_disposal_errand(gen7: GameData) -> None:
    clock = VirtualClock()
    coordinator = Coordinator(gen7, TeamStore(), clock=clock, characters=("a", "b"))
    bank = {HELM: 5, CUIRASS: 3}  # three combat sets keep 3 of each: 2 helms are surplus
    coordinator.report("a", "bank", {"items": bank})
    coordinator.report("b", "bank", {"items": bank})
    a = character("a").with_(location=BANK_TILE, bank=Multiset(bank))
    advice = coordinator.advise("a", a)
    assert advice is not None and isinstance(advice.goal, DisposeItems)
    goal = advice.goal
    assert (goal.code, goal.venue, goal.keep) == (HELM, "recycle", 3)
    assert dict(advice.reserved) == {HELM: 2}
    assert coordinator.ledger.held("a") == {HELM: 2}
    # b stands at the bank too: the helms are a's errand, the cuirasses are at quota.
    b = character("b").with_(location=BANK_TILE, bank=Multiset(bank))
    other = coordinator.advise("b", b)
    assert other is None or not isinstance(other.goal, DisposeItems)
    assert HELM in (other.avoid if other is not None else frozenset())
    # Reaching the goal releases the reservation and is counted.
    coordinator.report("a", "goal_reached", {"goal": goal.name, "reason": "satisfied"})
    assert coordinator.ledger.held("a") == {}
    status = coordinator.status()["disposals"]
    assert status == {"recycle": 1, "reached": 1}
    # At most one errand per interval: asking again at once gives none.
    again = coordinator.advise("a", a)
    assert again is None or not isinstance(again.goal, DisposeItems)


def test_no_errand_far_from_the_bank_or_when_hurt(gen7: GameData) -> None:
    coordinator = Coordinator(gen7, TeamStore(), clock=VirtualClock(), characters=("a",))
    bank = {HELM: 5}
    coordinator.report("a", "bank", {"items": bank})
    far = character("a").with_(location=("overworld", 11, -9), bank=Multiset(bank))
    advice = coordinator.advise("a", far)
    assert advice is None or not isinstance(advice.goal, DisposeItems)
    hurt = character("a").with_(location=BANK_TILE, bank=Multiset(bank), hp=10)
    advice = coordinator.advise("a", hurt)
    assert advice is None or not isinstance(advice.goal, DisposeItems)
    assert coordinator.disposal_counts == {}
