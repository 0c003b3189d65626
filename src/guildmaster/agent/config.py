"""Tunables of a character agent: :class:`AgentConfig` (planning limits, selection, recovery)."""

from __future__ import annotations

from dataclasses import dataclass, field

from guildmaster.planning.domains.context import DomainOptions

__all__ = ["AgentConfig"]


@dataclass(frozen=True)
class AgentConfig:
    """What a :class:`~guildmaster.agent.character.CharacterAgent` may spend and prefer.

    Planning: ``max_subgoal_depth`` (``planning.max_subgoal_depth``), ``node_budget`` and
    ``planner_weight`` (weighted A*) per plan, ``max_replans`` per goal.
    Selection: a levelling goal covers ``chunk_seconds`` of expected play before the next
    decision; upgrades are valued over ``horizon_seconds``; the current goal is kept unless
    another scores ``hysteresis`` (share) better; ``balance`` > 0 favours the lowest levels;
    levelling rates blend the model with the XP actually earned (``observed_weight``,
    averaged with ``learning_rate``); ``combat_weight`` multiplies the value of combat XP
    (levels unlock gear and monsters); a skill more than ``level_gap`` levels below the
    character level is priced (XP per level) as if it were ``level_gap`` below.
    Inventory: deposit at the bank when fewer than ``min_free_slots`` stacks or
    ``min_free_space`` units are free. Tasks are taken when ``use_tasks`` and they align;
    items tasks too when ``items_tasks`` (when skilling is the best thing to do; off by
    default: on generated:7 they cost two combat levels in 24 h for six skill levels).
    Fights are predicted with ``fight_samples`` Monte-Carlo runs when planning and
    ``selection_fight_samples`` when scoring goals (cheaper, many more monsters and gear);
    rating craftable upgrades may compute ``upgrade_rates`` new rates per decision (the rest
    waits; a count, not wall time, so runs repeat);
    gear up to ``training_gap`` crafting levels away makes training that skill worth it.
    ``gear_campaign`` also rates the whole set of combat gear makeable now as one candidate
    (:mod:`guildmaster.agent.campaign`; 24 h, 1 character: generated:1 11 -> 12,
    generated:42 9 -> 13, generated:7 13 -> 13, snapshot 10 -> 9).
    Cooking healing food is also worth the rest it saves combat, until ``food_stock`` healing
    items are owned (bag and bank).
    ``recycle_for_xp``: gear crafted only for its crafting XP is recycled at its workshop (one
    unit kept), which gives back part of its materials for the next runs; crafting rates count
    that refund. ``craft_gathering_skills``: a gathering skill with recipes of its own levels
    by crafting when that pays more XP per second than its best resource.
    Events: the running events are read every ``event_check_seconds`` of game time; an event
    is ignored once it would end less than ``event_margin_seconds`` after the character
    could reach it.
    ``history`` steps are kept for inspection.
    Recovery: a goal that failed is not selected again for ``failed_goal_seconds``.
    """

    max_subgoal_depth: int = 10
    node_budget: int = 4000
    planner_weight: float = 2.0
    max_replans: int = 200
    chunk_seconds: float = 240.0
    horizon_seconds: float = 10800.0
    hysteresis: float = 0.15
    balance: float = 0.5
    combat_weight: float = 4.0
    learning_rate: float = 0.3
    observed_weight: float = 0.7
    min_free_slots: int = 3
    min_free_space: int = 10
    use_tasks: bool = True
    items_tasks: bool = False
    failed_goal_seconds: float = 600.0
    error_pause_seconds: float = 5.0
    event_check_seconds: float = 1800.0
    event_margin_seconds: float = 60.0
    fight_samples: int = 64
    history: int = 200
    selection_fight_samples: int = 16
    upgrade_rates: int = 4
    training_gap: int = 8
    food_stock: int = 60
    level_gap: int = 4
    gear_campaign: bool = True
    recycle_for_xp: bool = True
    craft_gathering_skills: bool = True
    domain: DomainOptions = field(default_factory=DomainOptions)
