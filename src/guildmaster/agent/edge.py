"""The agent's edge: the API's character comes in, the player's typed state goes out.

:func:`state_from_character` is the one place that turns the API's ``CharacterSchema`` into the
planning :class:`~guildmaster.planning.domains.state.GameState`. :class:`KnownState` is what a
:class:`~guildmaster.agent.character.CharacterAgent` knows between two answers of the server:
the character (typed, as the server last returned it), the bank's items, gold and slots, and the
current decision's limits on the bank (items its goal hides, claims the advisor refused, the
advice's ``avoid``). It derives the planning state once per change; every read shares it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from guildmaster.agent.advisor import Advice
from guildmaster.api.fields import (
    cooldown_text,
    equipment,
    parse_character,
    skill_levels,
    skill_xp,
)
from guildmaster.api.models import CharacterSchema
from guildmaster.planning.domains.state import EQUIPMENT_SLOTS, SKILLS, GameState, TaskState
from guildmaster.planning.state import Multiset

__all__ = ["KnownState", "state_from_character"]

#: The keys of :meth:`KnownState.status`, in order.
_STATUS_KEYS: Final = (
    "level",
    "xp",
    "max_xp",
    "x",
    "y",
    "layer",
    "task",
    "task_type",
    "task_progress",
    "task_total",
    "skills",
    "hp",
    "max_hp",
    "gold",
    "cooldown_expiration",
)


def state_from_character(
    character: CharacterSchema | Mapping[str, Any],
    *,
    bank: Mapping[str, int] | None = None,
    bank_gold: int = 0,
    bank_room: int | None = None,
) -> GameState:
    """Return the planning state of ``character`` with the bank contents last seen (and how
    many new item codes the bank can still take, when known).

    A mapping is API JSON that may lack fields (a saved state file): it is read with
    :func:`~guildmaster.api.fields.parse_character`. Absent or zero levels read 1.

    Raises:
        ValueError: when a mapping lacks the position or the HP (or has a mistyped field).
    """
    if not isinstance(character, CharacterSchema):
        character = parse_character(character)
    levels, xp = skill_levels(character), skill_xp(character)
    worn = equipment(character)
    task = None
    if character.task:
        task = TaskState(
            code=character.task,
            type=character.task_type or "",
            progress=character.task_progress or 0,
            total=character.task_total or 0,
        )
    return GameState(
        location=(character.layer or "overworld", character.x, character.y),
        hp=character.hp,
        max_hp=character.max_hp,
        level=character.level or 1,
        xp=character.xp or 0,
        skills=Multiset({s: levels.get(s) or 1 for s in SKILLS}),
        skill_xp=Multiset({s: xp.get(s) or 0 for s in SKILLS}),
        inventory=Multiset(
            (slot.code, slot.quantity) for slot in character.inventory or () if slot.code
        ),
        inventory_max=character.inventory_max_items or 100,
        equipment=tuple(sorted((slot, worn[slot]) for slot in EQUIPMENT_SLOTS if slot in worn)),
        bank=Multiset(bank or {}),
        bank_gold=bank_gold,
        gold=character.gold or 0,
        task=task,
        bank_room=bank_room,
        cooldown=float(character.cooldown or 0),
        name=character.name or "",
    )


class KnownState:
    """The character and bank as the server last answered, and the planning state they give.

    The server's answers come in through :meth:`see_character` and :meth:`see_bank`; the
    decision's limits on the bank through :meth:`hide`, :meth:`refuse`,
    :meth:`clear_refusals` and :meth:`follow`. :attr:`state` is derived again only after
    one of them.
    """

    def __init__(self) -> None:
        self._character: CharacterSchema | None = None
        self._bank: dict[str, int] = {}
        self._bank_gold = 0
        self._bank_slots: int | None = None
        self._hidden: frozenset[str] = frozenset()
        #: Bank items the advisor refused to hand out since the last advice, with the units
        #: it could still hand out (planned on instead of the bank's count).
        self._refused: dict[str, int] = {}
        self._advice: Advice | None = None
        self._state: GameState | None = None

    @property
    def character(self) -> CharacterSchema | None:
        """The character as the server last returned it (``None``: not read yet)."""
        return self._character

    @property
    def bank(self) -> Mapping[str, int]:
        """The bank's items as last seen (before the decision's limits)."""
        return self._bank

    @property
    def state(self) -> GameState:
        """The planning state: the character, and the bank as last seen with the limits applied.

        Raises:
            RuntimeError: before the first character was seen.
        """
        if self._state is None:
            self._state = self._derive()
        return self._state

    def see_character(self, character: CharacterSchema) -> None:
        """Take the character from a server answer."""
        self._character = character
        self._state = None

    def see_bank(
        self,
        items: Mapping[str, int] | None = None,
        *,
        gold: int | None = None,
        slots: int | None = None,
    ) -> None:
        """Take what a server answer (or the team) says of the bank (``None``: unchanged)."""
        if items is not None:
            self._bank = dict(items)
        if gold is not None:
            self._bank_gold = gold
        if slots is not None:
            self._bank_slots = slots
        self._state = None

    def hide(self, codes: frozenset[str]) -> None:
        """Plan as if the bank held none of ``codes`` (the current goal's wish)."""
        self._hidden = codes
        self._state = None

    def refuse(self, code: str, units: int) -> None:
        """Plan on at most ``units`` of ``code`` from the bank (the advisor refused more)."""
        self._refused[code] = units
        self._state = None

    def clear_refusals(self) -> None:
        """Forget the refused claims (a new decision starts)."""
        self._refused = {}
        self._state = None

    def follow(self, advice: Advice | None) -> None:
        """Plan without the bank items ``advice`` forbids (unless it reserves some)."""
        self._advice = advice
        self._state = None

    def status(self) -> dict[str, Any]:
        """The character's part of the agent's status (JSON-ready; all ``None`` before the
        first read): level, xp, max_xp, position, task, skills, hp, max_hp, gold, cooldown."""
        c = self._character
        if c is None:
            return dict.fromkeys(_STATUS_KEYS) | {"skills": {}}
        return {
            "level": c.level,
            "xp": c.xp,
            "max_xp": c.max_xp,
            "x": c.x,
            "y": c.y,
            "layer": c.layer,
            "task": c.task,
            "task_type": c.task_type,
            "task_progress": c.task_progress,
            "task_total": c.task_total,
            "skills": skill_levels(c),
            "hp": c.hp,
            "max_hp": c.max_hp,
            "gold": c.gold,
            "cooldown_expiration": cooldown_text(c),
        }

    def task_report(self) -> dict[str, Any] | None:
        """The character's task for the advisor's ``task`` event (``None``: no task)."""
        c = self._character
        if c is None or not c.task:
            return None
        return {
            "code": c.task,
            "type": c.task_type,
            "total": c.task_total,
            "progress": c.task_progress,
        }

    def _derive(self) -> GameState:
        if self._character is None:
            raise RuntimeError("no character seen yet")
        bank = dict(self._bank)
        for code in self._hidden:
            bank.pop(code, None)
        for code, units in self._refused.items():
            if units > 0 and code in bank:
                bank[code] = min(bank[code], units)
            else:
                bank.pop(code, None)
        advice = self._advice
        if advice is not None:
            for code in advice.avoid:
                if advice.reserved.get(code, 0) <= 0:
                    bank.pop(code, None)
        room = None if self._bank_slots is None else max(0, self._bank_slots - len(self._bank))
        return state_from_character(
            self._character, bank=bank, bank_gold=self._bank_gold, bank_room=room
        )
