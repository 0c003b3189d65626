"""The character agent against the local server (ASGITransport, VirtualClock, generated:7)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest
from test_player_support import Session, generated_world, play_for, session

from guildmaster.agent.advisor import Advice
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.metrics import RunMetrics
from guildmaster.clock import VirtualClock
from guildmaster.planning.domains import LevelCombat, ObtainItem
from guildmaster.planning.domains.state import GameState
from guildmaster.planning.goal import Goal


class _Advisor:
    """Imposes one goal (once) and records every report."""

    def __init__(self, make: Any) -> None:
        self.make = make
        self.given = False
        self.events: list[tuple[str, Mapping[str, Any]]] = []

    def advise(self, name: str, state: GameState) -> Advice | None:
        if self.given:
            return None
        self.given = True
        goal: Goal[GameState] = self.make(state)
        return Advice(goal=goal, note="test")

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        self.events.append((event, data))


def _agent(s: Session, advisor: _Advisor | None = None, **kw: Any) -> CharacterAgent:
    return CharacterAgent(
        s.name, client=s.client, gamedata=s.gamedata, clock=s.clock, advisor=advisor, **kw
    )


def test_subgoal_chain_move_then_fight_needs_hp_then_rest() -> None:
    clock = VirtualClock()

    async def scenario() -> CharacterAgent:
        async with session(generated_world(7), clock) as s:
            agent = _agent(s)
            ctx = agent.world.ctx
            agent.advisor = _Advisor(lambda st: LevelCombat.gain(ctx, st, xp=1))
            await agent.sense()  # believes it has full HP...
            server = s.game.character(s.name)
            server.hp = 5  # ...but is hurt: the fight's check must ask for HP on the way
            await agent.step()
            return agent

    agent = clock.run(scenario())
    steps = [(r.depth, r.action.split("(")[0], r.outcome) for r in agent.history]
    assert steps[0] == (0, "move", "ok")
    blocked = steps.index((0, "fight", "subgoal:hp_too_low"))
    rest = next(i for i, s in enumerate(steps) if s[1] == "rest")
    assert blocked < rest
    assert steps[rest][0] == 1  # resting is the sub-goal's plan
    assert steps[-1][1:] == ("fight", "ok")
    assert agent.status()["xp"] > 0
    events = [e for e, _ in agent.advisor.events]  # type: ignore[union-attr]
    assert events[0] == "goal" and "goal_reached" in events


def test_death_is_survived_and_play_continues() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[CharacterAgent, int]:
        async with session(generated_world(7), clock) as s:
            agent = _agent(s)
            await agent.sense()
            rate = agent.selector.rater.combat_rate(agent.state)
            assert rate is not None
            tile = agent.world.facts.locations("monster", rate.via)[0]
            server = s.game.character(s.name)
            server.layer, server.x, server.y = tile
            await agent.sense()  # at the monster, full HP
            server.hp = 1  # the next fight is lost
            stop = asyncio.Event()

            async def stopper() -> None:
                await clock.sleep(1800)
                stop.set()

            timer = asyncio.create_task(stopper())
            advisor = _Advisor(lambda st: LevelCombat.gain(agent.world.ctx, st, xp=1))
            agent.advisor = advisor
            await agent.step()
            await agent.run(stop)
            await timer
            return agent, server.deaths

    agent, deaths = clock.run(scenario())
    assert deaths == 1 and agent.status()["deaths"] == 1
    status = agent.status()
    assert status["hp"] > 0 and status["xp"] > 0  # it came back and won fights
    assert any(r.action.startswith("fight") and r.outcome == "ok" for r in agent.history)


def test_full_inventory_is_banked_and_play_continues() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[CharacterAgent, dict[str, int], dict[str, int]]:
        async with session(generated_world(7), clock) as s:
            server = s.game.character(s.name)
            materials = sorted(
                code for code, item in s.gamedata.items.items() if item.type == "resource"
            )[:20]
            per_stack = server.inventory_max_items // len(materials)
            for code in materials:
                server.add_item(code, per_stack)
            metrics = RunMetrics()
            agent = await play_for(s, 1200, metrics=metrics)
            bank = {i.code: i.quantity for i in await s.client.my_bank_items()}
            held = dict(server.inventory_items())
            return agent, bank, held

    agent, bank, held = clock.run(scenario())
    assert sum(bank.values()) > 0
    assert sum(held.values()) < 100 and len(held) < 20
    assert agent.status()["errors"] == 0
    assert any(r.action.startswith("bank/deposit") for r in agent.history)
    assert any(r.action.startswith(("fight", "gathering", "crafting")) for r in agent.history)


def test_advice_goal_is_pursued_and_reported() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[_Advisor, int, str]:
        async with session(generated_world(7), clock) as s:
            agent = _agent(s)
            await agent.sense()
            rate = agent.selector.rater.gathering_rate(agent.state, "woodcutting")
            assert rate is not None
            drop = agent.world.facts.resource(rate.via).drops[0].code  # type: ignore[union-attr]
            advisor = _Advisor(lambda st: ObtainItem(drop, 3, ctx=agent.world.ctx))
            agent.advisor = advisor
            await agent.step()
            return advisor, agent.state.inventory[drop], drop

    advisor, held, drop = clock.run(scenario())
    assert held >= 3
    goals = [d["goal"] for e, d in advisor.events if e == "goal"]
    assert goals == [f"obtain({drop} x3)"]
    assert any(e == "action" for e, _ in advisor.events)


def test_two_game_hours_on_generated_7() -> None:
    clock = VirtualClock()
    hours = 2.0

    async def scenario() -> tuple[CharacterAgent, RunMetrics, dict[str, int]]:
        async with session(generated_world(7), clock) as s:
            metrics = RunMetrics()
            agent = await play_for(s, hours * 3600, metrics=metrics)
            return agent, metrics, s.client.stats.as_dict()

    agent, metrics, stats = clock.run(scenario())
    assert agent.status()["level"] >= 3
    assert metrics.utilization([agent.name], hours * 3600)["min"] >= 0.9
    assert stats["cooldown_errors"] == 0
    assert len(metrics.decision_ms) == metrics.actions or metrics.actions >= 100


def test_task_coins_are_exchanged_at_a_tasks_master() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[CharacterAgent, int, int, str]:
        async with session(generated_world(7), clock) as s:
            agent = _agent(s)
            coin = agent.world.ctx.options.tasks_coin
            assert s.gamedata.items[coin].type == "currency"  # found in the task rewards
            s.game.character(s.name).add_item(coin, 7)
            await agent.sense()
            candidates = {c.key: c for c in agent.selector.candidates(agent.state)}
            assert "task:exchange" in candidates
            agent.advisor = _Advisor(lambda st: candidates["task:exchange"].goal)
            await agent.step()
            held = s.game.character(s.name).quantity(coin)
            return agent, held, len(dict(s.game.character(s.name).inventory_items())), coin

    agent, held, stacks, _coin = clock.run(scenario())
    assert held == 1  # one exchange of six coins
    assert any(r.action.startswith("task/exchange") for r in agent.history)
    assert stacks >= 2  # the coin left and at least one reward


def test_status_reports_position_xp_cap_and_task() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        async with session(generated_world(7), clock) as s:
            agent = _agent(s)
            await agent.sense()
            server = s.game.character(s.name)
            server.x, server.y = 3, -2
            server.task, server.task_type = "some_task", "monsters"
            server.task_progress, server.task_total = 4, 9
            await agent.sense()
            return agent.status(), dict(vars(server))

    status, server = clock.run(scenario())
    assert (status["x"], status["y"]) == (3, -2)
    assert status["layer"] == server["layer"]
    assert isinstance(status["max_xp"], int) and status["max_xp"] > status["xp"]
    assert (status["task"], status["task_type"]) == ("some_task", "monsters")
    assert (status["task_progress"], status["task_total"]) == (4, 9)


class _Refuser(_Advisor):
    """Imposes one goal and hands out at most ``left`` units of anything (the rest are a
    teammate's); ``bank`` is what it says the team last saw in the bank."""

    def __init__(self, make: Any, left: int = 0, bank: dict[str, int] | None = None) -> None:
        super().__init__(make)
        self.left = left
        self.bank = bank
        self.claims: list[tuple[str, int]] = []

    def claim(self, name: str, code: str, quantity: int) -> bool:
        self.claims.append((code, quantity))
        return quantity <= self.left

    def claimable(self, name: str, code: str) -> int:
        return self.left

    def team_bank(self) -> dict[str, int] | None:
        return self.bank


async def _banked_material(s: Session) -> tuple[CharacterAgent, str]:
    """An agent whose bank holds 5 of its best woodcutting resource's drop (and knows it)."""
    agent = _agent(s)
    await agent.sense()
    rate = agent.selector.rater.gathering_rate(agent.state, "woodcutting")
    assert rate is not None
    drop = agent.world.facts.resource(rate.via).drops[0].code  # type: ignore[union-attr]
    s.game.state.banks[s.game.character(s.name).account].items[drop] = 5
    await agent.sense()
    return agent, drop


def _obtain_banked(
    quantity: int, left: int
) -> tuple[_Refuser, CharacterAgent, str, dict[str, int]]:
    """One step obtaining ``quantity`` of a material the bank holds 5 of, while the advisor
    hands out only ``left`` units; returns the bank afterwards too."""
    clock = VirtualClock()

    async def scenario() -> tuple[_Refuser, CharacterAgent, str, dict[str, int]]:
        async with session(generated_world(7), clock) as s:
            agent, drop = await _banked_material(s)
            advisor = _Refuser(lambda st: ObtainItem(drop, quantity, ctx=agent.world.ctx), left)
            agent.advisor = advisor
            await agent.step()
            bank = {i.code: i.quantity for i in await s.client.my_bank_items()}
            return advisor, agent, drop, bank

    return clock.run(scenario())


def test_a_refused_withdraw_claim_is_planned_around() -> None:
    # The bank holds the material: the plan starts with a withdraw, which is refused.
    advisor, agent, drop, bank = _obtain_banked(3, left=0)
    assert advisor.claims and advisor.claims[0][0] == drop  # it asked before withdrawing
    assert bank[drop] == 5  # and took none of the refused units
    assert agent.state.inventory[drop] >= 3  # it gathered them instead
    assert agent.status()["errors"] == 0


def test_a_partly_refused_claim_takes_what_is_left() -> None:
    # Two of the five units are still free: the rest are a teammate's.
    advisor, agent, drop, bank = _obtain_banked(4, left=2)
    assert advisor.claims[0] == (drop, 4)  # refused: only two are free
    assert (drop, 2) in advisor.claims  # then it planned on the two it may have
    assert bank[drop] == 3  # and left the teammate's three
    assert agent.state.inventory[drop] >= 4  # gathering only the rest
    assert agent.status()["errors"] == 0


def test_the_team_bank_replaces_a_stale_view() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[CharacterAgent, str]:
        async with session(generated_world(7), clock) as s:
            agent, drop = await _banked_material(s)
            # A teammate took them since: the team's view knows, this character's does not.
            advisor = _Refuser(lambda st: LevelCombat.gain(agent.world.ctx, st, xp=1), bank={})
            agent.advisor = advisor
            agent.decide(agent.state)
            return agent, drop

    agent, drop = clock.run(scenario())
    assert agent.state.bank[drop] == 0


class _Role:
    """Advises no goal, only the weight of combat XP (a team role)."""

    def __init__(self, weight: float | None) -> None:
        self.weight = weight

    def advise(self, name: str, state: GameState) -> Advice | None:
        return Advice(combat_weight=self.weight)

    def report(self, name: str, event: str, data: Mapping[str, Any]) -> None:
        pass


def test_the_advised_combat_weight_scales_combat_in_the_selection() -> None:
    clock = VirtualClock()

    async def scenario() -> dict[float | None, float]:
        async with session(generated_world(7), clock) as s:
            agent = _agent(s)
            await agent.sense()
            scores: dict[float | None, float] = {}
            for weight in (None, 1.0):
                agent.advisor = _Role(weight)
                agent.decide(agent.state)
                assert agent.selector.combat_weight == weight
                found = {c.key: c.score for c in agent.last_selection}
                scores[weight] = found["level:combat"]
            agent.advisor = None
            agent.decide(agent.state)
            assert agent.selector.combat_weight is None  # no advice: its own weight again
            return scores

    scores = clock.run(scenario())
    default = AgentConfig().combat_weight
    assert scores[1.0] == pytest.approx(scores[None] / default)
