"""Value objects parsed from raw API dicts, and the modules' doctest examples."""

from __future__ import annotations

import doctest
import importlib

import pytest

from guildmaster.knowledge import (
    Achievement,
    ActiveEvent,
    Condition,
    Event,
    GameData,
    Item,
    Monster,
    NpcOffer,
    Task,
    Tile,
)


def test_tile_with_conditional_access_and_a_paid_transition() -> None:
    tile = Tile.from_api(
        {
            "map_id": 42,
            "name": "Gate",
            "skin": "g",
            "x": -3,
            "y": 7,
            "layer": "overworld",
            "access": {
                "type": "conditional",
                "conditions": [{"code": "hero", "operator": "achievement_unlocked", "value": 1}],
            },
            "interactions": {
                "content": {"type": "npc", "code": "guard"},
                "transition": {
                    "map_id": 99,
                    "x": 1,
                    "y": 2,
                    "layer": "underground",
                    "conditions": [{"code": "gold", "operator": "cost", "value": 300}],
                },
            },
        }
    )
    assert tile.key == ("overworld", -3, 7) and tile.access == "conditional"
    assert tile.access_conditions == (Condition("hero", "achievement_unlocked", 1),)
    assert tile.has_content("npc") and tile.has_content("npc", "guard")
    assert not tile.has_content("npc", "other") and not tile.has_content("bank")
    assert tile.transition is not None and tile.transition.key == ("underground", 1, 2)
    assert tile.transition.conditions[0].value == 300


def test_tile_defaults_for_missing_fields() -> None:
    tile = Tile.from_api({"map_id": 1, "x": 0, "y": 0})
    assert tile.layer == "overworld" and tile.access == "standard"
    assert tile.content is None and tile.transition is None


def test_item_monster_and_offer() -> None:
    item = Item.from_api(
        {
            "code": "axe",
            "level": 3,
            "type": "weapon",
            "subtype": "tool",
            "effects": [{"code": "woodcutting", "value": -10}, {"code": "attack_air", "value": 4}],
            "conditions": [{"code": "woodcutting_level", "operator": "gt", "value": 2}],
            "craft": {
                "skill": "weaponcrafting",
                "level": 3,
                "items": [{"code": "plank", "quantity": 6}],
            },
        }
    )
    assert item.effect("woodcutting") == -10 and item.effect("hp") == 0
    assert item.craft is not None and item.craft.quantity == 1 and item.craft.items[0].quantity == 6
    assert item.name == "axe" and not item.tradeable

    monster = Monster.from_api(
        {
            "code": "bat",
            "hp": 90,
            "attack_air": 7,
            "res_fire": -10,
            "initiative": 120,
            "effects": [{"code": "poison", "value": 3}],
            "drops": [{"code": "wing", "rate": 5}],
        }
    )
    assert monster.attack == {"fire": 0, "earth": 0, "water": 0, "air": 7}
    assert monster.res["fire"] == -10 and monster.effect("poison") == 3
    assert monster.drops[0].chance == pytest.approx(0.2) and monster.type == "normal"
    assert hash(monster) == hash(Monster.from_api({"code": "bat"}))

    offer = NpcOffer.from_api(
        {"code": "ore", "npc": "bob", "currency": "gold", "buy_price": None, "sell_price": 3}
    )
    assert offer.buy_price is None and offer.sell_price == 3


def test_task_event_active_event_and_achievement() -> None:
    task = Task.from_api(
        {
            "code": "wolf",
            "level": 15,
            "type": "monsters",
            "min_quantity": 50,
            "max_quantity": 100,
            "rewards": {"gold": 300, "items": []},
        }
    )
    assert task.skill is None and task.reward_gold == 300
    event = Event.from_api(
        {
            "code": "storm",
            "name": "Storm",
            "duration": 60,
            "rate": 1000,
            "content": {"type": "monster", "code": "storm_elemental"},
            "maps": [{"map_id": 5, "x": 2, "y": 3, "layer": "overworld", "skin": "s"}],
        }
    )
    assert event.maps == (("overworld", 2, 3),) and event.map_ids == (5,)
    assert event.content is not None and event.content.code == "storm_elemental"
    active = ActiveEvent.from_api(
        {
            "code": "storm",
            "name": "Storm",
            "expiration": "2026-01-01T00:00:00+00:00",
            "map": {
                "map_id": 5,
                "x": 2,
                "y": 3,
                "layer": "overworld",
                "interactions": {"content": {"type": "monster", "code": "storm_elemental"}},
            },
        }
    )
    assert active.tile.has_content("monster", "storm_elemental")
    ach = Achievement.from_api(
        {
            "code": "slayer",
            "points": 5,
            "objectives": [
                {"type": "combat_kill", "target": "wolf", "total": 100},
                {"type": "other", "target": None, "total": 1},
            ],
            "rewards": {"gold": 10, "items": [{"code": "key", "quantity": 2}]},
        }
    )
    assert ach.objectives[1].target is None and ach.reward_items[0].quantity == 2


def test_event_only_content() -> None:
    world = {
        "maps": [
            {
                "map_id": 1,
                "x": 0,
                "y": 0,
                "interactions": {"content": {"type": "monster", "code": "rat"}},
            },
            {
                "map_id": 2,
                "x": 1,
                "y": 0,
                "interactions": {"content": {"type": "monster", "code": "dragon"}},
            },
        ],
        "events": [
            {"code": "e1", "content": {"type": "monster", "code": "dragon"}, "maps": []},
            {"code": "e2", "content": {"type": "monster", "code": "ghost"}, "maps": []},
        ],
        "active_events": [
            {
                "code": "e1",
                "map": {
                    "map_id": 2,
                    "x": 1,
                    "y": 0,
                    "interactions": {"content": {"type": "monster", "code": "dragon"}},
                },
            }
        ],
    }
    data = GameData.from_snapshot(world)
    assert [e.code for e in data.events_with("monster", "dragon")] == ["e1"]
    assert data.is_event_only("monster", "dragon")
    assert data.is_event_only("monster", "ghost")
    assert not data.is_event_only("monster", "rat")


@pytest.mark.parametrize(
    "module",
    ["model", "cache", "navigation", "combat"],
)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"guildmaster.knowledge.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def _spot(code: str | None) -> dict[str, object]:
    content = {"type": "monster", "code": code} if code else None
    return {"map_id": 9, "x": 4, "y": 4, "layer": "overworld", "interactions": {"content": content}}


def test_active_events_overlay_and_restore_tiles() -> None:
    base = GameData.from_snapshot({"maps": [_spot(None)]})
    assert base.monster_tiles("ghost") == ()
    started = ActiveEvent.from_api(
        {
            "code": "haunt",
            "map": _spot("ghost"),
            "previous_map": _spot(None),
            "expiration": "2026-01-01T01:00:00+00:00",
        }
    )
    during = base.with_active_events([started])
    assert [t.key for t in during.monster_tiles("ghost")] == [("overworld", 4, 4)]
    assert during.active_events == (started,)
    assert base.monster_tiles("ghost") == ()  # the original is untouched
    after = during.with_active_events([])
    assert after.monster_tiles("ghost") == () and after.tile("overworld", 4, 4).content is None
