"""KnowledgeFacts / LearnedCosts: the knowledge layer as the planner's GameFacts and CostModel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guildmaster.clock import VirtualClock
from guildmaster.knowledge import (
    GameData,
    KnowledgeFacts,
    LearnedCosts,
    ObservationStore,
    Passport,
)
from guildmaster.planning import Multiset, plan
from guildmaster.planning.domains import (
    CostModel,
    GameContext,
    GameFacts,
    GameState,
    ObtainItem,
    build_domain,
)

_SKILLS = (
    "mining",
    "woodcutting",
    "fishing",
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "alchemy",
)


@pytest.fixture(scope="module")
def data(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


@pytest.fixture(scope="module")
def facts(data: GameData) -> KnowledgeFacts:
    return KnowledgeFacts(data)


def _character(level: int = 1, **equipment: str) -> GameState:
    hp = 115 + 5 * level
    return GameState(
        ("overworld", 0, 0),
        hp,
        hp,
        level=level,
        skills=Multiset(dict.fromkeys(_SKILLS, 1)),
        inventory_max=100 + 2 * level,
        equipment=tuple(sorted(equipment.items())),
    )


def test_facts_satisfy_the_planner_protocol(facts: KnowledgeFacts, data: GameData) -> None:
    as_protocol: GameFacts = facts
    assert as_protocol.item("copper_bar") is data.items["copper_bar"]
    assert as_protocol.monster("nope") is None
    assert [t for t in facts.locations("bank", "bank")] == [t.key for t in data.banks()]
    bank = data.banks()[0].key
    assert facts.content_at(bank) == ("bank", "bank")
    assert facts.content_at(("overworld", 0, 0)) is None
    assert facts.travel_seconds(("overworld", 0, 0), ("overworld", 0, 0)) == 0.0
    walk = facts.travel_seconds(("overworld", 0, 0), bank)
    assert walk is not None and walk >= 5 * (abs(bank[1]) + abs(bank[2]))
    assert facts.travel_seconds(("overworld", 0, 0), ("nowhere", 0, 0)) is None
    assert [o.code for o in facts.npc_offers("nothing")] == []


def test_paid_regions_need_a_passport(data: GameData) -> None:
    restricted = [t.key for t in data.maps.values() if t.access == "restricted"]
    if not restricted:
        pytest.skip("no restricted region in this world")
    poor = KnowledgeFacts(data)
    rich = KnowledgeFacts(data, passport=Passport.build(gold=10**6))
    assert poor.travel_seconds(("overworld", 0, 0), restricted[0]) is None
    assert rich.travel_seconds(("overworld", 0, 0), restricted[0]) is not None


def test_fight_predictions_follow_gear(facts: KnowledgeFacts, data: GameData) -> None:
    weakest = data.combat_ladder()[0]
    naked = facts.predict_fight(_character(), weakest.code)
    weapons = [i for i in data.equipment("weapon", max_level=1) if i.effect("attack_earth") > 0]
    armed = facts.predict_fight(_character(weapon=weapons[0].code), weakest.code)
    assert armed.win_probability >= naked.win_probability
    assert armed.turns <= naked.turns or naked.win_probability == 0
    unknown = facts.predict_fight(_character(), "no_such_monster")
    assert unknown.win_probability == 0.0
    stats = facts.stats_for(_character(weapon=weapons[0].code).with_(hp=50))
    assert stats.hp == 50 and stats.max_hp == 120 and stats.total_attack > 0


def test_planner_runs_on_knowledge_facts(facts: KnowledgeFacts) -> None:
    ctx = GameContext(facts)
    result = plan(build_domain(facts), _character(), ObtainItem("copper_bar", 1, ctx=ctx))
    names = result.action_names
    assert names[-1] == "crafting(copper_bar x1)"
    workshop = facts.locations("workshop", "mining")
    assert result.final_state.location in workshop


def test_learned_costs_switch_to_observations(
    facts: KnowledgeFacts, data: GameData, tmp_path: Path, clock: VirtualClock
) -> None:
    with ObservationStore(tmp_path / "o.sqlite", clock=clock) as store:
        costs = LearnedCosts(facts, store, min_samples=2)
        as_protocol: CostModel = costs
        resource = data.gathering_ladder("mining")[0]
        state = _character()
        prior = as_protocol.gather(state, resource)
        assert prior == costs.prior.gather(state, resource)
        store.record(character="a", kind="gathering", code=resource.code, cooldown_seconds=10)
        assert costs.gather(state, resource) == prior  # one sample is not enough
        store.record(character="a", kind="gathering", code=resource.code, cooldown_seconds=10)
        assert costs.gather(state, resource) == pytest.approx((20 + prior) / 3)
        monster = data.combat_ladder()[0].code
        estimate = facts.predict_fight(state, monster)
        assert costs.fight(state, monster, estimate) == costs.prior.fight(state, monster, estimate)
        for seconds in (40.0, 44.0):
            store.record(
                character="a",
                kind="fight",
                code=monster,
                cooldown_seconds=seconds,
                outcome="win",
                turns=20,
                hp_lost=10,
            )
        assert costs.fight(state, monster, estimate) == pytest.approx(42.0)
        assert costs.craft(state, "x", 3) == 15.0 and costs.flat("use") == 3.0


def test_planner_fights_with_predicted_outcomes(facts: KnowledgeFacts, data: GameData) -> None:
    # The weakest monster's most common drop, obtained by fighting with a level-1 weapon.
    weakest = data.combat_ladder()[0]
    drop = min(weakest.drops, key=lambda d: d.rate)
    weapon = max(
        data.equipment("weapon", max_level=1),
        key=lambda w: facts.predict_fight(_character(weapon=w.code), weakest.code).win_probability,
    )
    state = _character(weapon=weapon.code)
    assert facts.predict_fight(state, weakest.code).win_probability > 0.9
    ctx = GameContext(facts)
    result = plan(build_domain(facts), state, ObtainItem(drop.code, 1, ctx=ctx))
    assert any(name.startswith(f"fight({weakest.code}") for name in result.action_names)
    assert result.final_state.inventory[drop.code] >= 1
