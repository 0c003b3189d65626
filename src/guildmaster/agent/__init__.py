"""guildmaster.agent: running characters (the player loop, goal selection, the team)."""

from __future__ import annotations

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.advisor import EVENTS, Advice, Advisor
from guildmaster.agent.character import CharacterAgent
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.edge import KnownState, state_from_character
from guildmaster.agent.executor import Outcome, UnsupportedAction, perform
from guildmaster.agent.explain import (
    ExplainedStep,
    Explanation,
    SavedState,
    explain_decision,
    explain_state_file,
    explanation_tables,
    load_saved_state,
)
from guildmaster.agent.metrics import CharacterProgress, RunMetrics, percentile
from guildmaster.agent.rates import Rater
from guildmaster.agent.selection import Candidate, GoalSelector, Rate, Selection
from guildmaster.agent.staging import BankSurplus, FedCombat, healing_items, stage_goals
from guildmaster.agent.team import Runnable, Team, TeamStatus

__all__ = [
    "EVENTS",
    "Advice",
    "Advisor",
    "AgentConfig",
    "BankSurplus",
    "Candidate",
    "CharacterAgent",
    "CharacterProgress",
    "ExplainedStep",
    "Explanation",
    "FedCombat",
    "GoalSelector",
    "KnownState",
    "Outcome",
    "PlayerWorld",
    "Rate",
    "Rater",
    "RunMetrics",
    "Runnable",
    "SavedState",
    "Selection",
    "Team",
    "TeamStatus",
    "UnsupportedAction",
    "explain_decision",
    "explain_state_file",
    "explanation_tables",
    "healing_items",
    "load_saved_state",
    "percentile",
    "perform",
    "stage_goals",
    "state_from_character",
]
