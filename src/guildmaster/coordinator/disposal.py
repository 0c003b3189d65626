"""Disposal errands: turn the gear above the quotas (:mod:`.quotas`) into gold or materials.

The coordinator offers a character a :class:`~guildmaster.planning.domains.DisposeItems` goal
for one surplus item when the character holds some of it, or stands near the bank that holds
it. The venue is chosen by value, from the game data only (NPC offers and recipes; the Grand
Exchange book is not loaded, as :meth:`~.coordinator.Coordinator.advise` is synchronous): NPC
gold against the expected recycled materials, each valued at its NPC sale price plus
``need_gold`` when the team needs it (the plan's materials, the bank crafts' inputs, what the
characters drew from the bank). Recycling needs the character's crafting level; items neither
an NPC buys nor the character can recycle are left alone (a GE sell order is not planned: its
gold comes only once someone buys).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

from guildmaster.coordinator.quotas import Surplus
from guildmaster.knowledge import GameData
from guildmaster.planning.domains import DisposalVenue, GameState
from guildmaster.planning.domains.rules import recycle_units_per_item

__all__ = [
    "DISPOSAL_NEAR_BANK_SECONDS",
    "NEED_GOLD",
    "Disposal",
    "choose_disposal",
    "disposal_venues",
    "recycle_yield",
]

#: A character this many travel seconds from a bank (or closer) may fetch banked surplus.
DISPOSAL_NEAR_BANK_SECONDS: Final = 30.0
#: Gold a recycled material unit is worth on top of its NPC price when the team needs it.
NEED_GOLD: Final = 10.0


@dataclass(frozen=True, slots=True)
class Disposal:
    """Get rid of ``quantity`` of ``code`` at ``venue`` (``npc`` names the buyer), worth
    ``value`` gold (materials at their estimated worth)."""

    code: str
    quantity: int
    venue: DisposalVenue
    npc: str
    value: float


def recycle_yield(gamedata: GameData, code: str, quantity: int) -> dict[str, float]:
    """Return the expected materials of recycling ``quantity`` of ``code`` (``{}``: cannot).

    Each unit gives back ``(T - 1) // 5 + 1`` recipe units (``T``: the recipe's units), drawn
    in proportion to the recipe.
    """
    item = gamedata.items.get(code)
    if item is None or item.craft is None or not item.recyclable or not item.craft.items:
        return {}
    units = sum(i.quantity for i in item.craft.items)
    back = recycle_units_per_item(units) * quantity
    return {i.code: back * i.quantity / units for i in item.craft.items}


def _npc_gold(gamedata: GameData, code: str, npcs: Collection[str] | None) -> tuple[str, int]:
    """The NPC paying most gold for ``code`` (among ``npcs`` when given) and its price."""
    best = ("", 0)
    for offer in gamedata.sell_offers(code):
        if offer.currency != "gold" or offer.sell_price is None:
            continue
        if npcs is not None and offer.npc not in npcs:
            continue
        if offer.sell_price > best[1]:
            best = (offer.npc, offer.sell_price)
    return best


def disposal_venues(
    gamedata: GameData,
    state: GameState,
    code: str,
    quantity: int,
    *,
    needs: Collection[str] = (),
    npcs: Collection[str] | None = None,
    need_gold: float = NEED_GOLD,
) -> tuple[Disposal, ...]:
    """Return every venue ``state`` can dispose of ``quantity`` of ``code`` at, best first.

    ``npcs`` limits the buyers to NPCs on the map (``None``: any).
    """
    found: list[Disposal] = []
    npc, price = _npc_gold(gamedata, code, npcs)
    if npc:
        found.append(Disposal(code, quantity, "npc", npc, float(price * quantity)))
    item = gamedata.items.get(code)
    materials = recycle_yield(gamedata, code, quantity)
    recipe = None if item is None else item.craft
    if recipe is not None and materials and state.skills[recipe.skill] >= recipe.level:
        value = 0.0
        for material, units in materials.items():
            _, unit = _npc_gold(gamedata, material, npcs)
            value += units * (unit + (need_gold if material in needs else 0.0))
        found.append(Disposal(code, quantity, "recycle", "", value))
    # Ties go to the NPC: gold is certain, recycled units are random.
    return tuple(sorted(found, key=lambda d: (-d.value, d.venue != "npc")))


def choose_disposal(
    gamedata: GameData,
    state: GameState,
    surplus: Collection[Surplus],
    *,
    bank: Mapping[str, int],
    near_bank: bool,
    room: int,
    needs: Collection[str] = (),
    npcs: Collection[str] | None = None,
    busy: Collection[str] = (),
) -> Disposal | None:
    """Return the most valuable disposal errand for ``state`` (``None``: nothing to do).

    Only ``surplus`` units count: first those ``state`` carries, then (when ``near_bank``)
    those in ``bank`` (the units free for this character), at most ``room`` of them (its bag's
    free space). Items in ``busy`` (another character's errand) are skipped.
    """
    best: Disposal | None = None
    for entry in sorted(surplus, key=lambda s: s.code):
        if entry.code in busy or entry.quantity <= 0:
            continue
        carried = min(state.inventory[entry.code], entry.quantity)
        banked = 0
        if near_bank:
            banked = min(bank.get(entry.code, 0), entry.quantity - carried, max(0, room))
        quantity = carried + banked
        if quantity <= 0:
            continue
        venues = disposal_venues(gamedata, state, entry.code, quantity, needs=needs, npcs=npcs)
        if venues and (best is None or venues[0].value > best.value):
            best = venues[0]
    return best
