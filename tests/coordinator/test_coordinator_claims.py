"""Withdrawal claims: characters on their own plan on the whole bank; the coordinator hands out
units at withdraw time, so two never take the same units and a stale view never overdraws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_coordinator_sim import character

from guildmaster.agent.advisor import WithdrawClaims
from guildmaster.clock import VirtualClock
from guildmaster.coordinator import (
    BankSettings,
    ClaimsPolicy,
    Coordinator,
    CoordinatorSettings,
    DisposalSettings,
    ErrandSettings,
    PlanSettings,
    SharesPolicy,
    TeamStore,
)
from guildmaster.knowledge import GameData


@pytest.fixture(scope="module")
def real(snapshot_path: Path) -> GameData:
    return GameData.from_snapshot(json.loads(snapshot_path.read_text()))


def _team(real: GameData) -> tuple[Coordinator, str]:
    coordinator = Coordinator(
        real,
        TeamStore(),
        clock=VirtualClock(),
        characters=("ann", "bob"),
        settings=CoordinatorSettings(
            errands=ErrandSettings(enabled=False),
            plans=PlanSettings(enabled=False),
            disposals=DisposalSettings(enabled=False),
        ),
    )
    code = next(c for c, i in sorted(real.items.items()) if i.type == "resource")
    coordinator.report("ann", "bank", {"items": {code: 10}})
    return coordinator, code


def test_claims_hand_out_each_unit_once(real: GameData) -> None:
    coordinator, code = _team(real)
    assert isinstance(coordinator, WithdrawClaims)
    for name in ("ann", "bob"):
        advice = coordinator.advise(name, character(name, level=5))
        # On its own, nothing in the bank is hidden: claims guard the withdrawals instead.
        assert advice is not None and advice.goal is None and code not in advice.avoid
        # The bank feeds both: each counts half the banked food and potions as its own.
        assert advice.bank_share == 0.5
    assert coordinator.claim("ann", code, 6)
    assert not coordinator.claim("bob", code, 6)  # only 4 left that ann did not claim
    assert coordinator.claim("bob", code, 4)
    assert not coordinator.claim("ann", code, 1)
    # Ann's withdraw shows in the bank: her claim is spent, bob's stands.
    coordinator.report("ann", "bank", {"items": {code: 4}})
    assert not coordinator.claim("ann", code, 1)
    coordinator.report("bob", "bank", {"items": {}})
    assert not coordinator.claim("ann", code, 1)
    assert coordinator.status()["claims"] == {"granted": 2, "refused": 4}


def test_reservations_and_a_new_decision_release_claims(real: GameData) -> None:
    coordinator, code = _team(real)
    coordinator.ledger.reserve("bob", {code: 7}, bank={code: 10})
    assert not coordinator.claim("ann", code, 4)  # bob's reservation comes first
    assert coordinator.claim("bob", code, 7) and coordinator.claim("ann", code, 3)
    # Ann decides again before withdrawing: her claim is dropped.
    coordinator.advise("ann", character("ann", level=5))
    coordinator.ledger.release("bob")
    coordinator.report("bob", "bank", {"items": {code: 3}})
    assert coordinator.claim("ann", code, 3)


def test_off_coordinator_or_claims_off_never_refuses(real: GameData) -> None:
    coordinator, code = _team(real)
    coordinator.bank_access.settings = BankSettings(policy=SharesPolicy())
    assert coordinator.claim("ann", code, 100)
    coordinator.bank_access.settings = BankSettings(policy=ClaimsPolicy())
    coordinator.enabled = False
    assert coordinator.claim("ann", code, 100)
