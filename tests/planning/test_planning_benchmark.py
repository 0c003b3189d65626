"""Plan-size benchmark on a synthetic tiered world (node counts only, never wall time)."""

from __future__ import annotations

import pytest

from guildmaster.planning import Multiset, plan
from guildmaster.planning.domains import (
    GameContext,
    GameState,
    LevelCombat,
    LevelSkill,
    Location,
    ObtainItem,
    SimpleDrop,
    SimpleItem,
    SimpleMonster,
    SimpleQuantity,
    SimpleRecipe,
    SimpleResource,
    StaticFacts,
    build_domain,
)

TIERS = 5


def _tiered_world() -> StaticFacts:
    """Five tiers of ore -> bar -> sword (+ a hide from that tier's beast), spread on a grid."""
    items: list[SimpleItem] = []
    resources: list[SimpleResource] = []
    monsters: list[SimpleMonster] = []
    tiles: dict[Location, tuple[str, str]] = {
        ("overworld", 0, 5): ("workshop", "mining"),
        ("overworld", 5, 0): ("workshop", "weaponcrafting"),
        ("overworld", 4, 4): ("bank", "bank"),
    }
    for t in range(TIERS):
        level = 10 * t + 1
        ore, bar, hide, sword = f"ore{t}", f"bar{t}", f"hide{t}", f"sword{t}"
        items += [
            SimpleItem(ore, level=level),
            SimpleItem(hide, level=level),
            SimpleItem(
                bar,
                level=level,
                craft=SimpleRecipe("mining", level, (SimpleQuantity(ore, 3),)),
            ),
            SimpleItem(
                sword,
                level=level,
                type="weapon",
                craft=SimpleRecipe(
                    "weaponcrafting",
                    level,
                    (SimpleQuantity(bar, 4), SimpleQuantity(hide, 2)),
                ),
            ),
        ]
        resources.append(SimpleResource(f"rocks{t}", "mining", level, (SimpleDrop(ore),)))
        monsters.append(
            SimpleMonster(f"beast{t}", level=level, hp=40 + 30 * t, drops=(SimpleDrop(hide, 5),))
        )
        # Two spots per resource and monster, on opposite sides of the map.
        tiles[("overworld", 2 * t + 1, 9)] = ("resource", f"rocks{t}")
        tiles[("overworld", -2 * t - 1, -9)] = ("resource", f"rocks{t}")
        tiles[("overworld", 10, 2 * t)] = ("monster", f"beast{t}")
        tiles[("overworld", -10, -2 * t)] = ("monster", f"beast{t}")
    return StaticFacts.build(items=items, resources=resources, monsters=monsters, tiles=tiles)


def _veteran() -> GameState:
    skills = Multiset({"mining": 45, "weaponcrafting": 45, "woodcutting": 1})
    return GameState(("overworld", 0, 0), 365, 365, level=45, skills=skills, inventory_max=190)


@pytest.mark.parametrize(("tier", "max_nodes"), [(0, 150), (2, 500), (4, 500)])
def test_obtain_top_tier_sword_node_count(tier: int, max_nodes: int) -> None:
    ctx = GameContext(_tiered_world())
    domain = build_domain(ctx.facts)
    result = plan(domain, _veteran(), ObtainItem(f"sword{tier}", 1, ctx=ctx))
    names = result.action_names
    assert names.count(f"gathering(rocks{tier})") == 12
    assert names.count(f"fight(beast{tier}->hide{tier})") == 2
    assert names[-1] == f"crafting(sword{tier} x1)"
    assert result.nodes_expanded <= max_nodes


def test_levelling_goals_node_counts() -> None:
    ctx = GameContext(_tiered_world())
    domain = build_domain(ctx.facts)
    state = _veteran()
    mining = plan(domain, state, LevelSkill.gain(ctx, state, "mining", xp=200))
    assert set(mining.action_names) <= {
        "move(overworld,9,9)",
        "gathering(rocks4)",
        "move(overworld,-9,-9)",
    }
    assert mining.nodes_expanded <= 200
    combat = plan(domain, state, LevelCombat.gain(ctx, state, xp=300))
    fights = [n for n in combat.action_names if n.startswith("fight(")]
    assert fights and all(n == fights[0] for n in fights)
    assert combat.nodes_expanded <= 2_000
