"""``BankViews``: the team's true bank and what each character *believes* the bank holds.

Agents refresh their bank only through their own bank actions, so their views go stale while
teammates deposit and withdraw. A withdraw planned on a stale view fails with 478. This module
keeps both pictures and turns them into the ``avoid`` part of every piece of advice:

- the true bank comes from the agents' ``bank`` events (the server's own answers);
- a character's view is its state's bank, except for the items its last advice hid (those
  keep their last known value), and is reset to the truth by its own ``bank`` events;
- a character given a goal avoids every item except its reservation; a character left to
  plan alone may take unreserved items: the items the coordinator calls safe stay open to
  all, the others are *shares* (what the other characters' shares leave: together they never
  exceed the bank);
- units a character on its own deposits stay its own until it asks again: its goal was planned
  before they reached the bank (so no advice covers them) and may come back for them, while
  another character's share would otherwise hand them out (a 478 for the depositor).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from guildmaster.agent.advisor import Advice
from guildmaster.coordinator.store import CharacterName
from guildmaster.planning.domains import GameState

__all__ = ["BankViews"]


class BankViews:
    """The true bank, each character's view of it, and the bank side of advice.

    >>> views = BankViews()
    >>> views.observe_event("ann", {"ore": 10})
    >>> views.bank, views.view("ann"), views.view("bob")
    ({'ore': 10}, {'ore': 10}, {})
    """

    def __init__(self) -> None:
        self.bank: dict[str, int] = {}
        self._reported = False
        #: Whether :attr:`bank` was ever seen (a state or an event): only then do units that
        #: went up count as a deposit.
        self._known = False
        self._views: dict[CharacterName, dict[str, int]] = {}
        self._hidden: dict[CharacterName, frozenset[str]] = {}
        self._last_avoid: dict[CharacterName, frozenset[str]] = {}
        self._shares: dict[CharacterName, dict[str, int]] = {}
        self._open: dict[CharacterName, dict[str, int]] = {}
        self._deposited: dict[CharacterName, dict[str, int]] = {}
        #: Game time each item was last withdrawn by a character playing on its own.
        self.demanded_at: dict[str, float] = {}
        #: The most units of each item one bank action was seen to withdraw.
        self.largest_take: dict[str, int] = {}
        #: Game time each item was first seen in the bank.
        self.first_seen: dict[str, float] = {}

    @property
    def known(self) -> bool:
        """Whether the bank was seen (a character's state or a bank event)."""
        return self._known

    def view(self, name: CharacterName) -> dict[str, int]:
        """Return what ``name`` believes the bank holds (empty when unknown)."""
        return dict(self._views.get(name, {}))

    def observe_state(self, name: CharacterName, state: GameState) -> None:
        """Take ``name``'s state: its view (hidden items keep their last value), and the true
        bank until the first ``bank`` event arrived."""
        hidden = self._hidden.get(name, frozenset())
        old = self._views.get(name, {})
        view = dict(state.bank.items())
        for code in hidden:
            if code in old:
                view[code] = old[code]
        self._views[name] = view
        self._known = True
        if not self._reported:
            bank = dict(view)
            for code in hidden:
                if code in self.bank:
                    bank[code] = self.bank[code]
            self.bank = bank

    def observe_event(
        self,
        name: CharacterName,
        items: Mapping[str, int],
        *,
        now: float = 0.0,
        demand: bool = True,
    ) -> None:
        """Take the bank ``name``'s last bank action returned: the truth, and now its view
        (items that went down were just withdrawn, at game time ``now``; ``demand``: by a
        character playing on its own, whose deposits stay its own until it asks again)."""
        new = {str(c): int(q) for c, q in items.items()}
        deposited = self._deposited.setdefault(name, {})
        for code, qty in self.bank.items():
            if new.get(code, 0) < qty:
                taken = qty - new.get(code, 0)
                self.largest_take[code] = max(self.largest_take.get(code, 0), taken)
                if demand:
                    self.demanded_at[code] = now
                left = deposited.get(code, 0) - taken
                if left > 0:
                    deposited[code] = left
                else:
                    deposited.pop(code, None)
        if demand and self._known:
            for code, qty in new.items():
                if qty > self.bank.get(code, 0):
                    deposited[code] = deposited.get(code, 0) + qty - self.bank.get(code, 0)
        for code in new:
            self.first_seen.setdefault(code, now)
        self.bank = new
        self._reported = self._known = True
        self._views[name] = dict(self.bank)

    def stale(self, name: CharacterName, free: Mapping[str, int]) -> set[str]:
        """Return the items ``name`` believes the bank holds more of than ``free`` for it."""
        return {c for c, q in self._views.get(name, {}).items() if q > free.get(c, 0)}

    def exposed(self, name: CharacterName) -> set[str]:
        """Items another character may still withdraw on its own (its last advice allowed
        them and it believes the bank has some): not grantable until it asks again."""
        exposed: set[str] = set()
        for other, view in self._views.items():
            if other == name:
                continue
            allowed = self._last_avoid.get(other, frozenset())
            exposed.update(c for c, q in view.items() if q > 0 and c not in allowed)
        return exposed

    def shared(self, *, excluding: CharacterName | None = None) -> dict[str, int]:
        """Return the units characters planning alone may still withdraw: their shares, a
        load of every open item and what they deposited (until they ask again)."""
        total: dict[str, int] = {}
        for book in (self._shares, self._open, self._deposited):
            for other, shares in book.items():
                if other != excluding:
                    for code, qty in shares.items():
                        total[code] = total.get(code, 0) + qty
        return total

    def finish(
        self,
        name: CharacterName,
        advice: Advice,
        *,
        free: Mapping[str, int],
        opened: Collection[str] = (),
        load: int = 0,
    ) -> Advice:
        """Complete ``advice``'s ``avoid`` (module doc) and remember it.

        ``free`` is the bank less every reservation and the other characters' shares. A
        character planning alone may withdraw the items in ``opened`` (nobody can run short
        of them) and, of the others, what the others left it in ``free`` (its share: each
        such item is one character's at a time). Each open item counts as ``load`` units
        drawn by this character in :meth:`shared` until it asks again.
        """
        known = set(self.bank) | set(self._views.get(name, {}))
        self._shares.pop(name, None)
        self._open.pop(name, None)
        self._deposited.pop(name, None)
        if advice.goal is not None:
            avoid = advice.avoid | known
        else:
            candidates = known - advice.avoid
            open_now = candidates & set(opened)
            shares = {c: free[c] for c in sorted(candidates - open_now) if free.get(c, 0) > 0}
            self._shares[name] = shares
            # An open item counts ``load`` units drawn by this character until it asks again.
            self._open[name] = {c: load for c in open_now if load > 0}
            avoid = advice.avoid | (known - open_now)
            advice = replace(advice, reserved={**shares, **advice.reserved})
        advice = replace(advice, avoid=frozenset(avoid))
        self._hidden[name] = frozenset(c for c in advice.avoid if advice.reserved.get(c, 0) <= 0)
        self._last_avoid[name] = advice.avoid
        return advice
