"""``PartyDesk``: forms boss parties from the team and tells each member what to do.

The desk runs the party search (:func:`~.party.boss_chances`) at most every ``interval`` game
seconds (once at least three characters are known), keeps every :class:`~.party.BossParty` in
the :class:`~.store.TeamStore`, and turns a member's position into a
:class:`~guildmaster.planning.domains.BossPartyGoal` (``move``, ``wait`` or, for the leader
once everyone is on the tile, ``fight``). Parties are off by default
(:attr:`PartySettings.enabled`); the :class:`~guildmaster.agent.character.CharacterAgent`
acts on every party goal's role and answers :meth:`PartyDesk.summoned`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from guildmaster.agent.advisor import Advice
from guildmaster.clock import Clock
from guildmaster.coordinator.access import BankAccess
from guildmaster.coordinator.party import (
    PARTY_SIZE,
    PARTY_TIMEOUT_GAME_SECONDS,
    BossParty,
    PartyCandidate,
    boss_chances,
    highest_winnable,
)
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView
from guildmaster.planning.domains import BossPartyGoal, GameState, PartyRole

__all__ = ["PartyDesk", "PartySettings"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartySettings:
    """Tuning of the :class:`PartyDesk`.

    ``enabled``: form parties at all; ``timeout``: game seconds a forming party waits for its
    members; ``interval``: game seconds between two party searches; ``min_win``: the win
    probability a party needs against its boss.
    """

    enabled: bool = False
    timeout: float = PARTY_TIMEOUT_GAME_SECONDS
    interval: float = 900.0
    min_win: float = 0.9


class PartyDesk:
    """Boss parties of one team, persisted, on game time."""

    def __init__(
        self,
        team: TeamView,
        store: TeamStore,
        bank_access: BankAccess,
        *,
        clock: Clock,
        settings: PartySettings | None = None,
    ) -> None:
        self.team = team
        self.store = store
        self.bank_access = bank_access
        self.clock = clock
        self.settings = settings or PartySettings()
        self._parties = {pid: BossParty.from_json(d) for pid, d in store.parties().items()}
        saved = store.get("next_party_check")
        self._next_check = None if saved is None else datetime.fromisoformat(str(saved))
        self._seq = int(store.get("party_seq", 0))
        self.best_chance: PartyCandidate | None = None
        """The best win chance of the last party check (the boss most likely beaten), kept
        even below ``min_win``: it tells why no party forms."""

    def advise(self, name: CharacterName, state: GameState) -> Advice | None:
        """Return ``name``'s party goal as advice, forming a party first when one is due
        (``None``: parties are off, or ``name`` is in none)."""
        if not self.settings.enabled:
            return None
        goal = self._member_goal(name, state)
        if goal is None and self._form():
            goal = self._member_goal(name, state)
        if goal is None:
            return None
        avoid = self.bank_access.avoid(name)
        return Advice(goal=goal, avoid=avoid, note=f"party:{goal.party} {goal.role}")

    def parties(self) -> tuple[BossParty, ...]:
        """Return every known party (active ones and the history)."""
        return tuple(self._parties.values())

    def _save(self, party: BossParty) -> None:
        self.store.save_party(party.id, party.to_json())

    def finish(self, party_id: str, *, won: bool) -> None:
        """Record the outcome of party ``party_id``'s fight (unknown ids are ignored)."""
        party = self._parties.get(party_id)
        if party is not None:
            party.finish(won=won)
            self._save(party)

    def summoned(self, name: CharacterName) -> bool:
        """Whether an active party (not yet timed out) counts on ``name`` (never while
        parties are off)."""
        if not self.settings.enabled:
            return False
        now = self.clock.now()
        for party in self._parties.values():
            if name not in party.members or party.phase not in ("forming", "assembled"):
                continue
            if party.phase == "assembled" or now < party.deadline:
                return True
        return False

    def leave(self, name: CharacterName) -> None:
        """``name`` left its party's tile (it died, or wandered off)."""
        for party in self._parties.values():
            if name in party.members and party.is_active:
                party.leave(name)
                self._save(party)

    def _member_goal(self, name: CharacterName, state: GameState) -> BossPartyGoal | None:
        now = self.clock.now()
        for party in list(self._parties.values()):
            if name not in party.members or not party.is_active:
                continue
            if party.phase == "fighting":
                # The leader asks again: its fight is over, whatever it reported.
                if name == party.leader:
                    party.finish(won=True)
                    self._save(party)
                    continue
                # The others keep still until the leader's fight is over (they fight in it).
                return self._goal(party, "wait")
            if state.location == party.location:
                party.arrive(name, now)
            else:
                party.leave(name)
            role = party.role(name, now)
            if role == "fight":
                party.start_fight(name)
            self._save(party)
            if role is None:
                continue
            return self._goal(party, role)
        return None

    def _goal(self, party: BossParty, role: PartyRole) -> BossPartyGoal:
        return BossPartyGoal(
            party.location,
            party=party.id,
            monster=party.monster,
            leader=party.leader,
            participants=party.participants,
            role=role,
            ctx=self.team.context,
        )

    def _form(self) -> bool:
        """Look for a party when due; return whether one was formed."""
        team = self.team.states
        if any(p.is_active for p in self._parties.values()) or len(team) < PARTY_SIZE:
            return False
        now = self.clock.now()
        if self._next_check is not None and now < self._next_check:
            return False
        self._next_check = self.clock.after_game(self.settings.interval)
        self.store.put("next_party_check", self._next_check.isoformat())
        stats = {n: self.team.facts.stats_for(s.with_(hp=s.max_hp)) for n, s in team.items()}
        chances = boss_chances(self.team.gamedata, self.team.predictor, stats)
        self.best_chance = max(chances, key=lambda c: c.win_probability, default=None)
        found = highest_winnable(chances, min_win=self.settings.min_win)
        if found is None:
            return False
        self._seq += 1
        self.store.put("party_seq", self._seq)
        party = BossParty(
            id=f"party-{self._seq}",
            monster=found.monster,
            location=self.team.gamedata.monster_tiles(found.monster)[0].key,
            members=found.members,
            deadline=self.clock.after_game(self.settings.timeout),
        )
        self._parties[party.id] = party
        self._save(party)
        logger.info(
            "party %s: %s against %s (win %.0f %%)",
            party.id,
            ", ".join(party.members),
            party.monster,
            100 * found.win_probability,
        )
        return True
