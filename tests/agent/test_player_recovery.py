"""The player recovers cleanly from refusals: a full bag on task rewards (497), ended events."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from test_player_support import AdviseOnce, Session, generated_world, session

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.events import EventWatch, ended_event, event_ends, usable_events
from guildmaster.agent.staging import UNKNOWN_REWARD_ROOM, BankSurplus, room_needed
from guildmaster.api.errors import ContentNotOnMap
from guildmaster.clock import VirtualClock
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.model import ActiveEvent, Content, Tile
from guildmaster.planning.domains import CompleteTask, Fight, LevelCombat
from guildmaster.planning.domains.state import GameState, TaskState
from guildmaster.planning.domains.trade import TaskComplete, TaskExchange
from guildmaster.planning.state import Multiset


def test_task_rewards_into_a_nearly_full_bag_make_room_then_complete() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[CharacterAgent, str, int, int]:
        async with session(generated_world(7), clock) as s:
            tasks = [
                t
                for t in s.gamedata.tasks.values()
                if t.type == "monsters" and sum(i.quantity for i in t.reward_items) >= 3
            ]
            task = sorted(tasks, key=lambda t: t.code)[0]
            server = s.game.character(s.name)
            server.task, server.task_type = task.code, task.type
            server.task_progress = server.task_total = 1
            materials = sorted(
                code for code, item in s.gamedata.items.items() if item.type == "resource"
            )[:5]
            # Two units free and free slots: the state sees no obstacle, the rewards do not fit.
            # (As after a long fight; the pre-goal banking is off so the bag stays this full.)
            room = server.inventory_max_items - 2
            for i, code in enumerate(materials):
                server.add_item(code, room // len(materials) + (1 if i < room % 5 else 0))
            config = AgentConfig(min_free_slots=0, min_free_space=0)
            agent = CharacterAgent(
                s.name, client=s.client, gamedata=s.gamedata, clock=clock, config=config
            )
            agent.advisor = AdviseOnce(lambda st: CompleteTask.current(agent.world.ctx, st))
            await agent.step()
            completes = sum(1 for r in agent.history if r.action.startswith("task/complete"))
            return agent, server.task, completes, agent.status()["errors"]

    agent, task, completes, errors = clock.run(scenario())
    assert task == ""  # the rewards fit after banking, and the task was handed in
    assert completes <= 3
    assert errors == 0
    assert any(r.action.startswith("bank/deposit") for r in agent.history)


def _state(*, free: int, task: str | None = "t1") -> GameState:
    return GameState(
        location=("overworld", 0, 0),
        hp=100,
        max_hp=100,
        inventory=Multiset({"ore": 100 - free}),
        inventory_max=100,
        task=TaskState(task, "monsters", 5, 5) if task else None,
    )


def test_room_needed_asks_for_more_than_the_bag_already_has() -> None:
    gamedata = GameData.from_snapshot(generated_world(7))
    ctx = PlayerWorld.build(gamedata, scoring_samples=4).ctx
    task = sorted(gamedata.tasks.values(), key=lambda t: t.code)[0]
    reward = max(1, sum(i.quantity for i in task.reward_items))
    state = _state(free=4, task=task.code)
    complete = TaskComplete(ctx=ctx)
    assert room_needed(complete, state, gamedata) == min(100, 4 + reward)
    unknown = _state(free=4, task="no_such_task")
    assert room_needed(complete, unknown, gamedata) == 4 + UNKNOWN_REWARD_ROOM
    exchange = TaskExchange(ctx=ctx)
    assert room_needed(exchange, _state(free=95), gamedata) == 100  # capped by the bag


def _event(tile: Tile, code: str, ends: datetime | None) -> ActiveEvent:
    """A fake event putting monster ``code`` on ``tile`` until ``ends``."""
    shown = replace(tile, content=Content(type="monster", code=code))
    expiration = "" if ends is None else ends.isoformat().replace("+00:00", "Z")
    return ActiveEvent(
        code=f"ev_{code}", name="test", tile=shown, expiration=expiration, previous=tile
    )


async def _event_on_own_tile(s: Session, monster: str, lasts: timedelta) -> CharacterAgent:
    """An agent that believes an event put ``monster`` on its own tile for ``lasts`` more
    (the server has no such event)."""
    agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=s.clock)
    await agent.sense()
    spawn = s.gamedata.maps[agent.state.location]
    agent.events.running = (_event(spawn, monster, s.clock.now() + lasts),)
    agent.events.read_at = s.clock.game_seconds()
    agent._sync_events(agent.state)
    return agent


def test_usable_events_drop_those_ending_before_arrival() -> None:
    gamedata = GameData.from_snapshot(generated_world(7))
    tile = gamedata.maps[("overworld", 0, 0)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    soon = _event(tile, "a", start + timedelta(seconds=30))
    late = _event(tile, "b", start + timedelta(hours=2))
    unknown = _event(tile, "c", None)
    arrive = start + timedelta(seconds=90)
    kept = usable_events([soon, late, unknown], lambda e: arrive)
    assert [e.code for e in kept] == ["ev_b", "ev_c"]
    assert event_ends(late) == start + timedelta(hours=2)
    # Unreachable (no arrival time): kept, nothing to plan there anyway.
    assert [e.code for e in usable_events([soon], lambda e: None)] == ["ev_a"]


def test_the_event_watch_keeps_what_it_can_reach_and_finds_ended_events() -> None:
    clock = VirtualClock()
    tile = GameData.from_snapshot(generated_world(7)).maps[("overworld", 0, 0)]
    soon = _event(tile, "a", clock.now() + timedelta(seconds=30))
    late = _event(tile, "b", clock.now() + timedelta(hours=2))
    watch = EventWatch((soon, late), clock=clock, every=600.0, margin=20.0)
    assert watch.keep_reachable(lambda e: 5.0) == (soon, late)  # there at 25 s
    assert watch.keep_reachable(lambda e: 15.0) == (late,)  # at 35 s: too late for a
    assert watch.keep_reachable(lambda e: 15.0) == (late,)  # and it stays dropped
    assert ended_event((soon, late), tile.key, clock.now()) is None
    assert ended_event((soon, late), tile.key, clock.now() + timedelta(seconds=30)) is soon
    assert ended_event((soon,), ("overworld", 9, 9), clock.now() + timedelta(hours=3)) is None


def test_an_event_ending_before_the_character_arrives_is_not_in_its_world() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[set[str], set[str], Any, Any]:
        async with session(generated_world(7), clock) as s:
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=clock)
            await agent.sense()
            here = agent.state.location
            trips = {
                k: agent.world.facts.travel_seconds(here, k)
                for k in s.gamedata.maps
                if k[0] == "overworld"
            }
            far = s.gamedata.maps[max((t, k) for k, t in trips.items() if t is not None)[1]]
            near = s.gamedata.maps[("overworld", 0, 0)]
            now = clock.now()
            agent.events.running = (
                _event(far, "traenorybow", now + timedelta(seconds=20)),  # gone on arrival
                _event(near, "favraithite", now + timedelta(hours=1)),
            )
            agent._sync_events(agent.state)
            shown = {e.code for e in agent.world.gamedata.active_events}
            await clock.sleep(7200)
            agent._sync_events(agent.state)
            after = {e.code for e in agent.world.gamedata.active_events}
            return shown, after, agent.world.gamedata.maps[near.key], near

    shown, after, tile, near = clock.run(scenario())
    assert shown == {"ev_favraithite"}
    assert after == set()
    assert tile == near  # the tile's normal content is back


def test_content_gone_from_its_tile_598_is_put_aside_not_counted_as_an_error() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[CharacterAgent, int, set[str], list[str], set[str]]:
        async with session(generated_world(7), clock) as s:
            # The player believes an event put the monster it levels on (generated:7) on its
            # own tile; the server has no such event: fighting there is refused with 598.
            agent = await _event_on_own_tile(s, "riathath", timedelta(hours=1))
            ctx = agent.world.ctx
            advisor = AdviseOnce(lambda st: LevelCombat.gain(ctx, st, xp=5))
            agent.advisor = advisor
            await agent.step()
            refused = agent.status()["errors"]
            tried = advisor.failures
            put_aside = set(agent._status.failed)
            agent._status.failed.clear()
            await agent.step()  # reads the events again: the fake one is gone
            events = {e.code for e in agent.world.gamedata.active_events}
            return agent, refused, events, tried, put_aside

    agent, refused, events, tried, put_aside = clock.run(scenario())
    assert len(tried) == 1 and tried[0].startswith("ContentNotOnMap")  # the fight: 598
    assert put_aside == {"advice:level_combat(total_xp>=5)"}
    assert refused == 0
    assert agent.status()["errors"] == 0
    assert events == set()


def test_an_event_over_before_the_action_starts_is_not_asked_of_the_server() -> None:
    """During a long goal the world still shows an event that has ended: acting on its tile
    is refused locally (as the server's 598 would be), without a request."""
    clock = VirtualClock()

    async def scenario() -> tuple[int, str]:
        async with session(generated_world(7), clock) as s:
            # Still running on arrival: in the world.
            agent = await _event_on_own_tile(s, "riathath", timedelta(seconds=100))
            assert {e.code for e in agent.world.gamedata.active_events} == {"ev_riathath"}
            await clock.sleep_game(120)
            before = s.client.stats.requests
            fight = Fight("riathath", ctx=agent.world.ctx)
            with pytest.raises(ContentNotOnMap) as refused:
                await agent._act(fight, agent.state)
            return s.client.stats.requests - before, str(refused.value)

    requests, message = clock.run(scenario())
    assert requests == 0
    assert "ev_riathath ends before fight(riathath)" in message


def test_a_full_bank_is_not_asked_to_take_a_new_item() -> None:
    """Every bank slot holds a stack: banking the bag deposits what stacks on them and keeps
    the rest, instead of a 462 (bank full) on every try."""
    clock = VirtualClock()

    async def scenario() -> tuple[int | None, int, dict[str, int], int]:
        async with session(generated_world(7), clock) as s:
            hero = s.game.state.characters[s.name]
            bank = s.game.state.banks[hero.account]
            codes = sorted(c for c, i in s.game.world.items.items() if i.get("type") == "resource")
            stacked, new = codes[0], codes[bank.slots]
            bank.items.update({code: 1 for code in codes[: bank.slots]})
            hero.add_item(stacked, 2)
            hero.add_item(new, 3)
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=s.clock)
            await agent.sense()
            room = agent.state.bank_room
            agent.advisor = AdviseOnce(lambda st: BankSurplus(frozenset(), ctx=agent.world.ctx))
            await agent.step()
            held = {c: q for c, q in hero.inventory if c}
            return room, agent.status()["errors"], held, bank.items[stacked]

    room, errors, held, banked = clock.run(scenario())
    assert room == 0
    assert errors == 0
    assert banked == 3  # the stacked code went in
    assert list(held.values()) == [3]  # the new one stayed in the bag


def test_a_decision_with_nothing_to_do_is_set_aside_so_the_next_one_differs() -> None:
    # A goal already reached (here: bank the bag, with an empty bag) acts on nothing; chosen
    # again at once it would come back forever while no game time passes (a stall).
    clock = VirtualClock()

    async def scenario() -> tuple[list[str], int]:
        async with session(generated_world(7), clock) as s:
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=clock)
            advisor = AdviseOnce(lambda st: BankSurplus(frozenset(), ctx=agent.world.ctx))
            agent.advisor = advisor
            await agent.step()
            return advisor.failures, len(agent.history)

    failures, actions = clock.run(scenario())
    assert actions == 0
    assert failures == ["nothing to do: every stage is satisfied"]


def test_with_every_goal_set_aside_the_agent_waits_for_the_first_to_come_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A full bag and a full bank can set every goal aside (seen after 5 game-days): each
    # decision then finds none. Waiting 5 s at a time repeated the whole decision tens of
    # thousands of times; the agent now waits until the first goal may be tried again.
    clock = VirtualClock()

    async def scenario() -> list[float]:
        async with session(generated_world(7), clock) as s:
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=clock)
            monkeypatch.setattr(agent, "decide", lambda state: None)
            waited = []
            for back in (300.0, 1.0, 5000.0):
                agent._status.failed = {"level:mining": clock.game_seconds() + back}
                start = clock.game_seconds()
                await agent.step()
                waited.append(clock.game_seconds() - start)
            return waited

    config = AgentConfig()
    waited = clock.run(scenario())
    # until the goal comes back; never less than the error pause, never more than a failure's
    assert waited == pytest.approx(
        [300.0, config.error_pause_seconds, config.failed_goal_seconds], abs=0.5
    )
