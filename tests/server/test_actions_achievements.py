"""Achievement counters: matching, absolute objectives, completion once, rewards as pending."""

from __future__ import annotations

from test_actions_helpers import add_account, add_character
from test_actions_helpers import light_game as game

from guildmaster.server.actions import skills
from guildmaster.server.actions.achievements import objective_progress, record_achievement
from guildmaster.server.game import GameServer
from guildmaster.server.world import Json

__all__ = ["game"]


def _achievement(code: str, objectives: list[Json], gold: int = 0) -> Json:
    return {
        "name": code.title(),
        "code": code,
        "description": "",
        "points": 1,
        "objectives": objectives,
        "rewards": {"gold": gold, "items": [{"code": "feather", "quantity": 2}]},
    }


def test_counters_match_type_and_target(game: GameServer) -> None:
    add_account(game)
    game.world.achievements["miner"] = _achievement(
        "miner",
        [
            {"type": "gathering", "target": "copper_ore", "total": 3},
            {"type": "crafting", "target": None, "total": 2},
        ],
        gold=500,
    )
    assert record_achievement(game, "tester1", "gathering", "feather", 5) == []
    assert objective_progress(game, "tester1", "miner", 0) == 0
    assert record_achievement(game, "tester1", "gathering", "copper_ore", 2) == []
    assert record_achievement(game, "tester1", "crafting", "anything", 5) == []
    assert objective_progress(game, "tester1", "miner", 1) == 2  # capped at the total
    assert record_achievement(game, "tester1", "gathering", "copper_ore", 1) == ["miner"]
    assert record_achievement(game, "tester1", "gathering", "copper_ore", 1) == []  # once
    (reward,) = game.state.pending_items.values()
    assert (reward.source, reward.source_id, reward.gold) == ("achievement", "miner", 500)
    assert reward.items == [{"code": "feather", "quantity": 2}]


def test_absolute_objectives_take_the_maximum(game: GameServer) -> None:
    add_account(game)
    game.world.achievements["adept"] = _achievement(
        "adept", [{"type": "combat_level", "target": None, "total": 25}]
    )
    record_achievement(game, "tester1", "combat_level", None, 10, absolute=True)
    record_achievement(game, "tester1", "combat_level", None, 7, absolute=True)
    assert objective_progress(game, "tester1", "adept", 0) == 10
    assert record_achievement(game, "tester1", "combat_level", None, 25, absolute=True) == ["adept"]


def test_progress_is_per_account_and_fed_by_actions(game: GameServer) -> None:
    game.world.achievements["ore"] = _achievement(
        "ore", [{"type": "gathering", "target": "copper_ore", "total": 2}]
    )
    first = add_character(game, "first", at=(2, 0))
    second = add_character(game, "second", at=(2, 0))
    outsider = add_character(game, "outsider", at=(2, 0), account="someone2")
    skills.gather(game, first)
    skills.gather(game, outsider)
    assert objective_progress(game, "tester1", "ore", 0) == 1
    skills.gather(game, second)
    assert "ore" in game.state.accounts["tester1"].completed_achievements
    assert "ore" not in game.state.accounts["someone2"].completed_achievements
