"""The knowledge layer on a procedurally generated world it has never seen (via the CLI)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from guildmaster.knowledge import (
    GATHERING_SKILLS,
    CombatPredictor,
    GameData,
    Navigator,
    stats_from_equipment,
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GameData:
    out = tmp_path_factory.mktemp("world") / "world.json"
    entry = "import sys; from guildmaster.cli import main; sys.argv[0] = 'guildmaster'; main()"
    cmd = [sys.executable, "-c", entry, "world", "generate", "--seed", "11", "-o"]
    proc = subprocess.run([*cmd, str(out)], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        pytest.fail(f"world generation failed: {proc.stderr[-2000:]}")
    return GameData.from_snapshot(json.loads(out.read_text()))


def test_every_item_has_a_source_and_a_raw_bill(generated: GameData) -> None:
    for code, item in generated.items.items():
        assert generated.sources(code).is_obtainable, code
        if item.craft:
            bill = generated.raw_materials(code)
            assert bill and all(generated.recipe(c) is None for c in bill)


def test_ladders_tools_and_services(generated: GameData) -> None:
    for skill in GATHERING_SKILLS:
        ladder = generated.gathering_ladder(skill)
        assert ladder and ladder[0].level == 1
        assert generated.gathering_tools(skill)
    nav = Navigator(generated.maps)
    spawn = ("overworld", 0, 0)
    crafting = {i.craft.skill for i in generated.items.values() if i.craft}
    for tiles in [generated.banks(), *(generated.workshops(s) for s in sorted(crafting))]:
        assert tiles and nav.nearest(spawn, tiles) is not None


def test_a_new_character_can_win_its_first_fight(generated: GameData) -> None:
    predictor = CombatPredictor(samples=100)
    weakest = generated.combat_ladder()[0]
    best = max(
        (
            predictor.predict(stats_from_equipment(1, {"weapon": w.code}, generated), weakest)
            for w in generated.equipment("weapon", max_level=1)
        ),
        key=lambda p: p.win_probability,
    )
    assert best.win_probability > 0.9
