"""Navigation: A* on hand-made grids (walls, layers, transitions, access rules) and the real map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guildmaster.api.fields import parse_character
from guildmaster.knowledge import (
    GameData,
    MoveStep,
    Navigator,
    NoRoute,
    Passport,
    Tile,
    TransitionStep,
)


def _grid(
    rows: list[str],
    *,
    layer: str = "overworld",
    first_id: int = 1,
    transitions: dict[tuple[int, int], dict[str, Any]] | None = None,
    conditions: list[dict[str, Any]] | None = None,
) -> list[Tile]:
    """Tiles from ASCII: ``.`` standard, ``#`` blocked, ``r`` restricted, ``c`` conditional."""
    kinds = {".": "standard", "#": "blocked", "r": "restricted", "c": "conditional"}
    tiles = []
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            access: dict[str, Any] = {"type": kinds[ch], "conditions": []}
            if ch == "c":
                access["conditions"] = conditions or []
            tiles.append(
                Tile.from_api(
                    {
                        "map_id": first_id + y * 100 + x,
                        "x": x,
                        "y": y,
                        "layer": layer,
                        "access": access,
                        "interactions": {
                            "content": None,
                            "transition": (transitions or {}).get((x, y)),
                        },
                    }
                )
            )
    return tiles


def _to(layer: str, x: int, y: int, *conds: dict[str, Any]) -> dict[str, Any]:
    return {"map_id": 0, "x": x, "y": y, "layer": layer, "conditions": list(conds)}


def test_detour_around_a_wall() -> None:
    nav = Navigator(_grid(["....", ".##.", ".#..", ".#.."]))
    route = nav.route(("overworld", 0, 2), ("overworld", 2, 2))
    # Straight line is blocked; the way round the top of the wall is 8 tiles.
    assert route.tiles == 8 and route.seconds == 40.0
    assert route.steps == (MoveStep("overworld", 2, 2, 203, 8),)


def test_blocked_destination_has_no_route() -> None:
    nav = Navigator(_grid(["..#"]))
    with pytest.raises(NoRoute):
        nav.route(("overworld", 0, 0), ("overworld", 2, 0))
    assert nav.distance(("overworld", 0, 0), ("overworld", 2, 0)) == float("inf")
    with pytest.raises(KeyError):
        nav.route(("overworld", 0, 0), ("overworld", 9, 9))


def test_conditional_tiles_need_their_conditions() -> None:
    cond = [{"code": "island_hero", "operator": "achievement_unlocked", "value": 1}]
    nav = Navigator(_grid(["...", "#c#", "..."], conditions=cond))
    start, goal = ("overworld", 1, 0), ("overworld", 1, 2)
    with pytest.raises(NoRoute):
        nav.route(start, goal)
    route = nav.route(start, goal, Passport.build(achievements={"island_hero"}))
    assert route.tiles == 2


def test_restricted_region_only_through_its_transition() -> None:
    # Row 0: a walkable strip; row 1: a restricted pocket under it, entered from (0,0) for gold.
    tiles = _grid(
        ["....", "rr##"],
        transitions={
            (0, 0): _to("overworld", 0, 1, {"code": "gold", "operator": "cost", "value": 500}),
            (0, 1): _to("overworld", 0, 0),
        },
    )
    nav = Navigator(tiles)
    start, pocket = ("overworld", 3, 0), ("overworld", 1, 1)
    with pytest.raises(NoRoute):
        nav.route(start, pocket, Passport.build(gold=499))
    route = nav.route(start, pocket, Passport.build(gold=500))
    kinds = [type(s).__name__ for s in route.steps]
    assert kinds == ["MoveStep", "TransitionStep", "MoveStep"]
    assert route.tiles == 3 + 1 and route.gold_cost == 500
    assert route.is_affordable(Passport.build(gold=500))
    assert not route.is_affordable(Passport.build(gold=499))
    # Leaving the pocket on foot is impossible; the free transition back is used.
    back = nav.route(pocket, start)
    assert [type(s).__name__ for s in back.steps] == ["MoveStep", "TransitionStep", "MoveStep"]
    assert back.gold_cost == 0


def test_layers_are_joined_only_by_transitions() -> None:
    over = _grid(
        ["....."],
        transitions={(4, 0): _to("underground", 4, 0)},
    )
    under = _grid(
        ["....."],
        layer="underground",
        first_id=1000,
        transitions={(4, 0): _to("overworld", 4, 0)},
    )
    nav = Navigator([*over, *under])
    route = nav.route(("overworld", 0, 0), ("underground", 0, 0))
    assert route.tiles == 8
    step = route.steps[1]
    assert isinstance(step, TransitionStep)
    assert step.source == ("overworld", 4, 0) and step.destination == ("underground", 4, 0)
    assert route.seconds == 8 * 5 + 3


def test_item_costs_and_has_item_conditions() -> None:
    key = {"code": "bone_key", "operator": "cost", "value": 1}
    cloak = {"code": "cloak", "operator": "has_item", "value": 1}
    tiles = _grid(
        ["..", "##", ".."],
        transitions={(0, 0): _to("overworld", 0, 2, key), (1, 0): _to("overworld", 1, 2, cloak)},
    )
    nav = Navigator(tiles)
    start, goal = ("overworld", 0, 0), ("overworld", 0, 2)
    with pytest.raises(NoRoute):
        nav.route(start, goal)
    by_key = nav.route(start, goal, Passport.build(items={"bone_key": 1}))
    assert by_key.item_costs == {"bone_key": 1}
    assert by_key.is_affordable(Passport.build(items={"bone_key": 1}))
    assert not by_key.is_affordable(Passport.build(items={"cloak": 1}))
    by_cloak = nav.route(start, goal, Passport.build(items={"cloak": 1}))
    assert by_cloak.item_costs == {} and by_cloak.tiles == 2


def test_paid_shortcut_only_when_it_saves_time() -> None:
    # A 21-tile walk versus a 1000-gold jump: with gold valued, the walk wins; free gold, the jump.
    tiles = _grid(
        ["." * 22],
        transitions={
            (0, 0): _to("overworld", 21, 0, {"code": "gold", "operator": "cost", "value": 1000})
        },
    )
    start, goal = ("overworld", 0, 0), ("overworld", 21, 0)
    rich = Passport.build(gold=10_000)
    assert Navigator(tiles, gold_seconds=1.0).route(start, goal, rich).gold_cost == 0
    assert Navigator(tiles, gold_seconds=0.0).route(start, goal, rich).gold_cost == 1000


def test_nearest_picks_the_closest_reachable_candidate_and_caches() -> None:
    nav = Navigator(_grid([".....", "###.#", "....."]))
    start = ("overworld", 0, 0)
    far, near = ("overworld", 0, 2), ("overworld", 4, 0)
    found = nav.nearest(start, [far, near])
    assert found is not None and found[0].key == near and found[1].tiles == 4
    again = nav.nearest(start, [near, far])
    assert again is not None and again[1] is found[1]
    assert nav.nearest(start, [("overworld", 4, 1)]) is None
    assert nav.nearest(start, []) is None


def test_passport_from_character_dict() -> None:
    character = {
        "x": 0,
        "y": 0,
        "hp": 1,
        "max_hp": 1,
        "gold": 1200,
        "level": 7,
        "mining_level": 12,
        "weapon_slot": "stick",
        "inventory": [
            {"slot": 1, "code": "bone_key", "quantity": 2},
            {"slot": 2, "code": "", "quantity": 0},
        ],
    }
    pp = Passport.from_character(parse_character(character), achievements=["x"])
    assert pp.gold == 1200 and pp.quantity("bone_key") == 2 and pp.quantity("stick") == 1
    from guildmaster.knowledge import Condition

    assert pp.can_meet(Condition("mining_level", "gt", 11))
    assert not pp.can_meet(Condition("level", "gt", 7))
    assert pp.can_meet(Condition("x", "achievement_unlocked", 1))


@pytest.fixture(scope="module")
def real_nav(snapshot_path: Path) -> tuple[GameData, Navigator]:
    data = GameData.from_snapshot(json.loads(snapshot_path.read_text()))
    return data, Navigator(data.maps)


def test_real_map_spawn_to_bank(real_nav: tuple[GameData, Navigator]) -> None:
    data, nav = real_nav
    spawn = ("overworld", 0, 0)
    found = nav.nearest(spawn, data.banks())
    assert found is not None
    bank, route = found
    assert bank.has_content("bank")
    # Manhattan distance is a lower bound and every step is a plain move on the overworld.
    assert route.tiles >= abs(bank.x) + abs(bank.y)
    assert all(isinstance(s, MoveStep) and s.layer == "overworld" for s in route.steps)
    assert route.seconds == route.tiles * 5


def test_real_map_other_layers_and_paid_regions(real_nav: tuple[GameData, Navigator]) -> None:
    data, nav = real_nav
    spawn = ("overworld", 0, 0)
    layers = {t.layer for t in data.maps.values()}
    reached = 0
    for layer in sorted(layers - {"overworld"}):
        walkable = [t for t in data.maps.values() if t.layer == layer and t.access == "standard"]
        found = nav.nearest(spawn, walkable)
        if found is not None:
            reached += 1
            assert any(isinstance(s, TransitionStep) for s in found[1].steps)
    assert reached >= 1
    restricted = [t for t in data.maps.values() if t.access == "restricted"]
    if restricted:
        assert nav.nearest(spawn, restricted) is None
        rich = nav.nearest(spawn, restricted, Passport.build(gold=10**6))
        assert rich is not None and rich[1].gold_cost > 0


def test_distance_field_agrees_with_routes(real_nav: tuple[GameData, Navigator]) -> None:
    data, nav = real_nav
    spawn = ("overworld", 0, 0)
    rich = Passport.build(gold=10**6)
    for passport in (Passport(), rich):
        field = nav.distances_from(spawn, passport)
        assert field[spawn] == 0.0
        assert nav.distances_from(spawn, passport) is field  # cached
        for tile in list(data.maps.values())[::37]:
            assert field.get(tile.key, float("inf")) == nav.distance(spawn, tile.key, passport)
    # Paying opens tiles that are otherwise unreachable.
    assert len(nav.distances_from(spawn, rich)) > len(nav.distances_from(spawn))
    with pytest.raises(KeyError):
        nav.distances_from(("nowhere", 0, 0))
