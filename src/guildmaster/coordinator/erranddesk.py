"""``ErrandDesk``: sends a character to craft out of the team's banked by-products.

Characters levelling on their own leave a lot in the shared bank;
:func:`~.bankcraft.best_bank_craft` rates what one character could craft out of it. The desk
gives the errand (a :class:`~guildmaster.planning.domains.CraftFromBank` goal over a
reservation of its inputs) to the character asking when it beats ``craft_margin`` times what
that character earns alone, and only out of stock nobody needs: items idle for the bank's
``idle_window``, not reserved, not the pipeline's, not another character's share. A character
whose bank view lags behind the stock deposits first (its view is refreshed only by its own
bank actions).

Every decision is counted by outcome (``craft``, ``refine``, ``no stock``, ``below solo``,
``deposit``, ``view behind``, ``exposed``, ``not granted``, ``carries plan materials``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from guildmaster.agent.advisor import Advice
from guildmaster.clock import Clock
from guildmaster.coordinator.access import BankAccess
from guildmaster.coordinator.bankcraft import BankCraft, best_bank_craft
from guildmaster.coordinator.store import CharacterName
from guildmaster.coordinator.teamview import TeamView
from guildmaster.planning.domains import CraftFromBank, DepositItems, GameState

__all__ = ["ErrandDesk", "ErrandSettings"]


@dataclass(frozen=True)
class ErrandSettings:
    """Tuning of the :class:`ErrandDesk`.

    ``enabled``: bank crafting at all; ``craft_margin``: how many times what a character
    earns alone an errand must pay; ``product_cap``: the bank stock from which a product is
    no longer made (``None``: no cap).
    """

    enabled: bool = True
    craft_margin: float = 1.0
    product_cap: int | None = 100


class ErrandDesk:
    """Bank-craft errands of one team: who is on one, and why errands were given or not."""

    def __init__(
        self,
        team: TeamView,
        bank_access: BankAccess,
        *,
        clock: Clock,
        settings: ErrandSettings | None = None,
    ) -> None:
        self.team = team
        self.bank_access = bank_access
        self.ledger = bank_access.ledger
        self.clock = clock
        self.settings = settings or ErrandSettings()
        self._errands: dict[CharacterName, str] = {}
        #: Why bank-craft errands were given or not (outcome -> count), for status and tests.
        self.counts: dict[str, int] = {}
        self._consumables: frozenset[str] | None = None

    def is_running(self, name: CharacterName) -> bool:
        """Whether ``name`` is on a bank-craft errand."""
        return name in self._errands

    def advise(self, name: CharacterName, state: GameState) -> Advice | None:
        """Send ``name`` to craft out of the bank when that beats what it earns alone."""
        if not self.settings.enabled:
            return None
        self._errands.pop(name, None)
        advice, outcome = self._errand(name, state)
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        return advice

    def goal_over(self, name: CharacterName, goal: object) -> None:
        """``name``'s goal ``goal`` was reached or failed: when it is its errand, the errand
        is over (its reservation ends)."""
        if self._errands.get(name) == goal:
            del self._errands[name]
            self.ledger.release(name)

    def _skip_products(self) -> frozenset[str]:
        """Products bank crafting never makes: consumables (the characters cook their own
        food from the same ingredients) and whatever the bank already holds plenty of."""
        if self._consumables is None:
            self._consumables = frozenset(
                c for c, item in self.team.gamedata.items.items() if item.type == "consumable"
            )
        cap = self.settings.product_cap
        plenty = {c for c, q in self.team.views.bank.items() if cap is not None and q >= cap}
        return self._consumables | plenty

    def _errand(self, name: CharacterName, state: GameState) -> tuple[Advice | None, str]:
        """Return the bank-craft advice for ``name`` (or ``None``) and the outcome's name."""
        gamedata, views, access = self.team.gamedata, self.team.views, self.bank_access
        free = self.ledger.available(views.bank, for_owner=name)
        view = views.view(name)
        plan_materials = access.pipeline_inputs()
        if any(state.inventory[c] > 0 for c in plan_materials):
            # What it carries is the pipeline's (its stage deposits it): an errand would
            # craft it away and the plan would ask for it again.
            return None, "carries plan materials"
        idle = access.idle(self.clock.game_seconds())
        # One errand per input at a time: two crafters drawing on one stock race for it.
        # Nor an item a character on its own may still be drawing on (a share, or open).
        busy = set(self.ledger.reserved(excluding=name)) | plan_materials
        busy |= set(views.shared(excluding=name))
        truth = {c: q for c, q in free.items() if c not in busy and c in idle}
        skip = self._skip_products() | plan_materials
        wanted = best_bank_craft(gamedata, state, truth, skip=skip)
        if wanted is None:
            return None, "no stock"
        floor = self.settings.craft_margin * self.team.solo_value(state, name)
        if wanted.rate < floor:
            return None, "below solo"
        if any(view.get(c, 0) < q for c, q in wanted.withdraw):
            if state.inventory.total > 0:
                # Its bank view is refreshed only by its own bank actions: a deposit first.
                return Advice(
                    goal=DepositItems(tuple(sorted(state.inventory)), ctx=self.team.context),
                    avoid=access.avoid(name),
                    note=f"bank craft: deposit to see the stock for {wanted.code}",
                ), "deposit"
            truth = {c: min(q, view.get(c, 0)) for c, q in truth.items() if view.get(c, 0) > 0}
            wanted = best_bank_craft(gamedata, state, truth, skip=skip)
            if wanted is None or wanted.rate < floor:
                return None, "view behind"
        full = {c: min(q, view.get(c, 0)) for c, q in truth.items() if view.get(c, 0) > 0}
        # From now on nobody else takes new earmarks on its own; grant them once every other
        # character's advice says so (until then another may still be withdrawing them).
        new = access.earmark({c for c, _ in wanted.withdraw})
        stock = self._stock(name, full)
        short = any(stock.get(c, 0) < q for c, q in wanted.withdraw)
        errand = wanted if not (new or short) else None
        if errand is None:
            errand = best_bank_craft(gamedata, state, stock, skip=skip)
            if errand is None or errand.rate < floor:
                return None, "exposed"
        return self._grant(name, state, errand, stock)

    def _stock(self, name: CharacterName, full: Mapping[str, int]) -> dict[str, int]:
        """What of ``full`` (the stock ``name`` sees) an errand may draw on: what the free
        bank leaves it, and of an item open to everyone, what all the others could draw on
        it meanwhile kept."""
        access = self.bank_access
        drawable = access.free_for(name)
        opened = access.safe(name, drawable)
        for code in opened & set(drawable):
            keep = self.team.team_size * access.load(name, code)
            drawable[code] = max(0, drawable[code] - keep)
        return {c: min(q, drawable.get(c, 0)) for c, q in full.items() if drawable.get(c)}

    def _grant(
        self, name: CharacterName, state: GameState, errand: BankCraft, stock: Mapping[str, int]
    ) -> tuple[Advice | None, str]:
        """Reserve ``errand``'s inputs out of ``stock`` for ``name`` and give it the goal."""
        recipe = self.team.gamedata.recipe(errand.step)
        assert recipe is not None
        wants = {c: max(0, q - state.inventory[c]) for c, q in errand.inputs}
        wants = {c: q for c, q in wants.items() if q > 0}
        granted = self.ledger.reserve(name, wants, bank=stock)
        if any(granted.get(c, 0) < q for c, q in wants.items()):
            self.ledger.release(name)
            return None, "not granted"
        held = state.inventory[errand.step]
        quantity = held + errand.step_runs * recipe.quantity
        goal = CraftFromBank(errand.step, quantity, errand.inputs, ctx=self.team.context)
        self._errands[name] = goal.name
        advice = Advice(
            goal=goal,
            reserved=granted,
            avoid=self.bank_access.avoid(name) | set(granted) | {errand.step},
            note=f"bank craft: {errand.step} x{errand.step_runs} for {errand.code}",
        )
        return advice, "refine" if errand.refine else "craft"
