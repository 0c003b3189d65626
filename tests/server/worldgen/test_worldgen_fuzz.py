"""Corrupt worlds never crash the validator: it reports problems or raises WorldFileError."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guildmaster.server.worldgen import WorldFileError, generate_world, validate_world

_BASE = generate_world(31)
garbage = st.sampled_from([None, "", "x", -7, 0, 3.5, True, [], {}, [1, "a"], {"code": 1}])


def _corrupt(world: dict[str, Any], path: list[int], value: object) -> dict[str, Any]:
    """Replace the value found by walking ``path`` (indexes into sorted keys / list items)."""
    node: Any = world
    for depth, step in enumerate(path):
        if isinstance(node, dict) and node:
            key: Any = sorted(node)[step % len(node)]
        elif isinstance(node, list) and node:
            key = step % len(node)
        else:
            break
        child = node[key]
        if depth == len(path) - 1 or not isinstance(child, dict | list) or not child:
            node[key] = value
            break
        node = child
    return world


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6), value=garbage
)
def test_corrupt_worlds_never_crash(path: list[int], value: object) -> None:
    world = _corrupt(copy.deepcopy(_BASE), path, value)
    try:
        report = validate_world(world, samples=1)
    except WorldFileError as exc:
        assert str(exc)
    else:
        assert all(p.message for p in report.problems)
