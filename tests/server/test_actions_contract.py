"""Contract test: every action endpoint's responses validate against the real v8 spec.

One scripted session on the fixture world calls every ``POST /my/{name}/action/*`` endpoint
through HTTP (successes and typical errors) and validates each body with the core's
:class:`server_fixtures.SpecValidator`; a second session runs fights, gathering and moves on the
real snapshot world.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from server_fixtures import SpecValidator, fixture_settings, snapshot_world
from test_actions_helpers import add_account, add_character, place, token_for

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import GameServer


def _action_templates(validator: SpecValidator) -> set[tuple[str, str]]:
    return {("POST", t) for t in validator.spec["paths"] if t.startswith("/my/{name}/action/")}


class Session:
    """Posts actions, validates every response, and skips cooldowns on the virtual clock."""

    def __init__(
        self, client: httpx.AsyncClient, validator: SpecValidator, clock: VirtualClock
    ) -> None:
        self.client = client
        self.validator = validator
        self.clock = clock
        self.headers: dict[str, dict[str, str]] = {}

    async def post(
        self, who: str, action: str, body: Any = None, *, expect: int = 200
    ) -> dict[str, Any]:
        """POST an action of ``who``; asserts the status and validates the body."""
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        response = await self.client.post(
            f"/my/{who}/action/{action}", headers=self.headers[who], **kwargs
        )
        assert response.status_code == expect, (action, response.text)
        payload = self.validator.validate(response)
        assert isinstance(payload, dict)
        self.clock.advance(100_000)
        return payload


async def test_every_action_endpoint_matches_the_spec(
    app: Any, client: httpx.AsyncClient, clock: VirtualClock, spec_validator: SpecValidator
) -> None:
    game: GameServer = app.state.game
    hero = add_character(game, "hero", gold=100_000, items={"copper_ore": 30, "feather": 20})
    friend = add_character(game, "friend")
    buyer = add_character(game, "buyer", account="someone2", gold=10_000)
    s = Session(client, spec_validator, clock)
    s.headers = {n: token_for(app, c.account) for n, c in (("hero", hero), ("friend", friend))}
    s.headers["buyer"] = token_for(app, buyer.account)

    # movement
    await s.post("hero", "move", {"x": 0, "y": 1})
    await s.post("hero", "move", {"x": 0, "y": 1}, expect=490)
    await s.post("hero", "move", {"x": -1, "y": 0}, expect=596)
    await s.post("hero", "move", {"map_id": 9999}, expect=404)
    await s.post("hero", "move", {"x": "far"}, expect=422)
    # bank
    await s.post("hero", "bank/deposit/item", [{"code": "feather", "quantity": 5}])
    await s.post("hero", "bank/withdraw/item", [{"code": "feather", "quantity": 2}])
    await s.post("hero", "bank/withdraw/item", [{"code": "feather", "quantity": 99}], expect=478)
    await s.post("hero", "bank/deposit/gold", {"quantity": 1000})
    await s.post("hero", "bank/withdraw/gold", {"quantity": 500})
    await s.post("hero", "bank/withdraw/gold", {"quantity": 10**6}, expect=460)
    await s.post("hero", "bank/buy_expansion")
    await s.post("hero", "bank/deposit/gold", {"quantity": -5}, expect=422)
    # crafting, recycling
    place(game, hero, (1, 1))
    await s.post("hero", "crafting", {"code": "copper_bar", "quantity": 3})
    await s.post("hero", "crafting", {"code": "copper_bar", "quantity": 1}, expect=478)
    hero.add_item("copper_bar", 9)
    place(game, hero, (2, 1))
    await s.post("hero", "crafting", {"code": "copper_dagger"})
    await s.post("hero", "recycling", {"code": "copper_dagger", "quantity": 1, "enhanced": True})
    await s.post("hero", "recycling", {"code": "copper_bar"}, expect=473)
    # equipment, consumables, rest
    hero.add_item("copper_helmet", 1)
    hero.add_item("cooked_chicken", 2)
    await s.post("hero", "equip", [{"code": "copper_helmet", "slot": "helmet"}])
    await s.post("hero", "equip", [{"code": "copper_helmet", "slot": "helmet"}], expect=478)
    await s.post("hero", "equip", [{"code": "feather", "slot": "nowhere"}], expect=422)
    await s.post("hero", "unequip", [{"slot": "helmet"}])
    await s.post("hero", "unequip", [{"slot": "helmet"}], expect=491)
    hero.hp = 30
    await s.post("hero", "use", {"code": "cooked_chicken", "quantity": 1})
    await s.post("hero", "use", {"code": "feather", "quantity": 1}, expect=476)
    await s.post("hero", "rest")
    # fight and gathering
    await s.post("hero", "fight", expect=598)
    place(game, hero, (1, 0))
    await s.post("hero", "fight")
    await s.post("hero", "fight", {"participants": ["friend"]}, expect=486)
    place(game, hero, (2, 0))
    await s.post("hero", "gathering")
    # npc
    place(game, hero, (1, 2))
    await s.post("hero", "npc/buy", {"code": "cooked_chicken", "quantity": 2})
    await s.post("hero", "npc/sell", {"code": "cooked_chicken", "quantity": 1})
    await s.post("hero", "npc/buy", {"code": "raw_chicken", "quantity": 1}, expect=441)
    await s.post("hero", "npc/sell", {"code": "feather", "quantity": 1}, expect=442)
    # grand exchange
    place(game, hero, (0, 2))
    place(game, buyer, (0, 2))
    sell = await s.post(
        "hero", "grandexchange/create_sell_order", {"code": "feather", "quantity": 5, "price": 3}
    )
    sell_id = sell["data"]["order"]["id"]
    await s.post("buyer", "grandexchange/buy", {"id": sell_id, "quantity": 2})
    await s.post("hero", "grandexchange/buy", {"id": sell_id, "quantity": 1}, expect=435)
    buy = await s.post(
        "buyer",
        "grandexchange/create_buy_order",
        {"code": "feather", "quantity": 4, "price": 2},
    )
    buy_id = buy["data"]["order"]["id"]
    await s.post("hero", "grandexchange/fill", {"id": buy_id, "quantity": 1})
    await s.post("hero", "grandexchange/fill", {"id": buy_id, "quantity": 9}, expect=434)
    await s.post("hero", "grandexchange/cancel", {"id": sell_id})
    await s.post("hero", "grandexchange/cancel", {"id": buy_id}, expect=438)
    await s.post("hero", "grandexchange/cancel", {"id": "nope"}, expect=404)
    await s.post(
        "hero",
        "grandexchange/create_sell_order",
        {"code": "wooden_stick", "quantity": 1, "price": 3},
        expect=437,
    )
    # pending items: the GE sale paid the seller through a pending item
    (pending_id,) = [p.id for p in game.state.pending_items.values() if p.account == "tester1"]
    await s.post("hero", f"claim_item/{pending_id}")
    await s.post("hero", f"claim_item/{pending_id}", expect=404)
    # tasks
    place(game, hero, (2, 2))
    await s.post("hero", "task/new")
    await s.post("hero", "task/new", expect=489)
    await s.post("hero", "task/trade", {"code": "feather", "quantity": 1}, expect=474)
    await s.post("hero", "task/complete", expect=488)
    hero.task_progress = hero.task_total
    await s.post("hero", "task/complete")
    await s.post("hero", "task/complete", expect=487)
    hero.add_item("tasks_coin", 7)
    await s.post("hero", "task/exchange")
    await s.post("hero", "task/new")
    await s.post("hero", "task/cancel")
    # giving, deleting, skin, transition
    place(game, friend, (2, 2))
    await s.post("hero", "give/gold", {"quantity": 10, "character": "friend"})
    await s.post(
        "hero", "give/item", {"items": [{"code": "feather", "quantity": 1}], "character": "friend"}
    )
    await s.post("hero", "give/gold", {"quantity": 10**9, "character": "friend"}, expect=492)
    await s.post("hero", "delete", {"code": "feather", "quantity": 1})
    await s.post("hero", "delete", {"code": "feather", "quantity": 10**6}, expect=478)
    await s.post("hero", "change_skin", {"skin": "women1"})
    place(game, hero, (3, 0))
    await s.post("hero", "transition")
    place(game, hero, (0, 0))
    await s.post("hero", "transition", expect=404)
    # frame errors: another account's character, cooldown, missing token
    await s.post("buyer", "rest")
    s.headers["intruder"] = s.headers["buyer"]
    response = await client.post("/my/hero/action/rest", headers=s.headers["buyer"])
    assert response.status_code == 498
    spec_validator.validate(response)
    await client.post("/my/hero/action/rest", headers=s.headers["hero"])
    response = await client.post("/my/hero/action/rest", headers=s.headers["hero"])
    assert response.status_code == 499
    spec_validator.validate(response)

    missing = _action_templates(spec_validator) - spec_validator.visited
    assert missing == set(), f"action endpoints without a contract case: {sorted(missing)}"


async def test_actions_on_the_snapshot_world(
    snapshot_path: Path, spec_validator: SpecValidator, clock: VirtualClock
) -> None:
    world = snapshot_world(snapshot_path)
    app = create_app(fixture_settings(), clock, world=world)
    game: GameServer = app.state.game
    add_account(game)
    hero = add_character(game)
    chicken = next(game.world.maps.find_content("monster", "chicken"))
    rocks = next(game.world.maps.find_content("resource", "copper_rocks"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        s = Session(client, spec_validator, clock)
        s.headers["hero"] = token_for(app, hero.account)
        moved = await s.post("hero", "move", {"x": chicken["x"], "y": chicken["y"]})
        assert moved["data"]["destination"]["interactions"]["content"]["code"] == "chicken"
        fight = await s.post("hero", "fight")
        assert fight["data"]["fight"]["result"] == "win"
        assert fight["data"]["fight"]["characters"][0]["xp"] == 22
        await s.post("hero", "move", {"map_id": rocks["map_id"]})
        gathered = await s.post("hero", "gathering")
        assert gathered["data"]["details"]["xp"] == 13
        await s.post("hero", "rest")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"code": "feather", "quantity": 0}',
        b'{"code": "feather", "quantity": -3}',
        b'{"code": "bad code!", "quantity": 1}',
        b'{"quantity": 1}',
        b"[]",
    ],
)
async def test_malformed_bodies_are_422_and_change_nothing(
    app: Any, client: httpx.AsyncClient, body: bytes
) -> None:
    game: GameServer = app.state.game
    hero = add_character(game, items={"feather": 2})
    headers = {**token_for(app, hero.account), "Content-Type": "application/json"}
    before = hero.to_record()
    response = await client.post("/my/hero/action/delete", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == 422
    assert hero.to_record() == before
    assert game.state.logs == []


async def test_ge_history_entries_match_the_spec(
    app: Any, client: httpx.AsyncClient, clock: VirtualClock, spec_validator: SpecValidator
) -> None:
    game: GameServer = app.state.game
    seller = add_character(game, "seller", at=(0, 2), items={"feather": 5}, gold=100)
    buyer = add_character(game, "buyer", at=(0, 2), account="someone2", gold=100)
    s = Session(client, spec_validator, clock)
    s.headers = {"seller": token_for(app, seller.account), "buyer": token_for(app, buyer.account)}
    order = await s.post(
        "seller", "grandexchange/create_sell_order", {"code": "feather", "quantity": 5, "price": 4}
    )
    await s.post("buyer", "grandexchange/buy", {"id": order["data"]["order"]["id"], "quantity": 5})
    (entry,) = game.state.ge_history
    spec_validator.validate_body(entry, "#/components/schemas/GEOrderHistorySchema")
    for pending in game.state.pending_items.values():
        record = {k: v for k, v in pending.to_record().items() if v is not None}
        spec_validator.validate_body(record, "#/components/schemas/PendingItemSchema")


async def test_multi_character_boss_fight_over_http(
    app: Any, client: httpx.AsyncClient, clock: VirtualClock, spec_validator: SpecValidator
) -> None:
    game: GameServer = app.state.game
    game.world.monsters["cave_bat"].update(type="boss", hp=300)
    hero = add_character(game, "hero", at=(3, 1), layer="underground", level=8)
    add_character(game, "friend", at=(3, 1), layer="underground", level=8)
    add_character(game, "third", at=(3, 1), layer="underground", level=8)
    s = Session(client, spec_validator, clock)
    s.headers = {"hero": token_for(app, hero.account)}
    body = await s.post("hero", "fight", {"participants": ["friend", "third"]})
    data = body["data"]
    assert [c["name"] for c in data["characters"]] == ["hero", "friend", "third"]
    assert [c["character_name"] for c in data["fight"]["characters"]] == ["hero", "friend", "third"]
    assert data["cooldown"]["reason"] == "multi_fight"
    assert all(c["cooldown"] == data["cooldown"]["total_seconds"] for c in data["characters"])
    await s.post("hero", "fight", {"participants": ["a", "b", "c"]}, expect=422)
