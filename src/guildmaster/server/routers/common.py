"""Shared parameter types and filters of the routers (patterns and enums of the v8 spec)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from fastapi import Path, Query

__all__ = [
    "AccountPath",
    "CodePath",
    "CodeQuery",
    "ItemType",
    "MapContentType",
    "MapLayer",
    "NameQuery",
    "matches_name",
    "within_levels",
]

_CODE = r"^[a-zA-Z0-9_-]+$"
_NAME = r"^[a-zA-Z0-9_-]+(\s[a-zA-Z0-9_-]+)*\s?$"

CodePath: TypeAlias = Annotated[str, Path(pattern=_CODE)]
AccountPath: TypeAlias = Annotated[str, Path(pattern=_CODE)]
CodeQuery: TypeAlias = Annotated[str | None, Query(pattern=_CODE)]
NameQuery: TypeAlias = Annotated[str | None, Query(pattern=_NAME)]

ItemType = Literal[
    "utility",
    "body_armor",
    "weapon",
    "resource",
    "leg_armor",
    "helmet",
    "boots",
    "shield",
    "amulet",
    "ring",
    "artifact",
    "currency",
    "consumable",
    "rune",
    "bag",
]
MapLayer = Literal["interior", "overworld", "underground"]
MapContentType = Literal[
    "monster", "resource", "workshop", "bank", "grand_exchange", "tasks_master", "npc", "raid"
]


def matches_name(entry: dict[str, Any], name: str | None) -> bool:
    """Whether ``entry["name"]`` contains ``name`` (case-insensitive); True when no filter."""
    if name is None:
        return True
    return name.strip().lower() in str(entry.get("name", "")).lower()


def within_levels(level: int, low: int | None, high: int | None) -> bool:
    """Whether ``level`` lies in the optional inclusive range ``[low, high]``."""
    return (low is None or level >= low) and (high is None or level <= high)
