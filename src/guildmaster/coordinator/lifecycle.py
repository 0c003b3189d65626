"""``PlanLifecycle``: the team plan over time, its batches, and the production goals issued.

A plan (:class:`~.plan.ActivePlan`) starts when the stage desk finds one worth running (or a
player fixes one by hand: :meth:`PlanLifecycle.set_manual`), runs batch after batch, and
completes when the team's bottleneck shifts, the team grows beyond the size its batches were
made for, or manual mode is left. Completing a plan clears every reservation of the ledger.

Each gather/fight/buy or craft goal a stage hands out is *issued*: the lifecycle remembers what
the character held and was asked for, and credits what it produced when it asks again
(:meth:`PlanLifecycle.credit`); a final craft reached counts toward the batch, and a complete
batch starts the next one. Everything is persisted in the :class:`~.store.TeamStore`, so a
restarted player resumes its plan (restored on the first :meth:`PlanLifecycle.refresh`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from guildmaster.coordinator.ledger import ReservationLedger
from guildmaster.coordinator.pipeline import holdings
from guildmaster.coordinator.plan import (
    ActivePlan,
    bottleneck_skill,
    choose_plan,
    has_shifted,
    plan_for_recipe,
)
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView
from guildmaster.planning.domains import SKILLS, CraftFromBank, GameState, ObtainItem

__all__ = ["PlanLifecycle"]

logger = logging.getLogger(__name__)

#: How many of the team's lowest skills are tried for a plan that attracts a producer.
_SKILLS_TRIED = 4


class PlanLifecycle:
    """The active plan of one team, its batches and issued goals, persisted in ``store``."""

    def __init__(self, team: TeamView, store: TeamStore, ledger: ReservationLedger) -> None:
        self.team = team
        self.store = store
        self.ledger = ledger
        self._plan: ActivePlan | None = None
        self._saved_plan: dict[str, Any] | None = store.get("plan")
        self._planned_size = len(team.characters) or 1
        self._issued: dict[CharacterName, dict[str, Any]] = dict(store.get("issued", {}))
        self._base: dict[str, int] = dict(store.get("batch_base", {}))
        self._made = int(store.get("batch_made", 0))

    @property
    def plan(self) -> ActivePlan | None:
        """The active plan (``None`` until a character asked, or when nothing is feasible)."""
        return self._plan

    @property
    def made(self) -> int:
        """Products of the current batch made so far."""
        return self._made

    # ----------------------------------------------------------------- starting and ending

    def set_manual(self, skill: str, recipe: str | None = None) -> ActivePlan | None:
        """Fix the plan on ``skill`` (and ``recipe`` when given) until :meth:`set_auto`.

        Raises:
            ValueError: the team cannot run the recipe's pipeline.
        """
        team = list(self.team.states.values())
        if recipe is None:
            plan = choose_plan(
                self.team.gamedata,
                team,
                skill=skill,
                team_size=self.team.team_size,
                can_fight=self.team.team_wins,
            )
        else:
            plan = plan_for_recipe(
                self.team.gamedata,
                skill,
                recipe,
                team,
                manual=True,
                team_size=self.team.team_size,
                can_fight=self.team.team_wins,
            )
        if plan is None:
            raise ValueError(f"no feasible plan for {skill} ({recipe or 'best recipe'})")
        self._start(replace(plan, manual=True))
        return self._plan

    def set_auto(self) -> None:
        """Return to automatic plans on the bottleneck skill (the current plan completes)."""
        if self._plan is not None and self._plan.manual:
            self._complete("manual mode left")

    def refresh(self, *, attracts: Callable[[ActivePlan], bool]) -> None:
        """Restore the saved plan once, complete the plan when it no longer fits the team,
        and start a new one when there is none: the plan for the bottleneck skill, or for the
        next-lowest skill whose pipeline ``attracts`` (some character would rather produce
        for it than play alone)."""
        team = list(self.team.states.values())
        if self._plan is None and self._saved_plan is not None:
            self._restore(self._saved_plan, team)
        plan = self._plan
        if plan is not None and not plan.manual and has_shifted(team, plan.bottleneck):
            self._complete("the bottleneck shifted")
        elif plan is not None and not plan.manual and self.team.team_size > self._planned_size:
            # Batches are sized for the team: more characters than planned for, plan again.
            self._complete("the team grew")
        if self._plan is None:
            new = self._choose(team, attracts)
            if new is not None:
                self._start(new)

    def _restore(self, saved: Mapping[str, Any], team: list[GameState]) -> None:
        restored = plan_for_recipe(
            self.team.gamedata,
            str(saved["skill"]),
            str(saved["recipe"]),
            team,
            manual=bool(saved.get("manual")),
            team_size=self.team.team_size,
            can_fight=self.team.team_wins,
        )
        if restored is not None:
            self._plan = replace(restored, bottleneck=str(saved.get("bottleneck", "")))
            logger.info("plan restored: %s via %s", self._plan.skill, self._plan.recipe)
        self._saved_plan = None

    def _choose(
        self, team: list[GameState], attracts: Callable[[ActivePlan], bool]
    ) -> ActivePlan | None:
        """Return the plan for the bottleneck, or for the next-lowest skill (among the four
        lowest) whose pipeline some producer finds worth its time; the plan keeps the real
        bottleneck, so it completes when that shifts."""
        bottleneck = bottleneck_skill(team)
        order = sorted(SKILLS, key=lambda s: sum(t.skill(s) for t in team) / len(team))
        first: ActivePlan | None = None
        for skill in order[:_SKILLS_TRIED]:
            plan = choose_plan(
                self.team.gamedata,
                team,
                skill=skill,
                team_size=self.team.team_size,
                can_fight=self.team.team_wins,
            )
            if plan is None:
                continue
            plan = replace(plan, bottleneck=bottleneck)
            first = first or plan
            if attracts(plan):
                return plan
        return first

    def _start(self, plan: ActivePlan) -> None:
        self._plan = plan
        self._saved_plan = plan.to_json()
        self._planned_size = self.team.team_size
        self.store.put("plan", self._saved_plan)
        self._base = self._held_raw() if plan.stages and plan.is_gathering else {}
        self.store.put("batch_base", self._base)
        self._made = 0
        self.store.put("batch_made", 0)
        self.store.add_production(needed=plan.needed)
        logger.info(
            "plan: %s via %s x%d (%.3f xp/s; bottleneck %s)",
            plan.skill,
            plan.recipe,
            plan.runs,
            plan.xp_per_second,
            plan.bottleneck,
        )

    def _complete(self, reason: str) -> None:
        if self._plan is not None:
            logger.info("plan on %s completed: %s", self._plan.skill, reason)
        self._plan = None
        self._saved_plan = None
        self.store.put("plan", None)
        self.ledger.clear()

    # ----------------------------------------------------------------- batches

    def inputs(self) -> set[str]:
        """The plan's materials only its stages take: all but its product. Once made, the
        product is everyone's (a gathering plan's resource, a refining plan's planks or bars):
        hidden, it would sit in the bank while the others made their own."""
        plan = self._plan
        if plan is None:
            return set()
        return {code for code in plan.needed if code != plan.recipe}

    def batch_holdings(self, held: dict[str, int]) -> dict[str, int]:
        """What of ``held`` (the team's usable units) counts for the current batch: for a
        gathering plan, only what was gathered since the batch began."""
        plan = self._plan
        if plan is None or not plan.is_gathering:
            return held
        return {c: max(0, q - self._base.get(c, 0)) for c, q in held.items()}

    def next_batch(self) -> None:
        """Start the plan's next batch (its needs are counted again)."""
        plan = self._plan
        if plan is None:
            return
        if plan.is_gathering:
            self._base = self._held_raw()
            self.store.put("batch_base", self._base)
        self._made = 0
        self.store.put("batch_made", 0)
        self.store.add_production(needed=plan.needed)
        logger.info("plan on %s: next batch", plan.skill)

    def _batch_progress(self, made: int) -> None:
        """Count ``made`` products of the batch; start the next batch when it is complete."""
        plan = self._plan
        if plan is None:
            return
        self._made += made
        self.store.put("batch_made", self._made)
        if self._made >= plan.needed.get(plan.recipe, 0):
            self.next_batch()

    def _held_raw(self) -> dict[str, int]:
        return holdings(self.team.views.bank, self.team.inventories())

    # ----------------------------------------------------------------- issued goals

    def has_issued(self, name: CharacterName) -> bool:
        """Whether ``name`` works on a production goal of the plan."""
        return name in self._issued

    def in_flight(self, *, excluding: CharacterName) -> dict[str, int]:
        """Units the other characters' production goals still asked for, by item."""
        in_flight: dict[str, int] = {}
        for other, issued in self._issued.items():
            if other != excluding:
                code = str(issued["code"])
                in_flight[code] = in_flight.get(code, 0) + int(issued["asked"])
        return in_flight

    def issue(
        self, name: CharacterName, goal: ObtainItem | CraftFromBank, held: int, *, final: bool
    ) -> None:
        """Remember that ``name``, holding ``held`` units, was given production ``goal``
        (``final``: a craft of the plan's product)."""
        plan = self._plan
        self._issued[name] = {
            "goal": goal.name,
            "code": goal.code,
            "held": held,
            "asked": goal.quantity - held,
            "final": final,
            "gathering_plan": bool(plan and plan.is_gathering),
        }
        self.store.put("issued", self._issued)

    def credit(self, name: CharacterName, state: GameState) -> None:
        """Count what ``name`` produced since its last production goal was issued."""
        issued = self._issued.pop(name, None)
        if issued is None:
            return
        code = str(issued["code"])
        gained = state.inventory[code] - int(issued["held"])
        if gained > 0:
            self.store.add_production(produced={code: gained})
        if issued.get("gathering_plan"):
            self.store.add_production(needed={code: int(issued["asked"])})
        self.store.put("issued", self._issued)

    def goal_over(self, name: CharacterName, goal: object, *, reached: bool) -> None:
        """``name``'s goal ``goal`` was reached or failed: when it is the issued one, its
        reservation ends, and a final craft reached counts toward the batch."""
        issued = self._issued.get(name)
        if issued and issued.get("goal") == goal:
            self.ledger.release(name)
            if reached and issued.get("final"):
                self._batch_progress(int(issued["asked"]))

    # ----------------------------------------------------------------- production

    def production(self) -> dict[str, tuple[int, int]]:
        """Return ``code -> (needed by the plans, produced)`` since the store was created."""
        return self.store.production()

    def max_overproduction(self) -> float:
        """Return the largest ``produced / needed`` over materials with a need (0.0 if none)."""
        ratios = [p / n for n, p in self.store.production().values() if n > 0]
        return max(ratios, default=0.0)
