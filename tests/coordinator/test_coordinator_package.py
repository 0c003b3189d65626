"""The coordinator package exports exactly its public names, sorted."""

from __future__ import annotations

import importlib
import pkgutil

import guildmaster.coordinator as package


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_all_is_sorted_and_complete() -> None:
    assert list(package.__all__) == sorted(package.__all__, key=_isort_key)
    assert len(set(package.__all__)) == len(package.__all__)
    exported = set(package.__all__)
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            assert name in exported, f"{info.name}.{name} is not re-exported"
            assert getattr(package, name) is getattr(module, name)
