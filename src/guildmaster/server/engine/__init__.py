"""guildmaster.server.engine: the game rules as pure, seeded functions (MECHANICS §2-§12)."""

from __future__ import annotations

from guildmaster.server.engine.combat import (
    FIGHT_EFFECT_CODES,
    IGNORED_EFFECT_CODES,
    simulate_fight,
)
from guildmaster.server.engine.combatant import Fighter, FightOutcome, FightResult, Utility
from guildmaster.server.engine.damage import boosted_attack, critical_hit, element_hit
from guildmaster.server.engine.drops import DropRate, drop_chance, roll_drops, roll_gold
from guildmaster.server.engine.durations import (
    DEFAULT_ACTION_SECONDS,
    bank_item_seconds,
    crafting_seconds,
    equip_seconds,
    fight_seconds,
    gathering_seconds,
    move_seconds,
    recycling_seconds,
    rest_seconds,
    use_seconds,
)
from guildmaster.server.engine.expected import FightEstimate, estimate_fight, win_probability
from guildmaster.server.engine.recycling import (
    enhanced_recycle_cost,
    recycle_units_per_item,
    recycle_yield,
)
from guildmaster.server.engine.rest import rest, use_heal
from guildmaster.server.engine.rounding import ceil_div, round_half_up
from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings
from guildmaster.server.engine.stats import (
    ELEMENTS,
    STAT_EFFECT_CODES,
    CombatStats,
    Element,
    base_max_hp,
    character_stats,
    inventory_capacity,
    monster_stats,
)
from guildmaster.server.engine.xp import (
    SKILLS,
    LevelProgress,
    apply_xp,
    combat_xp,
    crafting_xp,
    gathering_xp,
    max_xp,
)

__all__ = [
    "DEFAULT_ACTION_SECONDS",
    "DEFAULT_RULES",
    "ELEMENTS",
    "FIGHT_EFFECT_CODES",
    "IGNORED_EFFECT_CODES",
    "SKILLS",
    "STAT_EFFECT_CODES",
    "CombatStats",
    "DropRate",
    "Element",
    "FightEstimate",
    "FightOutcome",
    "FightResult",
    "Fighter",
    "LevelProgress",
    "RuleSettings",
    "Utility",
    "apply_xp",
    "bank_item_seconds",
    "base_max_hp",
    "boosted_attack",
    "ceil_div",
    "character_stats",
    "combat_xp",
    "crafting_seconds",
    "crafting_xp",
    "critical_hit",
    "drop_chance",
    "element_hit",
    "enhanced_recycle_cost",
    "equip_seconds",
    "estimate_fight",
    "fight_seconds",
    "gathering_seconds",
    "gathering_xp",
    "inventory_capacity",
    "max_xp",
    "monster_stats",
    "move_seconds",
    "recycle_units_per_item",
    "recycle_yield",
    "recycling_seconds",
    "rest",
    "rest_seconds",
    "roll_drops",
    "roll_gold",
    "round_half_up",
    "simulate_fight",
    "use_heal",
    "use_seconds",
    "win_probability",
]
