"""Every action module declares a sorted ``__all__`` naming exactly its public definitions."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import guildmaster.server.actions as actions_package

MODULES = [
    *(
        f"guildmaster.server.actions.{m.name}"
        for m in pkgutil.iter_modules(actions_package.__path__)
    ),
    "guildmaster.server.events",
    "guildmaster.server.routers.actions",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported)
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and getattr(value, "__module__", None) == name
    }
    assert public <= set(exported), public - set(exported)
    for attr in exported:
        assert hasattr(module, attr), attr


def test_package_exports_every_module() -> None:
    modules = {m.name for m in pkgutil.iter_modules(actions_package.__path__)}
    assert set(actions_package.__all__) == modules
