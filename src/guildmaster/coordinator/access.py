"""``BankAccess``: who may take what out of the team's bank, under one access policy.

The bank is the whole account's: two characters planning against the same picture of it would
withdraw the same units, and one would be refused (478). Three things guard it:

- the :class:`~.ledger.ReservationLedger`: units set aside for one character's goal (a
  stage's craft, a bank-craft errand, a disposal);
- the *pipeline's inputs* (the plan's materials other than its product) and the items bank
  crafting *earmarked*: only ever handed out through a reservation;
- for characters playing on their own, the :class:`AccessPolicy`:

  - :class:`ClaimsPolicy` (the default): a character plans on the whole bank and asks
    :meth:`BankAccess.claim` right before each withdraw; each unit of the true bank is handed
    out once (less reservations and the others' claims), so no withdraw is refused and
    nobody re-gathers what the bank holds;
  - :class:`SharesPolicy`: a character sees the bank it may really use (plentiful items
    open to all, the rest as shares that never overdraw it; :class:`~.bankview.BankViews`),
    and hides every item its own view overstates.

Every desk completes its advice's ``avoid`` with :meth:`BankAccess.avoid`, and the coordinator
completes the bank side of every advice with :meth:`BankAccess.finish`.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from guildmaster.agent.advisor import Advice
from guildmaster.coordinator.ledger import ReservationLedger
from guildmaster.coordinator.lifecycle import PlanLifecycle
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView
from guildmaster.planning.domains import GameState

__all__ = ["AccessPolicy", "BankAccess", "BankSettings", "ClaimsPolicy", "SharesPolicy"]


class AccessPolicy(Protocol):
    """How characters on their own use the team's bank (a strategy of :class:`BankAccess`)."""

    #: Whether a bank-craft errand keeps its inputs for errands for good (hidden from all).
    earmarks: ClassVar[bool]

    def avoid(self, access: BankAccess, name: CharacterName) -> frozenset[str]:
        """Bank items ``name`` must not withdraw (beyond its own reservation)."""

    def finish(
        self, access: BankAccess, name: CharacterName, state: GameState, advice: Advice
    ) -> Advice:
        """Complete the bank side of ``advice`` for ``name`` in ``state``."""

    def claim(self, access: BankAccess, name: CharacterName, code: str, quantity: int) -> bool:
        """Whether ``name`` may withdraw ``quantity`` of ``code`` now."""

    def team_bank(self, access: BankAccess) -> dict[str, int] | None:
        """The bank a character should plan on, or ``None``: its own view."""


@dataclass(frozen=True)
class ClaimsPolicy:
    """Characters on their own plan on the whole bank and claim each withdrawal.

    Only the others' reservations, the pipeline's inputs and earmarked items are hidden; the
    rest is handed out unit by unit when a character withdraws (:meth:`BankAccess.claim`). An
    errand's reservation is enough: a withdrawal racing it is refused when it happens, so
    errands earmark nothing.
    """

    earmarks: ClassVar[bool] = False

    def avoid(self, access: BankAccess, name: CharacterName) -> frozenset[str]:
        """The others' reservations, the pipeline's inputs and the earmarked items."""
        taken = set(access.ledger.reserved(excluding=name))
        materials = access.pipeline_inputs()
        # Withdrawals are claimed when they happen: nothing else has to be hidden.
        return frozenset(taken | materials | access.earmarked)

    def finish(
        self, access: BankAccess, name: CharacterName, state: GameState, advice: Advice
    ) -> Advice:
        """A character on its own keeps ``advice`` as it is; one given a goal gets shares."""
        if advice.goal is None:
            return advice
        return access.share(name, state, advice)

    def claim(self, access: BankAccess, name: CharacterName, code: str, quantity: int) -> bool:
        """Whether the true bank less the others' reservations and claims holds them."""
        return access.take(name, code, quantity)

    def team_bank(self, access: BankAccess) -> dict[str, int] | None:
        """The true bank as the characters' bank actions last showed it (once seen)."""
        views = access.team.views
        return dict(views.bank) if views.known else None


@dataclass(frozen=True)
class SharesPolicy:
    """Characters on their own see the bank they may really use: shares and open items.

    A character's view is refreshed only by its own bank actions, so every item it believes
    the bank holds more of than is free for it is hidden (planning on it would withdraw units
    that are gone). Withdrawals are never refused here, so bank-craft errands earmark their
    inputs: nobody else takes those on its own again.
    """

    earmarks: ClassVar[bool] = True

    def avoid(self, access: BankAccess, name: CharacterName) -> frozenset[str]:
        """The items ``name``'s view overstates, the pipeline's inputs and earmarked items.

        A plentiful item is open even to a stale view, and reservations need no hiding: the
        others' shares come out of the free bank.
        """
        free = access.ledger.available(access.team.views.bank, for_owner=name)
        stale = access.team.views.stale(name, free)
        return frozenset(stale | access.pipeline_inputs() | access.earmarked)

    def finish(
        self, access: BankAccess, name: CharacterName, state: GameState, advice: Advice
    ) -> Advice:
        """Every character gets its shares of the bank."""
        return access.share(name, state, advice)

    def claim(self, access: BankAccess, name: CharacterName, code: str, quantity: int) -> bool:
        """Always: the shares already keep the characters apart."""
        return True

    def team_bank(self, access: BankAccess) -> dict[str, int] | None:
        """``None``: each character plans on its own view (its shares)."""
        return None


@dataclass(frozen=True)
class BankSettings:
    """Tuning of :class:`BankAccess`.

    ``policy``: how characters on their own use the bank; ``idle_window``: game seconds an
    item must lie unused in the bank (nobody on its own withdrew any) before errands may use
    it, and how long a withdrawal counts as the team needing the item.
    """

    policy: AccessPolicy = field(default_factory=ClaimsPolicy)
    idle_window: float = 7200.0


class BankAccess:
    """The team's bank access: reservations, claims, earmarks and the access policy.

    ``lifecycle`` tells which items are the pipeline's inputs (handed out by its stages only).
    """

    def __init__(
        self,
        team: TeamView,
        ledger: ReservationLedger,
        store: TeamStore,
        lifecycle: PlanLifecycle,
        *,
        settings: BankSettings | None = None,
    ) -> None:
        self.team = team
        self.ledger = ledger
        self.store = store
        self.lifecycle = lifecycle
        self.settings = settings or BankSettings()
        #: Units each character was allowed to withdraw and has not reported withdrawn yet.
        self._claims: dict[CharacterName, dict[str, int]] = {}
        #: Claims by outcome (``granted``, ``refused``), for the status.
        self.claim_counts: dict[str, int] = {}
        self._earmarked: set[str] = set(store.get("earmarked", []))

    @property
    def policy(self) -> AccessPolicy:
        """The access policy of characters on their own."""
        return self.settings.policy

    @property
    def earmarked(self) -> Set[str]:
        """Items kept for bank-craft errands for good (hidden from every character)."""
        return self._earmarked

    def pipeline_inputs(self) -> set[str]:
        """The active plan's materials only its stages take (see :class:`PlanLifecycle`)."""
        return self.lifecycle.inputs()

    # ----------------------------------------------------------------- policy

    def avoid(self, name: CharacterName) -> frozenset[str]:
        """Bank items ``name`` must not withdraw (beyond its own reservation): the pipeline's
        inputs and earmarked items always (withdrawn on its own, they would race the character
        the ledger granted them to), and what the policy hides besides."""
        return self.policy.avoid(self, name)

    def finish(self, name: CharacterName, state: GameState, advice: Advice) -> Advice:
        """Complete the bank side of ``advice`` for ``name`` (by the policy)."""
        return self.policy.finish(self, name, state, advice)

    def claim(self, name: CharacterName, code: str, quantity: int) -> bool:
        """Whether ``name`` may withdraw ``quantity`` of ``code`` now (by the policy)."""
        return self.policy.claim(self, name, code, quantity)

    def team_bank(self) -> dict[str, int] | None:
        """The bank the characters should plan on (by the policy), or ``None``."""
        return self.policy.team_bank(self)

    def earmark(self, codes: set[str]) -> set[str]:
        """Keep ``codes`` for errands for good when the policy earmarks; return the ones
        newly kept."""
        new = codes - self._earmarked if self.policy.earmarks else set()
        if new:
            self._earmarked |= new
            self.store.put("earmarked", sorted(self._earmarked))
        return new

    # ----------------------------------------------------------------- claims

    def take(self, name: CharacterName, code: str, quantity: int) -> bool:
        """Claim ``quantity`` of ``code`` for ``name`` if :meth:`claimable` (then they are its
        own until its next bank change); count the outcome."""
        if quantity > self.claimable(name, code):
            self.claim_counts["refused"] = self.claim_counts.get("refused", 0) + 1
            return False
        mine = self._claims.setdefault(name, {})
        mine[code] = mine.get(code, 0) + quantity
        self.claim_counts["granted"] = self.claim_counts.get("granted", 0) + 1
        return True

    def claimable(self, name: CharacterName, code: str) -> int:
        """Units of ``code`` ``name`` could claim now: the true bank less the others'
        reservations and claims, and less its own earlier claims."""
        free = self.ledger.available(self.team.views.bank, for_owner=name).get(code, 0)
        free -= self._claimed(excluding=name).get(code, 0)
        free -= self._claims.get(name, {}).get(code, 0)
        return max(0, free)

    def drop_claims(self, name: CharacterName) -> None:
        """``name`` decides again: what it claimed was taken or not."""
        self._claims.pop(name, None)

    def observe(
        self, name: CharacterName, items: Mapping[str, int], *, now: float, demand: bool
    ) -> None:
        """Take the bank ``name``'s bank action returned at game time ``now`` (``demand``: it
        plays on its own); its claims are spent, the truth now shows what it took."""
        self._claims.pop(name, None)
        self.team.views.observe_event(name, items, now=now, demand=demand)

    def _claimed(self, *, excluding: CharacterName | None = None) -> dict[str, int]:
        """Units the characters (but ``excluding``) claimed beyond their own reservations
        (those were already set aside for them)."""
        total: dict[str, int] = {}
        for other, claims in self._claims.items():
            if other == excluding:
                continue
            held = self.ledger.held(other)
            for code, qty in claims.items():
                extra = qty - held.get(code, 0)
                if extra > 0:
                    total[code] = total.get(code, 0) + extra
        return total

    # ----------------------------------------------------------------- shares

    def free_for(self, name: CharacterName) -> dict[str, int]:
        """The bank ``name`` may draw on: less every reservation, others' shares and the
        units others claimed."""
        views = self.team.views
        free = self.ledger.available(views.bank, for_owner=name)
        shared = views.shared(excluding=name)
        for code, qty in self._claimed(excluding=name).items():
            shared[code] = shared.get(code, 0) + qty
        return {c: q - shared.get(c, 0) for c, q in free.items() if q > shared.get(c, 0)}

    def share(self, name: CharacterName, state: GameState, advice: Advice) -> Advice:
        """Complete ``advice``'s ``avoid`` with ``name``'s shares of the free bank
        (:meth:`BankViews.finish`): items :meth:`safe` stay open to everyone."""
        free = self.free_for(name)
        views = self.team.views
        return views.finish(
            name, advice, free=free, opened=self.safe(name, free), load=state.inventory_max
        )

    def safe(self, name: CharacterName, free: Mapping[str, int]) -> set[str]:
        """Items every character on its own may take freely: the free bank holds more than
        every bag of the team plus one more (an errand's grant) could take (the others are
        one character's at a time, so two never race for the last units)."""
        plenty = (self.team.team_size + 1) * self.team.bag(name)
        return {c for c, q in free.items() if q >= plenty}

    def load(self, name: CharacterName, code: str) -> int:
        """The most units of ``code`` one character is expected to withdraw at once."""
        seen = self.team.views.largest_take.get(code)
        if seen is not None:
            return seen
        return self.team.bag(name)

    # ----------------------------------------------------------------- demand

    def idle(self, now: float) -> set[str]:
        """Bank items nobody playing alone has needed for ``idle_window`` game seconds (at
        game time ``now``): the by-products errands may use without taking what a character
        would come back for."""
        views, window = self.team.views, self.settings.idle_window
        return {
            c
            for c in views.bank
            if now - max(views.first_seen.get(c, now), views.demanded_at.get(c, -window)) >= window
        }

    def demanded(self, now: float) -> set[str]:
        """Items a character on its own withdrew within ``idle_window`` of ``now``."""
        window = self.settings.idle_window
        return {c for c, t in self.team.views.demanded_at.items() if now - t < window}
