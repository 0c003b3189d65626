"""Units a character on its own deposits stay its own until it asks again (the 478 of a
character withdrawing, later in the same goal, what it had just deposited while the
coordinator handed it to a teammate as a share)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_coordinator_sim import character

from guildmaster.agent.advisor import Advice
from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    BankSettings,
    Coordinator,
    CoordinatorSettings,
    ErrandSettings,
    SharesPolicy,
    TeamStore,
)
from guildmaster.coordinator.bankview import BankViews
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import GameState
from guildmaster.planning.state import Multiset


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _state(name: str, bank: dict[str, int]) -> GameState:
    return character(name, level=5).with_(bank=Multiset(bank))


def test_views_keep_a_solo_deposit_for_its_depositor_until_it_asks_again() -> None:
    views = BankViews()
    views.observe_event("ann", {"ore": 4})
    views.finish("ann", Advice(note="on its own"), free={"ore": 4})
    assert views.shared(excluding="ann") == {}
    # Ann deposits 56 ore mid-goal: none of it is the others' to take.
    views.observe_event("ann", {"ore": 60})
    assert views.shared(excluding="bob")["ore"] == 4 + 56
    # She takes 20 of it back: 36 of her deposit are still hers.
    views.observe_event("ann", {"ore": 40})
    assert views.shared(excluding="bob")["ore"] == 4 + 36
    # Bob's deposits are his; a character on an errand (not on its own) keeps nothing.
    views.observe_event("bob", {"ore": 45}, demand=True)
    views.observe_event("cid", {"ore": 50, "gem": 3}, demand=False)
    assert views.shared(excluding="ann") == {"ore": 5}
    assert views.shared(excluding="bob")["ore"] == 4 + 36
    assert "gem" not in views.shared()
    # Asking again ends it: the next advice's shares take over.
    views.finish("ann", Advice(note="on its own"), free={})
    assert views.shared(excluding="bob") == {}


def test_a_teammate_gets_no_share_of_what_a_character_just_deposited(real: GameData) -> None:
    names = ("ann", "bob")
    coordinator = Coordinator(
        real,
        TeamStore(),
        clock=VirtualClock(),
        characters=names,
        settings=CoordinatorSettings(
            errands=ErrandSettings(enabled=False),
            # Shares: what each character on its own may take.
            bank=BankSettings(policy=SharesPolicy()),
        ),
    )
    code = next(iter(sorted(real.items)))
    for name in names:
        advice = coordinator.advise(name, _state(name, {}))
        assert advice is not None and advice.goal is None
    # Ann (on its own, planned with an empty bank) deposits 56 units she will come back for.
    coordinator.report("ann", "bank", {"items": {code: 56}})
    bob = coordinator.advise("bob", _state("bob", {code: 56}))
    assert bob is not None
    assert code in bob.avoid and bob.reserved.get(code, 0) == 0
    # Once Ann asks again, the usual shares apply: the stock is hers to draw on.
    ann = coordinator.advise("ann", _state("ann", {code: 56}))
    assert ann is not None and ann.reserved.get(code, 0) == 56
