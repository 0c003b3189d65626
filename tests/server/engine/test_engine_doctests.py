"""The engine's docstring examples are tests too."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import guildmaster.server.engine as engine

MODULES = sorted(m.name for m in pkgutil.iter_modules(engine.__path__, f"{engine.__name__}."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, _tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_examples_exist() -> None:
    tried = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert tried >= 30
