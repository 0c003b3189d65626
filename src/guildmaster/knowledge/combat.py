"""The player's own fight predictor (MECHANICS §4), with per-monster calibration.

A small seeded Monte-Carlo: each sample plays the fight turn by turn with per-element damage,
damage bonuses and resistances, critical strikes, initiative order, the 100-turn cap and the
common monster/rune/utility effects (poison, burn, barrier, lifesteal, healing, reconstitution,
corrupted, berserker rage, greed, frenzy, void drain, protective bubble, sun shield, enchanted
mirror, restore and antipoison, boosts). Samples use common random numbers (the i-th sample
always draws the same uniforms for the same own-turn), so a strictly better loadout never gets a
lower estimate and repeated calls are deterministic. This never imports the server's engine.

Observed fights feed :meth:`CombatPredictor.observe`, which keeps per-monster corrections of the
win rate, the turn count and the HP lost.
"""

from __future__ import annotations

import functools
import logging
import math
import random
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from guildmaster.knowledge.model import ELEMENTS, Monster
from guildmaster.knowledge.stats import CombatStats
from guildmaster.planning.domains.rules import round_half_up

__all__ = [
    "MAX_TURNS",
    "CombatPredictor",
    "FightOutcome",
    "FightPrediction",
    "PartyPrediction",
    "hit_damage",
]

logger = logging.getLogger(__name__)

#: Hard cap on turns in one fight (both sides' actions count).
MAX_TURNS = 100
_SECONDS_PER_TURN = 2.0


def hit_damage(
    attack: Sequence[int],
    dmg_bonus: Sequence[int],
    res: Sequence[int],
    *,
    critical: bool = False,
) -> int:
    """Damage of one attack (MECHANICS §4.3): per element, bonus first, then resistance.

    Sequences are per element in ``ELEMENTS`` order; ``dmg_bonus`` is the attacker's total %
    bonus per element (``dmg + dmg_<e>``), ``res`` the defender's % resistances.

    >>> hit_damage((16, 0, 0, 0), (7, 7, 7, 7), (25, 0, 0, 0))
    13
    >>> hit_damage((0, 0, 0, 6), (2, 2, 2, 2), (0, 0, 0, 25), critical=True)
    6
    """
    total = 0
    for a, bonus, r in zip(attack, dmg_bonus, res, strict=True):
        if a <= 0:
            continue
        out = a + round_half_up(a * bonus / 100)
        total += max(0, out - round_half_up(out * r / 100))
    return round_half_up(total * 1.5) if critical else total


@functools.lru_cache(maxsize=4096)
def _plain_hit(
    attack: tuple[int, ...], dmg_bonus: tuple[int, ...], res: tuple[int, ...], critical: bool
) -> int:
    """:func:`hit_damage` for a hit no effect changes, remembered: a prediction plays the same
    few hits thousands of times."""
    return hit_damage(attack, dmg_bonus, res, critical=critical)


@dataclass(frozen=True, slots=True)
class FightPrediction:
    """Expected outcome of one fight; ``baseline`` is the uncalibrated estimate when calibrated."""

    monster: str
    win_probability: float
    expected_turns: float
    expected_hp_left: float
    expected_seconds: float
    start_hp: int
    samples: int
    baseline: FightPrediction | None = None

    @property
    def expected_hp_lost(self) -> float:
        """Expected HP lost over the fight."""
        return max(0.0, self.start_hp - self.expected_hp_left)


@dataclass(frozen=True, slots=True)
class FightOutcome:
    """What a real fight did (from the fight response)."""

    win: bool
    turns: int
    hp_left: int


@dataclass(slots=True)
class _Calibration:
    fights: int = 0
    wins: int = 0
    predicted_wins: float = 0.0
    turn_factor: float = 1.0
    damage_factor: float = 1.0


class _Fighter:
    """Mutable per-sample combatant state."""

    __slots__ = (
        "attack",
        "base_res",
        "bonus",
        "bubble",
        "burn",
        "crit",
        "dmg",
        "effects",
        "frenzy_left",
        "greed_steps",
        "hp",
        "max_hp",
        "mirror_turn",
        "own_turns",
        "poison",
        "raged",
        "res",
        "restore_left",
        "shield",
    )

    def __init__(
        self,
        *,
        hp: int,
        max_hp: int,
        attack: tuple[int, ...],
        dmg: tuple[int, ...],
        res: tuple[int, ...],
        crit: int,
        effects: dict[str, int],
        restore_units: int,
    ) -> None:
        self.hp = hp
        self.max_hp = max_hp
        self.attack = attack
        self.dmg = dmg
        self.res = list(res)
        self.base_res = res
        self.crit = crit
        self.effects = effects
        self.restore_left = restore_units
        self.own_turns = 0
        self.shield = effects.get("barrier", 0)
        self.poison = 0
        self.burn = 0
        self.bonus = 0
        self.frenzy_left = 0
        self.greed_steps = 0
        self.raged = False
        self.mirror_turn = -99
        self.bubble = -1


def _character_fighter(stats: CombatStats, hp: int) -> _Fighter:
    eff: dict[str, int] = {}
    for e in stats.effects:
        eff[e.code] = eff.get(e.code, 0) + e.value
    boost_hp = eff.get("boost_hp", 0)
    dmg = tuple(
        stats.dmg + stats.dmg_element[i] + eff.get(f"boost_dmg_{e}", 0)
        for i, e in enumerate(ELEMENTS)
    )
    res = tuple(stats.res[i] + eff.get(f"boost_res_{e}", 0) for i, e in enumerate(ELEMENTS))
    restore_units = dict(stats.utility_quantities).get("restore", 0)
    return _Fighter(
        hp=hp + boost_hp,
        max_hp=stats.max_hp + boost_hp,
        attack=stats.attack,
        dmg=dmg,
        res=res,
        crit=stats.critical_strike,
        effects=eff,
        restore_units=restore_units,
    )


def _monster_fighter(monster: Monster) -> _Fighter:
    eff: dict[str, int] = {}
    for e in monster.effects:
        eff[e.code] = eff.get(e.code, 0) + e.value
    return _Fighter(
        hp=monster.hp,
        max_hp=monster.hp,
        attack=tuple(monster.attack.get(e, 0) for e in ELEMENTS),
        dmg=(0, 0, 0, 0),
        res=tuple(monster.res.get(e, 0) for e in ELEMENTS),
        crit=monster.critical_strike,
        effects=eff,
        restore_units=0,
    )


def _start_of_turn(me: _Fighter, foe: _Fighter, turn: int, roll: float) -> None:
    eff = me.effects
    me.own_turns += 1
    if not eff and not me.poison and not me.burn:
        return  # the common case: nothing happens at the start of this turn
    if me.own_turns == 1:
        if eff.get("poison"):
            foe.poison = eff["poison"]
        if eff.get("burn"):
            foe.burn = round_half_up(sum(me.attack) * eff["burn"] / 100)
    if me.poison:
        me.hp -= max(0, me.poison - eff.get("antipoison", 0))
    if me.burn:
        me.hp -= me.burn
        me.burn = math.floor(me.burn * 0.9)
    if me.restore_left > 0 and me.hp * 2 < me.max_hp:
        me.hp = min(me.max_hp, me.hp + eff.get("restore", 0))
        me.restore_left -= 1
    if eff.get("healing") and me.own_turns % 3 == 0:
        me.hp = min(me.max_hp, me.hp + round_half_up(me.max_hp * eff["healing"] / 100))
    recon = eff.get("reconstitution", 0)
    if recon and me.own_turns % recon == 0:
        me.hp = me.max_hp
    if eff.get("barrier") and me.own_turns % 5 == 0:
        me.shield = eff["barrier"]
    if eff.get("void_drain") and me.own_turns % 4 == 0 and foe.hp > 0:
        drained = round_half_up(foe.hp * eff["void_drain"] / 100)
        foe.hp -= drained
        me.hp = min(me.max_hp, me.hp + drained)
    if eff.get("protective_bubble"):
        choices = [i for i in range(4) if i != me.bubble]
        me.bubble = choices[min(len(choices) - 1, int(roll * len(choices)))]


def _attack(me: _Fighter, foe: _Fighter, turn: int, crit_roll: float) -> None:
    is_crit = crit_roll * 100 < me.crit
    if not foe.effects and not me.effects and not me.bonus:
        # Fast path: no effect on either side can change this hit.
        foe.hp -= _plain_hit(me.attack, me.dmg, foe.base_res, is_crit)
        return
    bonus = me.bonus + (me.effects.get("frenzy", 0) if me.frenzy_left > 0 else 0)
    me.frenzy_left = max(0, me.frenzy_left - 1)
    res = list(foe.res)
    if foe.bubble >= 0:
        res[foe.bubble] += foe.effects.get("protective_bubble", 0)
    dmg = [d + bonus for d in me.dmg] if bonus else me.dmg
    total = hit_damage(me.attack, dmg, res, critical=is_crit)
    hit_elements = [i for i in range(4) if me.attack[i] > 0]
    if foe.effects.get("sun_shield"):
        total = round_half_up(total * (100 - foe.effects["sun_shield"]) / 100)
    if foe.shield > 0:
        absorbed = min(foe.shield, total)
        foe.shield -= absorbed
        total -= absorbed
    foe.hp -= total
    if foe.effects.get("corrupted"):
        for i in hit_elements:
            foe.res[i] -= foe.effects["corrupted"]
    if is_crit:
        if me.effects.get("lifesteal"):
            heal = round_half_up(sum(me.attack) * me.effects["lifesteal"] / 100)
            me.hp = min(me.max_hp, me.hp + heal)
        if me.effects.get("frenzy"):
            me.frenzy_left = 2
    mirror = foe.effects.get("enchanted_mirror", 0)
    if mirror and total > 0 and foe.hp > 0 and turn - foe.mirror_turn >= 6:
        me.hp -= round_half_up(total * mirror / 100)
        foe.mirror_turn = turn
    if foe.effects.get("berserker_rage") and not foe.raged and foe.hp * 4 < foe.max_hp:
        foe.raged = True
        foe.bonus += foe.effects["berserker_rage"]
    if foe.effects.get("greed") and foe.max_hp > 0:
        steps = max(0, (foe.max_hp - foe.hp) * 10 // foe.max_hp)
        if steps > foe.greed_steps:
            foe.bonus += (steps - foe.greed_steps) * foe.effects["greed"]
            foe.greed_steps = steps


@dataclass(frozen=True, slots=True)
class _Draws:
    """The random numbers of one sample: each character's attack rolls, the monster's rolls
    and its bubble rolls (one per own turn), and the initiative tie-breakers."""

    rolls: tuple[tuple[float, ...], ...]
    theirs: tuple[float, ...]
    bubbles: tuple[float, ...]
    ties: tuple[float, ...]

    @classmethod
    def of_sample(cls, seed: int, members: int) -> _Draws:
        """The draws of the sample seeded ``seed`` for a party of ``members``."""
        rng = random.Random(seed)
        span = MAX_TURNS // 2 + 1
        rolls = tuple(tuple(rng.random() for _ in range(span)) for _ in range(members))
        theirs = tuple(rng.random() for _ in range(span))
        bubbles = tuple(rng.random() for _ in range(span))
        ties = tuple(rng.random() for _ in range(members + 1))
        return cls(rolls, theirs, bubbles, ties)


def _play(
    party: Sequence[tuple[CombatStats, int]], monster: Monster, draws: _Draws
) -> tuple[bool, int, list[int]]:
    """Play one sample; return (win, turns played, each character's HP left).

    Combatants act in descending initiative (ties: higher HP, then a per-sample roll); dead
    characters are skipped; the monster hits the living character with the highest threat.
    """
    chars = [_character_fighter(stats, hp) for stats, hp in party]
    foe = _monster_fighter(monster)
    rolls, theirs, bubbles, ties = draws.rolls, draws.theirs, draws.bubbles, draws.ties
    fighters = [*chars, foe]
    inits = [stats.initiative for stats, _ in party] + [monster.initiative]
    starts = [hp for _, hp in party] + [monster.hp]
    order = sorted(range(len(fighters)), key=lambda i: (-inits[i], -starts[i], ties[i]))
    threat = [(stats.threat, -ties[i]) for i, (stats, _) in enumerate(party)]

    def left() -> list[int]:
        return [max(0, c.hp) for c in chars]

    single = chars[0] if len(chars) == 1 else None

    def is_party_dead() -> bool:
        if single is not None:
            return single.hp <= 0
        return all(c.hp <= 0 for c in chars)

    turn = 0
    cursor = 0
    while turn < MAX_TURNS:
        index = order[cursor % len(order)]
        cursor += 1
        actor = fighters[index]
        if actor.hp <= 0:
            continue
        turn += 1
        if actor is foe:
            if single is not None:
                target = single
            else:
                alive = [i for i, c in enumerate(chars) if c.hp > 0]
                target = chars[max(alive, key=lambda i: threat[i])]
            roll, bubble = theirs[actor.own_turns], bubbles[actor.own_turns]
        else:
            target = foe
            roll, bubble = rolls[index][actor.own_turns], 0.0
        _start_of_turn(actor, target, turn, bubble)
        if foe.hp <= 0:
            return True, turn, left()
        if is_party_dead():
            return False, turn, left()
        if actor.hp <= 0:
            continue
        _attack(actor, target, turn, roll)
        if is_party_dead():
            return False, turn, left()
        if foe.hp <= 0:
            return True, turn, left()
    return False, MAX_TURNS, left()


@dataclass(frozen=True, slots=True)
class PartyPrediction:
    """Expected outcome of a multi-character fight; per-member tuples follow the party order."""

    monster: str
    win_probability: float
    expected_turns: float
    expected_hp_left: tuple[float, ...]
    expected_seconds: tuple[float, ...]
    start_hp: tuple[int, ...]
    samples: int


class CombatPredictor:
    """Predicts fights by seeded Monte-Carlo and learns per-monster corrections.

    ``samples`` trades accuracy for speed (about 2 ms per 100 samples of a typical fight);
    predictions are cached (bounded LRU) by stats, monster and starting HP.
    """

    def __init__(
        self,
        *,
        samples: int = 200,
        seed: int = 0,
        cache_size: int = 2048,
        learning_rate: float = 0.2,
    ) -> None:
        self.samples = samples
        self.seed = seed
        self.learning_rate = learning_rate
        self._cache: OrderedDict[tuple[CombatStats, Monster, int], FightPrediction] = OrderedDict()
        self._cache_size = cache_size
        self._party_cache: OrderedDict[tuple[object, ...], PartyPrediction] = OrderedDict()
        self._calibration: dict[str, _Calibration] = {}
        self._sample_draws: dict[int, tuple[_Draws, ...]] = {}

    def predict_raw(
        self, stats: CombatStats, monster: Monster, *, hp: int | None = None
    ) -> FightPrediction:
        """Return the uncalibrated estimate of ``stats`` (at ``hp``, default current)."""
        start = stats.hp if hp is None else hp
        key = (stats, monster, start)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        party = self._simulate(((stats, start),), monster)
        prediction = FightPrediction(
            monster=monster.code,
            win_probability=party.win_probability,
            expected_turns=party.expected_turns,
            expected_hp_left=party.expected_hp_left[0],
            expected_seconds=party.expected_seconds[0],
            start_hp=start,
            samples=self.samples,
        )
        self._cache[key] = prediction
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return prediction

    def _draws(self, members: int) -> tuple[_Draws, ...]:
        """Every sample's random numbers for a party of ``members``: common random numbers,
        the same for every prediction, so they are drawn once."""
        found = self._sample_draws.get(members)
        if found is None:
            seeds = (self.seed * 1_000_003 + i for i in range(self.samples))
            found = self._sample_draws[members] = tuple(
                _Draws.of_sample(seed, members) for seed in seeds
            )
        return found

    def _simulate(
        self, party: tuple[tuple[CombatStats, int], ...], monster: Monster
    ) -> PartyPrediction:
        wins = 0
        turns = 0
        hp_left = [0] * len(party)
        for draws in self._draws(len(party)):
            win, t, left = _play(party, monster, draws)
            wins += win
            turns += t
            for j, hp in enumerate(left):
                hp_left[j] += hp
        n = max(1, self.samples)
        mean_turns = turns / n
        return PartyPrediction(
            monster=monster.code,
            win_probability=wins / n,
            expected_turns=mean_turns,
            expected_hp_left=tuple(h / n for h in hp_left),
            expected_seconds=tuple(
                _SECONDS_PER_TURN * mean_turns * (1 - stats.haste / 100) for stats, _ in party
            ),
            start_hp=tuple(hp for _, hp in party),
            samples=self.samples,
        )

    def predict_party(
        self,
        members: Sequence[CombatStats],
        monster: Monster,
        *,
        hps: Sequence[int] | None = None,
    ) -> PartyPrediction:
        """Return the estimate of several characters fighting ``monster`` together (bosses).

        Approximations: the monster's opening poison/burn and void drain hit its current target
        only; party-support effects (healing aura, guard, splash restore) are ignored.

        Raises:
            ValueError: ``members`` is empty or ``hps`` does not match it.
        """
        if not members:
            raise ValueError("a party needs at least one member")
        starts = tuple(hps) if hps is not None else tuple(m.hp for m in members)
        if len(starts) != len(members):
            raise ValueError("hps must give one value per member")
        party = tuple(zip(members, starts, strict=True))
        key = ("party", party, monster)
        cached = self._party_cache.get(key)
        if cached is None:
            cached = self._simulate(party, monster)
            self._party_cache[key] = cached
            if len(self._party_cache) > self._cache_size:
                self._party_cache.popitem(last=False)
        return cached

    def predict(
        self, stats: CombatStats, monster: Monster, *, hp: int | None = None
    ) -> FightPrediction:
        """Return the estimate corrected by what was observed against ``monster``."""
        raw = self.predict_raw(stats, monster, hp=hp)
        cal = self._calibration.get(monster.code)
        if cal is None or cal.fights == 0:
            return raw
        win_factor = (cal.wins + 1.0) / (cal.predicted_wins + 1.0)
        turns = raw.expected_turns * cal.turn_factor
        hp_lost = raw.expected_hp_lost * cal.damage_factor
        return replace(
            raw,
            win_probability=min(1.0, max(0.0, raw.win_probability * win_factor)),
            expected_turns=turns,
            expected_seconds=raw.expected_seconds * cal.turn_factor,
            expected_hp_left=max(0.0, raw.start_hp - hp_lost),
            baseline=raw,
        )

    def observe(self, monster: str, predicted: FightPrediction, actual: FightOutcome) -> None:
        """Learn from one real fight against ``monster`` that ``predicted`` had estimated."""
        base = predicted.baseline or predicted
        cal = self._calibration.setdefault(monster, _Calibration())
        cal.fights += 1
        cal.wins += int(actual.win)
        cal.predicted_wins += base.win_probability
        lr = self.learning_rate
        if base.expected_turns > 0 and actual.win:
            ratio = min(4.0, max(0.25, actual.turns / base.expected_turns))
            cal.turn_factor += lr * (ratio - cal.turn_factor)
        lost = base.start_hp - actual.hp_left
        if base.expected_hp_lost > 0 and actual.win:
            ratio = min(4.0, max(0.25, lost / base.expected_hp_lost))
            cal.damage_factor += lr * (ratio - cal.damage_factor)
        logger.debug(
            "calibration %s: %d fights, turn x%.2f, damage x%.2f",
            monster,
            cal.fights,
            cal.turn_factor,
            cal.damage_factor,
        )

    def export_calibration(self) -> dict[str, dict[str, float]]:
        """Return the learned corrections as plain JSON-ready data (to persist them)."""
        return {
            code: {
                "fights": cal.fights,
                "wins": cal.wins,
                "predicted_wins": cal.predicted_wins,
                "turn_factor": cal.turn_factor,
                "damage_factor": cal.damage_factor,
            }
            for code, cal in sorted(self._calibration.items())
        }

    def import_calibration(self, data: Mapping[str, Mapping[str, float]]) -> None:
        """Restore corrections saved by :meth:`export_calibration` (replacing current ones).

        Raises:
            ValueError: an entry lacks a field or has a negative count.
        """
        restored: dict[str, _Calibration] = {}
        for code, entry in data.items():
            try:
                cal = _Calibration(
                    fights=int(entry["fights"]),
                    wins=int(entry["wins"]),
                    predicted_wins=float(entry["predicted_wins"]),
                    turn_factor=float(entry["turn_factor"]),
                    damage_factor=float(entry["damage_factor"]),
                )
            except (KeyError, TypeError) as exc:
                raise ValueError(f"bad calibration entry for {code!r}") from exc
            if cal.fights < 0 or cal.wins < 0 or cal.wins > cal.fights:
                raise ValueError(f"bad calibration counts for {code!r}")
            restored[code] = cal
        self._calibration = restored

    def calibration(self, monster: str) -> tuple[int, float, float]:
        """Return (fights observed, turn factor, damage factor) for ``monster``."""
        cal = self._calibration.get(monster) or _Calibration()
        return cal.fights, cal.turn_factor, cal.damage_factor
