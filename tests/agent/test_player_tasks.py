"""Selection of tasks (items and monsters) and the combat XP of farming drops for gear."""

from __future__ import annotations

import pytest
from test_player_support import generated_world

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.selection import GoalSelector
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains import CompleteTask
from guildmaster.planning.domains.state import SKILLS, GameState, TaskState
from guildmaster.planning.state import Multiset


@pytest.fixture(scope="module")
def world() -> PlayerWorld:
    return PlayerWorld.build(GameData.from_snapshot(generated_world(7)), scoring_samples=16)


def _state(world: PlayerWorld, *, task: TaskState | None = None, level: int = 1) -> GameState:
    spawn = world.facts.locations("bank", "bank")[0]
    return GameState(
        location=spawn,
        hp=120,
        max_hp=120,
        level=level,
        skills=Multiset({s: 1 for s in SKILLS}),
        skill_xp=Multiset({s: 0 for s in SKILLS}),
        task=task,
    )


def _craftable_at_one(world: PlayerWorld, skill: str) -> str:
    """A level-1 recipe of ``skill`` whose materials are all gathered (no monster drops)."""
    gamedata = world.gamedata
    for code in sorted(gamedata.items):
        recipe = gamedata.recipe(code)
        if recipe is None or recipe.skill != skill or recipe.level > 1:
            continue
        raw = gamedata.raw_materials(code, 1)
        if all(gamedata.sources(m).resources for m in raw):
            return code
    raise AssertionError(f"no level-1 {skill} recipe from gathered materials")


def test_an_items_task_is_worth_making_its_items(world: PlayerWorld) -> None:
    code = _craftable_at_one(world, "cooking")
    task = TaskState(code, "items", 0, 10)
    selector = GoalSelector(world)
    state = _state(world, task=task)
    found = {c.key: c for c in selector.candidates(state)}
    assert "task:items" in found
    candidate = found["task:items"]
    assert isinstance(candidate.goal, CompleteTask) and candidate.goal.code == code
    assert candidate.skill == "cooking" and candidate.score > 0
    # Holding every item needed leaves only the hand-in: worth much more.
    held = state.with_(inventory=Multiset({code: 10}))
    ready = {c.key: c for c in GoalSelector(world).candidates(held)}["task:items"]
    assert ready.score > 1.5 * candidate.score


def test_items_tasks_are_accepted_only_when_enabled(world: PlayerWorld) -> None:
    state = _state(world)
    on = {c.key: c for c in GoalSelector(world, AgentConfig(items_tasks=True)).candidates(state)}
    off = {c.key for c in GoalSelector(world, AgentConfig(items_tasks=False)).candidates(state)}
    assert "task:accept_items" in on and "task:accept_items" not in off
    accept = on["task:accept_items"]
    assert accept.skill in SKILLS
    # Worth about the best skilling candidate (the walk to the master deducted).
    skilling = [c.score for c in on.values() if c.key.startswith("level:") and c.skill in SKILLS]
    best_skill = max(skilling)
    assert 0.9 * best_skill < accept.score <= 1.05 * best_skill
