"""``StageDesk``: the team plan's stages, and what a character working one does next.

When plans are on (:attr:`PlanSettings.enabled`, or a plan fixed by hand), the desk keeps the
:class:`~.lifecycle.PlanLifecycle` going (a new plan only when some character would rather
produce for it than play alone), assigns the characters to the plan's stages
(:func:`~.assign.assign_stages`: only where a stage pays a character more than its own play,
``solo_margin`` times), and advises each one:

- deposit pipeline materials someone else consumes (``deposit_threshold`` carried units, or
  at once when a crafter starves for them);
- gather, fight or buy the most-needed output of its stage (at most ``goal_chunk`` units per
  goal: several characters share a stage), or of another producing stage when others
  already produce what its own lacks;
- craft a refine or craft stage's runs out of inputs reserved in the bank, and no more than
  the batch still lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from guildmaster.agent.advisor import Advice
from guildmaster.coordinator.access import BankAccess
from guildmaster.coordinator.assign import assign_stages, stage_gain, stage_subject
from guildmaster.coordinator.lifecycle import PlanLifecycle
from guildmaster.coordinator.pipeline import holdings, remaining, stage_needs, starved_inputs
from guildmaster.coordinator.plan import ActivePlan, Stage
from guildmaster.coordinator.store import CharacterName, TeamStore
from guildmaster.coordinator.teamview import TeamView
from guildmaster.knowledge.model import Craft
from guildmaster.planning.domains import (
    SKILLS,
    CraftFromBank,
    DepositItems,
    GameState,
    ObtainFrom,
    xp_to_next_level,
)

__all__ = ["DEPOSIT_THRESHOLD", "GOAL_CHUNK", "ROOM_MARGIN", "PlanSettings", "StageDesk"]

#: Carried units of pipeline materials that trigger a deposit.
DEPOSIT_THRESHOLD = 10
#: Units one gather/fight/buy goal asks for at most (several characters share a stage).
GOAL_CHUNK = 20
#: Keep this much inventory room free when sizing a production goal.
ROOM_MARGIN = 5


@dataclass(frozen=True)
class PlanSettings:
    """Tuning of the :class:`StageDesk`.

    ``enabled``: run automatic plans on the bottleneck skill (a plan fixed by hand runs
    anyway); ``solo_margin``: a character joins a stage only when the stage (its own XP there
    plus its share of the plan's) is worth at least that many times what it would earn
    alone, in levels per second (0 sends everyone the plan needs); ``deposit_threshold`` and
    ``goal_chunk``: see :data:`DEPOSIT_THRESHOLD` and :data:`GOAL_CHUNK`.
    """

    enabled: bool = True
    solo_margin: float = 1.0
    deposit_threshold: int = DEPOSIT_THRESHOLD
    goal_chunk: int = GOAL_CHUNK


class StageDesk:
    """The pipeline stages of one team's plan: who works which, and their next goals."""

    def __init__(
        self,
        team: TeamView,
        bank_access: BankAccess,
        lifecycle: PlanLifecycle,
        store: TeamStore,
        *,
        settings: PlanSettings | None = None,
    ) -> None:
        self.team = team
        self.bank_access = bank_access
        self.ledger = bank_access.ledger
        self.lifecycle = lifecycle
        self.store = store
        self.settings = settings or PlanSettings()

    def advise(self, name: CharacterName, state: GameState) -> Advice:
        """Return the plan's advice for ``name``: its stage's next goal, or none (it plays
        on its own)."""
        plan = self.lifecycle.plan
        if not self.settings.enabled and (plan is None or not plan.manual):
            return Advice(avoid=self.bank_access.avoid(name), note="on its own")
        self.lifecycle.refresh(attracts=self._attracts)
        return self._stage_advice(name, state)

    # ----------------------------------------------------------------- worth

    def is_worth(self, name: CharacterName, stage: Stage, gain: float, plan: ActivePlan) -> bool:
        """Whether working ``stage`` beats what ``name`` would earn alone (in levels/second).

        The stage pays the character's own XP on it (``gain`` per second), plus its share of
        the plan's XP in the bottleneck skill (the reason the pipeline exists).
        """
        state = self.team.states[name]
        skill = stage.skill if stage.skill in SKILLS else None
        own = gain / xp_to_next_level(state.skills[skill]) if skill else 0.0
        team = list(self.team.states.values())
        bottleneck = max(1, round(sum(s.skill(plan.skill) for s in team) / len(team)))
        shared = plan.xp_per_second / max(1, xp_to_next_level(bottleneck))
        if plan.is_gathering:
            # A gathering-only plan's XP is the gatherers' own: nothing more to share.
            shared = 0.0
        return own + shared >= self.settings.solo_margin * self.team.solo_value(state, name)

    def _attracts(self, plan: ActivePlan) -> bool:
        """Whether some character would rather produce for ``plan`` than play alone."""
        for name, state in self.team.states.items():
            for stage in plan.stages:
                if stage.kind in ("refine", "craft"):
                    continue
                gain = stage_gain(self.team.gamedata, state, stage, wins=self.team.wins)
                if gain is not None and self.is_worth(name, stage, gain, plan):
                    return True
        return False

    # ----------------------------------------------------------------- stages

    def _stage_advice(self, name: CharacterName, state: GameState) -> Advice:
        """Return the advice of ``name``'s stage (or none: plan alone)."""
        gamedata, lifecycle = self.team.gamedata, self.lifecycle
        plan = lifecycle.plan
        avoid = self.bank_access.avoid(name)
        if plan is None:
            return Advice(avoid=avoid, note="no team plan")
        available = self.ledger.available(self.team.views.bank)
        held = holdings(available, self.team.inventories())
        held = lifecycle.batch_holdings(held)
        in_flight = lifecycle.in_flight(excluding=name)
        work = remaining(gamedata, plan, held, made=lifecycle.made)
        if plan.is_gathering and not work:
            lifecycle.next_batch()
            held = {}
            work = remaining(gamedata, plan, held)
        missing = remaining(gamedata, plan, held, in_flight=in_flight, made=lifecycle.made)
        deposit = self._deposit_advice(name, state, plan, work, available, avoid)
        if deposit is not None:
            return deposit
        # Needs count in-flight work too: a stage being worked on still needs its workers.
        usable = holdings(available, [dict(state.inventory.items())])
        needs = stage_needs(gamedata, plan, work, usable)
        stage = plan.stage(self._assign(name, plan, needs).get(name, ""))
        if stage is None:
            return Advice(avoid=avoid, note=f"plan {plan.skill}: no stage needs {name}")
        if stage.kind in ("refine", "craft"):
            return self.craft_advice(name, state, plan, stage, missing, avoid)
        advice = self._produce_advice(name, state, stage, missing, avoid)
        if advice.goal is None:
            # Others already produce what this stage lacks: help another producing stage.
            for alt in sorted(plan.stages, key=lambda s: -needs.get(s.id, 0.0)):
                if alt.kind in ("refine", "craft") or alt.id == stage.id:
                    continue
                if stage_gain(gamedata, state, alt, wins=self.team.wins) is None:
                    continue
                helped = self._produce_advice(name, state, alt, missing, avoid)
                if helped.goal is not None:
                    return helped
        return advice

    def _assign(
        self, name: CharacterName, plan: ActivePlan, needs: Mapping[str, float]
    ) -> dict[CharacterName, str]:
        """Assign the working characters to the stages (kept in the store)."""
        current = self.store.assignments()
        # Only characters on a coordinator goal occupy a stage; one busy with its own goal is
        # assigned again when it asks (it must not hold the single crafting place meanwhile).
        working = {
            n: st for n, st in self.team.states.items() if n == name or self.lifecycle.has_issued(n)
        }
        assignments = assign_stages(
            self.team.gamedata,
            working,
            plan.stages,
            needs,
            current,
            wins=self.team.wins,
            worth=lambda n, st, gain: self.is_worth(n, st, gain, plan),
        )
        if assignments != current:
            self.store.save_assignments(assignments)
        return assignments

    def _deposit_advice(
        self,
        name: CharacterName,
        state: GameState,
        plan: ActivePlan,
        missing: Mapping[str, int],
        available: Mapping[str, int],
        avoid: frozenset[str],
    ) -> Advice | None:
        """Send ``name`` to the bank with pipeline materials someone else consumes."""
        mine = self.store.assignments().get(name, "")
        stage = plan.stage(mine)
        consumes = {c for c, _ in stage.inputs} if stage is not None else set()
        wanted = {c for s in plan.stages for c, _ in s.inputs} | {plan.recipe}
        carried = {c: state.inventory[c] for c in wanted - consumes if state.inventory[c] > 0}
        if not carried:
            return None
        starved = starved_inputs(self.team.gamedata, plan, missing, available)
        hungry = sorted(c for c in carried if c in starved)
        if sum(carried.values()) >= self.settings.deposit_threshold or hungry:
            codes = tuple(sorted(carried))
            why = f"crafter starved for {','.join(hungry)}" if hungry else "carrying 10+"
            return Advice(
                goal=DepositItems(codes, ctx=self.team.context),
                avoid=avoid,
                note=f"deposit: {why}",
            )
        return None

    def _produce_advice(
        self,
        name: CharacterName,
        state: GameState,
        stage: Stage,
        missing: Mapping[str, int],
        avoid: frozenset[str],
    ) -> Advice:
        """Gather, fight or buy the stage's most-needed output."""
        outputs = [(missing.get(c, 0), c) for c, _ in stage.outputs if missing.get(c, 0) > 0]
        if not outputs:
            return Advice(avoid=avoid, note=f"{stage.id}: nothing missing")
        want, code = max(outputs)
        room = max(1, state.free_space() - ROOM_MARGIN)
        held = state.inventory[code]
        goal = ObtainFrom(
            code,
            held + min(want, room, self.settings.goal_chunk),
            kind={"fight": "fight", "gather": "gather"}.get(stage.kind, "buy"),
            via=stage_subject(stage),
            ctx=self.team.context,
        )
        self.lifecycle.issue(name, goal, held, final=False)
        # Never withdraw what this stage is meant to produce.
        return Advice(goal=goal, avoid=avoid | {code}, note=f"{stage.id}: {goal.name}")

    def craft_advice(
        self,
        name: CharacterName,
        state: GameState,
        plan: ActivePlan,
        stage: Stage,
        missing: Mapping[str, int],
        avoid: frozenset[str],
    ) -> Advice:
        """Reserve ``stage``'s inputs in the bank and craft as many runs as they allow, and
        no more than the batch still lacks (``missing``: net of what was made, what the team
        holds and what others are crafting)."""
        code = stage_subject(stage)
        recipe = self.team.gamedata.recipe(code)
        if recipe is None:
            return Advice(avoid=avoid, note=f"{stage.id}: no recipe")
        lacking = missing.get(code, 0)
        if lacking <= 0:
            return Advice(avoid=avoid, note=f"{stage.id}: the batch has all it needs")
        wanted_runs = _wanted_runs(state, recipe, min(dict(stage.outputs).get(code, 1), lacking))
        wants = {
            i.code: max(0, i.quantity * wanted_runs - state.inventory[i.code]) for i in recipe.items
        }
        # Grant no more than the crafter believes is there (or it could not plan the withdraw),
        # and nothing another character may still be about to withdraw on its own.
        views = self.team.views
        view = views.view(name)
        exposed = views.exposed(name)
        free = self.ledger.available(views.bank, for_owner=name)
        behind = any(view.get(c, 0) < min(q, free.get(c, 0)) for c, q in wants.items() if q)
        if behind and state.inventory.total > 0:
            # The agent's bank view is refreshed only by its own bank actions: a deposit
            # first lets it see the inputs others brought.
            codes = tuple(sorted(state.inventory))
            return Advice(
                goal=DepositItems(codes, ctx=self.team.context),
                avoid=avoid,
                note=f"{stage.id}: deposit to refresh the bank view",
            )
        drawable = self.bank_access.free_for(name)
        grantable = {c: min(q, view.get(c, 0)) for c, q in drawable.items() if c not in exposed}
        granted = self.ledger.reserve(name, wants, bank=grantable)
        runs = min(
            (state.inventory[i.code] + granted.get(i.code, 0)) // i.quantity for i in recipe.items
        )
        runs = min(runs, wanted_runs)
        if runs <= 0:
            self.ledger.release(name)
            return Advice(avoid=avoid, note=f"{stage.id}: inputs not in the bank yet")
        if runs < wanted_runs:
            # Keep only what the possible runs consume; the rest stays free for others.
            exact = {
                i.code: max(0, i.quantity * runs - state.inventory[i.code]) for i in recipe.items
            }
            granted = self.ledger.reserve(name, exact, bank=grantable)
        held = state.inventory[code]
        inputs = tuple((i.code, i.quantity * runs) for i in recipe.items)
        goal = CraftFromBank(code, held + runs * recipe.quantity, inputs, ctx=self.team.context)
        self.lifecycle.issue(name, goal, held, final=stage.kind == "craft")
        return Advice(
            goal=goal,
            reserved=granted,
            # Reserved items stay listed: the agent then withdraws at most the reservation.
            avoid=avoid | set(granted) | {code},
            note=f"{stage.id}: craft {runs} run(s)",
        )


def _wanted_runs(state: GameState, recipe: Craft, wanted: int) -> int:
    """Runs of ``recipe`` that make ``wanted`` units (at least one) and whose inputs fit in
    ``state``'s bag with what it already holds of them."""
    per_run = sum(i.quantity for i in recipe.items)
    fits = max(1, (state.free_space() + sum(state.inventory[i.code] for i in recipe.items)))
    runs = max(1, -(-wanted // recipe.quantity))
    return max(1, min(runs, fits // max(1, per_run)))
