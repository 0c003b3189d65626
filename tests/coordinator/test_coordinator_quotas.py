"""Gear quotas: 5 gathering sets and 3 combat sets per tier; the rest is surplus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guildmaster.coordinator import (
    COMBAT_SETS,
    GATHERING_SETS,
    gear_quota,
    gear_surplus,
    tier_of,
)
from guildmaster.knowledge import GameData


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def test_quota_per_kind_of_gear(real: GameData) -> None:
    pickaxe = real.gathering_tools("mining")[0]
    assert gear_quota(pickaxe) == GATHERING_SETS
    ring = real.equipment("ring1")[0]
    assert gear_quota(ring) == 2 * COMBAT_SETS  # two ring slots per set
    helmet = real.equipment("helmet")[0]
    assert gear_quota(helmet) == COMBAT_SETS
    assert gear_quota(real.items["copper_ore"]) == 0
    assert tier_of(helmet) == helmet.level // 10


def test_surplus_counts_bank_inventories_and_worn_gear(real: GameData) -> None:
    pickaxe = real.gathering_tools("mining")[0].code
    helmet = real.equipment("helmet", max_level=9)[0].code
    bank = {pickaxe: 4, helmet: 2, "copper_ore": 500}
    inventories = [{pickaxe: 2}, {helmet: 1}]
    equipment = [[helmet], [pickaxe]]
    surplus = {
        s.code: s
        for s in gear_surplus(real, bank=bank, inventories=inventories, equipment=equipment)
    }
    # 7 pickaxes owned, 5 kept; 4 helmets owned, 3 kept; raw materials are never gear surplus.
    assert surplus[pickaxe].quantity == 2
    assert surplus[helmet].quantity == 1
    assert "copper_ore" not in surplus
    for s in surplus.values():
        item = real.items[s.code]
        if s.action == "npc":
            assert any(o.npc == s.to for o in real.sell_offers(s.code))
        elif s.action == "ge":
            assert item.tradeable
        elif s.action == "recycle":
            assert item.recyclable


def test_worn_gear_is_never_surplus_and_better_pieces_are_kept(real: GameData) -> None:
    tier1 = [h for h in real.equipment("helmet", max_level=19) if tier_of(h) == 1]
    assert len({h.level for h in tier1}) >= 2
    low, high = tier1[0], tier1[-1]
    assert low.level < high.level
    # Five worn low helmets: over quota, but nothing loose to get rid of.
    assert gear_surplus(real, bank={}, equipment=[[low.code]] * 5) == ()
    # Three better helmets fill the tier's quota: every loose lower one is surplus.
    result = gear_surplus(real, bank={high.code: 3, low.code: 2})
    assert [(s.code, s.quantity) for s in result] == [(low.code, 2)]
    # A piece of another tier has its own quota.
    copper = real.items["copper_helmet"]
    assert tier_of(copper) != tier_of(high)
    assert gear_surplus(real, bank={high.code: 3, copper.code: 3}) == ()
