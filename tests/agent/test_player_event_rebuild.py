"""A change of events rebuilds the player's world but keeps its fight predictions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from test_player_support import generated_world, session

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.character import CharacterAgent
from guildmaster.clock import VirtualClock
from guildmaster.knowledge.gamedata import GameData
from guildmaster.knowledge.model import ActiveEvent, Content, Tile
from guildmaster.planning.domains.state import GameState


def _event(tile: Tile, code: str, expiration: str) -> ActiveEvent:
    """A fake event putting monster ``code`` on ``tile``."""
    shown = replace(tile, content=Content(type="monster", code=code))
    return ActiveEvent(
        code=f"ev_{code}", name="test", tile=shown, expiration=expiration, previous=tile
    )


def _weakest(gamedata: GameData) -> str:
    """The code of the lowest-level monster."""
    return min(gamedata.monsters.values(), key=lambda m: (m.level, m.code)).code


def test_a_rebuilt_world_reuses_the_predictors_and_predicts_the_same() -> None:
    clock = VirtualClock()

    async def scenario() -> GameState:
        async with session(generated_world(7), clock) as s:
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=clock)
            await agent.sense()
            return agent.state

    state = clock.run(scenario())
    gamedata = GameData.from_snapshot(generated_world(7))
    monster = _weakest(gamedata)
    old = PlayerWorld.build(gamedata, fight_samples=8, scoring_samples=4)
    before = old.facts.predict_fight(state, monster)
    tile = gamedata.maps[("overworld", 0, 0)]
    changed = gamedata.with_active_events((_event(tile, monster, ""),))
    new = PlayerWorld.build(changed, fight_samples=8, scoring_samples=4, reuse=old)
    assert new is not old and new.gamedata is changed
    assert new.facts.predictor is old.facts.predictor
    assert new.scoring.predictor is old.scoring.predictor
    fresh = PlayerWorld.build(changed, fight_samples=8, scoring_samples=4)
    assert new.facts.predict_fight(state, monster) == fresh.facts.predict_fight(state, monster)
    assert new.facts.predict_fight(state, monster) == before
    # Other sample counts: the old predictor does not fit, a new one is made.
    other = PlayerWorld.build(changed, fight_samples=16, scoring_samples=4, reuse=old)
    assert other.facts.predictor is not old.facts.predictor
    assert other.facts.predictor.samples == 16
    assert other.scoring.predictor is old.scoring.predictor


def test_the_agent_keeps_its_fight_predictions_when_the_events_change() -> None:
    clock = VirtualClock()

    async def scenario() -> tuple[Any, Any, Any, set[str]]:
        async with session(generated_world(7), clock) as s:
            agent = CharacterAgent(s.name, client=s.client, gamedata=s.gamedata, clock=clock)
            await agent.sense()
            world = agent.world
            near = s.gamedata.maps[("overworld", 0, 0)]
            ends = (clock.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
            agent.events.running = (_event(near, _weakest(s.gamedata), ends),)
            agent._sync_events(agent.state)
            shown = {e.code for e in agent.world.gamedata.active_events}
            return world, agent.world, agent.selector.world, shown

    old, new, selected, shown = clock.run(scenario())
    assert shown and new is not old and selected is new  # rebuilt for the new event
    assert new.facts.predictor is old.facts.predictor
    assert new.scoring.predictor is old.scoring.predictor
