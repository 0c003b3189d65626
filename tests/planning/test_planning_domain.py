"""The game domain on a hand-built world: gather->craft chains, fights, bank, gear, tasks."""

from __future__ import annotations

import pytest
from planning_world import (
    BANK,
    CHICKEN,
    COPPER_ROCKS,
    MERCHANT,
    MINING_WORKSHOP,
    TASKS_MASTER,
    WEAPON_WORKSHOP,
    build_facts,
    ow,
    start_state,
)

from guildmaster.planning import Multiset, PlanNotFound, SubGoalRequest, plan
from guildmaster.planning.domains import (
    CompleteTask,
    Craft,
    EquipBest,
    EquipItem,
    Fight,
    FreeInventory,
    GameContext,
    GameState,
    Gather,
    LevelCombat,
    LevelSkill,
    ObtainItem,
    RestoreHP,
    TaskState,
    build_domain,
)


@pytest.fixture
def ctx() -> GameContext:
    return GameContext(build_facts())


def _names(result: object) -> list[str]:
    return list(getattr(result, "action_names"))  # noqa: B009


def test_obtain_item_plans_gather_then_craft_at_the_workshop(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state()
    result = plan(domain, state, ObtainItem("copper_bar", 2, ctx=ctx))
    names = _names(result)
    assert names[0] == "move(overworld,2,0)"
    assert names[1:7] == ["gathering(copper_rocks)"] * 6
    assert names[7] == "move(overworld,1,5)"
    assert [n for n in names[8:]] in (["crafting(copper_bar x2)"], ["crafting(copper_bar x1)"] * 2)
    # 2 tiles, 6 gathers of 30.5 s, 6 tiles, 2 craft runs of 5 s.
    assert result.total_cost == pytest.approx(10 + 6 * 30.5 + 30 + 10)
    final = result.final_state
    assert final.inventory == Multiset({"copper_bar": 2})
    assert final.location == MINING_WORKSHOP
    assert final.skill_xp["mining"] > 0


def test_obtain_crafted_weapon_needs_a_rare_drop_and_two_workshops(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    result = plan(domain, start_state(), ObtainItem("copper_dagger", 1, ctx=ctx))
    names = _names(result)
    assert "fight(chicken->feather)" in names
    assert names.count("gathering(copper_rocks)") == 6
    assert names[-1] == "crafting(copper_dagger x1)"
    assert names.index("move(overworld,2,1)") > names.index("move(overworld,1,5)")
    assert result.final_state.inventory["copper_dagger"] == 1
    assert result.final_state.location == WEAPON_WORKSHOP
    # Benchmark-ish, not timed: relevance pruning plus the production lower bound keep the
    # search small (about 150 expansions; blind Dijkstra over the same domain needs ~8000).
    assert result.nodes_expanded < 400


@pytest.mark.parametrize(
    ("code", "quantity"), [("copper_dagger", 1), ("copper_pickaxe", 1), ("copper_bar", 3)]
)
def test_obtain_heuristic_keeps_plans_optimal(ctx: GameContext, code: str, quantity: int) -> None:
    domain = build_domain(ctx.facts)
    goal = ObtainItem(code, quantity, ctx=ctx)
    guided = plan(domain, start_state(), goal)

    class Blind(ObtainItem):
        def heuristic(self, state: GameState) -> float:
            return 0.0

    blind = plan(domain, start_state(), Blind(code, quantity, ctx=ctx), node_budget=50_000)
    assert guided.total_cost == pytest.approx(blind.total_cost)
    assert guided.nodes_expanded <= blind.nodes_expanded
    assert goal.heuristic(start_state()) <= guided.total_cost


def test_bank_is_cheaper_than_gathering(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(bank=Multiset({"copper_bar": 5}))
    result = plan(domain, state, ObtainItem("copper_bar", 2, ctx=ctx))
    assert _names(result) == ["move(overworld,4,1)", "bank/withdraw/item(copper_bar x2)"]
    assert result.total_cost == 25 + 3
    assert result.final_state.bank["copper_bar"] == 3


def test_fight_needs_hp_so_plan_rests(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(hp=10)
    goal = LevelCombat.gain(ctx, state, xp=20)
    result = plan(domain, state, goal)
    names = _names(result)
    assert names[-1] == "fight(chicken)"
    assert "rest()" in names and names.index("rest()") < names.index("fight(chicken)")
    assert result.final_state.xp == 22  # chicken at level 1: 20 + 60 * 0.04
    assert result.total_cost >= goal.heuristic(state)


def test_fight_check_reports_each_obstacle(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    goal = LevelCombat.gain(ctx, start_state(), xp=20)
    fight = next(
        a for a in domain.actions(start_state(location=CHICKEN), goal) if a.name == "fight(chicken)"
    )
    away = fight.check(start_state())
    assert away == SubGoalRequest.not_at_location(CHICKEN, reason=away.reason if away else "")
    low = fight.check(start_state(location=CHICKEN, hp=10))
    assert low is not None and low.kind == "hp_too_low" and low.param("required_hp") == 17
    full_bag = start_state(location=CHICKEN, inventory=Multiset({"copper_ore": 100}))
    request = fight.check(full_bag)
    assert request is not None and request.kind == "inventory_full"
    assert fight.check(start_state(location=CHICKEN)) is None


def test_hopeless_monster_is_never_planned(ctx: GameContext) -> None:
    from guildmaster.planning.domains import Fight

    wolf = Fight("wolf", ctx=ctx)
    request = wolf.check(start_state(location=ow(3, 3)))
    assert request is not None and request.kind == "monster_too_strong"


def test_restore_hp_prefers_food_over_rest(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(hp=60, inventory=Multiset({"apple": 2}))
    result = plan(domain, state, RestoreHP(100, ctx=ctx))
    assert _names(result) == ["use(apple x1)"]
    assert result.final_state.hp == 110


def test_buy_from_npc(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    result = plan(domain, start_state(gold=12), ObtainItem("apple", 2, ctx=ctx))
    assert _names(result) == ["move(overworld,3,0)"] + ["npc/buy(merchant:apple x1)"] * 2
    assert result.final_state.gold == 2
    assert result.final_state.location == MERCHANT
    # Without the gold, the apple has to come from the tree (1 in 20 gathers).
    poor = plan(domain, start_state(gold=4), ObtainItem("apple", 1, ctx=ctx))
    assert poor.action_names == ("move(overworld,0,3)", "gathering(ash_tree->apple)")


def test_free_inventory_deposits_at_the_bank(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(inventory=Multiset({"copper_ore": 60, "ash_wood": 40}))
    result = plan(domain, state, FreeInventory(5, ctx=ctx))
    assert _names(result) == [
        "move(overworld,4,1)",
        "bank/deposit/item(ash_wood x40,copper_ore x60)",
    ]
    assert result.final_state.bank == Multiset({"copper_ore": 60, "ash_wood": 40})
    assert result.total_cost == 25 + 6


def test_equip_best_for_combat_from_the_bank(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(
        equipment=(("weapon", "wooden_stick"),),
        bank=Multiset({"copper_dagger": 1, "iron_helmet": 1}),
    )
    goal = EquipBest.for_activity(ctx, state, "combat")
    # The helmet needs level 10, so only the dagger beats what is worn.
    assert goal.loadout == (("weapon", "copper_dagger"),)
    result = plan(domain, state, goal)
    assert set(_names(result)) == {
        "move(overworld,4,1)",
        "bank/withdraw/item(copper_dagger x1)",
        "unequip(weapon)",
        "equip(copper_dagger@weapon)",
    }
    assert result.final_state.equipped("weapon") == "copper_dagger"
    assert result.final_state.inventory["wooden_stick"] == 1


def test_equip_item_applies_stat_effects(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(level=10, inventory=Multiset({"iron_helmet": 1}))
    result = plan(domain, state, EquipItem("iron_helmet", ctx=ctx))
    assert _names(result) == ["equip(iron_helmet@helmet)"]
    assert result.final_state.max_hp == 140
    low = start_state(inventory=Multiset({"iron_helmet": 1}))
    from guildmaster.planning.domains import Equip

    request = Equip("iron_helmet", "helmet", ctx=ctx).check(low)
    assert request == SubGoalRequest.skill_too_low("combat", 10)


def test_complete_monster_task(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(task=TaskState("chicken", "monsters", 2, 3))
    result = plan(domain, state, CompleteTask.current(ctx, state))
    assert _names(result) == [
        "move(overworld,0,1)",
        "fight(chicken)",
        "move(overworld,1,2)",
        "task/complete()",
    ]
    assert result.final_state.task is None
    assert result.final_state.location == TASKS_MASTER


def test_level_skill_gathering_uses_best_resource(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state()
    goal = LevelSkill.gain(ctx, state, "mining", xp=26)
    result = plan(domain, state, goal)
    assert _names(result) == ["move(overworld,2,0)"] + ["gathering(copper_rocks)"] * 2
    assert result.total_cost >= goal.heuristic(state)
    assert goal.is_satisfied(result.final_state)


def test_skill_too_low_turns_into_a_levelling_goal(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(location=ow(6, 6))
    request = Gather("iron_rocks", ctx=ctx).check(state)
    assert request == SubGoalRequest.skill_too_low("mining", 10)
    goal = domain.goals.goal_for(request, state)
    assert isinstance(goal, LevelSkill) and goal.skill == "mining"
    assert not goal.is_satisfied(state)
    assert goal.is_satisfied(start_state(skills=Multiset({"mining": 10})))


def test_goal_manager_maps_every_request_kind(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state()
    requests = [
        SubGoalRequest.not_at_location(BANK),
        SubGoalRequest.hp_too_low(50),
        SubGoalRequest.item_missing("copper_ore", 3),
        SubGoalRequest.inventory_full(2),
        SubGoalRequest.equipment_missing("copper_dagger", "weapon"),
        SubGoalRequest.skill_too_low("combat", 2),
        SubGoalRequest.gold_missing(10),
        SubGoalRequest.of("monster_too_strong", monster="wolf"),
    ]
    names = [domain.goals.goal_for(r, state).name for r in requests]
    assert names[:5] == [
        "reach(overworld,4,1)",
        "restore_hp(50)",
        "obtain(copper_ore x3)",
        "free_inventory(2)",
        "equip(copper_dagger@weapon)",
    ]
    assert names[5].startswith("level_combat") and names[6] == "obtain_gold(10)"
    assert names[7] == "equip_best(combat:wolf)"


def test_craft_check_reports_missing_ingredients(ctx: GameContext) -> None:
    craft = Craft("copper_bar", 2, ctx=ctx)
    at_workshop = start_state(location=MINING_WORKSHOP, inventory=Multiset({"copper_ore": 4}))
    assert craft.check(at_workshop) == SubGoalRequest.item_missing("copper_ore", 6)
    elsewhere = craft.check(start_state(location=COPPER_ROCKS))
    assert elsewhere is not None and elsewhere.param("location") == MINING_WORKSHOP


def test_planning_is_deterministic_and_node_counts_are_stable(ctx: GameContext) -> None:
    first = plan(build_domain(build_facts()), start_state(), ObtainItem("copper_bar", 5, ctx=ctx))
    again = plan(build_domain(build_facts()), start_state(), ObtainItem("copper_bar", 5, ctx=ctx))
    assert first.action_names == again.action_names
    assert first.nodes_expanded == again.nodes_expanded
    # 15 gathers and 5 bars: with the lower bound the search walks almost straight there.
    assert first.nodes_expanded < 60


def test_equip_best_for_gathering_picks_the_tool(ctx: GameContext) -> None:
    state = start_state(inventory=Multiset({"copper_pickaxe": 1, "copper_dagger": 1}))
    assert EquipBest.for_activity(ctx, state, "mining").loadout == (("weapon", "copper_pickaxe"),)
    assert EquipBest.for_activity(ctx, state, "combat").loadout == (("weapon", "copper_dagger"),)
    # A worn pickaxe makes gathering faster, which the cost model sees.
    domain = build_domain(ctx.facts)
    worn = start_state(equipment=(("weapon", "copper_pickaxe"),))
    bare = plan(domain, start_state(), ObtainItem("copper_ore", 3, ctx=ctx))
    tooled = plan(domain, worn, ObtainItem("copper_ore", 3, ctx=ctx))
    assert tooled.total_cost == pytest.approx(10 + 3 * 30.5 * 0.9)
    assert tooled.total_cost < bare.total_cost


def test_level_crafting_skill_plans_the_whole_chain(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state()
    goal = LevelSkill.gain(ctx, state, "weaponcrafting", xp=50)
    result = plan(domain, state, goal)
    # One level-1 weapon pays 75 XP; the pickaxe needs no rare drop, so it is cheapest.
    assert result.action_names[-1] == "crafting(copper_pickaxe x1)"
    assert result.final_state.skill_xp["weaponcrafting"] == 75
    # The chain bound (ingredients still to make for the runs needed) keeps this small.
    assert goal.heuristic(state) <= result.total_cost
    assert result.nodes_expanded < 100
    # Three runs (225 XP) for 200 XP: still a few dozen expansions.
    longer = plan(domain, state, LevelSkill.gain(ctx, state, "weaponcrafting", xp=200))
    assert longer.final_state.inventory["copper_pickaxe"] == 3
    assert longer.final_state.skills["weaponcrafting"] == 2  # levelled up on the way
    assert longer.nodes_expanded < 300


def test_full_bag_is_emptied_at_the_bank_first(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(inventory_max=10, inventory=Multiset({"ash_wood": 9}))
    result = plan(domain, state, ObtainItem("copper_ore", 3, ctx=ctx))
    # Several orders tie (deposit before or after the first gather); all cost the same.
    assert "bank/deposit/item(ash_wood x9)" in result.action_names
    assert result.action_names.count("gathering(copper_rocks)") == 3
    assert result.total_cost == pytest.approx(25 + 3 + 15 + 3 * 30.5)
    assert result.final_state.bank == Multiset({"ash_wood": 9})
    assert result.final_state.inventory == Multiset({"copper_ore": 3})


def test_learned_costs_change_the_plan(ctx: GameContext) -> None:
    from guildmaster.planning.domains import PriorCosts

    class SlowMerchant(PriorCosts):
        """A learned model: this server's NPC trades turned out to be very slow."""

        def flat(self, kind: str) -> float:
            return 1_000.0 if kind == "npc_buy" else super().flat(kind)

    state = start_state(gold=50)
    prior = plan(build_domain(ctx.facts), state, ObtainItem("apple", 1, ctx=ctx))
    assert prior.action_names == ("move(overworld,3,0)", "npc/buy(merchant:apple x1)")
    learned_ctx = GameContext(ctx.facts, SlowMerchant(ctx.facts))
    learned = plan(build_domain(learned_ctx), state, ObtainItem("apple", 1, ctx=learned_ctx))
    assert learned.action_names == ("move(overworld,0,3)", "gathering(ash_tree->apple)")
    assert learned.total_cost == pytest.approx(15 + 20 * 30.5)


def test_equip_best_wears_a_ring_twice_only_when_two_are_owned(ctx: GameContext) -> None:
    one = start_state(inventory=Multiset({"copper_ring": 1}))
    two = start_state(inventory=Multiset({"copper_ring": 2}))
    assert EquipBest.for_activity(ctx, one, "combat").loadout == (("ring1", "copper_ring"),)
    assert EquipBest.for_activity(ctx, two, "combat").loadout == (
        ("ring1", "copper_ring"),
        ("ring2", "copper_ring"),
    )
    result = plan(build_domain(ctx), two, EquipBest.for_activity(ctx, two, "combat"))
    assert sorted(result.action_names) == ["equip(copper_ring@ring1)", "equip(copper_ring@ring2)"]


def test_unobtainable_items_are_infeasible_without_search(ctx: GameContext) -> None:
    domain = build_domain(ctx)
    # tasks_coin only comes from task rewards: nothing in ObtainItem's reach gives it.
    with pytest.raises(PlanNotFound) as info:
        plan(domain, start_state(), ObtainItem("tasks_coin", 1, ctx=ctx))
    assert info.value.reason == "infeasible" and info.value.nodes_expanded == 0
    assert not ObtainItem("tasks_coin", 1, ctx=ctx).is_feasible(start_state())
    # Iron needs mining 10: levelling is a goal of its own, so this plan is infeasible...
    with pytest.raises(PlanNotFound) as gated:
        plan(domain, start_state(), ObtainItem("iron_ore", 1, ctx=ctx))
    assert gated.value.reason == "infeasible"
    # ...until the skill is there.
    skilled = start_state(skills=start_state().skills.add("mining", 9))
    assert plan(domain, skilled, ObtainItem("iron_ore", 1, ctx=ctx)).action_names[-1] == (
        "gathering(iron_rocks)"
    )
    assert ObtainItem("tasks_coin", 1, ctx=ctx).is_feasible(
        start_state(bank=Multiset({"tasks_coin": 1}))
    )


def test_places_on_an_unconnected_layer_are_dead_ends() -> None:
    from guildmaster.planning.domains import SimpleDrop, SimpleItem, SimpleResource, StaticFacts

    facts = StaticFacts.build(
        items=[SimpleItem("gold_ore")],
        resources=[SimpleResource("gold_rocks", "mining", 1, (SimpleDrop("gold_ore"),))],
        tiles={("underground", 3, 3): ("resource", "gold_rocks")},
    )
    isolated = GameContext(facts)
    goal = ObtainItem("gold_ore", 1, ctx=isolated)
    with pytest.raises(PlanNotFound) as info:
        plan(build_domain(isolated), start_state(), goal)
    assert info.value.reason == "infeasible"
    linked = GameContext(
        StaticFacts.build(
            items=facts.items(),
            resources=facts.resources(),
            tiles=facts.tiles,
            layer_change_seconds=30,
        )
    )
    result = plan(build_domain(linked), start_state(), ObtainItem("gold_ore", 1, ctx=linked))
    assert result.action_names == ("move(underground,3,3)", "gathering(gold_rocks)")
    assert result.total_cost == pytest.approx(30 + 30 + 30.5)


def test_production_bound_respects_gold_for_purchases(ctx: GameContext) -> None:
    from guildmaster.planning.domains import production_seconds, remaining_demand

    assert production_seconds(ctx, start_state(gold=5), "apple", 1) == 3
    # Broke: the apple must come from the tree (1 in 20 gathers of 30.5 s).
    assert production_seconds(ctx, start_state(gold=0), "apple", 1) == pytest.approx(610)
    # Two apples, gold for one: one purchase plus half the cost of gathering two.
    assert production_seconds(ctx, start_state(gold=5), "apple", 2) == pytest.approx(3 + 610)
    assert remaining_demand(ctx, start_state(), "copper_dagger", 1) == {
        "copper_dagger": 1,
        "copper_bar": 2,
        "feather": 1,
        "copper_ore": 6,
    }
    held = start_state(inventory=Multiset({"copper_bar": 1, "copper_ore": 2}))
    assert remaining_demand(ctx, held, "copper_dagger", 1) == {
        "copper_dagger": 1,
        "copper_bar": 1,
        "feather": 1,
        "copper_ore": 1,
    }


def test_equip_best_against_a_monster_uses_the_fight_model() -> None:
    import dataclasses
    import math

    from guildmaster.planning.domains import FightEstimate, MonsterInfo

    base = build_facts()

    def geared(state: GameState, monster: MonsterInfo) -> FightEstimate:
        attack = sum(
            e.value
            for _, code in state.equipment
            for e in base.items_by_code[code].effects
            if e.code.startswith("attack_")
        )
        turns = float(math.ceil(monster.hp / (15 + 10 * attack)))
        lost = turns * (2 * monster.level + 2)
        return FightEstimate(1.0 if lost < state.hp else 0.0, lost, turns)

    facts = dataclasses.replace(base, fight_model=geared)
    gear_ctx = GameContext(facts)
    state = start_state(
        equipment=(("weapon", "wooden_stick"),),
        inventory=Multiset({"copper_ring": 2}),
        bank=Multiset({"copper_dagger": 1}),
        location=ow(3, 3),
    )
    fight = Fight("wolf", ctx=gear_ctx)
    request = fight.check(state)
    assert request is not None and request.kind == "monster_too_strong"
    domain = build_domain(gear_ctx)
    goal = domain.goals.goal_for(request, state)
    assert isinstance(goal, EquipBest)
    # Dagger (4 turns) then one ring (3 turns); a second ring would not cut a turn, so it
    # is not worth an equip.
    assert goal.loadout == (("ring1", "copper_ring"), ("weapon", "copper_dagger"))
    result = plan(domain, state, goal)
    # Back at the wolf with the new gear, the fight is winnable.
    assert fight.check(result.final_state.moved_to(ow(3, 3))) is None
    assert result.final_state.bank["copper_dagger"] == 0
