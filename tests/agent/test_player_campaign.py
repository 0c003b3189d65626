"""The gear campaign: the set of combat gear makeable now, rated and pursued as one goal."""

from __future__ import annotations

import pytest
from test_player_support import generated_world

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.campaign import CAMPAIGN_KEY, GearCampaign
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.rates import Rater, gear_score
from guildmaster.agent.selection import GoalSelector
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains import EquipItem
from guildmaster.planning.domains.state import SKILLS, GameState
from guildmaster.planning.state import Multiset


@pytest.fixture(scope="module")
def world() -> PlayerWorld:
    return PlayerWorld.build(GameData.from_snapshot(generated_world(7)), scoring_samples=16)


def _state(world: PlayerWorld, level: int) -> GameState:
    spawn = world.facts.locations("bank", "bank")[0]
    return GameState(
        location=spawn,
        hp=120,
        max_hp=120,
        level=level,
        skills=Multiset({s: 3 for s in SKILLS}),
        skill_xp=Multiset({s: 0 for s in SKILLS}),
    )


def _armed(campaign: GearCampaign, state: GameState) -> GameState:
    """``state`` wielding the first weapon of its set (the drops need winnable fights)."""
    weapon = next(p for p in campaign.pieces(state) if p.slot == "weapon")
    return campaign.rater.wearing(state, weapon.slot, weapon.code)


def test_unarmed_character_can_only_make_what_needs_no_fights(world: PlayerWorld) -> None:
    campaign = GearCampaign(Rater(world))
    unarmed = campaign.pieces(_state(world, 4))
    armed = campaign.pieces(_armed(campaign, _state(world, 4)))
    assert len(armed) > len(unarmed) >= 1


def test_set_pieces_are_makeable_better_and_ordered_by_gain_per_second(
    world: PlayerWorld,
) -> None:
    campaign = GearCampaign(Rater(world))
    state = _armed(campaign, _state(world, 4))
    pieces = campaign.pieces(state)
    assert len(pieces) >= 3
    assert len({p.slot for p in pieces}) == len(pieces)
    assert len({p.code for p in pieces}) == len(pieces)
    for piece in pieces:
        info = world.facts.item(piece.code)
        worn = state.equipped(piece.slot)
        have = gear_score(None if worn is None else world.facts.item(worn))
        assert info is not None and piece.gain == pytest.approx(gear_score(info) - have)
        assert piece.gain > 0
        assert not campaign.rater.requirements(state, piece.code)  # no training needed
        assert 0 < piece.seconds < float("inf")
    ratios = [p.gain / p.seconds for p in pieces]
    assert ratios == sorted(ratios, reverse=True)


def test_worn_and_owned_pieces_leave_the_set(world: PlayerWorld) -> None:
    campaign = GearCampaign(Rater(world))
    state = _armed(campaign, _state(world, 4))
    first, second, *_ = campaign.pieces(state)
    worn = campaign.rater.wearing(state, first.slot, first.code)
    banked = worn.with_(bank=worn.bank.add(second.code, 1))
    left = campaign.pieces(banked)
    assert first.slot not in {p.slot for p in left}
    assert second.code not in {p.code for p in left}


def test_campaign_candidate_starts_with_its_best_piece(world: PlayerWorld) -> None:
    selector = GoalSelector(world)
    campaign = selector.campaign
    state = _armed(campaign, _state(world, 4))
    base = {"combat": selector.rater.combat_rate(state)}
    found = None
    for _ in range(6):  # rates are computed a couple per decision
        found = campaign.candidate(state, base)
    assert found is not None and found.key == CAMPAIGN_KEY and found.score > 0
    assert isinstance(found.goal, EquipItem)
    assert found.goal.code == campaign.pieces(state)[0].code
    keys = {c.key for c in selector.candidates(state)}
    assert CAMPAIGN_KEY in keys
    off = GoalSelector(world, AgentConfig(gear_campaign=False))
    assert CAMPAIGN_KEY not in {c.key for c in off.candidates(state)}
