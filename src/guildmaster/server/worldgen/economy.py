"""Economy of a generated world: NPC offers and details, tasks, task rewards, events, achievements.

Task rewards follow the documented reward table (gold and coins by task type and level, a game
rule). NPC merchants buy every raw resource for 1 gold and sell a few basics; the tasks trader
takes the tasks currency, the relic dealer the boss currency, the rune vendor gold. Event
merchants appear with events, as do event monsters and event resources.
"""

from __future__ import annotations

from guildmaster.server.worldgen.catalog import Catalog, JsonDict, drop
from guildmaster.server.worldgen.layout import Tile, map_id
from guildmaster.server.worldgen.names import display_name

__all__ = [
    "NpcRoster",
    "build_achievements",
    "build_events",
    "build_npcs",
    "build_tasks",
    "build_tasks_rewards",
]

NpcRoster = dict[str, str]


def _offer(code: str, npc: str, currency: str, buy: int | None, sell: int | None) -> JsonDict:
    return {"code": code, "npc": npc, "currency": currency, "buy_price": buy, "sell_price": sell}


def build_npcs(
    catalog: Catalog, extras: dict[str, list[str]], rune_prices: tuple[int, ...]
) -> tuple[list[JsonDict], list[JsonDict], NpcRoster]:
    """Return (npcs item offers, npc_details, role -> npc code)."""
    forge = catalog.forge
    roles = {
        "merchant": ("merchant", "An outfitter who buys raw goods and sells basics."),
        "trader": ("trader", "The tasks masters' trader; pays attention to seals only."),
        "runes": ("merchant", "A carver of fighting runes."),
        "relics": ("trader", "A collector who swaps relics for boss sigils."),
        "ore_dealer": ("merchant", "A travelling dealer in ores and stones."),
        "timber_dealer": ("merchant", "A travelling dealer in logs and resin."),
        "fish_dealer": ("merchant", "A travelling fishmonger."),
        "herb_dealer": ("merchant", "A travelling herbalist."),
        "gem_dealer": ("merchant", "A travelling jeweller."),
    }
    roster: NpcRoster = {}
    details: list[JsonDict] = []
    for role, (kind, text) in roles.items():
        title = {"runes": "carver", "relics": "collector"}.get(role, role.split("_")[-1])
        code = forge.claim(f"{forge.word()}_the_{title}")
        roster[role] = code
        details.append(
            {"name": display_name(code), "code": code, "description": text, "type": kind}
        )
    offers: list[JsonDict] = []
    merchant = roster["merchant"]
    for (skill, tier), raw in sorted(catalog.raw.items()):
        if not skill.startswith("event"):
            offers.append(_offer(raw, merchant, "gold", 10 * tier if tier == 1 else None, 1))
    offers.append(_offer(catalog.by_products["fruit_low"], merchant, "gold", 20, 1))
    offers.append(_offer(catalog.by_products["kelp"], merchant, "gold", 15, 1))
    coin = catalog.currencies["tasks"]
    trader = roster["trader"]
    for key in catalog.keys:
        offers.append(_offer(key, trader, coin, 6, None))
    for stone in catalog.gemstones.values():
        offers.append(_offer(stone, trader, coin, 3, None))
    offers.append(_offer(catalog.by_products["pearl"], trader, coin, 4, None))
    for index, relic in enumerate(extras["artifact"]):
        offers.append(_offer(relic, trader, coin, 10 + 3 * index, None))
        offers.append(_offer(relic, roster["relics"], catalog.currencies["boss"], 4 + index, None))
    for rune, price in zip(extras["rune"], rune_prices, strict=True):
        offers.append(_offer(rune, roster["runes"], "gold", price, None))
    offers.append(
        _offer(extras["purse"][0], roster["relics"], catalog.currencies["event"], 5, None)
    )
    dealers = {
        "ore_dealer": ("mining", "event_mining"),
        "timber_dealer": ("woodcutting", "event_woodcutting"),
        "fish_dealer": ("fishing", ""),
        "herb_dealer": ("alchemy", ""),
    }
    for role, (skill, event_key) in dealers.items():
        for (raw_skill, tier), raw in sorted(catalog.raw.items()):
            if raw_skill in (skill, event_key):
                offers.append(_offer(raw, roster[role], "gold", 10 + 2 * tier, 1 + tier // 10))
    for stone in catalog.gemstones.values():
        offers.append(_offer(stone, roster["gem_dealer"], "gold", 120, 5))
    for gem in catalog.gems.values():
        offers.append(_offer(gem, roster["gem_dealer"], "gold", 800, 40))
    return offers, details, roster


def _task_reward(kind: str, level: int, coin: str) -> JsonDict:
    # The documented reward table (gold, coins) by task type and level band.
    if kind == "items":
        gold, coins = (150, 2) if level < 15 else (250, 3) if level < 30 else (350, 4)
        if level > 40:
            gold = 300
    else:
        gold, coins = (200, 3) if level < 15 else (300, 4) if level < 30 else (500, 5)
    return {"items": [{"code": coin, "quantity": coins}], "gold": gold}


def build_tasks(catalog: Catalog) -> list[JsonDict]:
    """Return the tasks catalogue: kill tasks for normal monsters, delivery tasks for goods."""
    coin = catalog.currencies["tasks"]
    tasks: list[JsonDict] = []
    events = set(catalog.event_monsters)
    for monster in catalog.monsters:
        if monster["type"] != "normal" or monster["code"] in events:
            continue
        level = int(monster["level"])
        low, high = (40, 200) if level < 30 else (20, 100)
        tasks.append(
            {
                "code": monster["code"],
                "level": level,
                "type": "monsters",
                "min_quantity": low,
                "max_quantity": high,
                "rewards": _task_reward("monsters", level, coin),
                "skill": None,
            }
        )
    for (skill, tier), raw in sorted(catalog.raw.items()):
        if skill.startswith("event"):
            continue
        tasks.append(_item_task(raw, tier, skill, 60, 240, coin))
    for item in catalog.items.values():
        craft = item["craft"]
        if craft is None:
            continue
        if item["subtype"] in ("bar", "plank") or (
            item["subtype"] == "food" and item["type"] == "consumable"
        ):
            low, high = (10, 40) if item["subtype"] != "food" else (30, 120)
            tasks.append(
                _item_task(item["code"], int(item["level"]), craft["skill"], low, high, coin)
            )
    return sorted(tasks, key=lambda t: (t["type"], t["level"], t["code"]))


def _item_task(code: str, level: int, skill: str, low: int, high: int, coin: str) -> JsonDict:
    return {
        "code": code,
        "level": level,
        "type": "items",
        "min_quantity": low,
        "max_quantity": high,
        "rewards": _task_reward("items", level, coin),
        "skill": skill,
    }


def build_tasks_rewards(catalog: Catalog, extras: dict[str, list[str]]) -> list[JsonDict]:
    """Return the DropRateSchema list the tasks-coin exchange draws from."""
    rewards = [drop(stone, 20, 1, 3) for stone in catalog.gemstones.values()]
    rewards += [drop(gem, 50) for gem in catalog.gems.values()]
    rewards += [
        drop(catalog.by_products["pearl"], 30, 1, 2),
        drop(catalog.by_products["resin_high"], 15, 2, 5),
        drop(extras["purse"][0], 10),
        drop(extras["purse"][1], 40),
        drop(extras["bag"][0], 40),
    ]
    rewards += [drop(key, 25) for key in catalog.keys]
    return rewards


def build_events(catalog: Catalog, roster: NpcRoster, free_tiles: list[Tile]) -> list[JsonDict]:
    """Return the events catalogue (monster, resource and merchant events) on ``free_tiles``."""
    rng = catalog.rng
    pool = list(free_tiles)
    rng.shuffle(pool)
    specs: list[tuple[str, str, int, int]] = []
    specs += [
        ("monster", code, 60, rng.choice((1000, 1500, 2000))) for code in catalog.event_monsters
    ]
    specs += [("resource", code, 60, 2000) for code in catalog.event_resources]
    specs += [
        ("npc", roster[role], 90, 1500)
        for role in ("ore_dealer", "timber_dealer", "fish_dealer", "herb_dealer", "gem_dealer")
    ]
    # Invasions: permanent monsters that also roam the overworld for a while.
    invaders = [m["code"] for m in catalog.monsters if m["type"] != "boss" and m["level"] >= 15]
    invaders = [c for c in invaders if c not in catalog.event_monsters]
    specs += [("monster", code, 60, 1500) for code in rng.sample(invaders, 5)]
    events: list[JsonDict] = []
    for kind, code, duration, rate in specs:
        count = 1 if kind == "npc" else rng.randint(1, 3)
        maps = []
        for _ in range(count):
            if not pool:
                break
            x, y = pool.pop()
            maps.append(
                {"map_id": map_id("overworld", x, y), "x": x, "y": y, "layer": "overworld",
                 "skin": f"{kind}_event"}
            )  # fmt: skip
        theme = {"monster": "invasion", "resource": "bloom", "npc": "visit"}[kind]
        event_code = catalog.forge.claim(f"{code}_{theme}")
        events.append(
            {
                "name": display_name(event_code),
                "code": event_code,
                "maps": maps,
                "duration": duration,
                "rate": rate,
                "content": {"type": kind, "code": code},
                "cooldown": 120,
                "price": 50,
                "transition": None,
            }
        )
    return events


def build_achievements(catalog: Catalog, extras: dict[str, list[str]]) -> list[JsonDict]:
    """Return achievements: kills, gathering, crafting, levels, tasks, use, trade and recycling."""
    out: list[JsonDict] = []

    def add(code: str, text: str, points: int, objectives: list[JsonDict], gold: int,
            items: list[JsonDict] | None = None) -> None:  # fmt: skip
        code = catalog.forge.claim(code)
        out.append(
            {
                "name": display_name(code),
                "code": code,
                "description": text,
                "points": points,
                "objectives": objectives,
                "rewards": {"gold": gold, "items": items or []},
            }
        )

    events = set(catalog.event_monsters)
    for monster in catalog.monsters:
        if monster["code"] in events:
            continue
        total = 100 if monster["type"] == "normal" else 10
        if monster["type"] == "normal" and int(monster["level"]) % 5 not in (0, 1):
            continue
        add(
            f"{monster['code']}_hunter",
            f"Defeat {total} {monster['name']}.",
            1 if monster["type"] == "normal" else 3,
            [{"type": "combat_kill", "target": monster["code"], "total": total}],
            500 + 50 * int(monster["level"]),
        )
    for (skill, tier), raw in sorted(catalog.raw.items()):
        if skill.startswith("event"):
            continue
        add(
            f"{raw}_gatherer",
            f"Gather 500 {display_name(raw)}.",
            1,
            [{"type": "gathering", "target": raw, "total": 500}],
            1000 + 40 * tier,
        )
    for (_kind, tier), code in sorted(catalog.refined.items()):
        add(f"{code}_maker", f"Craft 200 {display_name(code)}.", 1,
            [{"type": "crafting", "target": code, "total": 200}], 1000 + 40 * tier)  # fmt: skip
    coin = catalog.currencies["tasks"]
    for level in (10, 20, 30, 40, 50):
        add(f"level_{level}_{catalog.forge.word()}", f"Reach level {level}.", level // 10,
            [{"type": "combat_level", "target": None, "total": level}], 1000 * level // 5,
            [{"code": coin, "quantity": level // 5}])  # fmt: skip
    for total in (10, 100):
        add(f"{catalog.forge.word()}_taskmaster", f"Complete {total} tasks.", total // 10,
            [{"type": "task", "target": None, "total": total}], 100 * total)  # fmt: skip
    for monster in catalog.monsters:
        if monster["type"] == "boss":
            part = monster["drops"][0]["code"]
            add(f"{part}_collector", f"Collect 10 {display_name(part)}.", 2,
                [{"type": "combat_drop", "target": part, "total": 10}], 5000)  # fmt: skip
    for item in catalog.items.values():
        if item["code"].startswith("grilled_"):
            add(f"{item['code']}_gourmet", f"Eat 100 {item['name']}.", 1,
                [{"type": "use", "target": item["code"], "total": 100}], 1000)  # fmt: skip
    for stone in catalog.gemstones.values():
        add(f"{stone}_finder", f"Find 20 {display_name(stone)}.", 2,
            [{"type": "gathering", "target": stone, "total": 20}], 3000)  # fmt: skip
    fruit = catalog.by_products["fruit_low"]
    add(f"{fruit}_lover", f"Eat 100 {display_name(fruit)}.", 1,
        [{"type": "use", "target": fruit, "total": 100}], 1000)  # fmt: skip
    add(f"{catalog.forge.word()}_customer", "Buy 100 items from merchants.", 1,
        [{"type": "npc_buy", "target": None, "total": 100}], 1000)  # fmt: skip
    add(f"{catalog.forge.word()}_supplier", "Sell 500 items to merchants.", 1,
        [{"type": "npc_sell", "target": None, "total": 500}], 1000)  # fmt: skip
    add(f"{catalog.forge.word()}_scrapper", "Recycle 100 items.", 1,
        [{"type": "recycling", "target": None, "total": 100}], 2000,
        [{"code": extras["purse"][0], "quantity": 1}])  # fmt: skip
    return out
