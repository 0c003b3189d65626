"""Catalogue, map, market and account read endpoints: filters and contents."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from server_fixtures import auth_headers, make_account, make_character

from guildmaster.server.game import GameServer
from guildmaster.server.state import GEOrder, LogEntry


async def _codes(client: httpx.AsyncClient, url: str, key: str = "code") -> list[Any]:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["data"])
    return sorted(entry[key] for entry in body["data"])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/items?type=weapon", ["copper_dagger", "wooden_stick"]),
        ("/items?craft_skill=mining", ["copper_bar"]),
        ("/items?craft_material=copper_bar", ["copper_dagger", "copper_helmet"]),
        ("/items?name=copper", ["copper_bar", "copper_dagger", "copper_helmet", "copper_ore"]),
        ("/items?name=Cooked Chicken", ["cooked_chicken"]),
        ("/items?min_level=2", []),
        ("/items?max_level=1&type=currency", ["tasks_coin"]),
        ("/monsters?drop=feather", ["chicken"]),
        ("/monsters?min_level=2", ["cave_bat"]),
        ("/monsters?max_level=2&name=chick", ["chicken"]),
        ("/resources?skill=mining", ["copper_rocks"]),
        ("/resources?skill=fishing", []),
        ("/resources?drop=copper_ore&min_level=1", ["copper_rocks"]),
        ("/npcs/details?currency=tasks_coin", ["general_merchant"]),
        ("/npcs/details?item=feather", []),
        ("/npcs/details?type=trader", []),
        ("/npcs/items?currency=gold", ["cooked_chicken", "raw_chicken"]),
        ("/npcs/items/general_merchant", ["cooked_chicken", "raw_chicken", "small_health_potion"]),
        ("/tasks/list?type=items", ["copper_ore"]),
        ("/tasks/list?skill=mining", ["copper_ore"]),
        ("/tasks/list?type=monsters&max_level=1", ["chicken"]),
        ("/tasks/rewards", ["feather", "small_health_potion"]),
        ("/events?type=monster", ["chicken_swarm"]),
        ("/events?type=resource", []),
        ("/achievements?type=combat_kill", ["chicken_slayer"]),
        ("/achievements?type=crafting", []),
        ("/effects", ["attack_air", "attack_earth", "critical_strike", "heal", "hp", "restore"]),
    ],
)
async def test_catalogue_filters(client: httpx.AsyncClient, url: str, expected: list[str]) -> None:
    assert await _codes(client, url + ("&" if "?" in url else "?") + "size=100") == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/maps?content_type=bank", [(0, 1)]),
        ("/maps?content_code=chicken", [(1, 0)]),
        ("/maps?layer=underground", [(3, 0), (3, 1)]),
        ("/maps/underground?content_type=monster", [(3, 1)]),
        ("/maps?transition=true", [(3, 0), (3, 0)]),
        ("/maps/overworld?transition=true", [(3, 0)]),
    ],
)
async def test_map_filters(
    client: httpx.AsyncClient, url: str, expected: list[tuple[int, int]]
) -> None:
    response = await client.get(url)
    assert response.status_code == 200
    assert sorted((t["x"], t["y"]) for t in response.json()["data"]) == expected


async def test_map_counts(client: httpx.AsyncClient, game: GameServer) -> None:
    total = len(game.world.maps.tiles)
    assert (await client.get("/maps?size=100")).json()["total"] == total
    assert (await client.get("/maps?hide_blocked_maps=true")).json()["total"] == total - 1
    assert (await client.get("/maps?transition=false")).json()["total"] == total - 2
    tile = (await client.get("/maps/overworld/1/2")).json()["data"]
    assert tile["interactions"]["content"] == {"type": "npc", "code": "general_merchant"}
    assert (await client.get(f"/maps/id/{tile['map_id']}")).json()["data"] == tile


async def test_single_entries(client: httpx.AsyncClient) -> None:
    item = (await client.get("/items/copper_dagger")).json()["data"]
    assert item["craft"]["items"] == [{"code": "copper_bar", "quantity": 6}]
    npc = (await client.get("/npcs/details/general_merchant")).json()["data"]
    assert {offer["code"] for offer in npc["items"]} == {
        "cooked_chicken",
        "raw_chicken",
        "small_health_potion",
    }
    reward = (await client.get("/tasks/rewards/feather")).json()["data"]
    assert (reward["min_quantity"], reward["max_quantity"]) == (2, 5)
    achievement = (await client.get("/achievements/chicken_slayer")).json()["data"]
    assert "completed_at" not in achievement


async def test_grand_exchange_reads(client: httpx.AsyncClient, game: GameServer) -> None:
    now = game.now_iso()
    orders = [
        GEOrder("ge1", "sell", "seller1", "copper_ore", 5, 10, now),
        GEOrder("ge2", "buy", "buyer01", "copper_ore", 2, 8, now),
        GEOrder("ge3", "sell", "seller1", "copper_dagger", 1, 300, now),
    ]
    for order in orders:
        game.state.ge_orders[order.id] = order
    game.state.ge_history += [
        {"order_id": "o1", "seller": "seller1", "buyer": "buyer01", "code": "feather"}
        | {"quantity": 1, "price": 3, "sold_at": now},
        {"order_id": "o2", "seller": "zed0001", "buyer": "buyer01", "code": "feather"}
        | {"quantity": 2, "price": 4, "sold_at": now},
    ]
    assert await _codes(client, "/grandexchange/orders?code=copper_ore", "id") == ["ge1", "ge2"]
    assert await _codes(client, "/grandexchange/orders?type=sell", "id") == ["ge1", "ge3"]
    assert await _codes(client, "/grandexchange/orders?item_type=weapon", "id") == ["ge3"]
    assert await _codes(client, "/grandexchange/orders?account=buyer01", "id") == ["ge2"]
    order = (await client.get("/grandexchange/orders/ge3")).json()["data"]
    assert order["price"] == 300 and order["account"] == "seller1"
    history = (await client.get("/grandexchange/history/feather")).json()["data"]
    assert [h["order_id"] for h in history] == ["o2", "o1"]  # newest first
    history = (await client.get("/grandexchange/history/feather?account=zed0001")).json()
    assert [h["order_id"] for h in history["data"]] == ["o2"]


async def test_my_endpoints_show_only_my_data(client: httpx.AsyncClient, game: GameServer) -> None:
    mine = await make_account(client, "owner01")
    theirs = await make_account(client, "other01")
    await make_character(client, mine, "Mine")
    await make_character(client, theirs, "Theirs")
    now = game.now_iso()
    for index, (name, account) in enumerate([("Mine", "owner01"), ("Theirs", "other01")] * 2):
        game.state.logs.append(LogEntry(name, account, "rest", f"log {index}", {}, 0, now, now))
    game.state.banks["owner01"].items.update(copper_ore=4, feather=2)
    game.state.ge_orders["ge9"] = GEOrder("ge9", "sell", "other01", "feather", 1, 5, now)
    headers = auth_headers(mine)
    logs = (await client.get("/my/logs", headers=headers)).json()
    assert [entry["description"] for entry in logs["data"]] == ["log 2", "log 0"]
    logs = (await client.get("/my/logs/Mine?size=1&page=2", headers=headers)).json()
    assert logs["data"][0]["description"] == "log 0" and logs["pages"] == 2
    items = (await client.get("/my/bank/items", headers=headers)).json()["data"]
    assert items == [{"code": "copper_ore", "quantity": 4}, {"code": "feather", "quantity": 2}]
    items = (await client.get("/my/bank/items?item_code=feather", headers=headers)).json()
    assert items["data"] == [{"code": "feather", "quantity": 2}]
    assert (await client.get("/my/grandexchange/orders", headers=headers)).json()["data"] == []
    details = (await client.get("/my/details", headers=headers)).json()["data"]
    assert (details["username"], details["email"]) == ("owner01", "owner01@example.com")
    bank = (await client.get("/my/bank", headers=headers)).json()["data"]
    assert bank == {"slots": 50, "expansions": 0, "next_expansion_cost": 4500, "gold": 0}


async def test_account_achievements_progress(client: httpx.AsyncClient, game: GameServer) -> None:
    await make_account(client, "achiever")
    account = game.state.accounts["achiever"]
    account.achievements["chicken_slayer"] = {"0": 4}
    body = (await client.get("/accounts/achiever/achievements")).json()
    assert body["data"][0]["objectives"][0]["progress"] == 4
    assert (await client.get("/accounts/achiever/achievements?completed=true")).json()["data"] == []
    account.completed_achievements["chicken_slayer"] = game.now_iso()
    done = (await client.get("/accounts/achiever/achievements?completed=true")).json()["data"]
    assert [entry["code"] for entry in done] == ["chicken_slayer"]
    public = (await client.get("/accounts/achiever")).json()["data"]
    assert public["achievements_points"] == 5


async def test_leaderboards(client: httpx.AsyncClient, game: GameServer) -> None:
    token = await make_account(client, "leader1")
    other = await make_account(client, "leader2")
    await make_character(client, token, "Miner")
    await make_character(client, other, "Fighter")
    game.state.characters["Miner"].skills["mining"] = [3, 10]
    game.state.characters["Fighter"].level = 2
    game.state.characters["Fighter"].gold = 50
    board = (await client.get("/leaderboard/characters")).json()["data"]
    assert [(row["position"], row["name"]) for row in board] == [(1, "Fighter"), (2, "Miner")]
    board = (await client.get("/leaderboard/characters?sort=mining")).json()["data"]
    assert board[0]["name"] == "Miner" and board[0]["mining_level"] == 3
    assert board[0]["mining_total_xp"] > board[1]["mining_total_xp"]
    board = (await client.get("/leaderboard/characters?name=min")).json()["data"]
    assert [row["name"] for row in board] == ["Miner"]
    accounts = (await client.get("/leaderboard/accounts?sort=gold")).json()["data"]
    assert [(row["account"], row["gold"]) for row in accounts] == [("leader2", 50), ("leader1", 0)]


async def test_simulation_is_seeded_and_counts(client: httpx.AsyncClient) -> None:
    token = await make_account(client, "simmer")
    body = {
        "characters": [{"level": 1, "weapon_slot": "wooden_stick"}],
        "monster": "chicken",
        "iterations": 20,
    }
    response = await client.post("/simulation/fight", json=body, headers=auth_headers(token))
    data = response.json()["data"]
    assert data["wins"] + data["losses"] == 20 == len(data["results"])
    assert data["winrate"] == pytest.approx(100 * data["wins"] / 20)
    assert all(r["result"] in ("win", "loss") and 1 <= r["turns"] <= 100 for r in data["results"])
    weak = {"characters": [{"level": 1}], "monster": "cave_bat", "iterations": 5}
    strong: dict[str, object] = {"characters": [{"level": 40, "weapon_slot": "copper_dagger"}] * 3}
    strong.update(monster="chicken", iterations=5)
    response = await client.post("/simulation/fight", json=strong, headers=auth_headers(token))
    assert response.json()["data"]["wins"] == 5
    response = await client.post("/simulation/fight", json=weak, headers=auth_headers(token))
    assert len(response.json()["data"]["results"][0]["character_results"]) == 1


async def test_status(client: httpx.AsyncClient, game: GameServer) -> None:
    token = await make_account(client, "status1")
    await make_character(client, token, "Online")
    data = (await client.get("/")).json()["data"]
    assert data["characters_online"] == 1
    assert data["server_time"] == game.now_iso()
    assert data["max_level"] == 50
