"""API vocabulary shared by the generator and the validator: skills, elements, content, effects.

These words are game rules (the OpenAPI enums and the effect codes the engine implements), not
content, so generated worlds use them verbatim. The effect descriptions are our own wording.
``ELEMENTS`` and ``SKILLS`` are the engine's (``engine.stats``, ``engine.xp``), re-exported here.
"""

from __future__ import annotations

from typing import Any, Final

from guildmaster.server.engine.stats import ELEMENTS
from guildmaster.server.engine.xp import SKILLS

__all__ = [
    "CRAFT_SKILLS",
    "ELEMENTS",
    "GATHERING_SKILLS",
    "MAP_CONTENT_TYPES",
    "SKILLS",
    "build_effects",
]

GATHERING_SKILLS: Final = ("mining", "woodcutting", "fishing", "alchemy")
CRAFT_SKILLS: Final = (
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "woodcutting",
    "mining",
    "alchemy",
)
MAP_CONTENT_TYPES: Final = (
    "monster",
    "resource",
    "workshop",
    "bank",
    "grand_exchange",
    "tasks_master",
    "npc",
    "raid",
)

_STAT_TEXT: Final = {
    "hp": ("Hit Points", "Adds {value} max HP while equipped."),
    "dmg": ("Damage", "Adds {value}% damage of every element while equipped."),
    "critical_strike": ("Critical Strike", "Adds {value}% chance to deal a 1.5x hit."),
    "initiative": ("Initiative", "Adds {value} initiative; higher initiative acts first."),
    "threat": ("Threat", "Adds {value} threat; monsters aim at the highest threat."),
    "haste": ("Haste", "Adds {value} haste; each point shortens fight cooldowns by 1%."),
    "wisdom": ("Wisdom", "Adds {value} wisdom; each 10 points add 1% experience."),
    "prospecting": ("Prospecting", "Adds {value} prospecting; each 10 points add 1% drops."),
    "inventory_space": ("Inventory Space", "Adds {value} inventory capacity while equipped."),
}

_COMBAT: Final = {
    "poison": ("special", "On its first turn poisons the opponent for {value} HP per turn."),
    "antipoison": ("other", "At the start of each turn removes {value} points of poison."),
    "burn": ("special", "On its first turn sets a burn of {value}% of its total attack."),
    "lifesteal": ("special", "After a critical strike heals {value}% of its total attack."),
    "healing": ("special", "Every 3 played turns heals {value}% of its max HP."),
    "reconstitution": ("special", "Every {value} played turns returns to full HP."),
    "barrier": ("special", "At the start and every 5 played turns gains a {value} HP shield."),
    "corrupted": ("special", "Each hit taken lowers its resistance to that element by {value}."),
    "berserker_rage": ("special", "Once below 25% HP gains {value}% damage for the fight."),
    "frenzy": ("special", "Each critical strike gives allies {value}% damage for a turn."),
    "void_drain": ("special", "Every 4 turns drains {value}% HP from each enemy."),
    "protective_bubble": ("special", "Each turn gains {value}% resistance to a new element."),
    "sun_shield": ("buff", "The first hit taken each turn is reduced by {value}%."),
    "greed": ("buff", "Each 10% of max HP lost adds {value}% damage for the fight."),
    "enchanted_mirror": ("special", "Reflects {value}% of damage taken, once every 3 turns."),
    "shell": ("special", "Once below 40% HP gains {value}% resistances for 3 turns."),
    "guard": ("special", "Takes {value}% of the damage aimed at the weakest ally."),
    "healing_aura": ("special", "Every 2 played turns heals allies {value}% of their max HP."),
    "vampiric_strike": ("buff", "After a critical strike heals the weakest ally {value}%."),
    "restore": ("heal", "Heals {value} HP at turn start once below half HP."),
    "splash_restore": ("heal", "Heals the most wounded ally by {value} HP below half HP."),
    "boost_hp": ("buff", "Adds {value} HP for the whole fight."),
}


def _entry(code: str, name: str, description: str, kind: str, subtype: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "description": description,
        "type": kind,
        "subtype": subtype,
    }


def build_effects() -> list[dict[str, Any]]:
    """Return the EffectSchema-shaped catalogue of every effect code a world may use."""
    effects = [
        _entry(code, name, text, "equipment", "stat") for code, (name, text) in _STAT_TEXT.items()
    ]
    for element in ELEMENTS:
        label = element.capitalize()
        effects.append(
            _entry(
                f"attack_{element}",
                f"{label} Attack",
                f"Adds {{value}} {element} attack while equipped.",
                "equipment",
                "stat",
            )
        )
        effects.append(
            _entry(
                f"dmg_{element}",
                f"{label} Damage",
                f"Adds {{value}}% {element} damage while equipped.",
                "equipment",
                "stat",
            )
        )
        effects.append(
            _entry(
                f"res_{element}",
                f"{label} Resistance",
                f"Adds {{value}}% {element} resistance while equipped.",
                "equipment",
                "stat",
            )
        )
        effects.append(
            _entry(
                f"boost_dmg_{element}",
                f"Boost {label} Damage",
                f"Adds {{value}}% {element} damage for the whole fight.",
                "combat",
                "buff",
            )
        )
        effects.append(
            _entry(
                f"boost_res_{element}",
                f"Boost {label} Resistance",
                f"Adds {{value}}% {element} resistance for the whole fight.",
                "combat",
                "buff",
            )
        )
    for skill in GATHERING_SKILLS:
        effects.append(
            _entry(
                skill,
                skill.capitalize(),
                f"Changes {skill} gathering cooldowns by {{value}}%.",
                "equipment",
                "gathering",
            )
        )
    for code, (subtype, text) in _COMBAT.items():
        effects.append(_entry(code, code.replace("_", " ").title(), text, "combat", subtype))
    effects.extend(
        [
            _entry("heal", "Heal", "Heals {value} HP when used.", "consumable", "heal"),
            _entry("gold", "Gold", "Adds {value} gold when used.", "consumable", "gold"),
            _entry(
                "teleport", "Teleport", "Teleports to map {value} when used.", "consumable",
                "teleport",
            ),
        ]
    )  # fmt: skip
    return sorted(effects, key=lambda e: str(e["code"]))
