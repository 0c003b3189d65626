"""Team roles: a boss party's worth of characters fight for the team, the others produce."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_coordinator_sim import character

from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    PARTY_SIZE,
    Coordinator,
    CoordinatorSettings,
    DisposalSettings,
    ErrandSettings,
    PlanSettings,
    RoleSettings,
    TeamStore,
    choose_fighters,
)
from guildmaster.knowledge import GameData

NAMES = ("ann", "bob", "cid", "dan", "eve")


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _coordinator(
    real: GameData,
    store: TeamStore,
    *,
    characters: tuple[str, ...] = NAMES,
    fighters: int | None = PARTY_SIZE,
    producer_combat_weight: float = 1.0,
) -> Coordinator:
    settings = CoordinatorSettings(
        errands=ErrandSettings(enabled=False),
        plans=PlanSettings(enabled=False),
        disposals=DisposalSettings(enabled=False),
        roles=RoleSettings(fighters=fighters, producer_combat_weight=producer_combat_weight),
    )
    return Coordinator(real, store, clock=VirtualClock(), characters=characters, settings=settings)


def _weights(coordinator: Coordinator, levels: dict[str, int]) -> dict[str, float | None]:
    found: dict[str, float | None] = {}
    for name, level in levels.items():
        advice = coordinator.advise(name, character(name, level=level))
        assert advice is not None
        found[name] = advice.combat_weight
    return found


def _fighters(coordinator: Coordinator) -> list[str]:
    roles = coordinator.status()["roles"]
    assert set(roles.values()) == {"fighter", "producer"}
    return [name for name, role in roles.items() if role == "fighter"]


@given(
    levels=st.dictionaries(
        st.sampled_from(NAMES), st.tuples(st.integers(1, 50), st.integers(0, 10_000))
    ),
    count=st.integers(0, 6),
    current=st.lists(st.sampled_from(NAMES), max_size=6),
)
def test_fighters_keep_their_role_and_the_strongest_fill_free_places(
    levels: dict[str, tuple[int, int]], count: int, current: list[str]
) -> None:
    fighters = choose_fighters(levels, count, current=current)
    assert len(fighters) == min(count, len(levels)) == len(set(fighters))
    assert list(fighters) == sorted(fighters) and set(fighters) <= set(levels)
    kept = [n for n in dict.fromkeys(current) if n in levels][:count]
    assert set(kept) <= set(fighters)
    newcomers = set(fighters) - set(kept)
    others = set(levels) - set(fighters)
    # Nobody left out is stronger than a character who took a free place.
    assert all(levels[o] <= levels[n] for o in others for n in newcomers)


def test_a_negative_number_of_fighters_is_refused() -> None:
    with pytest.raises(ValueError, match="fighters"):
        choose_fighters({"ann": (1, 0)}, -1)


def test_the_strongest_fight_and_the_others_weigh_combat_like_a_skill(real: GameData) -> None:
    coordinator = _coordinator(real, TeamStore(), producer_combat_weight=1.0)
    levels = {"ann": 3, "bob": 9, "cid": 7, "dan": 2, "eve": 8}
    first = _weights(coordinator, levels)
    # Until every character was seen, nobody is told to stop fighting (eve, seen last, is
    # one of the three strongest).
    assert set(first.values()) == {None}
    assert _fighters(coordinator) == ["bob", "cid", "eve"]
    second = _weights(coordinator, levels)
    assert second == {"ann": 1.0, "bob": None, "cid": None, "dan": 1.0, "eve": None}


def test_roles_survive_a_restart_and_levels_changing(real: GameData, tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    levels = {"ann": 3, "bob": 9, "cid": 7, "dan": 2, "eve": 8}
    _weights(_coordinator(real, TeamStore(path)), levels)
    # Later the producers outlevel two fighters: a role is kept, it does not flip-flop.
    later = {"ann": 12, "bob": 10, "cid": 8, "dan": 11, "eve": 8}
    again = _coordinator(real, TeamStore(path), producer_combat_weight=0.5)
    assert _fighters(again) == ["bob", "cid", "eve"]
    assert _weights(again, later) == {"ann": 0.5, "bob": None, "cid": None, "dan": 0.5, "eve": None}


def test_a_fighter_who_left_the_team_is_replaced_by_the_strongest(
    real: GameData, tmp_path: Path
) -> None:
    path = tmp_path / "team.sqlite"
    _weights(
        _coordinator(real, TeamStore(path)), {"ann": 3, "bob": 9, "cid": 7, "dan": 2, "eve": 8}
    )
    names = ("ann", "bob", "dan", "eve")
    smaller = _coordinator(real, TeamStore(path), characters=names)
    levels = {"ann": 3, "bob": 9, "dan": 2, "eve": 8}
    _weights(smaller, levels)  # the stored roles hold until every character was seen
    weights = _weights(smaller, levels)
    assert _fighters(smaller) == ["ann", "bob", "eve"]
    assert weights == {"ann": None, "bob": None, "dan": 1.0, "eve": None}


@pytest.mark.parametrize("fighters", [None, PARTY_SIZE])
def test_a_team_no_larger_than_its_fighters_all_fight(real: GameData, fighters: int | None) -> None:
    names = NAMES if fighters is None else NAMES[:PARTY_SIZE]
    coordinator = _coordinator(real, TeamStore(), characters=names, fighters=fighters)
    levels = {n: 1 + i for i, n in enumerate(names)}
    _weights(coordinator, levels)
    assert set(_weights(coordinator, levels).values()) == {None}
    assert coordinator.status()["roles"] == {}


def test_off_the_coordinator_gives_no_role(real: GameData) -> None:
    coordinator = _coordinator(real, TeamStore())
    levels = {n: 1 + i for i, n in enumerate(NAMES)}
    _weights(coordinator, levels)
    coordinator.enabled = False
    assert all(coordinator.advise(n, character(n, level=lv)) is None for n, lv in levels.items())
