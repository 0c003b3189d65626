"""The doctest examples in the worldgen modules stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["balance", "layout", "names", "report", "stats"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"guildmaster.server.worldgen.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
