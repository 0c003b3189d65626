"""Fights: the level-1 chicken fight end to end, rewards, death, bosses with participants."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from test_actions_helpers import act, add_character, fingerprint, token_for
from test_actions_helpers import light_game as game

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import combat, equipment
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer

__all__ = ["game"]


async def test_level_one_fight_against_chicken_over_http(
    app: Any, client: httpx.AsyncClient, clock: VirtualClock
) -> None:
    server: GameServer = app.state.game
    hero = add_character(server, at=(1, 0))
    headers = token_for(app, hero.account)
    response = await client.post("/my/hero/action/fight", headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    fight = data["fight"]
    # MECHANICS §4.5: wooden_stick (earth 4) vs chicken (60 HP, water 4): the character acts
    # first, wins in 29 turns at 64/120 unless a 5 % crit shortens the fight.
    assert fight["result"] == "win"
    assert fight["opponent"] == "chicken"
    assert fight["turns"] <= 29
    share = fight["characters"][0]
    assert share["character_name"] == "hero"
    assert share["xp"] == 22
    assert 0 <= share["gold"] <= 3
    assert share["final_hp"] >= 64
    assert data["cooldown"]["total_seconds"] == 2 * fight["turns"]
    assert data["cooldown"]["reason"] == "fight"
    character = data["characters"][0]
    assert character["xp"] == 22
    assert character["hp"] == share["final_hp"]
    assert character["cooldown"] == 2 * fight["turns"]
    assert character["gold"] == share["gold"]
    held = {slot["code"]: slot["quantity"] for slot in character["inventory"] if slot["code"]}
    assert held == {d["code"]: d["quantity"] for d in share["drops"]}
    assert fight["logs"]
    # a second fight right away is refused with 499 and changes nothing
    before = fingerprint(server)
    response = await client.post("/my/hero/action/fight", headers=headers)
    assert response.status_code == 499
    assert response.json()["error"]["code"] == 499
    assert fingerprint(server) == before
    clock.advance(data["cooldown"]["total_seconds"])
    response = await client.post("/my/hero/action/fight", json={}, headers=headers)
    assert response.status_code == 200


def test_fight_without_monster_is_598(game: GameServer) -> None:
    hero = add_character(game)
    with pytest.raises(GameError) as info:
        combat.fight(game, hero)
    assert info.value.code == 598


def test_participants_only_against_bosses(game: GameServer) -> None:
    hero = add_character(game, at=(1, 0))
    add_character(game, "friend", at=(1, 0))
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        combat.fight(game, hero, ["friend"])
    assert info.value.code == 486
    assert fingerprint(game) == before


def test_full_inventory_is_497(game: GameServer) -> None:
    hero = add_character(game, at=(1, 0))
    hero.inventory[0] = ["feather", hero.inventory_max_items]
    with pytest.raises(GameError) as info:
        combat.fight(game, hero)
    assert info.value.code == 497


def test_win_rewards_task_progress_and_achievement(game: GameServer) -> None:
    hero = add_character(game, at=(1, 0))
    hero.task, hero.task_type, hero.task_progress, hero.task_total = "chicken", "monsters", 0, 5
    account = game.state.accounts[hero.account]
    account.achievements["chicken_slayer"] = {"0": 9}
    data = act(game, hero, lambda c: combat.fight(game, c))
    share = data["fight"]["characters"][0]
    assert data["fight"]["result"] == "win"
    assert hero.xp == 22 and hero.gold == share["gold"]
    assert hero.task_progress == 1
    assert "chicken_slayer" in account.completed_achievements
    rewards = [p for p in game.state.pending_items.values() if p.source == "achievement"]
    assert len(rewards) == 1 and rewards[0].gold == 100
    assert rewards[0].source_id == "chicken_slayer"


def test_death_respawns_at_spawn(game: GameServer) -> None:
    game.world.monsters["chicken"]["attack_water"] = 500
    hero = add_character(game, at=(1, 0), items={"feather": 1})
    data = act(game, hero, lambda c: combat.fight(game, c))
    assert data["fight"]["result"] == "loss"
    share = data["fight"]["characters"][0]
    assert share == {"character_name": "hero", "xp": 0, "gold": 0, "drops": [], "final_hp": 0}
    assert (hero.layer, hero.x, hero.y) == ("overworld", 0, 0)
    assert hero.hp == game.rules.death_respawn_hp
    assert hero.deaths == 1
    assert hero.quantity("feather") == 1  # no item loss


def test_utilities_are_consumed(game: GameServer) -> None:
    hero = add_character(game, at=(1, 0), items={"small_health_potion": 10})
    equipment.equip(
        game, hero, [{"code": "small_health_potion", "slot": "utility1", "quantity": 10}]
    )
    hero.hp = 40  # lost more than half: restore triggers at the start of its turns
    result = combat.fight(game, hero)
    assert result.data["fight"]["result"] == "win"
    left = hero.utility_quantity["utility1"]
    assert left < 10
    assert left == 0 or hero.equipment["utility1"] == "small_health_potion"


def _make_boss(game: GameServer) -> None:
    bat = game.world.monsters["cave_bat"]
    bat.update(type="boss", hp=400)


def test_boss_fight_with_participants(game: GameServer) -> None:
    _make_boss(game)
    hero = add_character(game, at=(3, 1), layer="underground", level=5)
    friend = add_character(game, "friend", at=(3, 1), layer="underground", level=5)
    data = act(game, hero, lambda c: combat.fight(game, c, ["friend"]))
    fight = data["fight"]
    assert [c["character_name"] for c in fight["characters"]] == ["hero", "friend"]
    assert data["cooldown"]["reason"] == "multi_fight"
    assert friend.cooldown_reason == "multi_fight"
    assert friend.cooldown_expiration == hero.cooldown_expiration
    assert game.cooldown_left(friend) > 0
    if fight["result"] == "win":
        assert hero.xp > 0 and friend.xp > 0


def test_boss_participant_errors(game: GameServer, clock: VirtualClock) -> None:
    _make_boss(game)
    hero = add_character(game, at=(3, 1), layer="underground")
    add_character(game, "elsewhere", at=(0, 0))
    add_character(game, "stranger", at=(3, 1), layer="underground", account="someone2")
    busy = add_character(game, "busy", at=(3, 1), layer="underground")
    busy.cooldown_expiration = clock.after_game(30).isoformat()
    before = fingerprint(game)
    for names, code in (
        (["elsewhere"], 422),
        (["stranger"], 498),
        (["nobody"], 498),
        (["busy"], 499),
        (["hero"], 422),
    ):
        with pytest.raises(GameError) as info:
            combat.fight(game, hero, names)
        assert info.value.code == code, names
    assert fingerprint(game) == before


def test_raid_tile_is_567(game: GameServer) -> None:
    tile = game.world.maps.get("overworld", 3, -2)
    assert tile is not None
    tile["interactions"]["content"] = {"type": "raid", "code": "some_raid"}
    hero = add_character(game, at=(3, -2))
    with pytest.raises(GameError) as info:
        combat.fight(game, hero)
    assert info.value.code == 567
