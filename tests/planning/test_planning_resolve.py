"""resolve(): executing plans through a fake ``act``, drift replans and recursive sub-goals."""

from __future__ import annotations

import pytest

from guildmaster.planning import (
    Action,
    Add,
    AtLeast,
    Domain,
    FactAction,
    FactGoal,
    GoalManager,
    NoGoalForRequest,
    PlanNotFound,
    ReplanLimitExceeded,
    ResolutionFailed,
    SubGoalDepthExceeded,
    SubGoalRequest,
    WorldState,
    resolve,
)


class _Fight(Action[WorldState]):
    """Needs to stand in the arena and have at least 60 HP; reports why not as a request."""

    @property
    def name(self) -> str:
        return "fight"

    def check(self, state: WorldState) -> SubGoalRequest | None:
        if state["at"] != "arena":
            return SubGoalRequest.of("not_at", place="arena")
        hp = state["hp"]
        if not isinstance(hp, int) or hp < 60:
            return SubGoalRequest.hp_too_low(60)
        return None

    def apply(self, state: WorldState) -> WorldState:
        return state.apply({"hp": Add(-50), "wins": Add(1)})

    def cost(self, state: WorldState) -> float:
        return 20


def _arena_domain(goals: GoalManager[WorldState]) -> Domain[WorldState]:
    return Domain.from_actions(
        [
            FactAction("go(arena)", {"at": "town"}, {"at": "arena"}, cost=10),
            FactAction("go(town)", {"at": "arena"}, {"at": "town"}, cost=10),
            FactAction("rest", {}, {"hp": 100}, cost=30),
            _Fight(),
        ],
        goals=goals,
    )


def _goals() -> GoalManager[WorldState]:
    manager: GoalManager[WorldState] = GoalManager()
    manager.register(
        "hp_too_low",
        lambda r, s: FactGoal({"hp": AtLeast(int(str(r.param("required_hp"))))}, name="hp"),
    )
    manager.register("not_at", lambda r, s: FactGoal({"at": r.param("place")}, name="place"))
    return manager


class _Server:
    """A fake world: applies actions, but a monster hits harder than predicted once."""

    def __init__(self, state: WorldState, *, surprise_damage: int = 0) -> None:
        self.state = state
        self.surprise_damage = surprise_damage
        self.log: list[str] = []
        self.refreshes = 0

    async def act(self, action: Action[WorldState], state: WorldState) -> WorldState:
        assert state == self.state, "resolve must act from the latest state"
        self.log.append(action.name)
        self.state = action.apply(self.state)
        if action.name == "go(arena)" and self.surprise_damage:
            # An ambush on the road: the prediction said full HP on arrival.
            hp = self.state["hp"]
            assert isinstance(hp, int)
            self.state = self.state.with_(hp=hp - self.surprise_damage)
            self.surprise_damage = 0
        return self.state

    async def refresh(self) -> WorldState:
        self.refreshes += 1
        return self.state


async def test_resolve_executes_plan_without_drift() -> None:
    server = _Server(WorldState({"at": "town", "hp": 100, "wins": 0}))
    result = await resolve(
        _arena_domain(_goals()),
        server.state,
        FactGoal({"wins": AtLeast(1)}),
        act=server.act,
        refresh=server.refresh,
    )
    assert server.log == ["go(arena)", "fight"]
    assert result.replans == 0 and result.subgoals == ()
    assert result.state["wins"] == 1
    assert [r.outcome for r in result.steps] == ["ok", "ok"]


async def test_drift_then_subgoal_rest_then_fight() -> None:
    # Move -> (ambush: HP 55 instead of 100) -> drift -> replan sees the need for rest.
    server = _Server(WorldState({"at": "town", "hp": 100, "wins": 0}), surprise_damage=45)
    result = await resolve(
        _arena_domain(_goals()),
        server.state,
        FactGoal({"wins": AtLeast(1)}),
        act=server.act,
        refresh=server.refresh,
    )
    assert server.log == ["go(arena)", "rest", "fight"]
    assert [r.outcome for r in result.steps] == ["drift", "ok", "ok"]
    assert result.replans == 1


async def test_subgoal_from_act_is_resolved_recursively() -> None:
    # The plan is a single fight; the server refuses it for lack of HP (damage the client did
    # not see), so resolve refreshes, rests as a sub-goal, refreshes and fights again.
    server = _Server(WorldState({"at": "arena", "hp": 100, "wins": 0}))
    seen: list[str] = []

    async def act(action: Action[WorldState], state: WorldState) -> WorldState | SubGoalRequest:
        seen.append(action.name)
        if action.name == "fight" and seen.count("fight") == 1:
            # The server says: not enough HP (someone else's damage); world HP is now 30.
            server.state = server.state.with_(hp=30)
            return SubGoalRequest.hp_too_low(60)
        return await server.act(action, server.state)

    result = await resolve(
        _arena_domain(_goals()),
        server.state,
        FactGoal({"wins": AtLeast(1)}),
        act=act,
        refresh=server.refresh,
    )
    assert seen == ["fight", "rest", "fight"]
    assert result.subgoals == ("hp",)
    assert [(r.depth, r.action, r.outcome) for r in result.steps] == [
        (0, "fight", "subgoal:hp_too_low"),
        (1, "rest", "ok"),
        (0, "fight", "ok"),
    ]
    assert server.refreshes == 2  # before the detour (server refused) and after it
    assert result.state["wins"] == 1


async def test_subgoal_depth_limit() -> None:
    server = _Server(WorldState({"at": "arena", "hp": 100, "wins": 0}))

    async def always_refuse(
        action: Action[WorldState], state: WorldState
    ) -> WorldState | SubGoalRequest:
        return SubGoalRequest.hp_too_low(60)

    manager = _goals()
    # Every sub-goal is "win a fight" again, so requests nest until the limit.
    manager.register("hp_too_low", lambda r, s: FactGoal({"wins": AtLeast(1)}, name="again"))
    with pytest.raises(SubGoalDepthExceeded) as info:
        await resolve(
            _arena_domain(manager),
            server.state,
            FactGoal({"wins": AtLeast(1)}),
            act=always_refuse,
            refresh=server.refresh,
            max_subgoal_depth=3,
        )
    assert info.value.depth == 4


async def test_unknown_request_kind() -> None:
    server = _Server(WorldState({"at": "arena", "hp": 100, "wins": 0}))

    async def refuse(action: Action[WorldState], state: WorldState) -> WorldState | SubGoalRequest:
        return SubGoalRequest.of("weather", reason="it rains")

    with pytest.raises(NoGoalForRequest):
        await resolve(
            _arena_domain(_goals()),
            server.state,
            FactGoal({"wins": AtLeast(1)}),
            act=refuse,
            refresh=server.refresh,
        )


async def test_replan_limit_on_endless_drift() -> None:
    server = _Server(WorldState({"at": "town", "hp": 100, "wins": 0}))

    async def teleport_back(
        action: Action[WorldState], state: WorldState
    ) -> WorldState | SubGoalRequest:
        return state.with_(at="town", hp=100)  # nothing ever changes

    with pytest.raises(ReplanLimitExceeded) as info:
        await resolve(
            _arena_domain(_goals()),
            server.state,
            FactGoal({"wins": AtLeast(1)}),
            act=teleport_back,
            refresh=server.refresh,
            max_replans=4,
        )
    assert info.value.replans == 5


async def test_unplannable_goal_raises_plan_not_found() -> None:
    server = _Server(WorldState({"at": "town", "hp": 100, "wins": 0}))
    with pytest.raises(PlanNotFound):
        await resolve(
            _arena_domain(_goals()),
            server.state,
            FactGoal({"at": "moon"}),
            act=server.act,
            refresh=server.refresh,
            node_budget=100,
        )


async def test_refusal_whose_subgoal_already_holds_fails_instead_of_looping() -> None:
    # The server says "too little HP" although the state has plenty (a full bag with room to
    # spare, in the game): the detour would be empty, so the goal must fail, not retry forever.
    server = _Server(WorldState({"at": "arena", "hp": 100, "wins": 0}))
    calls: list[str] = []

    async def refuse(action: Action[WorldState], state: WorldState) -> WorldState | SubGoalRequest:
        calls.append(action.name)
        return SubGoalRequest.hp_too_low(60)

    with pytest.raises(ResolutionFailed) as info:
        await resolve(
            _arena_domain(_goals()),
            server.state,
            FactGoal({"wins": AtLeast(1)}),
            act=refuse,
            refresh=server.refresh,
            max_replans=50,
        )
    assert not isinstance(info.value, ReplanLimitExceeded)
    assert calls == ["fight"]


async def test_same_action_refused_again_and_again_fails_the_goal() -> None:
    # Each detour does something (rests, which the fake counts), yet the fight keeps being
    # refused: after a handful of refusals the goal fails instead of using all its replans.
    server = _Server(WorldState({"at": "arena", "hp": 50, "wins": 0, "rests": 0}))
    fights: list[int] = []

    async def act(action: Action[WorldState], state: WorldState) -> WorldState | SubGoalRequest:
        if action.name == "fight":
            fights.append(1)
            server.state = server.state.apply({"hp": 50})
            return SubGoalRequest.hp_too_low(60)
        server.state = server.state.apply({"hp": 100, "rests": Add(1)})
        return server.state

    with pytest.raises(ResolutionFailed) as info:
        await resolve(
            _arena_domain(_goals()),
            server.state,
            FactGoal({"wins": AtLeast(1)}),
            act=act,
            refresh=server.refresh,
            max_replans=100,
        )
    assert not isinstance(info.value, ReplanLimitExceeded)
    assert 2 <= len(fights) <= 6
