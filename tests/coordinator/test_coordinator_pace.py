"""SoloPace: a character's measured progress on its own, in levels per game second."""

from __future__ import annotations

import pytest

from guildmaster.coordinator.pace import SoloPace, progress
from guildmaster.planning.domains import GameState
from guildmaster.planning.domains.rules import xp_to_next_level
from guildmaster.planning.domains.state import SKILLS
from guildmaster.planning.state import Multiset


def _state(level: int = 5, xp: int = 0, mining_xp: int = 0) -> GameState:
    skills = Multiset({s: 3 for s in SKILLS})
    return GameState(
        ("overworld", 0, 0),
        100,
        100,
        level=level,
        xp=xp,
        skills=skills,
        skill_xp=Multiset({"mining": mining_xp}),
    )


def test_progress_counts_levels_and_the_share_of_the_next() -> None:
    base = progress(_state())
    assert base == 5 + 3 * len(SKILLS)
    half = xp_to_next_level(5) // 2
    assert progress(_state(xp=half)) == pytest.approx(base + half / xp_to_next_level(5))
    assert progress(_state(level=6)) == base + 1


def test_only_stretches_on_its_own_are_measured() -> None:
    pace = SoloPace(window=100.0)
    need = xp_to_next_level(3)
    pace.observe("a", _state(), 0.0, alone=True)
    pace.observe("a", _state(mining_xp=need // 2), 100.0, alone=False)
    assert pace.rate("a") == pytest.approx((need // 2) / need / 100.0)
    # Busy with an errand from 100 s to 200 s: that stretch does not count.
    pace.observe("a", _state(level=9), 200.0, alone=True)
    assert pace.rate("a") == pytest.approx((need // 2) / need / 100.0)
    # mark() changes what the last observation says about the stretch after it.
    pace.mark("a", alone=False)
    pace.observe("a", _state(level=20), 300.0, alone=True)
    assert pace.rate("a") == pytest.approx((need // 2) / need / 100.0)
    assert pace.rate("b") == 0.0


def test_the_average_moves_with_the_time_measured() -> None:
    pace = SoloPace(window=1000.0)
    pace.observe("a", _state(level=5), 0.0, alone=True)
    pace.observe("a", _state(level=6), 100.0, alone=True)  # 0.01 levels/s
    pace.observe("a", _state(level=6), 200.0, alone=True)  # nothing for 100 s
    assert pace.rate("a") == pytest.approx(0.9 * 0.01)
