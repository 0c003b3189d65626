"""Shared fixtures: paths to the real game data (from GUILDMASTER_GAMEDATA) and a clock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guildmaster.clock import VirtualClock


def _gamedata_dir() -> Path | None:
    raw = os.environ.get("GUILDMASTER_GAMEDATA")
    if raw:
        return Path(raw)
    guess = Path(__file__).resolve().parents[2] / "shared" / "gamedata"
    return guess if guess.is_dir() else None


@pytest.fixture(scope="session")
def gamedata_dir() -> Path:
    """The directory holding the real OpenAPI spec and world snapshot (never copied here)."""
    path = _gamedata_dir()
    if path is None or not path.is_dir():
        pytest.skip("GUILDMASTER_GAMEDATA is not set and ../shared/gamedata is absent")
    return path


@pytest.fixture(scope="session")
def openapi_path(gamedata_dir: Path) -> Path:
    """The real ArtifactsMMO OpenAPI v8 spec."""
    return gamedata_dir / "artifactsmmo_openapi_v8.json"


@pytest.fixture(scope="session")
def snapshot_path(gamedata_dir: Path) -> Path:
    """The real world snapshot (2026-07)."""
    return gamedata_dir / "artifactsmmo_world_2026-07.json"


@pytest.fixture
def clock() -> VirtualClock:
    """A fresh virtual clock."""
    return VirtualClock()
