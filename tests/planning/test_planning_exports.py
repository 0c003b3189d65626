"""Package hygiene for guildmaster.planning: complete sorted ``__all__`` and passing doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import guildmaster.planning

_PACKAGES = ["guildmaster.planning", "guildmaster.planning.domains"]


def _modules() -> list[ModuleType]:
    found = []
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        found.append(package)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.ispkg:
                found.append(importlib.import_module(f"{package_name}.{info.name}"))
    return found


@pytest.mark.parametrize("package_name", _PACKAGES)
def test_all_is_sorted_and_complete(package_name: str) -> None:
    package = importlib.import_module(package_name)
    exported = list(package.__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))
    public: set[str] = set()
    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg:
            continue
        module = importlib.import_module(f"{package_name}.{info.name}")
        public.update(module.__all__)
    assert public <= set(exported), sorted(public - set(exported))
    for name in exported:
        assert hasattr(package, name), name


def test_every_public_name_has_a_docstring() -> None:
    for module in _modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if callable(obj) and isinstance(obj, type | type(len) | type(_modules)):
                assert (obj.__doc__ or "").strip(), f"{module.__name__}.{name}"


def test_doctests() -> None:
    failures = 0
    for module in _modules():
        failures += doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed
    assert failures == 0
    assert guildmaster.planning.plan.__doc__
