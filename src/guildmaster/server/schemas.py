"""Request bodies of the core endpoints, as pydantic models mirroring the v8 spec's schemas.

Only request bodies are modelled: responses are the engine's plain dicts in the spec's shape (the
contract test validates them against the real spec).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "AddAccountSchema",
    "AddCharacterSchema",
    "CombatSimulationRequestSchema",
    "DeleteCharacterSchema",
    "FakeCharacterSchema",
]

Code = Annotated[str, Field(pattern=r"^[a-zA-Z0-9_-]+$")]
CharacterNameField = Annotated[str, Field(min_length=3, max_length=12, pattern=r"^[a-zA-Z0-9_-]+$")]


class AddAccountSchema(BaseModel):
    """``POST /accounts/create`` body."""

    model_config = ConfigDict(extra="ignore")

    username: Annotated[str, Field(min_length=6, max_length=32, pattern=r"^[a-zA-Z0-9_-]+$")]
    password: Annotated[str, Field(min_length=5, max_length=50, pattern=r"^[^\s]+$")]
    email: Annotated[str, Field(max_length=254)]

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        local, sep, domain = value.partition("@")
        if not sep or not local or "." not in domain or any(c.isspace() for c in value):
            raise ValueError("value is not a valid email address")
        return value


class AddCharacterSchema(BaseModel):
    """``POST /characters/create`` body."""

    name: CharacterNameField
    skin: str


class DeleteCharacterSchema(BaseModel):
    """``POST /characters/delete`` body."""

    name: CharacterNameField


class FakeCharacterSchema(BaseModel):
    """One fake character of a fight simulation (slots hold item codes).

    The spec gives the slots no pattern: any string is accepted and an unknown code is a 404.
    """

    level: Annotated[int, Field(ge=1, le=50)]
    weapon_slot: str | None = None
    rune_slot: str | None = None
    shield_slot: str | None = None
    helmet_slot: str | None = None
    body_armor_slot: str | None = None
    leg_armor_slot: str | None = None
    boots_slot: str | None = None
    ring1_slot: str | None = None
    ring2_slot: str | None = None
    amulet_slot: str | None = None
    artifact1_slot: str | None = None
    artifact2_slot: str | None = None
    artifact3_slot: str | None = None
    utility1_slot: str | None = None
    utility1_slot_quantity: Annotated[int, Field(ge=1, le=100)] = 1
    utility2_slot: str | None = None
    utility2_slot_quantity: Annotated[int, Field(ge=1, le=100)] = 1


class CombatSimulationRequestSchema(BaseModel):
    """``POST /simulation/fight`` body."""

    characters: Annotated[list[FakeCharacterSchema], Field(min_length=1, max_length=3)]
    monster: Code
    iterations: Annotated[int, Field(ge=1, le=100)]
