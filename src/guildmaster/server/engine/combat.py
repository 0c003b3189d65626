"""The fight simulator: turn order, damage, crits and every in-fight effect (MECHANICS §4, §25).

Choices where the rules are uncertain (each is a :class:`RuleSettings` knob where it matters):

* Turn order is initiative, then current HP, then a seeded random key; the order cycles and a
  dead combatant's slot is skipped without using a turn. The monster targets the living
  character with the highest threat (ties: random).
* One crit roll per attack, applied to every element hit, each hit rounded half up.
* Start of the actor's turn: openers (poison/burn on the bearer's first turn), poison tick less
  antipoison, burn tick (then decay), restore, splash_restore, healing, reconstitution, barrier
  refresh, void_drain, healing_aura, protective_bubble, guard. Then the attack.
* Per hit: sun_shield, guard redirect, barrier, HP; then greed / berserker_rage / shell
  thresholds, enchanted_mirror reflection and corrupted stacking. After a crit: lifesteal,
  frenzy, vampiric_strike.
* Poison, burn and void_drain bypass barriers; a monster's starting HP is ``Fighter.hp`` (so a
  raid's shared pool can be passed in); character boosts to max HP vanish after the fight.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence

from guildmaster.server.engine.combatant import (
    Fighter,
    FightOutcome,
    FightResult,
    Utility,
    _State,
    _Utility,
)
from guildmaster.server.engine.damage import critical_hit, element_hit
from guildmaster.server.engine.rounding import round_half_up
from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings
from guildmaster.server.engine.stats import ELEMENTS, Element

__all__ = [
    "FIGHT_EFFECT_CODES",
    "IGNORED_EFFECT_CODES",
    "FightResult",
    "Fighter",
    "Utility",
    "simulate_fight",
]

logger = logging.getLogger(__name__)

_BOSS_TYPES = frozenset({"boss", "raid_boss"})

FIGHT_EFFECT_CODES: frozenset[str] = frozenset(
    {
        "poison", "antipoison", "burn", "lifesteal", "healing", "reconstitution", "barrier",
        "corrupted", "berserker_rage", "frenzy", "void_drain", "protective_bubble", "sun_shield",
        "greed", "enchanted_mirror", "shell", "guard", "healing_aura", "vampiric_strike",
        "restore", "splash_restore", "boost_hp",
    }
    | {f"boost_{kind}_{e}" for kind in ("dmg", "res") for e in ELEMENTS}
)  # fmt: skip
"""Every combat effect code the simulator implements (§4.6)."""

IGNORED_EFFECT_CODES: frozenset[str] = frozenset({"christmas_magic"})
"""Combat effect codes deliberately without a mechanic (no holder in the data)."""


def simulate_fight(
    characters: Sequence[Fighter],
    monster: Fighter,
    rng: random.Random,
    *,
    monster_type: str = "normal",
    rules: RuleSettings = DEFAULT_RULES,
    keep_logs: bool = True,
) -> FightResult:
    """Play one fight of 1-3 characters against a monster; deterministic for a given ``rng``.

    Raises:
        ValueError: if there is no character or two combatants share a name.
    """
    if not characters:
        raise ValueError("a fight needs at least one character")
    names = [c.name for c in characters] + [monster.name]
    if len(set(names)) != len(names):
        raise ValueError(f"combatant names must be unique: {names}")
    return _Fight(characters, monster, rng, monster_type, rules, keep_logs).run()


def _state_of(fighter: Fighter, index: int, *, is_monster: bool) -> _State:
    utilities = [
        _Utility(slot=u.slot, code=u.code, quantity=u.quantity, effects=dict(u.effects))
        for u in fighter.utilities
        if u.quantity > 0
    ]
    effects: dict[str, int] = {}
    for code, value in fighter.effects:
        effects[code] = effects.get(code, 0) + value
    hp = max(0, min(fighter.hp, fighter.stats.max_hp))
    return _State(
        name=fighter.name,
        is_monster=is_monster,
        stats=fighter.stats,
        hp=hp,
        max_hp=fighter.stats.max_hp,
        effects=effects,
        utilities=utilities,
        index=index,
        alive=hp > 0,
    )


class _Fight:
    """One fight in progress; all mutation is confined to this object."""

    def __init__(
        self,
        characters: Sequence[Fighter],
        monster: Fighter,
        rng: random.Random,
        monster_type: str,
        rules: RuleSettings,
        keep_logs: bool,
    ) -> None:
        self.rng = rng
        self.rules = rules
        self.monster_type = monster_type
        self.keep_logs = keep_logs
        self.logs: list[str] = []
        self.turn = 0
        self.chars = [_state_of(c, i, is_monster=False) for i, c in enumerate(characters)]
        self.monster = _state_of(monster, len(self.chars), is_monster=True)
        if not self.monster.alive:  # a monster always starts alive, at full HP if unset
            self.monster.hp = self.monster.max_hp
            self.monster.alive = True
        self.original_max = {c.name: c.stats.max_hp for c in characters}

    # ----------------------------------------------------------------- helpers
    def log(self, line: str) -> None:
        """Append a log line (skipped entirely when logs are off)."""
        if self.keep_logs:
            self.logs.append(line)

    def allies(self, s: _State) -> list[_State]:
        """Living members of ``s``'s side, including ``s``."""
        side = [self.monster] if s.is_monster else self.chars
        return [x for x in side if x.alive]

    def enemies(self, s: _State) -> list[_State]:
        """Living members of the opposing side."""
        side = self.chars if s.is_monster else [self.monster]
        return [x for x in side if x.alive]

    def counter(self, s: _State) -> int:
        """The "played turns" count used by periodic effects of ``s``."""
        return s.own_turns if self.rules.played_turns == "own" else self.turn

    def hp_tag(self, s: _State) -> str:
        """``Name HP: a/b`` for log lines."""
        return f"{s.name} HP: {max(0, s.hp)}/{s.max_hp}"

    def decided(self) -> bool:
        """True once the monster or every character is down."""
        return not self.monster.alive or not any(c.alive for c in self.chars)

    def consume(self, owner: _State, utility: _Utility) -> None:
        """Use one unit of a utility stack."""
        utility.used += 1
        self.log(f"{owner.name} used {utility.code}.")

    # ------------------------------------------------------------------- setup
    def start(self) -> list[_State]:
        """Apply fight-start effects and return the turn order."""
        for c in self.chars:
            self.apply_boosts(c)
        for s in [*self.chars, self.monster]:
            if s.effect("barrier") > 0:
                s.barrier = s.effect("barrier")
        opening = " vs ".join(
            [", ".join(self.hp_tag(c) for c in self.chars), self.hp_tag(self.monster)]
        )
        self.log(f"Fight start: {opening}")
        everyone = [*self.chars, self.monster]
        keys = {s.name: self.rng.random() for s in everyone}
        return sorted(everyone, key=lambda s: (-s.stats.initiative, -s.hp, keys[s.name]))

    def apply_boosts(self, c: _State) -> None:
        """``boost_*`` utilities act for the whole fight from its start (§4.6)."""
        for u in c.utilities:
            boosted = False
            for code, value in u.effects.items():
                if code == "boost_hp":
                    c.max_hp += value
                    c.hp += value
                    boosted = True
                elif code.startswith(("boost_dmg_", "boost_res_")):
                    element = code.rsplit("_", 1)[1]
                    if element in ELEMENTS:
                        target = c.dmg_boost if code.startswith("boost_dmg_") else c.res_boost
                        key: Element = element
                        target[key] = target.get(key, 0) + value
                        boosted = True
            if boosted and self.rules.boost_consumed_per_fight:
                self.consume(c, u)

    # -------------------------------------------------------------------- loop
    def run(self) -> FightResult:
        """Play turns until a side is down or the turn cap is reached."""
        order = self.start()
        pos = 0
        while self.turn < self.rules.max_fight_turns and not self.decided():
            actor = order[pos % len(order)]
            pos += 1
            if not actor.alive:
                continue
            self.turn += 1
            for s in order:
                s.shield_hit_this_turn = False
            self.play_turn(actor)
        return self.result()

    def play_turn(self, actor: _State) -> None:
        """One combatant's turn: start-of-turn effects, then its attack."""
        actor.own_turns += 1
        self.start_of_turn(actor)
        if actor.alive and not self.decided():
            self.attack(actor)
        self.end_of_turn(actor)

    def end_of_turn(self, actor: _State) -> None:
        """Expire buffs that last "until the end of the bearer's next turn"."""
        if actor.frenzy_until is not None and actor.own_turns >= actor.frenzy_until:
            actor.frenzy_until = None
        if actor.shell_until is not None and self.counter(actor) >= actor.shell_until:
            actor.shell_until = None

    # -------------------------------------------------------- start of turn
    def start_of_turn(self, actor: _State) -> None:
        """Effects that trigger at the start of the actor's turn, in §25 order."""
        if actor.own_turns == 1:
            self.apply_openers(actor)
        self.tick_poison(actor)
        if actor.alive:
            self.tick_burn(actor)
        if not actor.alive:
            return
        self.restore(actor)
        self.splash_restore(actor)
        n = self.counter(actor)
        self.periodic(actor, n)
        if actor.effect("protective_bubble") > 0:
            choices = [e for e in ELEMENTS if e != actor.bubble]
            actor.bubble = self.rng.choice(choices)
            self.log(f"{actor.name} is protected against {actor.bubble}.")
        self.choose_guard(actor)

    def apply_openers(self, actor: _State) -> None:
        """Poison and burn are applied to the opponents on the bearer's first turn."""
        poison = actor.effect("poison")
        burn = actor.effect("burn")
        for enemy in self.enemies(actor):
            if poison > 0 and poison >= enemy.poison:
                enemy.poison, enemy.poison_from = poison, actor.name
                self.log(f"{actor.name} poisoned {enemy.name} ({poison}).")
            if burn > 0:
                source = actor if self.rules.burn_source == "bearer" else enemy
                amount = round_half_up(source.total_attack() * burn / 100)
                if amount > 0:
                    enemy.burn, enemy.burn_from = amount, actor.name
                    self.log(f"{actor.name} set {enemy.name} on fire ({amount}).")

    def tick_poison(self, actor: _State) -> None:
        """The poisoned side loses HP at each of its turns, less any antipoison."""
        if actor.poison <= 0:
            return
        damage = actor.poison
        per_trigger = self.rules.antipoison_consumed_per_trigger
        anti = actor.antipoison
        if anti is None or per_trigger:
            anti = actor.utility_with("antipoison")
        if anti is not None:
            damage = max(0, damage - anti.effects["antipoison"])
            if per_trigger or actor.antipoison is None:
                # per-fight mode: the first trigger pays one unit and covers the whole fight
                actor.antipoison = anti
                self.consume(actor, anti)
        if damage > 0:
            self.dot(actor, damage, actor.poison_from, "poison")

    def tick_burn(self, actor: _State) -> None:
        """Burn hits every turn and shrinks by the decay factor after each tick."""
        if actor.burn <= 0:
            return
        self.dot(actor, actor.burn, actor.burn_from, "burn")
        actor.burn = math.floor(actor.burn * self.rules.burn_decay + 1e-9)

    def restore(self, actor: _State) -> None:
        """``restore`` utility: heal when more than half the HP is lost, one unit per trigger."""
        if actor.is_monster or not self.lost_over_threshold(actor):
            return
        u = actor.utility_with("restore")
        if u is None or (not self.rules.restore_retriggers and u.used > 0):
            return
        healed = actor.heal(u.effects["restore"])
        self.consume(actor, u)
        self.log(f"{actor.name} restored {healed} HP. {self.hp_tag(actor)}")

    def splash_restore(self, actor: _State) -> None:
        """``splash_restore`` utility heals the ally with the largest loss if below half HP."""
        u = actor.utility_with("splash_restore")
        if u is None:
            return
        others = [a for a in self.allies(actor) if a is not actor]
        if not others:
            return
        target = max(others, key=lambda a: (a.max_hp - a.hp, -a.index))
        if not self.lost_over_threshold(target):
            return
        healed = target.heal(u.effects["splash_restore"])
        self.consume(actor, u)
        self.log(f"{actor.name} splashed {target.name} for {healed} HP. {self.hp_tag(target)}")

    def lost_over_threshold(self, s: _State) -> bool:
        """True if ``s`` has lost more than the restore threshold of its max HP."""
        return (s.max_hp - s.hp) * 100 > self.rules.restore_threshold_percent * s.max_hp

    def periodic(self, actor: _State, n: int) -> None:
        """Every-N-turns effects: healing, reconstitution, barrier, void_drain, healing_aura."""
        value = actor.effect("healing")
        if value > 0 and n % 3 == 0:
            healed = actor.heal(actor.percent_of_max(value))
            self.log(f"{actor.name} healed {healed} HP. {self.hp_tag(actor)}")
        value = actor.effect("reconstitution")
        if value > 0 and (n % value == 0 if self.rules.reconstitution_periodic else n == value):
            actor.hp = actor.max_hp
            self.log(f"{actor.name} reconstituted. {self.hp_tag(actor)}")
        value = actor.effect("barrier")
        if value > 0 and n % 5 == 0:
            actor.barrier = (
                value if self.rules.barrier_refresh == "reset" else actor.barrier + value
            )
            self.log(f"{actor.name} raised a barrier of {actor.barrier}.")
        value = actor.effect("void_drain")
        if value > 0 and n % 4 == 0:
            self.void_drain(actor, value)
        value = actor.effect("healing_aura")
        if value > 0 and n % 2 == 0:
            for ally in self.allies(actor):
                if ally is not actor:
                    healed = ally.heal(ally.percent_of_max(value))
                    self.log(f"{actor.name}'s aura healed {ally.name} for {healed} HP.")

    def void_drain(self, actor: _State, value: int) -> None:
        """Drain ``value`` % of every enemy's HP and heal the bearer by the total."""
        total = 0
        for enemy in self.enemies(actor):
            base = enemy.hp if self.rules.void_drain_uses_current_hp else enemy.max_hp
            amount = min(enemy.hp, round_half_up(base * value / 100))
            total += self.dot(enemy, amount, actor.name, "void drain")
        healed = actor.heal(total)
        self.log(f"{actor.name} drained {total} HP and healed {healed}. {self.hp_tag(actor)}")

    def choose_guard(self, actor: _State) -> None:
        """``guard``: protect the lowest-% ally below half HP until the bearer's next turn."""
        actor.guarding = None
        if actor.effect("guard") <= 0 or actor.guard_uses >= self.rules.guard_max_activations:
            return
        weak = [a for a in self.allies(actor) if a is not actor and a.hp * 2 < a.max_hp]
        if weak:
            target = min(weak, key=lambda a: (a.hp_percent(), a.index))
            actor.guarding = target.name
            actor.guard_uses += 1
            self.log(f"{actor.name} guards {target.name}.")

    # ------------------------------------------------------------------ attack
    def pick_target(self, actor: _State) -> _State:
        """Characters hit the monster; the monster hits the highest-threat living character."""
        if not actor.is_monster:
            return self.monster
        living = self.enemies(actor)
        top = max(c.stats.threat for c in living)
        tied = [c for c in living if c.stats.threat == top]
        return tied[0] if len(tied) == 1 else self.rng.choice(tied)

    def roll_crit(self, actor: _State) -> bool:
        """Roll a critical strike with probability ``critical_strike`` %."""
        chance = actor.stats.critical_strike
        if chance <= 0:
            return False
        if chance >= 100:
            return True
        return self.rng.random() * 100 < chance

    def damage_bonus(self, actor: _State) -> int:
        """Percent damage bonus from dmg plus berserker_rage, greed and allied frenzy."""
        bonus = actor.stats.dmg
        if actor.berserk:
            bonus += actor.effect("berserker_rage")
        bonus += actor.greed_steps * actor.effect("greed")
        side = [self.monster] if actor.is_monster else self.chars
        bonus += sum(s.effect("frenzy") for s in side if s.alive and s.frenzy_until is not None)
        return bonus

    def attack(self, actor: _State) -> None:
        """One attack: a separate hit per element with attack > 0 (§4.3)."""
        target = self.pick_target(actor)
        per_hit = self.rules.crit_roll == "hit"
        turn_crit = False if per_hit else self.roll_crit(actor)
        bonus = self.damage_bonus(actor)
        shield = target.effect("sun_shield")
        any_crit = False
        total = 0
        for e in ELEMENTS:
            attack = actor.stats.attack.get(e, 0)
            if attack <= 0:
                continue
            pct = bonus + actor.stats.dmg_element.get(e, 0) + actor.dmg_boost.get(e, 0)
            hit = element_hit(attack, pct, target.resistance(e))
            crit = self.roll_crit(actor) if per_hit else turn_crit
            if crit:
                hit = critical_hit(hit, self.rules.crit_multiplier)
                any_crit = True
            if shield > 0 and not target.shield_hit_this_turn:
                hit -= round_half_up(hit * shield / 100)
                if self.rules.sun_shield_per_element_hit:
                    target.shield_hit_this_turn = True
            total += self.hit(actor, target, hit, e, crit=crit)
            if target.effect("corrupted") > 0:
                target.corruption[e] = target.corruption.get(e, 0) + target.effect("corrupted")
            if not target.alive or not actor.alive:
                break
        if shield > 0:
            target.shield_hit_this_turn = True
        if any_crit and actor.alive:
            self.on_crit(actor, total)

    def on_crit(self, actor: _State, dealt: int) -> None:
        """Crit triggers: lifesteal, frenzy and vampiric_strike."""
        value = actor.effect("lifesteal")
        if value > 0:
            amount = round_half_up(actor.total_attack() * value / 100)
            if self.rules.lifesteal_capped_at_max_hp:
                healed = actor.heal(amount)
            else:
                actor.hp += amount
                healed = amount
            self.log(f"{actor.name} stole {healed} HP. {self.hp_tag(actor)}")
        if actor.effect("frenzy") > 0:
            actor.frenzy_until = actor.own_turns + 1
            self.log(f"{actor.name} is in a frenzy.")
        value = actor.effect("vampiric_strike")
        last = actor.last_vampiric_turn
        interval = self.rules.vampiric_interval_turns
        if value > 0 and (last is None or self.turn - last >= interval):
            others = [a for a in self.allies(actor) if a is not actor]
            if others:
                target = min(others, key=lambda a: (a.hp, a.index))
                healed = target.heal(round_half_up(dealt * value / 100))
                actor.last_vampiric_turn = self.turn
                self.log(f"{actor.name}'s vampiric strike healed {target.name} for {healed}.")

    def hit(self, src: _State, target: _State, amount: int, element: Element, *, crit: bool) -> int:
        """Apply one element hit (guard, barrier, HP, mirror); returns the damage dealt."""
        guard = next((g for g in self.allies(target) if g.guarding == target.name), None)
        if guard is not None and amount > 0:
            redirected = round_half_up(amount * guard.effect("guard") / 100)
            amount -= redirected
            self.take(guard, redirected, through_barrier=True)
            src.damage_dealt += redirected
            self.log(f"{guard.name} took {redirected} damage for {target.name}.")
        absorbed = self.take(target, amount, through_barrier=True)
        src.damage_dealt += amount
        if self.keep_logs:  # the hottest log line: skip formatting when logs are off
            prefix = "Critical strike! " if crit else ""
            shield = f" ({absorbed} absorbed by the barrier)" if absorbed else ""
            self.log(
                f"Turn {self.turn}: {prefix}{src.name} used {element} attack and dealt {amount} "
                f"damage{shield}. {self.hp_tag(target)}"
            )
        self.after_loss(target)
        if guard is not None:
            self.after_loss(guard)
        self.mirror(src, target, amount)
        return amount

    def mirror(self, src: _State, target: _State, amount: int) -> None:
        """``enchanted_mirror``: reflect a share of the damage taken, once per N turns."""
        value = target.effect("enchanted_mirror")
        last = target.last_mirror_turn
        if value <= 0 or amount <= 0 or not target.alive or not src.alive:
            return
        if last is not None and self.turn - last < self.rules.mirror_interval_turns:
            return
        target.last_mirror_turn = self.turn
        reflected = round_half_up(amount * value / 100)
        self.take(src, reflected, through_barrier=True)
        target.damage_dealt += reflected
        self.log(f"{target.name} reflected {reflected} damage. {self.hp_tag(src)}")
        self.after_loss(src)

    def dot(self, target: _State, amount: int, source: str, label: str) -> int:
        """Damage over time (poison, burn, drain); bypasses barriers by default."""
        self.take(target, amount, through_barrier=not self.rules.dots_bypass_barrier)
        for s in [*self.chars, self.monster]:
            if s.name == source:
                s.damage_dealt += amount
        self.log(
            f"Turn {self.turn}: {target.name} suffered {amount} {label} damage. "
            f"{self.hp_tag(target)}"
        )
        self.after_loss(target)
        return amount

    def take(self, target: _State, amount: int, *, through_barrier: bool) -> int:
        """Subtract damage, letting an active barrier absorb it first; returns the absorbed part."""
        if amount <= 0:
            return 0
        absorbed = 0
        if through_barrier and target.barrier > 0:
            absorbed = min(target.barrier, amount)
            target.barrier -= absorbed
        target.hp -= amount - absorbed
        return absorbed

    def after_loss(self, s: _State) -> None:
        """HP-threshold triggers (greed, berserker_rage, shell) and death."""
        if not s.alive:
            return
        if s.hp <= 0:
            s.hp = 0
            s.alive = False
            self.log(f"{s.name} has been defeated.")
            return
        if s.effect("greed") > 0:
            steps = min(10, (s.max_hp - s.hp) * 10 // s.max_hp)
            if steps > s.greed_steps:
                s.greed_steps = steps
        threshold = self.rules.berserker_threshold_percent
        if s.effect("berserker_rage") > 0 and not s.berserk and s.hp * 100 < threshold * s.max_hp:
            s.berserk = True
            self.log(f"{s.name} flies into a rage.")
        shell = self.rules.shell_threshold_percent
        if (
            s.effect("shell") > 0
            and not s.shell_used
            and self.monster_type in _BOSS_TYPES
            and s.hp * 100 < shell * s.max_hp
        ):
            s.shell_used = True
            s.shell_until = self.counter(s) + self.rules.shell_duration_turns
            self.log(f"{s.name} hides in its shell.")

    # ------------------------------------------------------------------ result
    def result(self) -> FightResult:
        """Summarise the fight."""
        outcome: FightOutcome
        if not self.monster.alive:
            outcome = "win"
        elif not any(c.alive for c in self.chars):
            outcome = "loss"
        elif self.monster_type == "raid_boss" and self.rules.raid_survive_is_win:
            outcome = "win"
        else:
            outcome = "loss"
        self.log(f"Fight result: {outcome} in {self.turn} turns.")
        final_hp = {
            c.name: max(0, min(c.hp, self.original_max[c.name])) if c.alive else 0
            for c in self.chars
        }
        used = {c.name: {u.slot: u.used for u in c.utilities if u.used > 0} for c in self.chars}
        dealt = {s.name: s.damage_dealt for s in [*self.chars, self.monster]}
        logger.debug(
            "fight %s vs %s: %s in %d turns", list(final_hp), self.monster.name, outcome, self.turn
        )
        return FightResult(
            result=outcome,
            turns=self.turn,
            logs=tuple(self.logs),
            final_hp=final_hp,
            utilities_used=used,
            monster_hp_left=max(0, self.monster.hp),
            damage_dealt=dealt,
        )
