"""Typed reads of the API's character where the schema spreads one fact over many field names.

``CharacterSchema`` keeps each skill in ``{skill}_level`` and ``{skill}_xp`` fields and each
equipment slot in a ``{slot}_slot`` field. :func:`skill_levels`, :func:`skill_xp` and
:func:`equipment` read them (the skills and slots are those the schema declares), so no reader
outside the API builds field names; :func:`cooldown_text` gives the cooldown's end as the API
writes it, and :func:`parse_character` reads character JSON that may lack fields (a hand-written
state file). The models themselves are generated (:mod:`guildmaster.api.models`).

>>> c = parse_character({"x": 0, "y": 0, "hp": 9, "max_hp": 9, "mining_level": 3})
>>> skill_levels(c)["mining"], skill_levels(c)["cooking"], equipment(c), cooldown_text(c)
(3, 0, {}, None)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

from guildmaster.api.models import CharacterSchema

__all__ = ["cooldown_text", "equipment", "parse_character", "skill_levels", "skill_xp"]

#: The fields :func:`parse_character` never makes up: the position and the HP.
_REQUIRED: Final = frozenset({"x", "y", "hp", "max_hp"})


def skill_levels(character: CharacterSchema) -> dict[str, int]:
    """Return each skill's level (gathering and crafting), in the schema's order."""
    return {skill: int(getattr(character, f"{skill}_level")) for skill in _skills()}


def skill_xp(character: CharacterSchema) -> dict[str, int]:
    """Return each skill's XP within its level, in the schema's order."""
    return {skill: int(getattr(character, f"{skill}_xp")) for skill in _skills()}


def equipment(character: CharacterSchema) -> dict[str, str]:
    """Return the item code worn in each occupied slot (``weapon``, ``ring1``, ``bag``...)."""
    worn = ((slot, str(getattr(character, f"{slot}_slot"))) for slot in _slots())
    return {slot: code for slot, code in worn if code}


def cooldown_text(character: CharacterSchema) -> str | None:
    """Return when the cooldown ends as the API writes it (ISO 8601), ``None`` when unknown."""
    dumped = character.model_dump(mode="json", include={"cooldown_expiration"})
    text = dumped.get("cooldown_expiration")
    return text if isinstance(text, str) else None


def parse_character(data: Mapping[str, Any]) -> CharacterSchema:
    """Return the character in ``data``, API JSON that may lack fields: an absent number reads
    0 and an absent text reads ``""``.

    Raises:
        pydantic.ValidationError: (a ``ValueError``) when the position (``x``, ``y``) or the
            HP (``hp``, ``max_hp``) is absent, or a field has the wrong type.
    """
    filled: dict[str, Any] = {}
    for name, info in CharacterSchema.model_fields.items():
        if info.is_required() and name not in _REQUIRED:
            filled[name] = 0 if info.annotation is int else ""
    filled.update(data)
    return CharacterSchema.model_validate(filled)


@functools.cache
def _skills() -> tuple[str, ...]:
    """The skills the schema declares: each has ``_level``, ``_xp`` and ``_max_xp`` fields."""
    fields = CharacterSchema.model_fields
    named = (name.removesuffix("_level") for name in fields if name.endswith("_level"))
    return tuple(s for s in named if f"{s}_xp" in fields and f"{s}_max_xp" in fields)


@functools.cache
def _slots() -> tuple[str, ...]:
    """The equipment slots the schema declares (its ``{slot}_slot`` fields)."""
    fields = CharacterSchema.model_fields
    return tuple(name.removesuffix("_slot") for name in fields if name.endswith("_slot"))
