"""The server package's public surface: explicit, sorted, complete ``__all__`` lists."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "guildmaster.server",
    "guildmaster.server.app",
    "guildmaster.server.accounts",
    "guildmaster.server.auth",
    "guildmaster.server.deps",
    "guildmaster.server.loadtest",
    "guildmaster.server.pagination",
    "guildmaster.server.ratelimit",
    "guildmaster.server.schemas",
    "guildmaster.server.settings",
    "guildmaster.server.store",
    "guildmaster.server.routers",
    "guildmaster.server.routers.accounts",
    "guildmaster.server.routers.catalogue",
    "guildmaster.server.routers.characters",
    "guildmaster.server.routers.maps",
    "guildmaster.server.routers.market",
    "guildmaster.server.routers.my",
    "guildmaster.server.routers.simulation",
    "guildmaster.server.routers.status",
]


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.{symbol}"


def test_package_reexports_the_factory() -> None:
    server = importlib.import_module("guildmaster.server")
    from guildmaster.server.app import create_app

    assert server.create_app is create_app
