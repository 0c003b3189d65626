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

import logging
import math
import random
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from guildmaster.knowledge.model import ELEMENTS, Monster
from guildmaster.knowledge.stats import CombatStats

__all__ = [
    "MAX_TURNS",
    "CombatPredictor",
    "FightOutcome",
    "FightPrediction",
    "hit_damage",
    "round_half_up",
]

logger = logging.getLogger(__name__)

#: Hard cap on turns in one fight (both sides' actions count).
MAX_TURNS = 100
_SECONDS_PER_TURN = 2.0


def round_half_up(x: float) -> int:
    """Round like the game: .5 goes up (``floor(x + 0.5)``).

    >>> round_half_up(2.5), round_half_up(-3.4), round_half_up(1.49)
    (3, -3, 1)
    """
    return math.floor(x + 0.5)


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
    bonus = me.bonus + (me.effects.get("frenzy", 0) if me.frenzy_left > 0 else 0)
    me.frenzy_left = max(0, me.frenzy_left - 1)
    res = list(foe.res)
    if foe.bubble >= 0:
        res[foe.bubble] += foe.effects.get("protective_bubble", 0)
    total = hit_damage(me.attack, [d + bonus for d in me.dmg], res, critical=is_crit)
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


def _play(
    stats: CombatStats, monster: Monster, hp: int, rng: random.Random
) -> tuple[bool, int, int]:
    """Play one sample; return (win, turns, character hp left)."""
    me = _character_fighter(stats, hp)
    foe = _monster_fighter(monster)
    mine = [rng.random() for _ in range(MAX_TURNS // 2 + 1)]
    theirs = [rng.random() for _ in range(MAX_TURNS // 2 + 1)]
    bubbles = [rng.random() for _ in range(MAX_TURNS // 2 + 1)]
    tie = rng.random()
    if stats.initiative != monster.initiative:
        first = stats.initiative > monster.initiative
    elif hp != monster.hp:
        first = hp > monster.hp
    else:
        first = tie < 0.5
    order = (me, foe) if first else (foe, me)
    for turn in range(1, MAX_TURNS + 1):
        actor = order[(turn - 1) % 2]
        target = foe if actor is me else me
        k = actor.own_turns
        _start_of_turn(actor, target, turn, bubbles[k] if actor is foe else 0.0)
        if me.hp <= 0:
            return False, turn, 0
        if foe.hp <= 0:
            return True, turn, me.hp
        _attack(actor, target, turn, (mine if actor is me else theirs)[k])
        if foe.hp <= 0 and me.hp > 0:
            return True, turn, me.hp
        if me.hp <= 0:
            return False, turn, 0
    return False, MAX_TURNS, max(0, me.hp)


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
        self._calibration: dict[str, _Calibration] = {}

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
        wins = 0
        turns = 0
        hp_left = 0
        for i in range(self.samples):
            rng = random.Random(self.seed * 1_000_003 + i)
            win, t, left = _play(stats, monster, start, rng)
            wins += win
            turns += t
            hp_left += left
        n = max(1, self.samples)
        mean_turns = turns / n
        prediction = FightPrediction(
            monster=monster.code,
            win_probability=wins / n,
            expected_turns=mean_turns,
            expected_hp_left=hp_left / n,
            expected_seconds=_SECONDS_PER_TURN * mean_turns * (1 - stats.haste / 100),
            start_hp=start,
            samples=self.samples,
        )
        self._cache[key] = prediction
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return prediction

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

    def calibration(self, monster: str) -> tuple[int, float, float]:
        """Return (fights observed, turn factor, damage factor) for ``monster``."""
        cal = self._calibration.get(monster) or _Calibration()
        return cal.fights, cal.turn_factor, cal.damage_factor
