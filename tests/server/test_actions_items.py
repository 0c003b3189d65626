"""Use, delete, give gold/items, claim pending items, change skin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_actions_helpers import act, add_character, fingerprint
from test_actions_helpers import light_game as game

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import items
from guildmaster.server.actions.common import add_pending_item
from guildmaster.server.errors import GameError
from guildmaster.server.game import GameServer

__all__ = ["game"]


def _consumable(game: GameServer, code: str, effect: str, value: int, **extra: object) -> None:
    game.world.items[code] = {
        "name": code,
        "code": code,
        "level": 1,
        "type": "consumable",
        "subtype": "",
        "description": "",
        "conditions": [],
        "effects": [{"code": effect, "value": value, "description": ""}],
        "craft": None,
        "tradeable": True,
        "recyclable": False,
        **extra,
    }


def test_use_heals_capped_at_max_hp(game: GameServer) -> None:
    hero = add_character(game, items={"cooked_chicken": 3})
    hero.hp = 20
    data = act(game, hero, lambda c: items.use_item(game, c, "cooked_chicken", 1))
    assert hero.hp == 100
    assert data["item"]["code"] == "cooked_chicken"
    assert data["cooldown"] == {**data["cooldown"], "total_seconds": 3, "reason": "use"}
    items.use_item(game, hero, "cooked_chicken", 2)
    assert hero.hp == hero.max_hp == 120
    assert hero.quantity("cooked_chicken") == 0


def test_use_gold_bag_and_teleport(game: GameServer) -> None:
    _consumable(game, "bag_of_gold", "gold", 2500)
    target = game.world.maps.get("overworld", 3, 2)
    assert target is not None
    _consumable(game, "recall_potion", "teleport", int(target["map_id"]))
    hero = add_character(game, items={"bag_of_gold": 2, "recall_potion": 1})
    items.use_item(game, hero, "bag_of_gold", 2)
    assert hero.gold == 5000
    items.use_item(game, hero, "recall_potion", 1)
    assert (hero.x, hero.y, hero.map_id) == (3, 2, target["map_id"])


@pytest.mark.parametrize(
    ("code", "quantity", "error"),
    [
        ("no_such_thing", 1, 404),
        ("copper_ore", 1, 476),  # a resource, not a consumable
        ("cooked_chicken", 5, 478),
        ("locked_food", 1, 496),
    ],
)
def test_use_errors_change_nothing(game: GameServer, code: str, quantity: int, error: int) -> None:
    _consumable(
        game,
        "locked_food",
        "heal",
        10,
        conditions=[{"code": "level", "operator": "gt", "value": 10}],
    )
    hero = add_character(game, items={"cooked_chicken": 1, "copper_ore": 1, "locked_food": 1})
    hero.hp = 10
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        act(game, hero, lambda c: items.use_item(game, c, code, quantity))
    assert info.value.code == error
    assert fingerprint(game) == before


def test_delete(game: GameServer) -> None:
    hero = add_character(game, items={"feather": 3})
    data = act(game, hero, lambda c: items.delete_item(game, c, "feather", 2))
    assert data["item"] == {"code": "feather", "quantity": 2}
    assert data["cooldown"]["reason"] == "delete_item"
    assert hero.quantity("feather") == 1
    with pytest.raises(GameError) as info:
        items.delete_item(game, hero, "feather", 2)
    assert info.value.code == 478


def test_give_gold_and_items(game: GameServer, clock: VirtualClock) -> None:
    giver = add_character(game, "giver", gold=100, items={"feather": 5, "copper_ore": 2})
    taker = add_character(game, "taker")
    data = act(game, giver, lambda c: items.give_gold(game, c, 40, "taker"))
    assert (giver.gold, taker.gold) == (60, 40)
    assert data["receiver_character"]["gold"] == 40
    assert data["quantity"] == 40
    assert data["cooldown"]["reason"] == "give_gold"
    clock.advance(3)
    data = act(
        game,
        giver,
        lambda c: items.give_items(game, c, [("feather", 2), ("copper_ore", 2)], "taker"),
    )
    assert data["cooldown"]["total_seconds"] == 6
    assert data["items"] == [
        {"code": "feather", "quantity": 2},
        {"code": "copper_ore", "quantity": 2},
    ]
    assert taker.quantity("feather") == 2 and giver.quantity("feather") == 3
    assert taker.quantity("copper_ore") == 2 and giver.quantity("copper_ore") == 0
    receipts = [(log.character, log.type) for log in game.state.logs if log.type.startswith("rec")]
    assert receipts == [("taker", "receive_gold"), ("taker", "receive_item")]


def test_give_errors(game: GameServer) -> None:
    giver = add_character(game, "giver", gold=10, items={"feather": 1})
    taker = add_character(game, "taker")
    add_character(game, "stranger", account="someone2")
    add_character(game, "faraway", at=(2, 2))
    before = fingerprint(game)
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: items.give_gold(game, giver, 11, "taker"), 492),
        (lambda: items.give_gold(game, giver, 1, "nobody"), 498),
        (lambda: items.give_gold(game, giver, 1, "stranger"), 498),
        (lambda: items.give_gold(game, giver, 1, "faraway"), 422),
        (lambda: items.give_gold(game, giver, 1, "giver"), 422),
        (lambda: items.give_items(game, giver, [("feather", 2)], "taker"), 478),
        (lambda: items.give_items(game, giver, [("unknown_x", 1)], "taker"), 404),
    ]
    for call, code in cases:
        with pytest.raises(GameError) as info:
            call()
        assert info.value.code == code
    for index in range(20):
        taker.inventory[index] = [f"filler{index}", 1]
    before = fingerprint(game)
    with pytest.raises(GameError) as info:
        items.give_items(game, giver, [("feather", 1)], "taker")
    assert info.value.code == 497
    assert fingerprint(game) == before


def test_claim_pending_item(game: GameServer) -> None:
    hero = add_character(game)
    pending = add_pending_item(
        game,
        hero.account,
        source="achievement",
        description="gift",
        gold=50,
        items=[("feather", 2)],
    )
    other = add_pending_item(game, "someone2", source="admin", description="not yours", gold=5)
    with pytest.raises(GameError) as info:
        items.claim_item(game, hero, other.id)
    assert info.value.code == 404
    data = act(game, hero, lambda c: items.claim_item(game, c, pending.id))
    assert hero.gold == 50 and hero.quantity("feather") == 2
    assert data["item"]["id"] == pending.id
    assert data["item"]["claimed_at"]
    assert pending.id not in game.state.pending_items
    with pytest.raises(GameError) as info:
        items.claim_item(game, hero, pending.id)
    assert info.value.code == 404


def test_claim_needs_room(game: GameServer) -> None:
    hero = add_character(game)
    for index in range(20):
        hero.inventory[index] = [f"filler{index}", 1]
    pending = add_pending_item(
        game, hero.account, source="other", description="x", items=[("feather", 1)]
    )
    with pytest.raises(GameError) as info:
        items.claim_item(game, hero, pending.id)
    assert info.value.code == 497
    assert pending.id in game.state.pending_items


def test_change_skin(game: GameServer) -> None:
    hero = add_character(game)
    items.change_skin(game, hero, "women2")
    assert hero.skin == "women2"
    with pytest.raises(GameError) as info:
        items.change_skin(game, hero, "golden_dragon")
    assert info.value.code == 404
