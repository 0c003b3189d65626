"""Boss parties: find three characters who beat a boss together, then meet and fight.

:func:`find_boss_party` asks the combat predictor whether the team's three strongest available
characters win against a boss with at least 90 % probability (the highest such boss is
chosen). :class:`BossParty` is the rendezvous state machine::

    forming --(everyone arrived)--> assembled --(leader fights)--> fighting --> done
       \\--(deadline passes before everyone arrived)--> timeout

The first to arrive waits; the leader fights with the others as ``participants``; a party
that has not assembled by its deadline (game time) times out and everyone returns to solo work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from guildmaster.coordinator.store import CharacterName
from guildmaster.knowledge import CombatPredictor, CombatStats, GameData, Monster
from guildmaster.planning.domains import PartyRole

__all__ = [
    "MAX_LEVELS_BELOW",
    "PARTY_SIZE",
    "PARTY_TIMEOUT_GAME_SECONDS",
    "BossParty",
    "PartyCandidate",
    "PartyPhase",
    "boss_chances",
    "find_boss_party",
    "highest_winnable",
]

logger = logging.getLogger(__name__)

PartyPhase = Literal["forming", "assembled", "fighting", "done", "timeout"]
#: Members of a boss party (the leader plus two participants).
PARTY_SIZE: Final = 3
#: How long (game seconds) a party may take to assemble.
PARTY_TIMEOUT_GAME_SECONDS: Final = 600.0
#: A boss further below the strongest member pays reduced combat XP (MECHANICS: 4-level gap).
MAX_LEVELS_BELOW: Final = 4


@dataclass(frozen=True, slots=True)
class PartyCandidate:
    """A boss the party ``members`` (leader first) beats with ``win_probability``."""

    monster: str
    members: tuple[CharacterName, ...]
    win_probability: float


def boss_chances(
    gamedata: GameData,
    predictor: CombatPredictor,
    stats: Mapping[CharacterName, CombatStats],
    *,
    size: int = PARTY_SIZE,
    max_below: int = MAX_LEVELS_BELOW,
) -> list[PartyCandidate]:
    """Return the win chance of the ``size`` strongest of ``stats`` against each boss in
    reach, lowest boss level first (empty with fewer than ``size`` characters).

    Only bosses standing on a tile are considered, only those at most ten levels above the
    strongest member (the predictor is not asked about hopeless fights) and at most
    ``max_below`` levels below it (a lower boss pays reduced XP: not worth three characters'
    time).
    """
    if len(stats) < size:
        return []
    ranked = sorted(stats.items(), key=lambda p: (-p[1].level, -p[1].max_hp, p[0]))[:size]
    members = tuple(name for name, _ in ranked)
    party = [s for _, s in ranked]
    top = max(s.level for s in party)
    bosses: Sequence[Monster] = gamedata.combat_ladder(types={"boss"})
    found: list[PartyCandidate] = []
    for boss in bosses:
        if not top - max_below <= boss.level <= top + 10 or not gamedata.monster_tiles(boss.code):
            continue
        prediction = predictor.predict_party(party, boss, hps=[s.max_hp for s in party])
        found.append(PartyCandidate(boss.code, members, prediction.win_probability))
    return found


def find_boss_party(
    gamedata: GameData,
    predictor: CombatPredictor,
    stats: Mapping[CharacterName, CombatStats],
    *,
    min_win: float = 0.9,
    size: int = PARTY_SIZE,
    max_below: int = MAX_LEVELS_BELOW,
) -> PartyCandidate | None:
    """Return the highest-level boss the ``size`` strongest of ``stats`` beat with ``min_win``
    (the bosses considered are those of :func:`boss_chances`)."""
    chances = boss_chances(gamedata, predictor, stats, size=size, max_below=max_below)
    return highest_winnable(chances, min_win=min_win)


def highest_winnable(chances: Sequence[PartyCandidate], *, min_win: float) -> PartyCandidate | None:
    """Return the last of ``chances`` (lowest boss level first) won with ``min_win``."""
    winnable = [c for c in chances if c.win_probability >= min_win]
    return winnable[-1] if winnable else None


@dataclass
class BossParty:
    """The rendezvous of one boss party (times are the clock's ``now()`` datetimes)."""

    id: str
    monster: str
    location: tuple[str, int, int]
    members: tuple[CharacterName, ...]
    deadline: datetime
    phase: PartyPhase = "forming"
    arrived: set[CharacterName] = field(default_factory=set)
    won: bool | None = None

    @property
    def leader(self) -> CharacterName:
        """The member who sends the fight request."""
        return self.members[0]

    @property
    def participants(self) -> tuple[CharacterName, ...]:
        """The members fighting alongside the leader."""
        return self.members[1:]

    @property
    def is_active(self) -> bool:
        """Whether the party still binds its members (not done and not timed out)."""
        return self.phase in ("forming", "assembled", "fighting")

    def check(self, now: datetime) -> PartyPhase:
        """Time out a party still forming after its deadline; return the phase."""
        if self.phase == "forming" and now >= self.deadline:
            self.phase = "timeout"
            logger.info("party %s against %s timed out", self.id, self.monster)
        return self.phase

    def arrive(self, name: CharacterName, now: datetime) -> PartyPhase:
        """Record that ``name`` stands on the boss tile; assemble when everyone does.

        Raises:
            ValueError: ``name`` is not a member.
        """
        if name not in self.members:
            raise ValueError(f"{name} is not in party {self.id}")
        if self.check(now) != "forming":
            return self.phase
        self.arrived.add(name)
        if self.arrived >= set(self.members):
            self.phase = "assembled"
            logger.info("party %s assembled against %s", self.id, self.monster)
        return self.phase

    def leave(self, name: CharacterName) -> None:
        """Record that ``name`` left the tile while the party was forming."""
        if self.phase == "forming":
            self.arrived.discard(name)

    def start_fight(self, name: CharacterName) -> None:
        """The leader starts the fight.

        Raises:
            ValueError: ``name`` is not the leader or the party is not assembled.
        """
        if name != self.leader:
            raise ValueError(f"{name} does not lead party {self.id}")
        if self.phase != "assembled":
            raise ValueError(f"party {self.id} is {self.phase}, not assembled")
        self.phase = "fighting"

    def finish(self, *, won: bool) -> None:
        """Record the fight's outcome (the party is done)."""
        self.won = won
        self.phase = "done"

    def role(self, name: CharacterName, now: datetime) -> PartyRole | None:
        """Return what ``name`` does next: ``move``, ``wait``, ``fight`` or ``None`` (free)."""
        if name not in self.members or self.check(now) not in ("forming", "assembled"):
            return None
        if self.phase == "assembled":
            return "fight" if name == self.leader else "wait"
        return "wait" if name in self.arrived else "move"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (for the :class:`TeamStore`)."""
        return {
            "id": self.id,
            "monster": self.monster,
            "location": list(self.location),
            "members": list(self.members),
            "deadline": self.deadline.isoformat(),
            "phase": self.phase,
            "arrived": sorted(self.arrived),
            "won": self.won,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> BossParty:
        """Build from :meth:`to_json` output."""
        layer, x, y = d["location"]
        return cls(
            id=str(d["id"]),
            monster=str(d["monster"]),
            location=(str(layer), int(x), int(y)),
            members=tuple(str(m) for m in d["members"]),
            deadline=datetime.fromisoformat(str(d["deadline"])),
            phase=d["phase"],
            arrived=set(d.get("arrived") or ()),
            won=d.get("won"),
        )
