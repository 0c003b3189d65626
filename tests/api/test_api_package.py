from __future__ import annotations

import importlib
import inspect
import types

import pytest

import guildmaster.api as api

MODULES = (
    "guildmaster.api.actions",
    "guildmaster.api.client",
    "guildmaster.api.cooldowns",
    "guildmaster.api.core",
    "guildmaster.api.errors",
    "guildmaster.api.fields",
    "guildmaster.api.loadcheck",
    "guildmaster.api.models",
    "guildmaster.api.models.base",
    "guildmaster.api.ratelimit",
)


def test_package_all_is_complete() -> None:
    public = {
        name
        for name, value in vars(api).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public == set(api.__all__)
    for name in api.__all__:
        assert getattr(api, name) is not None


@pytest.mark.parametrize("module_name", MODULES)
def test_module_all_lists_every_public_definition(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = set(module.__all__)
    assert all(hasattr(module, name) for name in exported)
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and "[" not in name  # pydantic registers parametrised generics (Page[X]) in modules
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", None) == module_name
    }
    assert defined <= exported, sorted(defined - exported)


def test_the_client_never_imports_the_server() -> None:
    for module_name in MODULES:
        source = inspect.getsource(importlib.import_module(module_name))
        assert "guildmaster.server" not in source, module_name


def test_client_exposes_its_base_url() -> None:
    from guildmaster.api import AsyncArtifactsClient

    client = AsyncArtifactsClient("http://example.test/", None)
    assert client.base_url == "http://example.test"
