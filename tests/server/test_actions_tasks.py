"""Tasks: new (assignment rule), trade, complete (rewards), cancel and the coin exchange."""

from __future__ import annotations

import pytest
from test_actions_helpers import act, add_character, fingerprint
from test_actions_helpers import light_game as game

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import tasks
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer
from guildmaster.server.world import Json

__all__ = ["game"]

MONSTER_MASTER = (2, 2)
ITEMS_MASTER = (3, 2)


@pytest.fixture(autouse=True)
def items_master(game: GameServer) -> None:
    """Add an items tasks master next to the monsters one."""
    tile = game.world.maps.get("overworld", *ITEMS_MASTER)
    assert tile is not None
    tile["interactions"]["content"] = {"type": "tasks_master", "code": "items"}


def test_new_monster_task(game: GameServer) -> None:
    hero = add_character(game, at=MONSTER_MASTER)
    data = act(game, hero, lambda c: tasks.new_task(game, c))
    task = data["task"]
    assert task["code"] == "chicken" and task["type"] == "monsters"
    assert 5 <= task["total"] <= 10
    assert task["rewards"] == {"items": [{"code": "tasks_coin", "quantity": 3}], "gold": 200}
    assert data["cooldown"]["reason"] == "task"
    assert (hero.task, hero.task_type, hero.task_progress) == ("chicken", "monsters", 0)
    assert data["character"]["task_total"] == task["total"]
    with pytest.raises(GameError) as info:
        tasks.new_task(game, hero)
    assert info.value.code == 489


def test_assignment_respects_the_level_rule(game: GameServer) -> None:
    harder: Json = {**game.world.tasks["chicken"], "code": "cave_bat", "level": 3}
    game.world.tasks["cave_bat"] = harder
    hero = add_character(game, at=MONSTER_MASTER)
    assert [t["code"] for t in tasks.eligible_tasks(game, hero, "monsters")] == ["chicken"]
    hero.level = 3
    assert {t["code"] for t in tasks.eligible_tasks(game, hero, "monsters")} == {
        "chicken",
        "cave_bat",
    }
    game.world.tasks["chicken"]["level"] = 2
    hero.level = 1  # nothing fits: the lowest level tasks are offered
    assert [t["code"] for t in tasks.eligible_tasks(game, hero, "monsters")] == ["chicken"]
    wider = tasks.TaskSettings(level_margin=5)
    assert len(tasks.eligible_tasks(game, hero, "monsters", wider)) == 2


def test_items_task_trade_and_complete(game: GameServer) -> None:
    hero = add_character(game, at=ITEMS_MASTER, items={"copper_ore": 30})
    tasks.new_task(game, hero)
    assert (hero.task, hero.task_type) == ("copper_ore", "items")
    total = hero.task_total
    with pytest.raises(GameError) as info:
        tasks.complete_task(game, hero)
    assert info.value.code == 488
    data = act(game, hero, lambda c: tasks.trade_task_items(game, c, "copper_ore", total - 1))
    assert data["trade"] == {"code": "copper_ore", "quantity": total - 1}
    with pytest.raises(GameError) as info:
        tasks.trade_task_items(game, hero, "copper_ore", 2)
    assert info.value.code == 475
    tasks.trade_task_items(game, hero, "copper_ore", 1)
    with pytest.raises(GameError) as info:
        tasks.trade_task_items(game, hero, "copper_ore", 1)
    assert info.value.code == 475
    result = tasks.complete_task(game, hero)
    assert result.data["rewards"] == {
        "items": [{"code": "tasks_coin", "quantity": 2}],
        "gold": 150,
    }
    assert hero.gold == 150 and hero.quantity("tasks_coin") == 2
    assert hero.task == "" and hero.task_total == 0
    assert hero.quantity("copper_ore") == 30 - total


def test_trade_errors(game: GameServer) -> None:
    hero = add_character(game, at=ITEMS_MASTER, items={"copper_ore": 1, "feather": 5})
    with pytest.raises(GameError) as info:
        tasks.trade_task_items(game, hero, "copper_ore", 1)
    assert info.value.code == 474
    tasks.new_task(game, hero)
    before = fingerprint(game)
    for code, quantity, error in (("feather", 1, 474), ("copper_ore", 2, 478)):
        with pytest.raises(GameError) as info:
            tasks.trade_task_items(game, hero, code, quantity)
        assert info.value.code == error
    assert fingerprint(game) == before


def test_complete_needs_room_and_a_task(game: GameServer) -> None:
    hero = add_character(game, at=MONSTER_MASTER)
    with pytest.raises(GameError) as info:
        tasks.complete_task(game, hero)
    assert info.value.code == 487
    hero.task, hero.task_type, hero.task_progress, hero.task_total = "chicken", "monsters", 5, 5
    for index in range(20):
        hero.inventory[index] = [f"filler{index}", 1]
    with pytest.raises(GameError) as info:
        tasks.complete_task(game, hero)
    assert info.value.code == 497
    assert hero.task == "chicken"


def test_completion_counts_for_task_achievements(game: GameServer) -> None:
    game.world.achievements["tasks_farmer"] = {
        "name": "Tasks Farmer",
        "code": "tasks_farmer",
        "description": "",
        "points": 1,
        "objectives": [{"type": "task", "total": 1, "target": None}],
        "rewards": {"gold": 0, "items": [{"code": "feather", "quantity": 1}]},
    }
    hero = add_character(game, at=MONSTER_MASTER)
    hero.task, hero.task_type, hero.task_progress, hero.task_total = "chicken", "monsters", 5, 5
    tasks.complete_task(game, hero)
    assert "tasks_farmer" in game.state.accounts[hero.account].completed_achievements


def test_cancel_costs_a_coin(game: GameServer) -> None:
    hero = add_character(game, at=MONSTER_MASTER)
    with pytest.raises(GameError) as info:
        tasks.cancel_task(game, hero)
    assert info.value.code == 487
    tasks.new_task(game, hero)
    with pytest.raises(GameError) as info:
        tasks.cancel_task(game, hero)
    assert info.value.code == 478
    hero.add_item("tasks_coin", 2)
    data = act(game, hero, lambda c: tasks.cancel_task(game, c))
    assert set(data) == {"cooldown", "character"}
    assert hero.task == "" and hero.quantity("tasks_coin") == 1


def test_exchange_coins(game: GameServer, clock: VirtualClock) -> None:
    hero = add_character(game, at=MONSTER_MASTER, items={"tasks_coin": 13})
    for _ in range(2):
        data = act(game, hero, lambda c: tasks.exchange_coins(game, c))
        clock.advance(3)
        (reward,) = data["rewards"]["items"]
        assert reward["code"] in {"small_health_potion", "feather"}
    assert hero.quantity("tasks_coin") == 1
    with pytest.raises(GameError) as info:
        tasks.exchange_coins(game, hero)
    assert info.value.code == 478


def test_tasks_need_a_master(game: GameServer) -> None:
    hero = add_character(game, items={"tasks_coin": 10})
    hero.task, hero.task_type, hero.task_total = "chicken", "monsters", 5
    for call in (tasks.new_task, tasks.complete_task, tasks.cancel_task, tasks.exchange_coins):
        with pytest.raises(GameError) as info:
            call(game, hero)
        assert info.value.code == 598
    with pytest.raises(GameError) as info:
        tasks.trade_task_items(game, hero, "chicken", 1)
    assert info.value.code == 598


def test_reward_table_falls_back_to_tasks_coin_offers(game: GameServer) -> None:
    assert {r["code"] for r in tasks.reward_table(game)} == {"small_health_potion", "feather"}
    game.world.task_rewards.clear()
    # without a rewards table, items sold for tasks coins are the rewards
    assert [r["code"] for r in tasks.reward_table(game)] == ["small_health_potion"]
    hero = add_character(game, at=MONSTER_MASTER, items={"tasks_coin": 6})
    result = tasks.exchange_coins(game, hero)
    assert result.data["rewards"]["items"] == [{"code": "small_health_potion", "quantity": 1}]


def test_exchange_uses_the_worlds_own_task_currency(game: GameServer) -> None:
    game.world.items["guild_token"] = {**game.world.items["tasks_coin"], "code": "guild_token"}
    game.world.meta["tasks_currency"] = "guild_token"
    hero = add_character(game, at=MONSTER_MASTER, items={"tasks_coin": 6})
    with pytest.raises(GameError) as info:
        tasks.exchange_coins(game, hero)
    assert info.value.code == 478  # the generic coin is not this world's currency
    hero.add_item("guild_token", 6)
    data = act(game, hero, lambda c: tasks.exchange_coins(game, c))
    assert data["rewards"]["items"]
    assert hero.quantity("guild_token") == 0 and hero.quantity("tasks_coin") == 6
