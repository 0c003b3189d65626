"""Admissible lower bounds for item goals: production time plus unavoidable travel.

Both bounds relax the problem: held and banked units count as free, resting is bounded below
by 1 s per percent of HP lost, and alternatives take their cheapest option. An item with no
usable source at all (no located resource the skill allows, winnable monster, recipe the skill
allows or NPC offer) gives an infinite bound: the planner treats such states as dead ends and
reports the goal infeasible. (Levelling up inside one plan could open a source later; that
corner is deliberately ignored: levelling is a goal of its own.)
Production counts only the durations of gathering, fighting, crafting and buying; travel counts
only moves. The two are disjoint parts of any plan's cost, so their sum never overestimates.
"""

from __future__ import annotations

import math

from guildmaster.planning.domains.context import GameContext
from guildmaster.planning.domains.state import GameState, Location

__all__ = [
    "obtain_lower_bound",
    "production_seconds",
    "remaining_demand",
    "required_tile_sets",
    "travel_from",
    "travel_lower_bound",
]

_TileSet = frozenset[Location]


def _missing(state: GameState, code: str, quantity: int) -> int:
    return quantity - state.inventory[code] - state.bank[code]


def production_seconds(ctx: GameContext, state: GameState, code: str, quantity: int) -> float:
    """Return a lower bound on the action time (no travel) to hold ``quantity`` of ``code``.

    >>> from guildmaster.planning.domains.facts import StaticFacts
    >>> production_seconds(GameContext(StaticFacts()), GameState(("o", 0, 0), 1, 1), "x", 3)
    inf
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
        if resource is None or not ctx.facts.locations("resource", resource_code):
            continue
        if state.skills[resource.skill] < resource.level:
            continue  # skill-gated: levelling is a goal of its own, not part of this plan
        seconds = costs.gather(state, resource)
        for drop in resource.drops:
            if drop.code == code:
                # As modelled by Gather: a certain drop yields min_quantity per gather, a rare
                # one is farmed a unit at a time for rate gathers.
                if drop.rate <= 1:
                    options.append(seconds * -(-missing // max(1, drop.min_quantity)))
                else:
                    options.append(seconds * drop.rate * missing)
    if monsters:
        full = state.with_(hp=state.max_hp)
        for monster_code in monsters:
            monster = ctx.facts.monster(monster_code)
            if monster is None or not ctx.facts.locations("monster", monster_code):
                continue
            estimate = ctx.facts.predict_fight(full, monster_code)
            if estimate.win_probability < ctx.options.min_win_probability:
                continue  # Fight.check refuses it even at full HP
            one = costs.fight(full, monster_code, estimate)
            # Resting costs at least 1 s per percent of HP lost beyond what one full bar holds.
            rest_per_fight = 100.0 * estimate.hp_lost / max(1, state.max_hp)
            for drop in monster.drops:
                if drop.code != code:
                    continue
                if drop.rate <= 1:
                    fights = -(-missing // max(1, drop.min_quantity))
                    spare = max(0.0, fights * estimate.hp_lost - (state.max_hp - 1))
                    options.append(fights * one + spare * 100.0 / max(1, state.max_hp))
                else:
                    per_unit = drop.rate * estimate.expected_fights_per_win
                    if math.isfinite(per_unit):
                        unit = per_unit * one + (per_unit - 1) * rest_per_fight
                        options.append(unit * missing)
    item = ctx.facts.item(code)
    recipe = None if item is None or code in seen else item.craft
    if recipe is not None and state.skills[recipe.skill] >= recipe.level:
        runs = -(-missing // max(1, recipe.quantity))
        total = costs.craft(state, code, runs)
        for ingredient in recipe.items:
            needed = runs * ingredient.quantity
            total += _production(ctx, state, ingredient.code, needed, seen | {code})
        options.append(total)
    # Buying last, so gold-limited purchases can fall back on the other ways for the rest.
    other = min(options, default=math.inf)
    per_buy = costs.flat("npc_buy")
    for offer in ctx.facts.npc_offers(code):
        if offer.buy_price is None or not ctx.facts.locations("npc", offer.npc):
            continue
        if offer.currency != "gold":
            if code in seen:
                continue
            price = offer.buy_price * missing
            currency = _production(ctx, state, offer.currency, price, seen | {code})
            options.append(per_buy * missing + currency)
            continue
        affordable = (state.gold + state.bank_gold) // max(1, offer.buy_price)
        if affordable >= missing or math.isinf(other):
            # (Without another way, the gold must be earned somehow: the bound stays weak.)
            options.append(per_buy * missing)
        else:
            rest = missing - affordable
            options.append(per_buy * affordable + other * rest / missing)
    # No way at all (e.g. only task rewards give it): the goal is unreachable in this domain.
    return min(options) if options else math.inf


def remaining_demand(
    ctx: GameContext, state: GameState, code: str, quantity: int
) -> dict[str, int]:
    """Return how many more units of each item in the recipe tree could still be useful.

    Gross requirements flow down the recipe tree in topological order; the inventory is
    subtracted once per item, so shared ingredients are never undercounted. Banked units still
    count as demand: they have to be withdrawn.

    >>> from guildmaster.planning.domains.facts import StaticFacts
    >>> remaining_demand(GameContext(StaticFacts()), GameState(("o", 0, 0), 1, 1), "x", 3)
    {'x': 3}
    """
    order: list[str] = []
    visiting: set[str] = set()

    def inputs(current: str) -> list[tuple[str, int, int]]:
        """``(code, units, per)``: ``units`` of ``code`` per ``per`` units of ``current``."""
        found: list[tuple[str, int, int]] = []
        item = ctx.facts.item(current)
        if item is not None and item.craft is not None:
            per_run = max(1, item.craft.quantity)
            found += [(i.code, i.quantity, per_run) for i in item.craft.items]
        for offer in ctx.facts.npc_offers(current):
            priced = offer.buy_price is not None and offer.currency != "gold"
            if priced and ctx.facts.locations("npc", offer.npc):
                found.append((offer.currency, offer.buy_price or 0, 1))
        return found

    def visit(current: str) -> None:
        if current in visiting:
            return
        visiting.add(current)
        for child, _, _ in inputs(current):
            visit(child)
        order.append(current)

    visit(code)
    gross: dict[str, int] = {code: quantity}
    demand: dict[str, int] = {}
    for current in reversed(order):  # parents before their inputs
        net = gross.get(current, 0) - state.inventory[current]
        if net <= 0:
            continue
        demand[current] = net
        # Every way to make the item (recipe, currency) may be used: over-counting only
        # weakens the pruning, never forbids a useful action.
        for child, units, per in inputs(current):
            gross[child] = gross.get(child, 0) + -(-net // per) * units
    return demand


def _required_tiles(
    ctx: GameContext, state: GameState, code: str, quantity: int, seen: frozenset[str]
) -> list[_TileSet]:
    """Tile sets that every plan must visit (at least one tile of each) to get the item."""
    if _missing(state, code, quantity) <= 0:
        return []
    alternatives: list[list[_TileSet]] = []
    resources, monsters = ctx.droppers(code)
    candidates = [("resource", r) for r in resources] + [("monster", m) for m in monsters]
    for content_type, content_code in candidates:
        tiles = frozenset(ctx.facts.locations(content_type, content_code))
        if tiles:  # content absent from the map (inactive events) cannot help
            alternatives.append([tiles])
    for offer in ctx.facts.npc_offers(code):
        tiles = frozenset(ctx.facts.locations("npc", offer.npc))
        if offer.buy_price is None or not tiles:
            continue
        sets = [tiles]
        if offer.currency != "gold" and code not in seen:
            price = offer.buy_price * _missing(state, code, quantity)
            sets.extend(_required_tiles(ctx, state, offer.currency, price, seen | {code}))
        alternatives.append(sets)
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


def travel_lower_bound(ctx: GameContext, state: GameState, code: str, quantity: int) -> float:
    """Return a lower bound on the travel still needed.

    Every required place must be visited; for each pair of places, whichever is visited first,
    the route is at least as long as going to it and then to the other (travel times are
    shortest paths, so the triangle inequality holds). The bound is the best such pair (or the
    farthest single place).
    """
    sets = tuple(dict.fromkeys(_required_tiles(ctx, state, code, quantity, frozenset())))
    return travel_from(ctx, state.location, sets)


def travel_from(ctx: GameContext, origin: Location, sets: tuple[_TileSet, ...]) -> float:
    """Return the pairwise travel bound from ``origin`` over required tile ``sets``."""
    pending = [tiles for tiles in sets if tiles and origin not in tiles]
    here = [ctx.set_distance(frozenset({origin}), tiles) for tiles in pending]
    if any(math.isinf(d) for d in here):
        return math.inf  # a place the goal needs cannot be reached from here
    best = max(here, default=0.0)
    for i, first in enumerate(pending):
        for j in range(i + 1, len(pending)):
            between = ctx.set_distance(first, pending[j])
            both = min(here[i] + between, here[j] + between)
            if math.isfinite(both):
                best = max(best, both)
    return best


def required_tile_sets(
    ctx: GameContext, state: GameState, code: str, quantity: int
) -> tuple[_TileSet, ...]:
    """Return the tile sets any plan to obtain the item must visit (one tile of each)."""
    return tuple(dict.fromkeys(_required_tiles(ctx, state, code, quantity, frozenset())))


def obtain_lower_bound(ctx: GameContext, state: GameState, code: str, quantity: int) -> float:
    """Return production plus travel lower bounds (admissible for :class:`ObtainItem`)."""
    if state.inventory[code] >= quantity:
        return 0.0
    return production_seconds(ctx, state, code, quantity) + travel_lower_bound(
        ctx, state, code, quantity
    )
