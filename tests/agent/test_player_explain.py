"""explain_decision: the chosen goal, scored alternatives and a costed plan, offline from a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from test_player_support import generated_world

from guildmaster.agent.explain import (
    explain_decision,
    explain_state_file,
    explanation_tables,
    load_saved_state,
)
from guildmaster.knowledge.gamedata import GameData


def _spawn(world: dict[str, Any]) -> tuple[int, int]:
    bank = next(
        t for t in world["maps"] if (t["interactions"].get("content") or {}).get("type") == "bank"
    )
    return int(bank["x"]), int(bank["y"])


@pytest.fixture(scope="module")
def state_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("explain")
    world = generated_world(7)
    (folder / "world.json").write_text(json.dumps(world), encoding="utf-8")
    x, y = _spawn(world)
    weapon = next(
        i["code"]
        for i in sorted(world["items"], key=lambda i: i["code"])
        if i["type"] == "weapon" and i["level"] == 1 and i["craft"]
    )
    character = {"name": "hero", "x": x, "y": y, "hp": 120, "max_hp": 120, "level": 1}
    state = {
        "character": character,
        "bank": [{"code": weapon, "quantity": 1}],
        "world_file": "world.json",
    }
    path = folder / "state.json"
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


def test_explains_the_selection_with_a_costed_plan(state_file: Path) -> None:
    explanation = explain_state_file(state_file)
    scores = [score for _, _, score, _ in explanation.alternatives]
    assert scores == sorted(scores, reverse=True) and len(scores) > 3
    assert explanation.chosen_key == explanation.alternatives[0][0]
    assert explanation.steps and explanation.error is None
    running = 0.0
    for step in explanation.steps:
        running += step.seconds
        assert step.total == pytest.approx(running)
    assert explanation.total_seconds == pytest.approx(running)
    data = json.loads(json.dumps(explanation.to_json()))
    assert data["chosen_key"] == explanation.chosen_key
    assert [p["action"] for p in data["plan"]] == [s.action for s in explanation.steps]


def test_combat_starts_by_wearing_the_banked_weapon(state_file: Path) -> None:
    # Unarmed with a weapon in the bank: levelling combat fetches and wears it first.
    explanation = explain_state_file(state_file, goal="level:combat")
    actions = [s.action.split("(")[0] for s in explanation.steps]
    assert actions.index("bank/withdraw/item") < actions.index("equip") < actions.index("fight")
    assert explanation.error is None


def test_forced_goal_and_tables(state_file: Path) -> None:
    saved = load_saved_state(state_file)
    explanation = explain_decision(
        saved.character, gamedata=saved.gamedata, bank=saved.bank, goal="level:mining"
    )
    assert explanation.chosen_key == "level:mining"
    mining = {c for c, r in saved.gamedata.resources.items() if r.skill == "mining"}
    gathered = [s.action for s in explanation.steps if s.action.startswith("gathering(")]
    assert gathered and all(a[len("gathering(") : -1] in mining for a in gathered)
    console = Console(record=True, width=160)
    for table in explanation_tables(explanation):
        console.print(table)
    text = console.export_text()
    assert "level:mining" in text and "gathering(" in text


def test_unknown_goal_and_bad_files_are_errors(state_file: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown goal"):
        explain_state_file(state_file, goal="dance")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"character": {"name": "x"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="world"):
        load_saved_state(bad)


def test_works_from_inline_catalogues(tmp_path: Path) -> None:
    world = generated_world(7)
    x, y = _spawn(world)
    character = {"name": "solo", "x": x, "y": y, "hp": 50, "max_hp": 120, "level": 1}
    path = tmp_path / "inline.json"
    path.write_text(json.dumps({"character": character, "world": world}), encoding="utf-8")
    explanation = explain_state_file(path, goal="obtain:" + _first_resource(world))
    assert explanation.steps and explanation.error is None
    assert GameData.from_snapshot(world).items  # the same catalogues, read inline


def _first_resource(world: dict[str, Any]) -> str:
    resource = sorted(world["resources"], key=lambda r: (r["level"], r["code"]))[0]
    return str(resource["drops"][0]["code"])
