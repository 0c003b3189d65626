"""Configurable rule knobs: every value MECHANICS marks [uncertain] lives here, never in code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DEFAULT_RULES",
    "BarrierRefresh",
    "BurnSource",
    "CritRoll",
    "PlayedTurns",
    "RecycleDraw",
    "RoundingMode",
    "RuleSettings",
]

RoundingMode = Literal["half_up", "floor", "ceil"]
CritRoll = Literal["turn", "hit"]
PlayedTurns = Literal["own", "all"]
BarrierRefresh = Literal["reset", "add"]
BurnSource = Literal["bearer", "victim"]
RecycleDraw = Literal["weighted", "uniform_codes"]


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """All uncertain game-rule knobs, with the defaults MECHANICS recommends.

    >>> RuleSettings().max_fight_turns
    100
    >>> RuleSettings(crit_multiplier=2.0).crit_multiplier
    2.0
    """

    # --- economy / world (§11, §14, §18, §4.8)
    ge_listing_fee_percent: float = 3.0
    inventory_base: int = 100
    inventory_per_level: int = 2
    inventory_slots: int = 20
    transition_cooldown_seconds: int = 3
    death_respawn_hp: int = 1
    max_level: int = 50
    level_up_refills_hp: bool = False

    # --- experience (§3)
    xp_multiplier_normal: float = 1.0
    xp_multiplier_elite: float = 1.4
    xp_multiplier_boss: float = 2.0
    xp_multiplier_raid_boss: float = 2.0
    combat_xp_full_gap: int = 4
    """Level gap (character - monster) up to which combat XP is paid in full."""
    combat_xp_reduced_factor: float = 0.7
    combat_xp_cutoff_gap: int = 11
    """Level gap from which combat XP is 0 (the 0.7 band lies between)."""
    skill_xp_cutoff_gap: int = 11
    """Gathering/crafting: gap (skill - item/resource level) from which XP is 0."""
    skill_xp_middle_band_gap: int | None = None
    """If set, skill gaps from here up to the cut-off pay ``skill_xp_middle_factor``."""
    skill_xp_middle_factor: float = 0.7
    crafting_xp_round_per_run: bool = True
    wisdom_xp_per_point: float = 0.001

    # --- durations (§6.2)
    fight_cooldown_rounding: RoundingMode = "half_up"
    min_fight_seconds: int = 0
    gathering_cooldown_rounding: RoundingMode = "half_up"

    # --- combat (§4, §25)
    max_fight_turns: int = 100
    crit_multiplier: float = 1.5
    crit_roll: CritRoll = "turn"
    """``turn``: one crit roll per attack for every element hit; ``hit``: one roll per element."""
    played_turns: PlayedTurns = "own"
    """Whether "every N played turns" counts the bearer's own actions or all fight turns."""
    burn_decay: float = 0.9
    burn_source: BurnSource = "bearer"
    reconstitution_periodic: bool = True
    barrier_refresh: BarrierRefresh = "reset"
    dots_bypass_barrier: bool = True
    lifesteal_capped_at_max_hp: bool = True
    void_drain_uses_current_hp: bool = True
    sun_shield_per_element_hit: bool = True
    """True: only the first element hit of an incoming attack is reduced; False: all of it."""
    shell_threshold_percent: int = 40
    shell_duration_turns: int = 3
    berserker_threshold_percent: int = 25
    mirror_interval_turns: int = 3
    vampiric_interval_turns: int = 3
    guard_max_activations: int = 3
    restore_threshold_percent: int = 50
    restore_retriggers: bool = True
    antipoison_consumed_per_trigger: bool = False
    """False: one antipoison unit is consumed per fight in which it triggered."""
    boost_consumed_per_fight: bool = True
    raid_survive_is_win: bool = True

    # --- recycling (§9)
    recycle_draw: RecycleDraw = "weighted"

    def xp_type_multiplier(self, monster_type: str) -> float:
        """XP multiplier for a monster type (``normal``, ``elite``, ``boss``, ``raid_boss``)."""
        return {
            "elite": self.xp_multiplier_elite,
            "boss": self.xp_multiplier_boss,
            "raid_boss": self.xp_multiplier_raid_boss,
        }.get(monster_type, self.xp_multiplier_normal)


DEFAULT_RULES = RuleSettings()
