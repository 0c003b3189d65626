"""Admissible lower bounds for item goals: production time plus unavoidable travel.

Both bounds relax the problem: held and banked units count as free, skill levels and resting
are ignored, and alternatives take their cheapest option. Production counts only the
durations of gathering, fighting, crafting and buying; travel counts only moves. The two are
disjoint parts of any plan's cost, so their sum never overestimates.
"""

from __future__ import annotations

import math

from guildmaster.planning.domains.context import GameContext
from guildmaster.planning.domains.state import GameState, Location

__all__ = ["obtain_lower_bound", "production_seconds", "travel_lower_bound"]

_TileSet = frozenset[Location]


def _missing(state: GameState, code: str, quantity: int) -> int:
    return quantity - state.inventory[code] - state.bank[code]


def production_seconds(ctx: GameContext, state: GameState, code: str, quantity: int) -> float:
    """Return a lower bound on the action time (no travel) to hold ``quantity`` of ``code``.

    >>> from guildmaster.planning.domains.facts import StaticFacts
    >>> production_seconds(GameContext(StaticFacts()), GameState(("o", 0, 0), 1, 1), "x", 3)
    0.0
    """
    return _production(ctx, state, code, quantity, frozenset())


def _production(
    ctx: GameContext, state: GameState, code: str, quantity: int, seen: frozenset[str]
) -> float:
    missing = _missing(state, code, quantity)
    if missing <= 0:
        return 0.0
    costs = ctx.cost_model
    options: list[float] = []
    resources, monsters = ctx.droppers(code)
    for resource_code in resources:
        resource = ctx.facts.resource(resource_code)
        if resource is None:
            continue
        for drop in resource.drops:
            if drop.code == code:
                per = costs.gather(state, resource) * drop.rate / max(1, drop.max_quantity)
                options.append(per * missing)
    if monsters:
        full = state.with_(hp=state.max_hp)
        for monster_code in monsters:
            monster = ctx.facts.monster(monster_code)
            if monster is None:
                continue
            one = costs.fight(full, monster_code, ctx.facts.predict_fight(full, monster_code))
            for drop in monster.drops:
                if drop.code == code:
                    options.append(one * drop.rate / max(1, drop.max_quantity) * missing)
    if any(o.buy_price is not None for o in ctx.facts.npc_offers(code)):
        options.append(costs.flat("npc_buy") * missing)
    item = ctx.facts.item(code)
    if item is not None and item.craft is not None and code not in seen:
        recipe = item.craft
        runs = -(-missing // max(1, recipe.quantity))
        total = costs.craft(state, code, runs)
        for ingredient in recipe.items:
            needed = runs * ingredient.quantity
            total += _production(ctx, state, ingredient.code, needed, seen | {code})
        options.append(total)
    return min(options) if options else 0.0


def _required_tiles(
    ctx: GameContext, state: GameState, code: str, quantity: int, seen: frozenset[str]
) -> list[_TileSet]:
    """Tile sets that every plan must visit (at least one tile of each) to get the item."""
    if _missing(state, code, quantity) <= 0:
        return []
    alternatives: list[list[_TileSet]] = []
    resources, monsters = ctx.droppers(code)
    for resource in resources:
        alternatives.append([frozenset(ctx.facts.locations("resource", resource))])
    for monster in monsters:
        alternatives.append([frozenset(ctx.facts.locations("monster", monster))])
    for offer in ctx.facts.npc_offers(code):
        if offer.buy_price is not None:
            alternatives.append([frozenset(ctx.facts.locations("npc", offer.npc))])
    item = ctx.facts.item(code)
    if item is not None and item.craft is not None and code not in seen:
        recipe = item.craft
        runs = -(-_missing(state, code, quantity) // max(1, recipe.quantity))
        sets = [frozenset(ctx.facts.locations("workshop", recipe.skill))]
        for ingredient in recipe.items:
            needed = runs * ingredient.quantity
            sets.extend(_required_tiles(ctx, state, ingredient.code, needed, seen | {code}))
        alternatives.append(sets)
    if not alternatives:
        return []
    if len(alternatives) == 1:
        return alternatives[0]
    # Several ways: at least one tile of any of them must be visited.
    union: set[Location] = set()
    for sets in alternatives:
        for tiles in sets:
            union |= tiles
    return [frozenset(union)]


def _distance(ctx: GameContext, origin: Location, tiles: _TileSet) -> float:
    known = [ctx.facts.travel_seconds(origin, tile) for tile in tiles]
    return min((d for d in known if d is not None), default=math.inf)


def travel_lower_bound(ctx: GameContext, state: GameState, code: str, quantity: int) -> float:
    """Return a lower bound on the travel still needed.

    Every required place must be visited; for each pair of places, whichever is visited first,
    the route is at least as long as going to it and then to the other (travel times are
    shortest paths, so the triangle inequality holds). The bound is the best such pair (or the
    farthest single place).
    """
    sets = [
        tiles
        for tiles in dict.fromkeys(_required_tiles(ctx, state, code, quantity, frozenset()))
        if tiles and state.location not in tiles
    ]
    here = [_distance(ctx, state.location, tiles) for tiles in sets]
    best = max((d for d in here if math.isfinite(d)), default=0.0)
    for i, first in enumerate(sets):
        for j in range(i + 1, len(sets)):
            between = ctx.set_distance(first, sets[j])
            both = min(here[i] + between, here[j] + between)
            if math.isfinite(both):
                best = max(best, both)
    return best


def obtain_lower_bound(ctx: GameContext, state: GameState, code: str, quantity: int) -> float:
    """Return production plus travel lower bounds (admissible for :class:`ObtainItem`)."""
    if state.inventory[code] >= quantity:
        return 0.0
    return production_seconds(ctx, state, code, quantity) + travel_lower_bound(
        ctx, state, code, quantity
    )
