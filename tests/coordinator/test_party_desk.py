"""Boss-party advice details the agent relies on: summons, and stillness during the fight."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_coordinator_party import _SurePredictor
from test_coordinator_sim import character

from guildmaster.clock import VirtualClock
from guildmaster.coordinator import Coordinator, CoordinatorSettings, PartySettings, TeamStore
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import BossPartyGoal, GameState


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _coordinator(real: GameData, clock: VirtualClock, *, timeout: float = 600.0) -> Coordinator:
    return Coordinator(
        real,
        TeamStore(),
        clock=clock,
        predictor=_SurePredictor(samples=1),
        characters="abcd",
        settings=CoordinatorSettings(parties=PartySettings(enabled=True, timeout=timeout)),
    )


def _role(coordinator: Coordinator, name: str, state: GameState) -> str | None:
    advice = coordinator.advise(name, state)
    assert advice is not None
    goal = advice.goal
    return goal.role if isinstance(goal, BossPartyGoal) else None


def test_members_are_summoned_until_the_fight_is_over(real: GameData, clock: VirtualClock) -> None:
    coordinator = _coordinator(real, clock)
    states = {n: character(n, level=lv) for n, lv in zip("abcd", (30, 29, 28, 2), strict=True)}
    assert not any(coordinator.summoned(n) for n in "abcd")
    for name in "abcd":
        _role(coordinator, name, states[name])
    (party,) = coordinator.parties()
    assert [coordinator.summoned(n) for n in "abcd"] == [True, True, True, False]
    here = {n: states[n].moved_to(party.location) for n in "abc"}
    assert _role(coordinator, "c", here["c"]) == "wait"
    assert _role(coordinator, "b", here["b"]) == "wait"
    assert _role(coordinator, "a", here["a"]) == "fight"
    assert party.phase == "fighting"
    # The participants stay put while the leader's fight runs (they are in it).
    assert _role(coordinator, "b", here["b"]) == "wait"
    assert _role(coordinator, "c", states["c"]) == "wait"
    coordinator.report("a", "goal_reached", {"goal": "x", "party": party.id, "win": False})
    assert party.to_json()["phase"] == "done" and party.won is False
    assert not any(coordinator.summoned(n) for n in "abcd")
    assert _role(coordinator, "b", here["b"]) is None


def test_summons_end_with_the_timeout_and_when_parties_are_off(
    real: GameData, clock: VirtualClock
) -> None:
    coordinator = _coordinator(real, clock, timeout=100.0)
    for name in "abc":
        _role(coordinator, name, character(name, level=30))
    assert coordinator.summoned("a")
    coordinator.party_desk.settings = replace(coordinator.party_desk.settings, enabled=False)
    assert not coordinator.summoned("a")
    coordinator.party_desk.settings = replace(coordinator.party_desk.settings, enabled=True)
    clock.advance(99)
    assert coordinator.summoned("b")
    clock.advance(2)
    assert not coordinator.summoned("b")
    assert _role(coordinator, "b", character("b", level=30)) is None
    assert coordinator.parties()[0].phase == "timeout"
