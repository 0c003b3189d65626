"""The agent's edge: the API's character becomes a GameState; KnownState derives it once."""

from __future__ import annotations

from typing import Any

import pytest

from guildmaster.agent.advisor import Advice
from guildmaster.agent.edge import KnownState, state_from_character
from guildmaster.api.fields import parse_character
from guildmaster.planning.domains.state import GameState, Location, TaskState
from guildmaster.planning.state import Multiset


def ow(x: int, y: int) -> Location:
    """An overworld location."""
    return ("overworld", x, y)


def _character(**more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "ada", "x": 1, "y": 2, "hp": 50, "max_hp": 120, "level": 2}
    data.update(more)
    return data


def test_state_from_character_json() -> None:
    character = {
        "name": "ada",
        "level": 3,
        "xp": 40,
        "hp": 90,
        "max_hp": 130,
        "gold": 7,
        "x": 4,
        "y": 1,
        "layer": "overworld",
        "mining_level": 5,
        "mining_xp": 12,
        "weapon_slot": "wooden_stick",
        "helmet_slot": "",
        "inventory": [
            {"slot": 1, "code": "copper_ore", "quantity": 3},
            {"slot": 2, "code": "", "quantity": 0},
        ],
        "inventory_max_items": 106,
        "task": "chicken",
        "task_type": "monsters",
        "task_progress": 1,
        "task_total": 10,
        "cooldown": 25,
    }
    state = state_from_character(character, bank={"ash_wood": 2}, bank_gold=50)
    assert state.location == ow(4, 1)
    assert state.equipment == (("weapon", "wooden_stick"),)
    assert state.inventory == Multiset({"copper_ore": 3})
    assert state.skills["mining"] == 5 and state.skills["cooking"] == 1
    assert state.task == TaskState("chicken", "monsters", 1, 10)
    assert state.cooldown == 25 and state.bank["ash_wood"] == 2
    # The cooldown is not part of the search identity.
    assert state.with_(cooldown=0).key() == state.key()
    assert state.with_(hp=89).key() != state.key()


def test_a_typed_character_gives_the_same_state_as_its_json() -> None:
    character = parse_character(
        _character(
            layer="",
            cooldown_expiration="2026-01-01T00:00:30Z",
            inventory=[{"slot": 1, "code": "ash_wood", "quantity": 4}],
            ring2_slot="copper_ring",
            cooking_level=4,
            cooking_xp=9,
            gold=12,
        )
    )
    state = state_from_character(character, bank={"copper_ore": 1}, bank_gold=3, bank_room=7)
    assert state == state_from_character(
        character.model_dump(mode="json"), bank={"copper_ore": 1}, bank_gold=3, bank_room=7
    )
    assert state.location == ow(1, 2)  # an empty layer reads the overworld
    assert state.skills["cooking"] == 4 and state.skill_xp["cooking"] == 9
    assert state.skills["alchemy"] == 1  # a zero level reads 1
    assert state.equipment == (("ring2", "copper_ring"),)
    assert state.inventory == Multiset({"ash_wood": 4})
    assert (state.gold, state.bank_gold, state.bank_room, state.name) == (12, 3, 7, "ada")
    assert state.inventory_max == 100 and state.task is None


def test_json_without_position_or_hp_is_refused() -> None:
    with pytest.raises(ValueError, match="hp"):
        state_from_character({"name": "ada", "x": 0, "y": 0, "max_hp": 10})


def test_known_state_derives_once_per_change_and_applies_the_limits() -> None:
    known = KnownState()
    with pytest.raises(RuntimeError):
        _ = known.state
    before = known.status()
    assert before["skills"] == {} and before["level"] is None
    assert known.task_report() is None
    known.see_character(parse_character(_character(task="chicken", task_type="monsters")))
    known.see_bank({"a": 5, "b": 2, "c": 1, "d": 3}, gold=40, slots=10)
    first = known.state
    assert known.state is first  # no new state without a new answer
    assert first.bank == Multiset({"a": 5, "b": 2, "c": 1, "d": 3}) and first.bank_room == 6
    known.hide(frozenset({"a"}))
    known.refuse("b", 1)
    known.refuse("c", 0)
    known.follow(Advice(avoid=frozenset({"d", "b"}), reserved={"b": 1}))
    limited = known.state
    assert limited is not first
    assert limited.bank == Multiset({"b": 1}) and limited.bank_gold == 40
    assert limited.bank_room == 6  # the room counts the bank as seen
    known.clear_refusals()
    known.hide(frozenset())
    known.follow(None)
    assert known.state == first
    assert known.task_report() == {"code": "chicken", "type": "monsters", "total": 0, "progress": 0}
    status = known.status()
    assert list(status) == list(before)  # the same keys, in the same order
    assert (status["x"], status["y"], status["task"]) == (1, 2, "chicken")
    assert status["skills"]["mining"] == 0 and status["cooldown_expiration"] is None
    assert isinstance(first, GameState)
