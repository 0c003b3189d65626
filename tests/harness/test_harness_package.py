"""Package hygiene for guildmaster.harness: a complete sorted ``__all__`` and passing doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import guildmaster.harness as harness


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"guildmaster.harness.{info.name}")
        for info in pkgutil.iter_modules(harness.__path__)
    ]


def test_all_is_sorted_and_complete() -> None:
    exported = list(harness.__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))
    public = {name for module in _modules() for name in module.__all__}
    assert public == set(exported)
    for name in exported:
        assert getattr(harness, name) is not None


def test_doctests() -> None:
    assert sum(doctest.testmod(m).failed for m in [harness, *_modules()]) == 0
