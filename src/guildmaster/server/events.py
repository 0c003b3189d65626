"""World events (MECHANICS §17): random spawns that take over a map tile for a while.

Every game minute each inactive event starts with probability ``1/rate`` (a seeded RNG of its
own), as long as fewer than ``max_active`` events run. A started event occupies one of its maps
chosen at random (never a tile another event holds), replacing the tile's content, skin and,
if the event has one, its transition, for ``duration`` game minutes; ``ServerState.active_events``
holds it shaped as ``ActiveEventSchema``. On expiry the previous tile comes back.

The scheduler is lazy: :func:`advance_events` (run before each request by the app) catches up on
the game minutes elapsed since its last call, so no background task is needed and virtual clocks
work unchanged. Its cursor lives on an :class:`EventScheduler` attached to the game.
"""

from __future__ import annotations

import copy
import logging
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from guildmaster.server.game import ActionResult, GameServer
from guildmaster.server.state import Character
from guildmaster.server.world import Json

__all__ = [
    "DEFAULT_EVENT_SETTINGS",
    "EventScheduler",
    "EventSettings",
    "advance_events",
    "scheduler_of",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EventSettings:
    """Event spawning knobs; the global cap is [uncertain] in MECHANICS §27.16.

    >>> EventSettings().max_active
    3
    """

    enabled: bool = True
    max_active: int = 3
    seed: int = 0
    max_catch_up_minutes: int = 7 * 24 * 60
    """Longest gap replayed minute by minute (older minutes are skipped)."""


DEFAULT_EVENT_SETTINGS: Final = EventSettings()


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class EventScheduler:
    """Starts and expires events for one game; also usable as an ``after_action`` hook."""

    def __init__(self, settings: EventSettings = DEFAULT_EVENT_SETTINGS, *, salt: int = 0) -> None:
        self.settings = settings
        self.rng = random.Random(settings.seed ^ salt)
        self.minute: int | None = None
        self._parsed: dict[str, datetime] = {}

    def __call__(self, char: Character, result: ActionResult) -> None:
        """After-action hook: nothing to do (events advance before requests)."""

    def _minute_time(self, game: GameServer, minute: int) -> datetime:
        return game.clock.epoch + timedelta(seconds=game.clock.game_to_wall(minute * 60.0))

    def reconcile(self, game: GameServer) -> None:
        """Re-apply the tiles of active events (after loading a persisted state)."""
        for active in game.state.active_events:
            spot = active.get("map") or {}
            tile = game.world.maps.get(str(spot.get("layer")), int(spot["x"]), int(spot["y"]))
            if tile is not None:
                tile["skin"] = spot.get("skin", tile.get("skin"))
                tile["interactions"] = copy.deepcopy(spot.get("interactions") or {})

    def advance(self, game: GameServer) -> list[str]:
        """Process every game minute up to now; returns the codes of events started."""
        current = math.floor(game.clock.game_seconds() / 60.0)
        if self.minute is None:
            self.minute = current
            self.reconcile(game)
            self._expire(game, game.now())
            return []
        started: list[str] = []
        first = max(self.minute + 1, current - self.settings.max_catch_up_minutes + 1)
        table = [
            (code, 1.0 / max(1, int(game.world.events[code].get("rate") or 1)))
            for code in sorted(game.world.events)
        ]
        for minute in range(first, current + 1):
            if game.state.active_events:
                self._expire(game, self._minute_time(game, minute))
            if self.settings.enabled:
                started.extend(self._spawn(game, minute, table))
        self.minute = max(self.minute, current)
        return started

    def _expiration(self, active: Json) -> datetime:
        text = str(active["expiration"])
        moment = self._parsed.get(text)
        if moment is None:
            moment = self._parsed[text] = _parse(text)
        return moment

    def _expire(self, game: GameServer, moment: datetime) -> None:
        if all(self._expiration(a) > moment for a in game.state.active_events):
            return
        keep: list[Json] = []
        for active in game.state.active_events:
            if self._expiration(active) > moment:
                keep.append(active)
                continue
            self._parsed.pop(str(active["expiration"]), None)
            previous = active.get("previous_map") or {}
            tile = game.world.maps.get(
                str(previous.get("layer")), int(previous["x"]), int(previous["y"])
            )
            if tile is not None:
                tile["skin"] = previous.get("skin", tile.get("skin"))
                tile["interactions"] = copy.deepcopy(previous.get("interactions") or {})
            logger.info("event %s ended", active.get("code"))
        game.state.active_events[:] = keep

    def _spawn(self, game: GameServer, minute: int, table: list[tuple[str, float]]) -> list[str]:
        started: list[str] = []
        active = game.state.active_events
        for code, chance in table:
            # one draw per event and minute whatever the state, so runs stay reproducible
            if self.rng.random() >= chance or len(active) >= self.settings.max_active:
                continue
            if any(a.get("code") == code for a in active):
                continue
            event = game.world.events[code]
            if self.start(game, event, self._minute_time(game, minute)):
                started.append(code)
        return started

    def start(self, game: GameServer, event: Json, moment: datetime) -> bool:
        """Start ``event`` now on a free map of its list; False if every map is taken."""
        taken = {
            (str(a["map"]["layer"]), int(a["map"]["x"]), int(a["map"]["y"]))
            for a in game.state.active_events
        }
        spots = []
        for spot in event.get("maps") or []:
            key = (str(spot["layer"]), int(spot["x"]), int(spot["y"]))
            if key not in taken and game.world.maps.get(*key) is not None:
                spots.append(spot)
        if not spots or not event.get("content"):
            return False
        spot = self.rng.choice(spots)
        tile = game.world.maps.get(str(spot["layer"]), int(spot["x"]), int(spot["y"]))
        assert tile is not None
        previous = copy.deepcopy(tile)
        interactions = copy.deepcopy(tile.get("interactions") or {})
        interactions["content"] = copy.deepcopy(event["content"])
        if event.get("transition"):
            interactions["transition"] = copy.deepcopy(event["transition"])
        tile["interactions"] = interactions
        tile["skin"] = str(spot.get("skin") or tile.get("skin", ""))
        duration = int(event.get("duration") or 60)
        expiration = game.clock.after_game(duration * 60, start=moment)
        game.state.active_events.append(
            {
                "name": str(event.get("name") or event["code"]),
                "code": str(event["code"]),
                "map": copy.deepcopy(tile),
                "previous_map": previous,
                "duration": duration,
                "expiration": _iso(expiration),
                "created_at": _iso(moment),
            }
        )
        logger.info(
            "event %s started at %s (%s, %s)", event["code"], tile["layer"], *_spot_xy(spot)
        )
        return True


def _spot_xy(spot: Json) -> tuple[int, int]:
    return int(spot["x"]), int(spot["y"])


def scheduler_of(
    game: GameServer, settings: EventSettings = DEFAULT_EVENT_SETTINGS
) -> EventScheduler:
    """The game's scheduler, created (and attached as an after-action hook) on first use."""
    for hook in game.after_action:
        if isinstance(hook, EventScheduler):
            return hook
    # Salted with the game's seeded RNG state (read, not consumed): servers started with
    # different seeds see different events, the same seed the same ones.
    salt = hash(game.rng.getstate()[1]) & 0xFFFFFFFF  # ints only: hash(None) varies
    scheduler = EventScheduler(settings, salt=salt)
    game.after_action.append(scheduler)
    return scheduler


def advance_events(game: GameServer) -> None:
    """Catch up on event spawns and expiries up to the current game minute."""
    scheduler_of(game).advance(game)
