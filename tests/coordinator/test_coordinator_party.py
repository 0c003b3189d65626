"""Boss parties: the predictor's choice, the rendezvous state machine, and the advice flow."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from test_coordinator_sim import character

from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    PARTY_TIMEOUT_GAME_SECONDS,
    BossParty,
    Coordinator,
    CoordinatorSettings,
    PartySettings,
    TeamStore,
    boss_chances,
    find_boss_party,
)
from guildmaster.knowledge import (
    CombatPredictor,
    CombatStats,
    GameData,
    Monster,
    PartyPrediction,
    stats_from_equipment,
)
from guildmaster.planning.domains import BossPartyGoal


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _strong(real: GameData, level: int) -> CombatStats:
    base = stats_from_equipment(level, {}, real)
    return replace(base, hp=3000, max_hp=3000, attack=(150, 150, 150, 150), res=(30, 30, 30, 30))


def test_the_strongest_three_are_chosen_against_the_highest_boss_they_beat(
    real: GameData,
) -> None:
    predictor = CombatPredictor(samples=40)
    stats = {
        "a": _strong(real, 25),
        "b": _strong(real, 24),
        "c": _strong(real, 23),
        "d": stats_from_equipment(5, {}, real),
        "e": stats_from_equipment(3, {}, real),
    }
    found = find_boss_party(real, predictor, stats)
    assert found is not None
    assert found.members == ("a", "b", "c")
    assert real.monsters[found.monster].type == "boss"
    assert found.win_probability >= 0.9
    # Every higher boss in reach is predicted below 90 %.
    party = [stats[n] for n in found.members]
    for boss in real.combat_ladder(types={"boss"}):
        higher = real.monsters[found.monster].level < boss.level <= 35
        if higher and real.monster_tiles(boss.code):
            assert predictor.predict_party(party, boss).win_probability < 0.9


def test_weak_or_small_teams_form_no_party(real: GameData) -> None:
    predictor = CombatPredictor(samples=40)
    weak = {n: stats_from_equipment(10, {}, real) for n in "abcde"}
    assert find_boss_party(real, predictor, weak) is None
    two = {n: _strong(real, 25) for n in "ab"}
    assert find_boss_party(real, predictor, two) is None


def test_the_best_chance_is_kept_when_no_party_forms(real: GameData, clock: VirtualClock) -> None:
    predictor = CombatPredictor(samples=40)
    weak = {n: stats_from_equipment(10, {}, real) for n in "abcde"}
    chances = boss_chances(real, predictor, weak)
    assert chances and all(c.win_probability < 0.9 for c in chances)
    assert [real.monsters[c.monster].level for c in chances] == sorted(
        real.monsters[c.monster].level for c in chances
    )
    # The coordinator reports the best of them (why no party formed) in its status.
    settings = CoordinatorSettings(parties=PartySettings(enabled=True))
    coordinator = Coordinator(
        real, TeamStore(), clock=clock, predictor=predictor, settings=settings
    )
    for name in "abc":
        assert _party_goal(coordinator, name, character(name, level=10)) is None
    best = coordinator.status()["best_boss_chance"]
    assert best is not None and best["win_probability"] < 0.9
    assert best["monster"] in {c.monster for c in chances}
    assert sorted(best["members"]) == ["a", "b", "c"]


def test_party_assembles_and_fights(clock: VirtualClock) -> None:
    party = BossParty("p1", "king", ("overworld", 3, 3), ("a", "b", "c"), clock.after_game(600.0))
    now = clock.now()
    assert [party.role(n, now) for n in "abc"] == ["move", "move", "move"]
    assert party.arrive("b", now) == "forming"
    assert party.role("b", now) == "wait"  # the first to arrive waits
    party.leave("b")
    assert party.role("b", now) == "move"
    for name in "bca":
        phase = party.arrive(name, now)
    assert phase == "assembled"
    assert party.role("a", now) == "fight" and party.role("b", now) == "wait"
    assert party.participants == ("b", "c")
    with pytest.raises(ValueError):
        party.start_fight("b")
    with pytest.raises(ValueError):
        party.arrive("zed", now)
    party.start_fight("a")
    assert party.phase == "fighting" and party.is_active
    party.finish(won=True)
    assert party.to_json()["phase"] == "done" and not party.is_active and party.won
    assert party.role("a", now) is None
    assert BossParty.from_json(json.loads(json.dumps(party.to_json()))) == party


def test_party_that_cannot_form_times_out(clock: VirtualClock) -> None:
    party = BossParty("p2", "king", ("overworld", 3, 3), ("a", "b", "c"), clock.after_game(600.0))
    party.arrive("a", clock.now())
    party.arrive("b", clock.now())
    clock.advance(599)
    assert party.check(clock.now()) == "forming"
    clock.advance(2)
    assert party.check(clock.now()) == "timeout"
    # Late arrivals change nothing: everyone is back to solo work.
    assert party.arrive("c", clock.now()) == "timeout"
    assert [party.role(n, clock.now()) for n in "abc"] == [None, None, None]
    with pytest.raises(ValueError):
        party.start_fight("a")


class _SurePredictor(CombatPredictor):
    """Predicts a sure win against every boss (the flow, not the odds, is under test)."""

    def predict_party(
        self,
        members: Sequence[CombatStats],
        monster: Monster,
        *,
        hps: Sequence[int] | None = None,
    ) -> PartyPrediction:
        n = len(members)
        return PartyPrediction(monster.code, 0.99, 10.0, (1.0,) * n, (20.0,) * n, (1,) * n, 1)


def _coordinator(real: GameData, clock: VirtualClock) -> Coordinator:
    return Coordinator(
        real,
        TeamStore(),
        clock=clock,
        predictor=_SurePredictor(samples=1),
        characters="abcde",
        settings=CoordinatorSettings(parties=PartySettings(enabled=True)),
    )


def _party_goal(coordinator: Coordinator, name: str, state: object) -> BossPartyGoal | None:
    advice = coordinator.advise(name, state)  # type: ignore[arg-type]
    assert advice is not None
    return advice.goal if isinstance(advice.goal, BossPartyGoal) else None


def test_coordinator_sends_three_to_the_boss_and_the_leader_fights(
    real: GameData, clock: VirtualClock
) -> None:
    coordinator = _coordinator(real, clock)
    levels = {"a": 30, "b": 29, "c": 28, "d": 2, "e": 1}
    states = {n: character(n, level=lv) for n, lv in levels.items()}
    goals = {n: _party_goal(coordinator, n, s) for n, s in states.items()}
    # The party forms once the first three are known (a, b, c are the strongest).
    party = coordinator.parties()[0]
    assert party.members == ("a", "b", "c") and party.phase == "forming"
    assert goals["c"] is not None and goals["c"].role == "move"
    assert goals["d"] is None and goals["e"] is None
    here = {n: states[n].moved_to(party.location) for n in "abc"}
    first = _party_goal(coordinator, "b", here["b"])
    assert first is not None and first.role == "wait"
    _party_goal(coordinator, "c", here["c"])
    leader = _party_goal(coordinator, "a", here["a"])
    assert leader is not None and leader.role == "fight"
    assert leader.participants == ("b", "c") and leader.monster == party.monster
    coordinator.report("a", "goal_reached", {"goal": leader.name, "party": party.id, "win": True})
    assert party.to_json()["phase"] == "done" and party.won
    # Back to ordinary work afterwards.
    assert _party_goal(coordinator, "a", here["a"]) is None


def test_parties_are_off_unless_asked_for(real: GameData, clock: VirtualClock) -> None:
    coordinator = Coordinator(real, TeamStore(), clock=clock, predictor=_SurePredictor(samples=1))
    for name in "abc":
        assert _party_goal(coordinator, name, character(name, level=30)) is None
    assert coordinator.parties() == ()


def test_coordinator_party_times_out_and_everyone_returns(
    real: GameData, clock: VirtualClock
) -> None:
    coordinator = _coordinator(real, clock)
    states = {n: character(n, level=30) for n in "abc"}
    for n, s in states.items():
        _party_goal(coordinator, n, s)
    party = coordinator.parties()[0]
    _party_goal(coordinator, "a", states["a"].moved_to(party.location))
    clock.advance(PARTY_TIMEOUT_GAME_SECONDS + 1)
    assert _party_goal(coordinator, "a", states["a"].moved_to(party.location)) is None
    assert party.phase == "timeout"
    assert _party_goal(coordinator, "b", states["b"]) is None
    # No new party right away: the search waits for its interval.
    assert len([p for p in coordinator.parties() if p.is_active]) == 0
