"""ReservationLedger: availability, expiry on game time, and no double grant (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from guildmaster.clock import VirtualClock
from guildmaster.coordinator import RESERVATION_GAME_SECONDS, ReservationLedger, TeamStore


def test_available_is_bank_minus_everyone_elses_reservations(clock: VirtualClock) -> None:
    ledger = ReservationLedger(TeamStore(), clock)
    bank = {"ore": 10, "wood": 4}
    assert ledger.reserve("ann", {"ore": 6, "wood": 9}, bank=bank) == {"ore": 6, "wood": 4}
    assert ledger.available(bank) == {"ore": 4}
    # Ann's own reservation counts as available to her.
    assert ledger.available(bank, for_owner="ann") == bank
    assert ledger.reserve("bob", {"ore": 6, "wood": 1}, bank=bank) == {"ore": 4}
    assert ledger.reserved() == {"ore": 10, "wood": 4}
    assert ledger.reserved(excluding="bob") == {"ore": 6, "wood": 4}


def test_a_new_grant_replaces_the_owners_previous_one(clock: VirtualClock) -> None:
    ledger = ReservationLedger(TeamStore(), clock)
    bank = {"ore": 10}
    ledger.reserve("ann", {"ore": 8}, bank=bank)
    assert ledger.reserve("ann", {"ore": 3}, bank=bank) == {"ore": 3}
    assert ledger.held("ann") == {"ore": 3}
    assert ledger.reserve("bob", {"ore": 9}, bank=bank) == {"ore": 7}


def test_release_consume_and_clear(clock: VirtualClock) -> None:
    ledger = ReservationLedger(TeamStore(), clock)
    bank = {"ore": 10, "gem": 2}
    ledger.reserve("ann", {"ore": 5, "gem": 2}, bank=bank)
    ledger.consume("ann", {"ore": 2})
    assert ledger.held("ann") == {"ore": 3, "gem": 2}
    ledger.release("ann")
    assert ledger.held("ann") == {}
    ledger.reserve("bob", {"ore": 1}, bank=bank)
    ledger.reserve("cat", {"gem": 1}, bank=bank)
    ledger.clear()
    assert ledger.owners() == {}


def test_reservations_expire_after_five_game_minutes(clock: VirtualClock) -> None:
    ledger = ReservationLedger(TeamStore(), clock)
    bank = {"ore": 10}
    ledger.reserve("ann", {"ore": 10}, bank=bank)
    clock.advance(RESERVATION_GAME_SECONDS - 1)
    assert ledger.reserve("bob", {"ore": 5}, bank=bank) == {}
    assert ledger.expire() == 1
    clock.advance(2)
    assert ledger.expire() == 0
    assert ledger.held("ann") == {}
    assert ledger.reserve("bob", {"ore": 5}, bank=bank) == {"ore": 5}


def test_expiry_is_game_time_on_a_fast_clock() -> None:
    clock = VirtualClock(scale=50.0)  # 50 game seconds per clock second
    ledger = ReservationLedger(TeamStore(), clock)
    ledger.reserve("ann", {"ore": 1}, bank={"ore": 1})
    clock.advance(RESERVATION_GAME_SECONDS / 50 - 0.5)
    assert ledger.held("ann") == {"ore": 1}
    clock.advance(1.0)
    assert ledger.held("ann") == {}


def test_renewing_a_reservation_renews_its_expiry(clock: VirtualClock) -> None:
    ledger = ReservationLedger(TeamStore(), clock)
    ledger.reserve("ann", {"ore": 2}, bank={"ore": 2})
    clock.advance(200)
    ledger.reserve("ann", {"ore": 2}, bank={"ore": 2})
    clock.advance(200)
    assert ledger.held("ann") == {"ore": 2}


_OWNERS = st.sampled_from(["ann", "bob", "cat", "dan", "eve"])
_CODES = st.sampled_from(["ore", "wood", "gem"])
_REQUEST = st.tuples(
    _OWNERS,
    st.dictionaries(_CODES, st.integers(min_value=0, max_value=15), max_size=3),
    st.sampled_from(["reserve", "release", "wait"]),
)


@settings(max_examples=150, deadline=None)
@given(
    bank=st.dictionaries(_CODES, st.integers(min_value=0, max_value=30), max_size=3),
    requests=st.lists(_REQUEST, min_size=1, max_size=40),
)
def test_interleaved_requests_never_grant_the_same_units_twice(
    bank: dict[str, int], requests: list[tuple[str, dict[str, int], str]]
) -> None:
    clock = VirtualClock()
    ledger = ReservationLedger(TeamStore(), clock)
    for owner, items, op in requests:
        if op == "reserve":
            granted = ledger.reserve(owner, items, bank=bank)
            assert all(0 < q <= items[c] for c, q in granted.items())
        elif op == "release":
            ledger.release(owner)
        else:
            clock.advance(100)
        # Every live grant together never exceeds what the bank holds.
        for code, total in ledger.reserved().items():
            assert total <= bank.get(code, 0), (code, total, bank)
        # So withdrawing every grant, in any order, always succeeds.
        left = dict(bank)
        for held in ledger.owners().values():
            for code, qty in held.items():
                left[code] -= qty
                assert left[code] >= 0
