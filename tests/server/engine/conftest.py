"""Fixtures for the engine tests: the real snapshot's items and monsters, read in place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def snapshot(snapshot_path: Path) -> dict[str, Any]:
    """The real world snapshot as parsed JSON (skips when the data is absent)."""
    data: dict[str, Any] = json.loads(snapshot_path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def items(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Snapshot items by code."""
    return {item["code"]: item for item in snapshot["items"]}


@pytest.fixture(scope="session")
def monsters(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Snapshot monsters by code."""
    return {m["code"]: m for m in snapshot["monsters"]}
