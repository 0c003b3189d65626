"""The gear campaign: value a whole set of combat gear the character can make now, together.

One armour piece or ring alone rarely moves the combat rate enough to beat levelling, so
single pieces are never made, although a full set (every slot the character can fill with
something better, crafted, bought or farmed) changes which monsters it wins against and how
much it rests. :class:`GearCampaign` rates the set with the combat predictor on the monster
the character would then fight, counts the full cost (gathering, refining, drops: the
production bound of every piece) and the XP earned while making it, and proposes the piece
with the biggest gain per second first. The candidate keeps one key (``campaign:combat``)
while pieces remain, so the hysteresis of goal selection keeps the campaign going piece by
piece until it is done or clearly worse. No item, monster or level is named here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from guildmaster.agent.candidates import Candidate, Rate
from guildmaster.agent.rates import Rater, gear_score
from guildmaster.planning.domains import EquipItem
from guildmaster.planning.domains.actions import has_levels_for, is_slot_for
from guildmaster.planning.domains.facts import ItemInfo
from guildmaster.planning.domains.rules import MAX_LEVEL, xp_to_next_level
from guildmaster.planning.domains.state import EQUIPMENT_SLOTS, SKILLS, GameState

__all__ = ["CAMPAIGN_KEY", "GearCampaign", "Piece"]

#: The candidate key of the campaign (one key for all its pieces: hysteresis keeps it).
CAMPAIGN_KEY = "campaign:combat"
#: The set must improve the combat rate by at least this share.
_MIN_GAIN = 0.05
#: Production bound times this, plus a flat allowance per piece (walks, bank, equip).
_SLACK = 1.5
_OVERHEAD = 30.0
#: Prefixes of the set rated one by one (then the whole set).
_PREFIXES = 3
#: New combat rates the campaign may compute per decision.
_RATES = 2
#: A set is worn until the character is this many levels above its best piece...
_OUTLAST = 30
#: ...within this many selection horizons.
_HORIZONS = 8.0


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a set: wear ``code`` in ``slot``; ``gain`` (gear score) for ``seconds``."""

    slot: str
    code: str
    gain: float
    seconds: float


def _is_tool(item: ItemInfo) -> bool:
    return any(e.code in SKILLS and e.value < 0 for e in item.effects)


@dataclass
class GearCampaign:
    """The gear campaign of one character, rated by its :class:`~guildmaster.agent.rates.Rater`;
    caches the set's pieces by level, skills and gear."""

    rater: Rater
    _pieces: dict[tuple[object, ...], list[Piece]] = field(default_factory=dict, repr=False)

    def pieces(self, state: GameState) -> list[Piece]:
        """The best piece per slot the character can make, buy or farm now without training,
        better (by gear score) than what it wears; best gain per second first (cached by level,
        skills and gear; pieces owned since are left out)."""
        key = ("campaign", state.level, state.skills, state.equipment)
        found = self._pieces.get(key)
        if found is None:
            found = self._find_pieces(state)
            self._pieces[key] = found
        return [p for p in found if not state.owns(p.code)]

    def _find_pieces(self, state: GameState) -> list[Piece]:
        rater = self.rater
        facts = rater.world.facts
        empty = state.with_(inventory=type(state.inventory)(), bank=type(state.bank)())
        options: dict[str, list[tuple[float, str]]] = {}
        for item in facts.items():
            if not has_levels_for(state, item.conditions) or _is_tool(item):
                continue
            slots = [s for s in EQUIPMENT_SLOTS if is_slot_for(s, item)]
            if not slots or slots[0] in ("utility1", "utility2"):
                continue
            score = gear_score(item)
            if score <= 0:
                continue
            worn = sum(1 for _, c in state.equipment if c == item.code)
            if worn or state.owns(item.code):
                continue  # worn, or owned (wearing the best owned gear handles it)
            for slot in slots:
                options.setdefault(slot, []).append((score, item.code))
        pieces: list[Piece] = []
        chosen: set[str] = set()
        for slot in sorted(options):
            current = state.equipped(slot)
            have = gear_score(None if current is None else facts.item(current))
            for score, code in sorted(options[slot], reverse=True):
                if score <= have:
                    break
                if code in chosen or rater.requirements(state, code):
                    continue  # one copy per campaign; training is valued by the upgrade rater
                seconds = rater.production(empty, code)
                if not math.isfinite(seconds) or seconds <= 0:
                    continue
                pieces.append(Piece(slot, code, score - have, seconds * _SLACK + _OVERHEAD))
                chosen.add(code)
                break
        pieces.sort(key=lambda p: (-p.gain / p.seconds, p.slot))
        return pieces

    def _useful_seconds(self, state: GameState, pieces: Sequence[Piece], rate: float) -> float:
        """How long a set stays worth wearing: the time to level (at ``rate``) until the
        character is ``_OUTLAST`` levels above its best piece (one horizon at least)."""
        facts = self.rater.world.facts
        levels = [info.level for p in pieces if (info := facts.item(p.code)) is not None]
        top = min(MAX_LEVEL, max(levels, default=state.level) + _OUTLAST)
        xp = sum(xp_to_next_level(level) for level in range(state.level, top))
        floor = self.rater.config.horizon_seconds
        return min(max(floor, xp / max(rate, 1e-9)), floor * _HORIZONS)

    def candidate(self, state: GameState, base: Mapping[str, Rate | None]) -> Candidate | None:
        """Return the campaign candidate (its best next piece), or ``None`` when no set of
        pieces makeable now beats the current combat rate by enough to pay for itself."""
        rater = self.rater
        pieces = self.pieces(state)
        if not pieces:
            return None
        old = base.get("combat")
        floor = 0.0 if old is None else old.xp_per_second
        blend = 1.0
        if old is not None and old.xp_per_second > 0:
            # Scaled by what the model over-promises for the current combat rate.
            blend = rater.expected_rate("level:combat", old.xp_per_second) / old.xp_per_second
        # The best prefix of the pieces (best gain per second first): the whole set, or the
        # few pieces that pay for themselves within the horizon.
        best: tuple[float, int, float, float] | None = None
        dressed = state
        # Rated like single upgrades: against the current best monster and the next stronger
        # ones, a couple of new rates per decision.
        targets = rater.upgrade_targets(state)
        budget = rater.rated + _RATES
        for count, piece in enumerate(pieces, start=1):
            dressed = rater.wearing(dressed, piece.slot, piece.code)
            if count > _PREFIXES and count < len(pieces):
                continue
            if rater.rated >= budget:
                break  # the rest is rated at later decisions (rates are cached)
            new = rater.combat_rate(dressed, among=targets)
            if new is None or new.xp_per_second <= floor * (1 + _MIN_GAIN):
                continue
            rate = new.xp_per_second * blend
            taken = pieces[:count]
            cost = sum(p.seconds for p in taken)
            side = sum(rater.side_value(state, p.code, p.seconds) * p.seconds for p in taken)
            horizon = cost + self._useful_seconds(state, taken, rate)
            score = rater.horizon_value(state, "combat", rate, cost, side / cost, horizon=horizon)
            if score > 0 and (best is None or score > best[0]):
                best = (score, count, cost, rate)
        if best is None:
            return None
        score, count, cost, rate = best
        pieces = pieces[:count]
        first = pieces[0]
        goal = EquipItem(first.code, first.slot, ctx=rater.world.ctx)
        names = ", ".join(f"{p.slot}={p.code}" for p in pieces)
        detail = f"{len(pieces)} pieces ~{cost:.0f}s, {rate:.3f} xp/s vs {floor:.3f}: {names}"
        return Candidate(CAMPAIGN_KEY, goal, score, "combat", detail)
