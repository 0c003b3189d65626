"""Why the agent would do what it does: the chosen goal, the alternatives, the plan and its costs.

:func:`explain_decision` works on any character state (live or saved) and returns an
:class:`Explanation` (plain data, :meth:`Explanation.to_json`); :func:`explanation_tables`
renders it as rich tables. :func:`load_saved_state` reads a saved state file, a JSON object::

    {"character": {CharacterSchema...}, "bank": [{"code": "...", "quantity": 3}] | {"code": 3},
     "bank_gold": 0, "world": {world catalogues...} | "world_file": "path/to/world.json"}

``world_file`` is resolved relative to the state file. :func:`explain_state_file` does both.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from guildmaster.agent.adapter import PlayerWorld
from guildmaster.agent.config import AgentConfig
from guildmaster.agent.edge import state_from_character
from guildmaster.agent.selection import Candidate, GoalSelector, Selection
from guildmaster.agent.staging import stage_goals
from guildmaster.knowledge.gamedata import GameData
from guildmaster.planning.domains import LevelCombat, LevelSkill, ObtainItem
from guildmaster.planning.domains.state import SKILLS, GameState
from guildmaster.planning.errors import PlanningError
from guildmaster.planning.goal import Goal
from guildmaster.planning.planner import plan

__all__ = [
    "ExplainedStep",
    "Explanation",
    "SavedState",
    "explain_decision",
    "explain_state_file",
    "explanation_tables",
    "load_saved_state",
]


@dataclass(frozen=True)
class ExplainedStep:
    """One planned step: the stage goal it serves, the action, its cost and the running total."""

    goal: str
    action: str
    seconds: float
    total: float


@dataclass(frozen=True)
class Explanation:
    """A decision laid out: chosen goal, scored alternatives, the plan with per-step costs."""

    character: str
    chosen: str | None
    chosen_key: str | None
    alternatives: tuple[tuple[str, str, float, str], ...]
    """``(key, goal name, score, detail)``, best first."""
    steps: tuple[ExplainedStep, ...]
    nodes_expanded: int
    error: str | None = None

    @property
    def total_seconds(self) -> float:
        """The plan's total cost in game-seconds."""
        return self.steps[-1].total if self.steps else 0.0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "character": self.character,
            "chosen": self.chosen,
            "chosen_key": self.chosen_key,
            "alternatives": [
                {"key": k, "goal": g, "score": s, "detail": d} for k, g, s, d in self.alternatives
            ],
            "plan": [
                {"goal": s.goal, "action": s.action, "seconds": s.seconds, "total": s.total}
                for s in self.steps
            ],
            "total_seconds": self.total_seconds,
            "nodes_expanded": self.nodes_expanded,
            "error": self.error,
        }


@dataclass(frozen=True)
class SavedState:
    """A character, the bank it last saw, and the world, read from a state file."""

    character: Mapping[str, Any]
    bank: Mapping[str, int]
    bank_gold: int
    gamedata: GameData


def _bank_items(raw: Any) -> dict[str, int]:
    if isinstance(raw, Mapping):
        return {str(k): int(v) for k, v in raw.items()}
    return {str(i["code"]): int(i["quantity"]) for i in raw or ()}


def load_saved_state(path: Path | str) -> SavedState:
    """Read a saved state file (see the module docstring).

    Raises:
        OSError: when a file cannot be read.
        ValueError: when the file is not a state file (no character, no world).
    """
    file = Path(path)
    data = json.loads(file.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("character"), Mapping):
        raise ValueError(f"{file}: not a state file (no 'character' object)")
    world = data.get("world")
    if world is None and data.get("world_file"):
        world_path = Path(str(data["world_file"]))
        if not world_path.is_absolute():
            world_path = file.parent / world_path
        world = json.loads(world_path.read_text(encoding="utf-8"))
    if not isinstance(world, Mapping):
        raise ValueError(f"{file}: no 'world' catalogues and no 'world_file'")
    return SavedState(
        character=data["character"],
        bank=_bank_items(data.get("bank")),
        bank_gold=int(data.get("bank_gold") or 0),
        gamedata=GameData.from_snapshot(world),
    )


def _requested(
    selector: GoalSelector, state: GameState, wanted: str, ranked: tuple[Candidate, ...]
) -> Candidate:
    """Resolve ``--goal``: a candidate key, a skill name, ``combat`` or ``obtain:CODE[:QTY]``.

    Raises:
        ValueError: when ``wanted`` names nothing known.
    """
    for candidate in ranked:
        if wanted in (candidate.key, candidate.goal.name):
            return candidate
    ctx = selector.world.ctx
    chunk = selector.config.chunk_seconds
    if wanted.startswith("obtain:"):
        _, code, *rest = wanted.split(":")
        if selector.world.facts.item(code) is None:
            raise ValueError(f"unknown item {code!r}")
        quantity = int(rest[0]) if rest else 1
        return Candidate(wanted, ObtainItem(code, quantity, ctx=ctx), 0.0, "item")
    skill = wanted.removeprefix("level:")
    if skill == "combat" or skill in SKILLS:
        rate = selector.rater.skill_rate(state, skill)
        xp = max(1, math.ceil((rate.xp_per_second if rate else 0.01) * chunk))
        goal: Goal[GameState] = (
            LevelCombat.gain(ctx, state, xp=xp)
            if skill == "combat"
            else LevelSkill.gain(ctx, state, skill, xp=xp)
        )
        return Candidate(f"level:{skill}", goal, 0.0, skill)
    raise ValueError(f"unknown goal {wanted!r}")


def explain_decision(
    character: Mapping[str, Any],
    *,
    gamedata: GameData,
    bank: Mapping[str, int] | None = None,
    bank_gold: int = 0,
    goal: str | None = None,
    config: AgentConfig | None = None,
) -> Explanation:
    """Explain what the agent would choose for ``character`` and the plan it would follow.

    ``goal`` forces a goal (a candidate key such as ``level:mining`` or ``craft:CODE``, a skill
    name, ``combat``, or ``obtain:CODE[:QTY]``) instead of the selection's choice.

    Raises:
        ValueError: when ``goal`` names nothing known.
    """
    cfg = config or AgentConfig()
    world = PlayerWorld.build(
        gamedata,
        options=cfg.domain,
        fight_samples=cfg.fight_samples,
        scoring_samples=cfg.selection_fight_samples,
    )
    selector = GoalSelector(world, cfg)
    state = state_from_character(character, bank=bank, bank_gold=bank_gold)
    selection: Selection = selector.select(state)
    chosen = selection.chosen
    if goal is not None:
        chosen = _requested(selector, state, goal, selection.alternatives)
    alternatives = tuple((c.key, c.goal.name, c.score, c.detail) for c in selection.alternatives)
    name = str(character.get("name") or "")
    if chosen is None:
        return Explanation(name, None, None, alternatives, (), 0, "no goal available")
    steps: list[ExplainedStep] = []
    nodes = 0
    total = 0.0
    error: str | None = None
    current = state
    for stage in (*chosen.before, *stage_goals(world, chosen.goal, state)):
        if stage.is_satisfied(current):
            continue
        try:
            found = plan(
                world.domain,
                current,
                stage,
                node_budget=cfg.node_budget,
                weight=cfg.planner_weight,
            )
        except PlanningError as exc:
            error = str(exc)
            break
        nodes += found.nodes_expanded
        for step in found.steps:
            total += step.cost
            steps.append(ExplainedStep(stage.name, step.action.name, step.cost, total))
        current = found.final_state
    return Explanation(name, chosen.goal.name, chosen.key, alternatives, tuple(steps), nodes, error)


def explain_state_file(
    path: Path | str, *, goal: str | None = None, config: AgentConfig | None = None
) -> Explanation:
    """Load a saved state file and explain its decision (``guildmaster plan --state FILE``).

    Raises:
        OSError: when a file cannot be read.
        ValueError: for a malformed state file or an unknown ``goal``.
    """
    saved = load_saved_state(path)
    return explain_decision(
        saved.character,
        gamedata=saved.gamedata,
        bank=saved.bank,
        bank_gold=saved.bank_gold,
        goal=goal,
        config=config,
    )


def explanation_tables(explanation: Explanation, *, limit: int = 15) -> list[Table]:
    """Render an explanation as rich tables: the alternatives, then the plan."""
    who = explanation.character or "character"
    options = Table(title=f"{who}: goal {explanation.chosen or '-'}")
    options.add_column("", width=1)
    options.add_column("candidate")
    options.add_column("goal")
    options.add_column("score", justify="right")
    options.add_column("detail")
    for key, name, score, detail in explanation.alternatives[:limit]:
        mark = "*" if key == explanation.chosen_key else ""
        options.add_row(mark, key, name, f"{score:.6f}", detail)
    steps = Table(
        title=f"plan: {len(explanation.steps)} steps, {explanation.total_seconds:.0f} s, "
        f"{explanation.nodes_expanded} nodes"
    )
    steps.add_column("#", justify="right")
    steps.add_column("stage")
    steps.add_column("action")
    steps.add_column("seconds", justify="right")
    steps.add_column("total", justify="right")
    for i, step in enumerate(explanation.steps, 1):
        steps.add_row(str(i), step.goal, step.action, f"{step.seconds:.1f}", f"{step.total:.1f}")
    if explanation.error:
        steps.caption = f"stopped: {explanation.error}"
    return [options, steps]
