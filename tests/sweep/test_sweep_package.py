"""Package hygiene for guildmaster.sweep: complete sorted ``__all__``, docstrings, doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import guildmaster.sweep

# The command's modules that sum up and show sweeps carry doctests too.
_COMMAND_MODULES = ["guildmaster.cli.bench", "guildmaster.cli.sweep_report"]


def _modules() -> list[ModuleType]:
    package = guildmaster.sweep
    found: list[ModuleType] = [package]
    for info in pkgutil.iter_modules(package.__path__):
        found.append(importlib.import_module(f"guildmaster.sweep.{info.name}"))
    return found


def test_all_is_sorted_and_complete() -> None:
    exported = list(guildmaster.sweep.__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))
    public: set[str] = set()
    for module in _modules()[1:]:
        public.update(module.__all__)
    assert public == set(exported), sorted(public ^ set(exported))
    for name in exported:
        assert hasattr(guildmaster.sweep, name), name


def test_every_public_function_and_class_has_a_docstring() -> None:
    for module in _modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type | type(_modules)):
                assert (obj.__doc__ or "").strip(), f"{module.__name__}.{name}"


def test_doctests() -> None:
    modules = [*_modules(), *map(importlib.import_module, _COMMAND_MODULES)]
    failures = sum(doctest.testmod(module).failed for module in modules)
    assert failures == 0
