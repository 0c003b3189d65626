"""Game actions one by one: preconditions as sub-goal requests, effects, costs, payloads."""

from __future__ import annotations

import pytest
from planning_world import (
    BANK,
    GRAND_EXCHANGE,
    ITEMS_MASTER,
    MERCHANT,
    TASKS_MASTER,
    WEAPON_WORKSHOP,
    build_facts,
    ow,
    start_state,
)

from guildmaster.planning import Multiset, SubGoalRequest, plan
from guildmaster.planning.domains import (
    CompleteTask,
    Deposit,
    DepositGold,
    GameContext,
    GeBuy,
    GeSellOrder,
    Move,
    NpcSell,
    ObtainGold,
    Recycle,
    TaskCancel,
    TaskComplete,
    TaskExchange,
    TaskNew,
    TaskState,
    TaskTrade,
    Unequip,
    Use,
    Withdraw,
    WithdrawGold,
    build_domain,
    combat_xp,
    fight_seconds,
    gain_xp,
    gathering_seconds,
    total_xp,
)


@pytest.fixture
def ctx() -> GameContext:
    return GameContext(build_facts())


def test_move(ctx: GameContext) -> None:
    move = Move(BANK, ctx=ctx)
    assert move.check(start_state()) is None
    assert move.cost(start_state()) == 25
    assert move.apply(start_state()).location == BANK
    assert move.check(start_state(location=BANK)) is not None
    assert Move(("underground", 0, 0), ctx=ctx).check(start_state()) is not None


def test_bank_items_and_gold(ctx: GameContext) -> None:
    at_bank = start_state(location=BANK, bank=Multiset({"ash_wood": 5}), gold=30, bank_gold=70)
    withdraw = Withdraw("ash_wood", 5, ctx=ctx)
    away = withdraw.check(start_state())
    assert away is not None and away.kind == "not_at_location"
    assert away.param("location") == BANK
    after = withdraw.apply(at_bank)
    assert after.inventory["ash_wood"] == 5 and after.bank["ash_wood"] == 0
    assert Withdraw("ash_wood", 6, ctx=ctx).check(at_bank) is not None
    tight = at_bank.with_(inventory_max=4)
    assert withdraw.check(tight) == SubGoalRequest.inventory_full(5)
    deposit = Deposit((("ash_wood", 5),), ctx=ctx)
    assert deposit.check(at_bank) == SubGoalRequest.item_missing("ash_wood", 5)
    assert deposit.apply(after) == at_bank
    assert Deposit((("a", 1), ("b", 1)), ctx=ctx).cost(at_bank) == 6
    gold_in = DepositGold(30, ctx=ctx)
    assert gold_in.apply(at_bank).bank_gold == 100 and gold_in.apply(at_bank).gold == 0
    assert DepositGold(31, ctx=ctx).check(at_bank) == SubGoalRequest.gold_missing(31)
    assert WithdrawGold(70, ctx=ctx).apply(at_bank).gold == 100
    assert WithdrawGold(71, ctx=ctx).check(at_bank) is not None


def test_a_full_bank_takes_no_new_item_code(ctx: GameContext) -> None:
    at_bank = start_state(
        location=BANK, inventory=Multiset({"ash_wood": 5, "apple": 2}), bank_room=1
    ).with_(bank=Multiset({"ash_wood": 3}))
    both = Deposit((("ash_wood", 5), ("apple", 2)), ctx=ctx)
    assert both.check(at_bank) is None
    after = both.apply(at_bank)
    assert after.bank_room == 0 and after.bank == Multiset({"ash_wood": 8, "apple": 2})
    # No free slot: a stack the bank holds still grows, a new code is refused (462).
    full = at_bank.with_(bank_room=0)
    assert Deposit((("ash_wood", 5),), ctx=ctx).check(full) is None
    refused = Deposit((("apple", 2),), ctx=ctx).check(full)
    assert refused is not None and refused.kind == "precondition"
    # Emptying a stack frees its slot; an unknown room never refuses.
    assert Withdraw("ash_wood", 3, ctx=ctx).apply(full).bank_room == 1
    assert Withdraw("ash_wood", 2, ctx=ctx).apply(full).bank_room == 0
    assert Deposit((("apple", 2),), ctx=ctx).check(full.with_(bank_room=None)) is None


def test_obtain_gold_from_the_bank(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    result = plan(domain, start_state(bank_gold=40), ObtainGold(25, ctx=ctx))
    assert result.action_names == ("move(overworld,4,1)", "bank/withdraw/gold(40)")


def test_npc_sell_and_use(ctx: GameContext) -> None:
    at = start_state(location=MERCHANT, inventory=Multiset({"apple": 3}), hp=100)
    sell = NpcSell("merchant", "apple", 2, ctx=ctx)
    assert sell.check(at) is None
    sold = sell.apply(at)
    assert sold.gold == 2 and sold.inventory["apple"] == 1
    assert NpcSell("merchant", "copper_ore", 1, ctx=ctx).check(at) is not None
    use = Use("apple", 1, ctx=ctx)
    assert use.apply(at).hp == 120  # healing is capped at max HP
    assert use.check(at.with_(hp=120)) is not None
    assert Use("copper_ore", 1, ctx=ctx).check(at) is not None
    assert use.cost(at) == 3


def test_grand_exchange(ctx: GameContext) -> None:
    at = start_state(location=GRAND_EXCHANGE, inventory=Multiset({"ash_wood": 4}), gold=50)
    sell = GeSellOrder("ash_wood", 4, 10, ctx=ctx)
    assert sell.check(at) is None
    assert sell.apply(at).inventory["ash_wood"] == 0 and sell.apply(at).gold == 50
    assert GeSellOrder("tasks_coin", 1, 10, ctx=ctx).check(at) is not None
    buy = GeBuy("order-1", "feather", 5, 10, ctx=ctx)
    assert buy.check(at) is None  # exactly enough gold
    bought = buy.apply(at)
    assert bought.gold == 0 and bought.inventory["feather"] == 5
    assert GeBuy("o", "feather", 6, 10, ctx=ctx).check(at) == SubGoalRequest.gold_missing(60)


def test_task_lifecycle_actions(ctx: GameContext) -> None:
    master = start_state(location=ITEMS_MASTER)
    new = TaskNew("items", ctx=ctx)
    assert new.check(master) is None
    assert new.apply(master).task is not None
    task = TaskState("copper_bar", "items", 0, 2)
    holding = master.with_(task=task, inventory=Multiset({"copper_bar": 2, "tasks_coin": 7}))
    assert new.check(holding) is not None
    trade = TaskTrade("copper_bar", 2, ctx=ctx)
    traded = trade.apply(holding)
    assert traded.task == TaskState("copper_bar", "items", 2, 2)
    assert TaskTrade("copper_bar", 3, ctx=ctx).check(holding) is not None
    complete = TaskComplete(ctx=ctx)
    assert complete.check(holding) is not None  # not finished yet
    assert complete.check(traded) is None and complete.apply(traded).task is None
    cancel = TaskCancel(ctx=ctx)
    assert cancel.apply(holding).inventory["tasks_coin"] == 6
    exchange = TaskExchange("items", ctx=ctx)
    assert exchange.apply(holding).inventory["tasks_coin"] == 1
    assert exchange.check(master) == SubGoalRequest.item_missing("tasks_coin", 6)
    monsters_task = master.with_(task=TaskState("chicken", "monsters", 0, 5))
    where = complete.check(monsters_task)
    assert where is not None and where.param("location") == TASKS_MASTER


def test_items_task_plan_crafts_then_trades(ctx: GameContext) -> None:
    domain = build_domain(ctx.facts)
    state = start_state(task=TaskState("copper_bar", "items", 0, 1))
    result = plan(domain, state, CompleteTask.current(ctx, state))
    names = result.action_names
    assert names[-3:] == (
        "move(overworld,-1,2)",
        "task/trade(copper_bar x1)",
        "task/complete()",
    )
    assert result.final_state.task is None


def test_unequip_and_recycle(ctx: GameContext) -> None:
    worn = start_state(equipment=(("weapon", "copper_dagger"),))
    unequip = Unequip("weapon", ctx=ctx)
    bare = unequip.apply(worn)
    assert bare.equipped("weapon") is None and bare.inventory["copper_dagger"] == 1
    assert unequip.check(bare) is not None
    assert unequip.check(worn.with_(inventory_max=0)) == SubGoalRequest.inventory_full(1)
    recycle = Recycle("copper_dagger", 1, ctx=ctx)
    at_workshop = bare.moved_to(WEAPON_WORKSHOP)
    assert recycle.check(at_workshop) is None
    # 3 recipe units -> 1 unit back, the most common ingredient.
    assert recycle.apply(at_workshop).inventory == Multiset({"copper_bar": 1})
    assert Recycle("copper_bar", 1, ctx=ctx).check(at_workshop) is not None
    assert recycle.cost(at_workshop) == 3
    assert recycle.check(bare.moved_to(ow(9, 9))) is not None


def test_unequipping_an_hp_bonus_the_character_lives_on_asks_for_hp(ctx: GameContext) -> None:
    worn = start_state(equipment=(("helmet", "iron_helmet"),)).with_(max_hp=140, hp=20)
    unequip = Unequip("helmet", ctx=ctx)
    # The server refuses (483) when removing the bonus would leave 0 HP: heal first.
    assert unequip.check(worn) == SubGoalRequest.hp_too_low(21, reason="unequip iron_helmet")
    assert unequip.check(worn.with_(hp=21)) is None
    bare = unequip.apply(worn.with_(hp=21))
    assert bare.max_hp == 120 and bare.hp == 1


def test_rules() -> None:
    assert gain_xp(1, 0, 150 + 250 + 10) == (3, 10)
    assert gain_xp(49, 0, 10**6) == (50, 0)
    assert total_xp(3, 10) == 410
    assert combat_xp(15, 15, 1000, monster_type="boss") == 120
    assert fight_seconds(29, haste=10) == pytest.approx(52.2)
    assert gathering_seconds(1) == 30.5
