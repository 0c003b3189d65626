"""The game service: world + state + clock + rules, and the frame every action runs in.

Routes call :class:`GameServer` methods; action services receive the acting
:class:`~guildmaster.server.state.Character` from :meth:`GameServer.begin_action` and finish with
:meth:`GameServer.finish_action`, which starts the cooldown, logs, and persists what changed.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from guildmaster.clock import Clock
from guildmaster.server.engine.settings import DEFAULT_RULES, RuleSettings
from guildmaster.server.errors import (
    ActionInProgress,
    CharacterInCooldown,
    CharacterNotFound,
    ContentNotOnMap,
    NotFound,
)
from guildmaster.server.state import Character, LogEntry, ServerState
from guildmaster.server.world import Json, World

__all__ = [
    "ActionResult",
    "GameServer",
    "StateStore",
]

logger = logging.getLogger(__name__)


class StateStore(Protocol):
    """Persistence of the server state (SQLite in production, nothing in memory-only runs)."""

    def save(self, game: GameServer, *, accounts: set[str]) -> None:
        """Persist everything belonging to ``accounts`` (and global state) atomically."""


@dataclass
class ActionResult:
    """What an action service returns: its cooldown and the response's extra ``data`` fields."""

    seconds: float
    reason: str
    data: Json = field(default_factory=dict)
    log_type: str = ""
    description: str = ""
    content: Any = None
    include_character: bool = True
    #: other characters whose state the action changed (and who share the cooldown, if listed)
    others: tuple[Character, ...] = ()
    others_share_cooldown: bool = False


@dataclass
class GameServer:
    """The whole game as one service object (stored on ``app.state.game``)."""

    world: World
    clock: Clock
    rules: RuleSettings = DEFAULT_RULES
    state: ServerState = field(default_factory=ServerState)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    store: StateStore | None = None
    _busy: set[str] = field(default_factory=set)
    #: hooks run after each finished action (events scheduler, achievements ...)
    after_action: list[Callable[[Character, ActionResult], None]] = field(default_factory=list)

    # -- time --------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Current (wall/reporting) time."""
        return self.clock.now()

    def now_iso(self) -> str:
        """Current time as an ISO-8601 ``Z`` string."""
        return self.now().isoformat().replace("+00:00", "Z")

    # -- characters --------------------------------------------------------------------------
    def character(self, name: str) -> Character:
        """A character by name.

        Raises:
            NotFound: There is no such character.
        """
        char = self.state.characters.get(name)
        if char is None:
            raise NotFound("Character not found.")
        return char

    def owned_character(self, account: str, name: str) -> Character:
        """A character of ``account`` (another account's character is reported as missing).

        Raises:
            CharacterNotFound: The character does not exist or is not this account's.
        """
        char = self.state.characters.get(name)
        if char is None or char.account != account:
            raise CharacterNotFound("Character not found.")
        return char

    def cooldown_left(self, char: Character) -> float:
        """Seconds (clock time) until the character may act again."""
        if not char.cooldown_expiration:
            return 0.0
        expiration = datetime.fromisoformat(char.cooldown_expiration)
        return max(0.0, (expiration - self.now()).total_seconds())

    def is_busy(self, name: str) -> bool:
        """Whether ``name`` is in the middle of an action (between begin and end)."""
        return name in self._busy

    def begin_action(self, account: str, name: str) -> Character:
        """Check that ``name`` may act now and mark it busy; pair with :meth:`end_action`.

        Raises:
            CharacterNotFound: Not found / not yours.
            ActionInProgress: Action in progress.
            CharacterInCooldown: In cooldown.
        """
        char = self.owned_character(account, name)
        if name in self._busy:
            raise ActionInProgress("An action is already in progress for this character.")
        left = self.cooldown_left(char)
        if left > 0:
            raise CharacterInCooldown(f"Character in cooldown: {left:.2f} seconds left.")
        self._busy.add(name)
        return char

    def end_action(self, char: Character) -> None:
        """Release the busy mark set by :meth:`begin_action`."""
        self._busy.discard(char.name)

    def finish_action(self, char: Character, result: ActionResult) -> Json:
        """Start the cooldown, log the action, persist, and build the response ``data``."""
        started = self.now()
        seconds = max(0, int(result.seconds))
        expiration = self.clock.after_game(seconds, start=started)
        cooldown = char.set_cooldown(seconds, result.reason, started, expiration)
        touched = {char.account}
        for other in result.others:
            touched.add(other.account)
            if result.others_share_cooldown:
                other.set_cooldown(seconds, result.reason, started, expiration)
        self.state.logs.append(
            LogEntry(
                character=char.name,
                account=char.account,
                type=result.log_type or result.reason,
                description=result.description or f"{char.name}: {result.reason}",
                content=result.content,
                cooldown=seconds,
                cooldown_expiration=cooldown["expiration"],
                created_at=self.now_iso(),
            )
        )
        for hook in self.after_action:
            hook(char, result)
        if self.store is not None:
            self.store.save(self, accounts=touched)
        data: Json = {"cooldown": cooldown}
        data.update(result.data)
        if result.include_character:
            data["character"] = char.to_schema(self.now())
        return data

    # -- map helpers -------------------------------------------------------------------------
    def tile_of(self, char: Character) -> Json:
        """The tile the character stands on.

        Raises:
            NotFound: The character's position is not a map tile (corrupt state).
        """
        tile = self.world.maps.get(char.layer, char.x, char.y)
        if tile is None:
            raise NotFound("Map not found.")
        return tile

    def content_here(self, char: Character) -> Json | None:
        """The ``{type, code}`` content of the character's tile, or None."""
        return self.world.maps.content(self.tile_of(char))

    def require_content(self, char: Character, content_type: str, what: str) -> Json:
        """The content of the character's tile, which must be of ``content_type``.

        Raises:
            ContentNotOnMap: "<what> not found on this map." otherwise.
        """
        content = self.content_here(char)
        if content is None or content.get("type") != content_type:
            raise ContentNotOnMap(f"{what} not found on this map.")
        return content
