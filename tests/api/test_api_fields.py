"""Typed reads of the API's character: skills, equipment, cooldown text, lenient JSON."""

from __future__ import annotations

import doctest

import pydantic
import pytest
from api_fakes import character

import guildmaster.api.fields as fields
from guildmaster.api.fields import (
    cooldown_text,
    equipment,
    parse_character,
    skill_levels,
    skill_xp,
)
from guildmaster.api.models import CharacterSchema

SKILLS = (
    "mining",
    "woodcutting",
    "fishing",
    "weaponcrafting",
    "gearcrafting",
    "jewelrycrafting",
    "cooking",
    "alchemy",
)


def test_doctests() -> None:
    assert doctest.testmod(fields).failed == 0


def test_skills_and_slots_are_those_the_schema_declares() -> None:
    body = character("bob", mining_level=4, cooking_xp=17, weapon_slot="stick", bag_slot="sack")
    parsed = CharacterSchema.model_validate(body)
    assert tuple(skill_levels(parsed)) == SKILLS == tuple(skill_xp(parsed))
    assert skill_levels(parsed)["mining"] == 4 and skill_xp(parsed)["cooking"] == 17
    assert equipment(parsed) == {"weapon": "stick", "bag": "sack"}
    assert cooldown_text(parsed) == "2026-01-01T00:00:00Z"


def test_partial_json_fills_the_rest_but_not_the_position_or_hp() -> None:
    parsed = parse_character({"name": "ada", "x": 3, "y": -1, "hp": 5, "max_hp": 8})
    assert (parsed.x, parsed.y, parsed.hp, parsed.level, parsed.task) == (3, -1, 5, 0, "")
    assert parsed.inventory is None and cooldown_text(parsed) is None
    with pytest.raises(pydantic.ValidationError):
        parse_character({"name": "ada", "x": 3, "hp": 5, "max_hp": 8})
