"""Property tests: conservation of gold and items, HP bounds, cooldown enforcement.

Random sequences of actions (many of them invalid) run on the fixture world. Every failing
action must leave the state untouched; every successful one must conserve gold and items over
characters + banks + GE escrow + pending items (listing fees are the only sink).
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from server_fixtures import world_data
from test_actions_helpers import act, add_character, fingerprint, place, total_gold, total_items

from guildmaster.clock import VirtualClock
from guildmaster.server.actions import (
    bank,
    combat,
    equipment,
    grandexchange,
    items,
    movement,
    rest,
    skills,
)
from guildmaster.server.errors import GameError
from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import parse_world

BANK, GE = (0, 1), (0, 2)
CODES = ("feather", "copper_ore", "raw_chicken")
NAMES = ("alice", "bob", "carol")


def _fresh_game(seed: int) -> GameServer:
    game = GameServer(
        world=parse_world(world_data()), clock=VirtualClock(), rng=random.Random(seed)
    )
    add_character(game, "alice", gold=500, items={"feather": 20, "copper_ore": 15}, level=5)
    add_character(game, "bob", gold=300, items={"raw_chicken": 10}, level=5)
    add_character(game, "carol", account="tester2", gold=400, items={"feather": 5}, level=5)
    return game


Op = tuple[str, int, int, int, int]

ops = st.tuples(
    st.sampled_from(
        [
            "deposit",
            "withdraw",
            "deposit_gold",
            "withdraw_gold",
            "give_gold",
            "give_item",
            "sell_order",
            "buy_order",
            "buy",
            "fill",
            "cancel",
            "claim",
        ]
    ),
    st.integers(0, 2),  # actor
    st.integers(0, 2),  # item code / other character
    st.integers(-2, 30),  # quantity (invalid ones included)
    st.integers(0, 5),  # order / pending index
)


def _service(game: GameServer, op: Op) -> tuple[Character, Callable[[], ActionResult]]:
    kind, actor, other, quantity, index = op
    char = game.state.characters[NAMES[actor]]
    code = CODES[other]
    wanted = {"buy": "sell", "fill": "buy"}.get(kind)
    orders = sorted(i for i, o in game.state.ge_orders.items() if wanted in (None, o.type))
    order = orders[index % len(orders)] if orders else "missing"
    if wanted is not None and quantity > 0:
        quantity = 1 + quantity % 4
    pending = sorted(game.state.pending_items)
    claim = pending[index % len(pending)] if pending else "missing"
    place(
        game, char, BANK if kind in {"deposit", "withdraw", "deposit_gold", "withdraw_gold"} else GE
    )
    target = game.state.characters[NAMES[other]]
    if kind.startswith("give"):
        place(game, target, GE)
    calls: dict[str, Callable[[], ActionResult]] = {
        "deposit": lambda: bank.deposit_items(game, char, [(code, quantity)]),
        "withdraw": lambda: bank.withdraw_items(game, char, [(code, quantity)]),
        "deposit_gold": lambda: bank.deposit_gold(game, char, quantity * 10),
        "withdraw_gold": lambda: bank.withdraw_gold(game, char, quantity * 10),
        "give_gold": lambda: items.give_gold(game, char, quantity * 7, target.name),
        "give_item": lambda: items.give_items(game, char, [(code, quantity)], target.name),
        "sell_order": lambda: grandexchange.create_sell_order(game, char, code, quantity, 3),
        "buy_order": lambda: grandexchange.create_buy_order(game, char, code, quantity, 2),
        "buy": lambda: grandexchange.buy_from_order(game, char, order, quantity),
        "fill": lambda: grandexchange.fill_buy_order(game, char, order, quantity),
        "cancel": lambda: grandexchange.cancel_order(game, char, order),
        "claim": lambda: items.claim_item(game, char, claim),
    }
    return char, calls[kind]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 1000), sequence=st.lists(ops, min_size=1, max_size=40))
def test_gold_and_items_are_conserved(seed: int, sequence: list[Op]) -> None:
    game = _fresh_game(seed)
    gold, stock = total_gold(game), total_items(game)
    fees = 0
    for op in sequence:
        char, call = _service(game, op)
        if op[3] < 1:
            continue  # the HTTP layer rejects these with 422 before any service runs
        before = fingerprint(game)
        try:
            result = call()
        except GameError:
            assert fingerprint(game) == before, op
            continue
        assert char.gold >= 0
        if result.reason == "sell_ge":
            fees += int(result.content["fee"])
        assert total_gold(game) == gold - fees, op
        assert total_items(game) == stock, op


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 1000),
    sequence=st.lists(
        st.sampled_from(["fight", "fight_bat", "rest", "eat", "equip", "unequip", "move"]),
        min_size=1,
        max_size=25,
    ),
)
def test_hp_stays_within_bounds(seed: int, sequence: list[str]) -> None:
    game = _fresh_game(seed)
    game.world.monsters["chicken"]["attack_water"] = 30  # make deaths happen
    hero = game.state.characters["alice"]
    hero.add_item("cooked_chicken", 5)
    hero.add_item("copper_helmet", 1)
    for step in sequence:
        calls: dict[str, Callable[[], ActionResult]] = {
            "fight": lambda: combat.fight(game, hero),
            "fight_bat": lambda: combat.fight(game, hero),
            "rest": lambda: rest.rest(game, hero),
            "eat": lambda: items.use_item(game, hero, "cooked_chicken", 1),
            "equip": lambda: equipment.equip(
                game, hero, [{"code": "copper_helmet", "slot": "helmet", "quantity": 1}]
            ),
            "unequip": lambda: equipment.unequip(game, hero, [{"slot": "helmet", "quantity": 1}]),
            "move": lambda: movement.move(game, hero, {"x": 2, "y": 0}),
        }
        if step == "fight":
            place(game, hero, (1, 0))
        elif step == "fight_bat":
            place(game, hero, (3, 1), layer="underground")
        elif step == "move":
            place(game, hero, (0, 0))
        with contextlib.suppress(GameError):
            calls[step]()
        assert 0 <= hero.hp <= hero.max_hp, step
        assert hero.max_hp == 120 + 5 * (hero.level - 1) + (10 if hero.equipment["helmet"] else 0)


@settings(max_examples=40, deadline=None)
@given(
    first=st.sampled_from(["rest", "gather", "craft", "move"]),
    wait_fraction=st.floats(0.0, 0.999),
)
def test_no_action_before_the_cooldown_expires(first: str, wait_fraction: float) -> None:
    game = _fresh_game(0)
    clock = game.clock
    assert isinstance(clock, VirtualClock)
    hero = game.state.characters["alice"]
    hero.hp = 50
    services: dict[str, Callable[[Character], ActionResult]] = {
        "rest": lambda c: rest.rest(game, c),
        "gather": lambda c: skills.gather(game, c),
        "craft": lambda c: skills.craft(game, c, "copper_bar", 1),
        "move": lambda c: movement.move(game, c, {"x": 3, "y": 2}),
    }
    place(game, hero, {"gather": (2, 0), "craft": (1, 1)}.get(first, (0, 0)))
    data = act(game, hero, services[first])
    seconds = data["cooldown"]["total_seconds"]
    clock.advance(seconds * wait_fraction)
    before = fingerprint(game)
    try:
        act(game, hero, lambda c: rest.rest(game, c))
    except GameError as exc:
        assert exc.code == 499
    else:
        raise AssertionError("an action ran before the cooldown expired")
    assert fingerprint(game) == before
    clock.advance(seconds * (1 - wait_fraction) + 1e-3)
    act(game, hero, lambda c: rest.rest(game, c))
