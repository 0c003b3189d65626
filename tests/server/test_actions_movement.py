"""Movement and transitions: A* paths, cooldowns, every error code, access rules, costs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from server_fixtures import world_data
from test_actions_helpers import act, add_character, fingerprint

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import movement
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer
from guildmaster.server.world import parse_world


def _block(game: GameServer, x: int, y: int, kind: str = "blocked") -> None:
    tile = game.world.maps.get("overworld", x, y)
    assert tile is not None
    tile["access"] = {"type": kind, "conditions": []}


def test_move_by_coordinates_walks_around_blocked_tiles(game: GameServer) -> None:
    hero = add_character(game)
    data = act(game, hero, lambda c: movement.move(game, c, {"x": -2, "y": 0}))
    path = data["path"]
    assert path[-1] == [-2, 0]
    assert [-1, 0] not in path  # the blocked tile is avoided
    assert len(path) == 4  # (0,0)->(0,±1)->(-1,±1)->(-2,±1)->(-2,0)
    assert data["cooldown"]["total_seconds"] == 5 * len(path)
    assert data["cooldown"]["reason"] == "movement"
    assert data["destination"]["map_id"] == hero.map_id
    assert (hero.x, hero.y) == (-2, 0)
    for (ax, ay), (bx, by) in zip([[0, 0], *path], path, strict=False):
        assert abs(ax - bx) + abs(ay - by) == 1


def test_move_by_map_id(game: GameServer) -> None:
    hero = add_character(game)
    target = game.world.maps.get("overworld", 3, 2)
    assert target is not None
    data = act(game, hero, lambda c: movement.move(game, c, {"map_id": target["map_id"]}))
    assert (hero.x, hero.y) == (3, 2)
    assert data["cooldown"]["total_seconds"] == 25


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"x": 0, "y": 0}, 490),
        ({"x": 40, "y": 40}, 404),
        ({"map_id": 99999}, 404),
        ({"x": -1, "y": 0}, 596),
        ({"map_id": 102}, 595),  # another layer: a move never crosses layers
        ({}, 422),
        ({"x": 1}, 422),
    ],
)
def test_move_errors_change_nothing(game: GameServer, body: dict[str, int], code: int) -> None:
    hero = add_character(game)
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        act(game, hero, lambda c: movement.move(game, c, body))
    assert info.value.code == code
    assert fingerprint(game) == before


def test_move_without_path_is_595(game: GameServer) -> None:
    hero = add_character(game)
    _block(game, -2, -1)
    _block(game, -2, 1)
    with pytest.raises(GameError) as info:
        movement.move(game, hero, {"x": -2, "y": 0})
    assert info.value.code == 595


def test_restricted_tiles_only_reachable_from_inside(game: GameServer) -> None:
    hero = add_character(game)
    _block(game, 3, -2, "restricted")
    with pytest.raises(GameError) as info:
        movement.move(game, hero, {"x": 3, "y": -2})
    assert info.value.code == 596
    _block(game, 2, -2, "restricted")
    hero.x, hero.y = 2, -2
    result = movement.move(game, hero, {"x": 3, "y": -2})
    assert result.data["path"] == [[3, -2]]
    # from inside the region, standard tiles are out of reach
    with pytest.raises(GameError) as info:
        movement.move(game, hero, {"x": 0, "y": 0})
    assert info.value.code == 595


def test_conditional_destination_needs_its_conditions(game: GameServer) -> None:
    hero = add_character(game)
    tile = game.world.maps.get("overworld", 2, -2)
    assert tile is not None
    condition = {"code": "chicken_slayer", "operator": "achievement_unlocked", "value": 1}
    tile["access"] = {"type": "conditional", "conditions": [condition]}
    with pytest.raises(GameError) as info:
        movement.move(game, hero, {"x": 2, "y": -2})
    assert info.value.code == 496
    game.state.accounts[hero.account].completed_achievements["chicken_slayer"] = "now"
    movement.move(game, hero, {"x": 2, "y": -2})
    assert (hero.x, hero.y) == (2, -2)


def test_path_avoids_conditional_tiles_the_character_cannot_enter(game: GameServer) -> None:
    hero = add_character(game, at=(-2, -1))
    tile = game.world.maps.get("overworld", -2, 0)
    assert tile is not None
    tile["access"] = {
        "type": "conditional",
        "conditions": [{"code": "level", "operator": "gt", "value": 5}],
    }
    result = movement.move(game, hero, {"x": -2, "y": 1})
    assert [-2, 0] not in result.data["path"]


def test_no_action_before_the_move_cooldown_ends(game: GameServer, clock: VirtualClock) -> None:
    hero = add_character(game)
    act(game, hero, lambda c: movement.move(game, c, {"x": 2, "y": 0}))  # 10 s
    clock.advance(9.5)
    with pytest.raises(GameError) as info:
        act(game, hero, lambda c: movement.move(game, c, {"x": 0, "y": 0}))
    assert info.value.code == 499
    clock.advance(0.5)
    act(game, hero, lambda c: movement.move(game, c, {"x": 0, "y": 0}))
    assert (hero.x, hero.y) == (0, 0)


def _transition(game: GameServer) -> dict[str, object]:
    tile = game.world.maps.get("overworld", 3, 0)
    assert tile is not None
    link = tile["interactions"]["transition"]
    assert isinstance(link, dict)
    return link


def test_transition_moves_between_layers_and_back(game: GameServer, clock: VirtualClock) -> None:
    hero = add_character(game, at=(3, 0))
    data = act(game, hero, lambda c: movement.transition(game, c))
    assert (hero.layer, hero.x, hero.y, hero.map_id) == ("underground", 3, 0, 101)
    assert data["cooldown"]["total_seconds"] == game.rules.transition_cooldown_seconds
    assert data["cooldown"]["reason"] == "transition"
    assert data["transition"]["layer"] == "underground"
    assert data["destination"]["map_id"] == 101
    clock.advance(3)
    act(game, hero, lambda c: movement.transition(game, c))
    assert (hero.layer, hero.map_id) == ("overworld", 16)


def test_transition_not_found(game: GameServer) -> None:
    hero = add_character(game)
    with pytest.raises(GameError) as info:
        movement.transition(game, hero)
    assert info.value.code == 404


def test_transition_gold_cost(game: GameServer) -> None:
    _transition(game)["conditions"] = [{"code": "gold", "operator": "cost", "value": 100}]
    hero = add_character(game, at=(3, 0), gold=99)
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        movement.transition(game, hero)
    assert info.value.code == 492
    assert fingerprint(game) == before
    hero.gold = 150
    movement.transition(game, hero)
    assert hero.gold == 50
    assert hero.layer == "underground"


def test_transition_item_cost_and_has_item(game: GameServer) -> None:
    link = _transition(game)
    link["conditions"] = [{"code": "tasks_coin", "operator": "cost", "value": 2}]
    hero = add_character(game, at=(3, 0), items={"tasks_coin": 1})
    with pytest.raises(GameError) as info:
        movement.transition(game, hero)
    assert info.value.code == 478
    hero.add_item("tasks_coin", 2)
    movement.transition(game, hero)
    assert hero.quantity("tasks_coin") == 1

    link["conditions"] = [{"code": "feather", "operator": "has_item", "value": 1}]
    other = add_character(game, "other", at=(3, 0))
    with pytest.raises(GameError) as info:
        movement.transition(game, other)
    assert info.value.code == 496
    other.add_item("feather", 1)
    movement.transition(game, other)
    assert other.quantity("feather") == 1  # has_item is not consumed


def _bfs(game: GameServer, start: tuple[int, int], goal: tuple[int, int]) -> int | None:
    """Reference shortest path length over standard tiles (breadth-first)."""
    frontier, seen = [start], {start: 0}
    while frontier:
        nxt = []
        for x, y in frontier:
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                tile = game.world.maps.get("overworld", x + dx, y + dy)
                if tile is None or tile["access"]["type"] != "standard" or (x + dx, y + dy) in seen:
                    continue
                seen[(x + dx, y + dy)] = seen[(x, y)] + 1
                nxt.append((x + dx, y + dy))
        frontier = nxt
    return seen.get(goal)


@settings(max_examples=60, deadline=None)
@given(
    blocked=st.sets(st.tuples(st.integers(-2, 3), st.integers(-2, 2)), max_size=12),
    goal=st.tuples(st.integers(-2, 3), st.integers(-2, 2)),
)
def test_astar_paths_are_shortest_and_walkable(
    blocked: set[tuple[int, int]], goal: tuple[int, int]
) -> None:
    server = GameServer(world=parse_world(world_data()), clock=VirtualClock())
    blocked.discard((0, 0))
    for x, y in blocked:
        _block(server, x, y)
    hero = add_character(server)
    path = movement.find_path(server, hero, goal)
    expected = _bfs(server, (0, 0), goal)
    if expected is None or goal in blocked:
        assert path is None or goal == (0, 0)
        return
    assert path is not None and len(path) == expected
    for (ax, ay), (bx, by) in zip([(0, 0), *path], path, strict=False):
        assert abs(ax - bx) + abs(ay - by) == 1
        assert (bx, by) not in blocked
