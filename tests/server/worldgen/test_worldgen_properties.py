"""Property tests over seeds: inputs obtainable, no cycles, content reachable; party bosses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildmaster.server.worldgen import generate_world
from guildmaster.server.worldgen.checks import (
    check_cycles,
    check_references,
    obtainable_items,
    placed_content,
    reachable_tiles,
)
from guildmaster.server.worldgen.ladder import party_win_rates

seeds = st.integers(min_value=0, max_value=2**31 - 1)


@settings(max_examples=15, deadline=None)
@given(seed=seeds)
def test_every_recipe_input_is_obtainable(seed: int) -> None:
    world = generate_world(seed)
    placed = placed_content(world, reachable_tiles(world))
    got = obtainable_items(world, placed)
    for item in world["items"]:
        for ingredient in (item["craft"] or {}).get("items", []):
            assert ingredient["code"] in got, (item["code"], ingredient["code"])
    assert not check_references(world)


@settings(max_examples=15, deadline=None)
@given(seed=seeds)
def test_no_recipe_cycles(seed: int) -> None:
    assert check_cycles(generate_world(seed)) == []


@settings(max_examples=15, deadline=None)
@given(seed=seeds)
def test_every_map_content_is_reachable_from_spawn(seed: int) -> None:
    world = generate_world(seed)
    reachable = reachable_tiles(world)
    assert ("overworld", 0, 0) in reachable
    for tile in world["maps"]:
        if tile["interactions"]["content"] or tile["interactions"]["transition"]:
            assert (tile["layer"], tile["x"], tile["y"]) in reachable, tile
        if tile["access"]["type"] == "standard" and tile["layer"] == "overworld":
            assert (tile["layer"], tile["x"], tile["y"]) in reachable
    for event in world["events"]:
        for spot in event["maps"]:
            assert (spot["layer"], spot["x"], spot["y"]) in reachable


def _gear(world: dict[str, Any]) -> list[dict[str, Any]]:
    kinds = {"weapon", "shield", "helmet", "body_armor", "leg_armor", "boots", "ring", "amulet"}
    return [i for i in world["items"] if i["type"] in kinds]


@pytest.mark.parametrize("seed", [0, 17])
def test_bosses_need_a_party_of_three(seed: int) -> None:
    world = generate_world(seed)
    bosses = [m for m in world["monsters"] if m["type"] == "boss"]
    assert len(bosses) >= 4
    for boss in bosses[:: len(bosses) - 1]:  # the weakest and the strongest
        solo, party = party_win_rates(boss, _gear(world), samples=6)
        assert solo == 0.0, boss["code"]
        assert party >= 0.8, boss["code"]
