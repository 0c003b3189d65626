"""Stage assignment: need, skill gain, the 30 % stickiness bonus, shared and single stages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_coordinator_sim import character

from guildmaster.coordinator import STICKY_BONUS, Stage, assign_stages, stage_gain
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import SKILLS


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


COPPER = Stage("gather:copper_rocks", "gather", "mining", 1, (("copper_ore", 60),))
ASH = Stage("gather:ash_tree", "gather", "woodcutting", 1, (("ash_wood", 60),))
IRON = Stage("gather:iron_rocks", "gather", "mining", 10, (("iron_ore", 60),))
BARS = Stage("refine:copper_bar", "refine", "mining", 1, (("copper_bar", 6),))


def test_gain_is_the_characters_own_xp_rate(real: GameData) -> None:
    novice = character("n")
    veteran = character("v", skills={"mining": 9})
    assert stage_gain(real, novice, COPPER) > stage_gain(real, veteran, COPPER) > 0  # type: ignore[operator]
    assert stage_gain(real, novice, IRON) is None  # mining 10 needed
    assert stage_gain(real, character("m", skills={"mining": 10}), IRON) is not None


def test_whose_skill_gains_most_gets_the_single_stage(real: GameData) -> None:
    states = {
        "old": character("old", skills={s: 9 for s in SKILLS}),
        "new": character("new"),
    }
    result = assign_stages(real, states, [BARS], {BARS.id: 100.0}, {})
    # Refining takes one character: the one whose mining earns more from it.
    assert result == {"new": BARS.id}


def test_need_spreads_characters_and_stages_can_be_shared(real: GameData) -> None:
    states = {n: character(n) for n in ("a", "b", "c", "d")}
    result = assign_stages(real, states, [COPPER, ASH], {COPPER.id: 300.0, ASH.id: 100.0}, {})
    counts = {sid: list(result.values()).count(sid) for sid in (COPPER.id, ASH.id)}
    assert counts == {COPPER.id: 3, ASH.id: 1}
    # A stage without need gets nobody; everyone goes where the work is.
    only = assign_stages(real, states, [COPPER, ASH], {COPPER.id: 300.0, ASH.id: 0.0}, {})
    assert set(only.values()) == {COPPER.id}


def test_stickiness_keeps_the_current_stage_within_thirty_percent(real: GameData) -> None:
    states = {"a": character("a")}
    needs = {COPPER.id: 100.0, ASH.id: 125.0}
    assert assign_stages(real, states, [COPPER, ASH], needs, {}) == {"a": ASH.id}
    # Working copper already: 100 * 1.3 = 130 beats 125, so "a" stays.
    assert assign_stages(real, states, [COPPER, ASH], needs, {"a": COPPER.id}) == {"a": COPPER.id}
    # Beyond the 30 % bonus the character moves.
    more = {COPPER.id: 100.0, ASH.id: 100.0 * (1 + STICKY_BONUS) + 1}
    assert assign_stages(real, states, [COPPER, ASH], more, {"a": COPPER.id}) == {"a": ASH.id}
    # Without the bonus the same situation would move it.
    assert assign_stages(
        real, states, [COPPER, ASH], needs, {"a": COPPER.id}, sticky_bonus=0.0
    ) == {"a": ASH.id}


def test_nobody_can_work_a_stage_above_their_level(real: GameData) -> None:
    states = {"a": character("a")}
    assert assign_stages(real, states, [IRON], {IRON.id: 500.0}, {}) == {}
