"""``CharacterAgent``: one character playing alone, end to end.

The loop: *sense* (one ``get_character`` and one bank read at start, then the state comes from
each action's answer, kept typed in a :class:`~guildmaster.agent.edge.KnownState`; the running
events in an :class:`~guildmaster.agent.events.EventWatch`) -> *select* a goal
(:class:`~guildmaster.agent.selection.GoalSelector`, or the advisor's) -> *plan and act* through
:func:`guildmaster.planning.resolve`, which checks each step, turns obstacles into sub-goals
(depth-limited) and replans when the server's answer drifts from the prediction. Known game
errors refresh the state and put the goal aside for a while; unexpected exceptions propagate to
the :class:`~guildmaster.agent.team.Team`.

Boss parties (:class:`~guildmaster.planning.domains.BossPartyGoal` advice) are acted on by
role: ``move`` plans to the boss tile (and rests there to full HP); ``wait`` sleeps a short game
time and asks again (no action, not an error); ``fight`` (the leader) fights the boss with the
other members as ``participants`` and reports ``{"party": id, "win": bool}``. A member whose
party is over re-reads its character once (the leader's fight changed it and put it in cooldown).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.advisor import Advice, Advisor, WithdrawClaims
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.edge import KnownState
from guildmaster.agent.events import EventWatch, ended_event
from guildmaster.agent.executor import Outcome, UnsupportedAction, perform
from guildmaster.agent.metrics import RunMetrics
from guildmaster.agent.selection import Candidate, GoalSelector
from guildmaster.agent.staging import BankSurplus, room_needed, stage_goals
from guildmaster.api.client import AsyncArtifactsClient
from guildmaster.api.errors import ArtifactsError, ContentNotOnMap, InventoryFull
from guildmaster.clock import Clock, stopwatch
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.model import ActiveEvent
from guildmaster.knowledge.observations import ObservationStore
from guildmaster.planning.action import Action
from guildmaster.planning.domains import BossPartyGoal, GameGoal
from guildmaster.planning.domains.actions import Fight, Gather, Rest
from guildmaster.planning.domains.state import INVENTORY_SLOTS, GameState
from guildmaster.planning.domains.trade import NpcBuy, NpcSell, Withdraw
from guildmaster.planning.errors import PlanningError
from guildmaster.planning.goal import Goal
from guildmaster.planning.resolve import StepRecord, resolve
from guildmaster.planning.subgoals import SubGoalRequest

__all__ = ["PARTY_WAIT_GAME_SECONDS", "BankSurplus", "CharacterAgent", "PartyCaller"]

logger = logging.getLogger(__name__)

#: How long (game seconds) a party member waiting on the boss tile sleeps before asking again.
PARTY_WAIT_GAME_SECONDS = 5.0


class _Stopped(Exception):
    """Raised inside ``act`` when the team asked the agent to stop."""


class _Summoned(Exception):
    """Raised inside ``act`` when the advisor calls the character to a boss party."""


@runtime_checkable
class PartyCaller(Protocol):
    """An advisor that may call a character away from its goal (to a boss party)."""

    def summoned(self, name: str) -> bool:
        """Whether ``name`` should drop its current goal and ask for advice again."""


class _AdviceRefused(Exception):
    """A step would take a bank item the advisor forbade."""


def _on_track(expected: GameState, actual: GameState) -> bool:
    """Lenient drift check: same place, gear and task, and at least the predicted items.

    HP, XP and drops vary from fight to fight; the next step's ``check`` catches what matters
    (too little HP, a full bag), so only a real surprise forces a replan.
    """
    if expected.location != actual.location or expected.equipment != actual.equipment:
        return False
    exp_task, act_task = expected.task, actual.task
    if (exp_task is None) != (act_task is None):
        return False
    if exp_task is not None and act_task is not None and exp_task.code not in ("", act_task.code):
        return False
    return all(actual.inventory[code] >= qty for code, qty in expected.inventory.items())


@dataclass
class _Status:
    goal: str = ""
    goal_key: str | None = None
    action: str = ""
    deaths: int = 0
    errors: int = 0
    actions: int = 0
    decisions: int = 0
    waits: int = 0
    party_fights: int = 0
    failed: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)


class CharacterAgent:
    """Plays one character until stopped (implements :class:`~guildmaster.agent.team.Runnable`).

    ``CharacterAgent(name, *, client, gamedata, clock, metrics=None, observations=None,
    config=AgentConfig(), advisor=None, party_wait=PARTY_WAIT_GAME_SECONDS)``.
    """

    def __init__(
        self,
        name: str,
        *,
        client: AsyncArtifactsClient,
        gamedata: GameData,
        clock: Clock,
        metrics: RunMetrics | None = None,
        observations: ObservationStore | None = None,
        config: AgentConfig | None = None,
        advisor: Advisor | None = None,
        party_wait: float = PARTY_WAIT_GAME_SECONDS,
    ) -> None:
        self.name = name
        self.party_wait = party_wait
        self._in_party = False
        self.client = client
        self.clock = clock
        self.metrics = metrics
        self.observations = observations
        self.config = config or AgentConfig()
        self.advisor = advisor
        self.world = self._build_world(gamedata)
        self.selector = GoalSelector(self.world, self.config)
        self._known = KnownState()
        self._stale = True
        self._advice: Advice | None = None
        self._mark = stopwatch()
        self._stop: asyncio.Event | None = None
        self._status = _Status()
        self.events = EventWatch(
            gamedata.active_events,
            clock=clock,
            every=self.config.event_check_seconds,
            margin=self.config.event_margin_seconds,
        )
        self.last_selection: tuple[Candidate, ...] = ()
        self.history: deque[StepRecord] = deque(maxlen=self.config.history)
        """The last executed or refused steps (for tests, explanations and the dashboard)."""

    def _build_world(self, gamedata: GameData, *, reuse: PlayerWorld | None = None) -> PlayerWorld:
        return PlayerWorld.build(
            gamedata,
            observations=self.observations,
            options=self.config.domain,
            fight_samples=self.config.fight_samples,
            scoring_samples=self.config.selection_fight_samples,
            reuse=reuse,
        )

    # --- Runnable ------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Play until ``stop`` is set (the current action is always finished first)."""
        self._stop = stop
        self._stale = True
        while not stop.is_set():
            try:
                await self.step()
            except _Stopped:
                break
            except ArtifactsError as exc:
                # Reading the world failed (a known API error): pause, re-read, carry on.
                self._status.errors += 1
                self._stale = True
                pause = self.config.error_pause_seconds
                logger.warning("%s: %s; retrying in %.0fs", self.name, exc, pause)
                await self.clock.sleep_game(pause)

    def status(self) -> Mapping[str, Any]:
        """Return name, level, xp, position, task, skills, hp, goal, action and cooldown."""
        known = self._known.status()
        expiration = known.pop("cooldown_expiration")
        return {
            "name": self.name,
            **known,
            "goal": self._status.goal,
            "action": self._status.action,
            "cooldown_expiration": expiration,
            "deaths": self._status.deaths,
            "errors": self._status.errors,
            "party_waits": self._status.waits,
            "party_fights": self._status.party_fights,
        }

    # --- state ---------------------------------------------------------------------------

    @property
    def state(self) -> GameState:
        """The planning state from the last answer (bank as last seen, advice applied)."""
        return self._known.state

    async def sense(self) -> None:
        """Read the character and the bank from the server (start, and after errors)."""
        self._known.see_character(await self.client.get_character(self.name))
        items = await self.client.my_bank_items()
        self._known.see_bank({i.code: i.quantity for i in items})
        bank = await self.client.my_bank()
        self._known.see_bank(gold=bank.gold, slots=bank.slots)
        self._stale = False
        self._mark = stopwatch()

    async def _refresh(self) -> GameState:
        if self._stale:
            await self.sense()
        return self.state

    async def _check_events(self, state: GameState) -> None:
        """Every so often, read the running events; each time, keep those still reachable.

        The world overlays the events on the game data (new tiles); an event that ends
        before the character could get there is dropped from it, so no goal needs it.
        """
        await self.events.read_if_due(self.client)
        self._sync_events(state)

    def _sync_events(self, state: GameState) -> None:
        """Rebuild the world when the usable events differ from those it shows."""
        travel = self.world.facts.travel_seconds
        usable = self.events.keep_reachable(lambda e: travel(state.location, e.tile.key))
        old = {(a.code, a.tile.key) for a in self.world.gamedata.active_events}
        if {(a.code, a.tile.key) for a in usable} == old:
            return
        logger.info("%s: events changed: %s", self.name, sorted(a.code for a in usable))
        gamedata = self.world.gamedata.with_active_events(usable)
        self.world = self._build_world(gamedata, reuse=self.world)
        observed = self.selector.observed
        self.selector = GoalSelector(self.world, self.config)
        self.selector.observed.update(observed)

    # --- decide --------------------------------------------------------------------------

    def _report(self, event: str, data: Mapping[str, Any]) -> None:
        if self.advisor is not None:
            self.advisor.report(self.name, event, data)

    def decide(self, state: GameState) -> Candidate | None:
        """Choose the next goal (advice first, else self-selection with hysteresis)."""
        now = self.clock.game_seconds()
        failed = self._status.failed
        for key in [k for k, until in failed.items() if until <= now]:
            del failed[key]
        self._known.clear_refusals()
        claims = self.advisor if isinstance(self.advisor, WithdrawClaims) else None
        team = claims.team_bank() if claims is not None else None
        if team is not None:
            # The team saw every bank action since this character's own last one.
            self._known.see_bank(team)
            state = self.state
        self._advice = self.advisor.advise(self.name, state) if self.advisor else None
        self._known.follow(self._advice)
        if self._advice is not None and self._advice.goal is not None:
            goal = self._advice.goal
            key = f"advice:{goal.name}"
            if key not in failed:
                self.last_selection = ()
                return Candidate(key, goal, 0.0, "advice", self._advice.note)
        advice = self._advice
        self.selector.bank_share = 1.0 if advice is None else advice.bank_share
        self.selector.combat_weight = None if advice is None else advice.combat_weight
        selection = self.selector.select(state, current=self._status.goal_key, excluded=failed)
        self.last_selection = selection.alternatives
        return selection.chosen

    def stages(self, goal: Goal[GameState], state: GameState) -> list[Goal[GameState]]:
        """Split ``goal`` into short stages (see :func:`stage_goals`)."""
        return stage_goals(self.world, goal, state)

    def _cramped(self, state: GameState) -> bool:
        cfg = self.config
        slots_free = INVENTORY_SLOTS - len(state.inventory)
        return slots_free < cfg.min_free_slots or state.free_space() < cfg.min_free_space

    async def step(self) -> None:
        """One decision: pick a goal and pursue it to the end (or until it fails)."""
        state = await self._refresh()
        await self._check_events(state)
        self._mark = stopwatch()  # decision time counts computation, not server reads
        chosen = self.decide(state)
        state = self.state  # the bank as the team saw it, the advice applied
        self._status.decisions += 1
        party = chosen.goal if chosen is not None else None
        if isinstance(party, BossPartyGoal):
            self._in_party = True
            if party.role == "wait":
                await self._party_wait(party)
                return
            if party.role == "fight":
                await self._party_fight(party)
                return
        elif self._in_party:
            # The party is over: the leader's fight changed this character (and its cooldown).
            self._in_party = False
            await self._reread()
            state = self.state
        if chosen is None:
            # Every goal is set aside: nothing changes before the first comes back (or the
            # world moves), so waiting in short pauses would only repeat the whole decision.
            now, cfg = self.clock.game_seconds(), self.config
            back = min(self._status.failed.values(), default=now) - now
            pause = min(max(cfg.error_pause_seconds, back), cfg.failed_goal_seconds)
            logger.warning("%s: no goal available; waiting %.0f s", self.name, pause)
            await self.clock.sleep_game(pause)
            return
        goals: list[tuple[str, Goal[GameState]]] = []
        if self._cramped(state):
            keep: frozenset[str] = frozenset()
            if isinstance(chosen.goal, GameGoal):
                keep = chosen.goal.relevance(state).items
            goals.append(("bank", BankSurplus(keep, ctx=self.world.ctx)))
        goals.extend((chosen.key, g) for g in chosen.before)
        goals.extend((chosen.key, g) for g in self.stages(chosen.goal, state))
        started, before = self.clock.game_seconds(), state.progress(chosen.skill)
        self._known.hide(chosen.hide)
        pursued = False
        try:
            for key, goal in goals:
                if goal.is_satisfied(self.state):
                    continue
                pursued = True
                source = "advice" if key.startswith("advice:") else "selection"
                if not await self._pursue(key, goal, source=source):
                    break  # a failed stage dooms the ones after it
        finally:
            self._known.hide(frozenset())
        if not pursued and not isinstance(party, BossPartyGoal):
            # Chosen again at once, it would come back forever while no game time passes.
            self._set_aside(chosen.key, chosen.goal, "nothing to do: every stage is satisfied")
        if isinstance(party, BossPartyGoal):
            await self._rest_on(party)
        if chosen.key.startswith("level:"):
            spent = self.clock.game_seconds() - started
            self.selector.observe(chosen.key, self.state.progress(chosen.skill) - before, spent)

    async def _pursue(self, key: str, goal: Goal[GameState], *, source: str) -> bool:
        self._status.goal = goal.name
        if key != "bank":
            self._status.goal_key = key
        self._report("goal", {"goal": goal.name, "source": source})
        cfg = self.config
        try:
            await resolve(
                self.world.domain,
                self.state,
                goal,
                act=self._act,
                refresh=self._refresh,
                max_subgoal_depth=cfg.max_subgoal_depth,
                max_replans=cfg.max_replans,
                node_budget=cfg.node_budget,
                weight=cfg.planner_weight,
                goals=self.world.domain.goals,
                on_track=_on_track,
                on_step=self._on_step,
            )
        except _Stopped:
            raise
        except _Summoned:
            logger.info("%s: called to a boss party, leaving %s", self.name, goal.name)
            self._report("goal_failed", {"goal": goal.name, "reason": "called to a boss party"})
            return False
        except (PlanningError, _AdviceRefused, UnsupportedAction) as exc:
            self._fail(key, goal, exc)
            return False
        except ContentNotOnMap as exc:
            # 598: the content left its tile (an event ended): not a crash. Read the events
            # and the character again, then choose anew.
            logger.info("%s: %s is gone: %s", self.name, goal.name, exc)
            self._fail(key, goal, exc)
            self.events.read_next_time()
            self._stale = True
            await self._refresh()
            return False
        except ArtifactsError as exc:
            self._status.errors += 1
            self._fail(key, goal, exc)
            self._stale = True
            await self._refresh()
            return False
        self._status.failures.pop(key, None)
        self._report("goal_reached", {"goal": goal.name, "reason": "satisfied"})
        return True

    # --- boss parties ----------------------------------------------------------------------

    def _summonable(self) -> bool:
        """Whether a party call may interrupt the current goal.

        Not while in a party, and not when this decision's advice already was a party goal
        (the agent put it aside after a failure: interrupting again would spin).
        """
        if self._in_party:
            return False
        advice = self._advice
        return advice is None or not isinstance(advice.goal, BossPartyGoal)

    async def _reread(self) -> None:
        """Read this character again (one request; also seeds the client's cooldown)."""
        self._known.see_character(await self.client.get_character(self.name))
        self._mark = stopwatch()

    async def _party_wait(self, goal: BossPartyGoal) -> None:
        """Stand on the boss tile a short game time (no action), then look again."""
        self._status.goal = goal.name
        self._status.action = "wait"
        self._status.waits += 1
        await self.clock.sleep_game(self.party_wait)

    async def _rest_on(self, goal: BossPartyGoal) -> None:
        """Having reached the boss tile, rest to full HP before announcing the arrival."""
        state = self.state
        if state.location != goal.location or state.hp >= state.max_hp:
            return
        try:
            await self._act(Rest(ctx=self.world.ctx), state)
        except ArtifactsError as exc:
            self._status.errors += 1
            self._stale = True
            logger.info("%s: could not rest on the boss tile: %s", self.name, exc)

    async def _party_fight(self, goal: BossPartyGoal) -> None:
        """Lead the party's fight: ``monster`` with ``participants``; report the outcome."""
        self._status.goal = goal.name
        self._status.goal_key = None
        self._report("goal", {"goal": goal.name, "source": "advice"})
        action = Fight(goal.monster, ctx=self.world.ctx)
        try:
            if self.state.location != goal.location:
                raise UnsupportedAction(f"the leader is not on the boss tile {goal.location}")
            for other in goal.participants:
                # Learn each participant's cooldown: the client waits for it before fighting.
                await self.client.get_character(other)
            await self._rest_on(goal)
            self._record_decision()
            self._status.action = action.name
            outcome = await perform(
                self.client,
                self.name,
                action,
                self.state,
                facts=self.world.facts,
                participants=goal.participants,
            )
        except (ArtifactsError, UnsupportedAction) as exc:
            if isinstance(exc, ArtifactsError):
                self._status.errors += 1
            self._stale = True
            logger.info("%s: party %s fight failed: %s", self.name, goal.party, exc)
            reason = f"{type(exc).__name__}: {exc}"
            data = {"goal": goal.name, "reason": reason, "party": goal.party, "win": False}
            self._report("goal_failed", data)
            return
        self._absorb(action, outcome)
        self._mark = stopwatch()
        self._status.party_fights += 1
        if self.metrics is not None:
            # The participants were in this fight (and its cooldown) too: busy, not idle.
            busy = self.metrics.busy_seconds
            for fellow in outcome.others:
                busy[fellow.name] = busy.get(fellow.name, 0.0) + outcome.seconds
        win = outcome.fight_result == "win"
        logger.info(
            "%s: party %s fought %s with %s: %s",
            self.name,
            goal.party,
            goal.monster,
            ", ".join(c.name for c in outcome.others),
            outcome.fight_result,
        )
        data = {"goal": goal.name, "reason": "fought", "party": goal.party, "win": win}
        self._report("goal_reached", data)

    def _record_decision(self) -> None:
        if self.metrics is not None:
            ms = (stopwatch() - self._mark) * 1000.0
            self.metrics.record_decision(ms, character=self.name, goal=self._status.goal or "")

    def _fail(self, key: str, goal: Goal[GameState], exc: Exception) -> None:
        self._set_aside(key, goal, f"{type(exc).__name__}: {exc}")

    def _set_aside(self, key: str, goal: Goal[GameState], reason: str) -> None:
        logger.info("%s: goal %s failed: %s", self.name, goal.name, reason)
        # Put it aside, twice as long after each repeated failure (up to 64x).
        count = self._status.failures.get(key, 0)
        self._status.failures[key] = count + 1
        pause = self.config.failed_goal_seconds * 2 ** min(count, 6)
        self._status.failed[key] = self.clock.game_seconds() + pause
        if self._status.goal_key == key:
            self._status.goal_key = None
        self._report("goal_failed", {"goal": goal.name, "reason": reason})

    def _on_step(self, record: StepRecord) -> None:
        self.history.append(record)
        logger.debug(
            "%s: [%d] %s %s -> %s",
            self.name,
            record.depth,
            record.goal,
            record.action,
            record.outcome,
        )

    # --- act -----------------------------------------------------------------------------

    async def _act(self, action: Action[GameState], state: GameState) -> GameState | SubGoalRequest:
        if self._stop is not None and self._stop.is_set():
            raise _Stopped
        advice = self._advice
        caller = self.advisor
        claims = caller if isinstance(caller, WithdrawClaims) else None
        if (
            claims is None
            and advice is not None
            and isinstance(action, Withdraw)
            and action.item in advice.avoid
            and advice.reserved.get(action.item, 0) < action.quantity
        ):
            raise _AdviceRefused(action.item)
        if isinstance(caller, PartyCaller) and self._summonable() and caller.summoned(self.name):
            raise _Summoned
        if (
            claims is not None
            and isinstance(action, Withdraw)
            and not claims.claim(self.name, action.item, action.quantity)
        ):
            # Gone, or a teammate's (the claim counts its own reservation): read the bank
            # and plan on with the units it may still have.
            self._known.refuse(action.item, claims.claimable(self.name, action.item))
            await self.sense()
            return self.state  # not what the plan expected: it replans
        ended = self._ended_event_here(action, state)
        if ended is not None:
            # Acting would only earn a 598: the event is over before the action could start.
            raise ContentNotOnMap(
                f"{ended.code} ends before {action.name} can start", character=self.name
            )
        self._record_decision()
        self._status.action = action.name
        try:
            outcome = await perform(self.client, self.name, action, state, facts=self.world.facts)
        except InventoryFull:
            # Our state was wrong about the room: read it, then ask for room beyond it.
            await self.sense()
            free = room_needed(action, self.state, self.world.gamedata)
            return SubGoalRequest.inventory_full(free, reason="the server says the bag is full")
        self._absorb(action, outcome)
        self._mark = stopwatch()
        return self.state

    def _ended_event_here(self, action: Action[GameState], state: GameState) -> ActiveEvent | None:
        """The event on this tile that ends before ``action`` (a fight, gather or NPC trade:
        the tile's content) can start, once the character's cooldown is over."""
        if not isinstance(action, Fight | Gather | NpcBuy | NpcSell):
            return None
        starts = self.clock.now()
        cooldown = self.client.cooldowns.expiration(self.name)
        if cooldown is not None:
            starts = max(starts, cooldown)
        return ended_event(self.world.gamedata.active_events, state.location, starts)

    def _absorb(self, action: Action[GameState], outcome: Outcome) -> None:
        self._known.see_character(outcome.character)
        if outcome.bank is not None:
            self._known.see_bank(outcome.bank)
            self._report("bank", {"items": dict(self._known.bank)})
        if outcome.bank_gold is not None:
            self._known.see_bank(gold=outcome.bank_gold)
        self._status.actions += 1
        for reason, seconds in outcome.calls:
            if self.metrics is not None:
                self.metrics.record_action(self.name, seconds, reason=reason)
            self._report("action", {"action": reason, "seconds": seconds})
        if outcome.fight_result == "loss":
            self._status.deaths += 1
            logger.info("%s: died fighting %s", self.name, outcome.monster)
            self._report("death", {"monster": outcome.monster})
        task = self._known.task_report()
        if task is not None and outcome.task:
            self._report("task", task)
        if self.observations is not None:
            outcome.record(self.observations, character=self.name, action=action)
