from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

import guildmaster.api.errors as errors_module
from guildmaster.api.errors import (
    ERROR_CLASSES,
    ActionInProgress,
    ActionRefused,
    ArtifactsError,
    BankFull,
    CooldownActive,
    GameError,
    InventoryFull,
    MissingItem,
    NotFound,
    RateLimited,
    ServerUnavailable,
    SkillTooLow,
    TransientError,
    UnknownGameError,
    error_for_status,
)


def _spec_error_codes(openapi_path: Path) -> set[int]:
    spec = json.loads(openapi_path.read_text(encoding="utf-8"))
    codes: set[int] = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            codes |= {int(c) for c in operation.get("responses", {}) if int(c) >= 400}
    return codes


def test_every_spec_error_code_maps_to_its_own_class(openapi_path: Path) -> None:
    codes = _spec_error_codes(openapi_path)
    assert len(codes) > 50  # the spec really lists them
    missing = sorted(codes - set(ERROR_CLASSES))
    assert not missing, f"unmapped codes: {missing}"
    for code in codes:
        cls = ERROR_CLASSES[code]
        assert cls.default_code == code
        assert issubclass(cls, GameError)


def test_every_mechanics_error_code_is_mapped(gamedata_dir: Path) -> None:
    mechanics = gamedata_dir.parent / "MECHANICS.md"
    if not mechanics.is_file():
        pytest.skip("MECHANICS.md is absent")
    text = mechanics.read_text(encoding="utf-8")
    section = text.split("## 22.", 1)[1].split("\n## ", 1)[0]
    codes: set[int] = set()
    for row in re.findall(r"^\| ([0-9][0-9\u2013, -]*) \|", section, flags=re.MULTILINE):
        for part in row.split(","):
            bounds = [int(x) for x in re.findall(r"\d+", part)]
            codes |= set(range(bounds[0], bounds[-1] + 1))
    assert {404, 429, 499, 598} <= codes
    assert not sorted(codes - set(ERROR_CLASSES))


def test_table_and_docstring_agree() -> None:
    doc = errors_module.__doc__ or ""
    for code, cls in ERROR_CLASSES.items():
        assert str(code) in doc, f"{code} ({cls.__name__}) missing from the errors.py tree"
        assert cls.__doc__ and cls.__doc__.strip()
    assert list(ERROR_CLASSES) == sorted(ERROR_CLASSES)
    with pytest.raises(TypeError):
        ERROR_CLASSES[999] = UnknownGameError  # type: ignore[index]


@pytest.mark.parametrize(
    ("code", "cls", "family"),
    [
        (499, CooldownActive, TransientError),
        (486, ActionInProgress, TransientError),
        (429, RateLimited, TransientError),
        (497, InventoryFull, ActionRefused),
        (462, BankFull, ActionRefused),
        (478, MissingItem, ActionRefused),
        (493, SkillTooLow, ActionRefused),
        (404, NotFound, GameError),
    ],
)
def test_error_for_status_builds_the_class(
    code: int, cls: type[ArtifactsError], family: type[ArtifactsError]
) -> None:
    response = httpx.Response(code)
    error = error_for_status(code, "nope", character="alice", response=response, data={"a": 1})
    assert type(error) is cls and isinstance(error, family)
    assert (error.code, error.character, error.message) == (code, "alice", "nope")
    assert error.response is response and error.data == {"a": 1}
    assert str(error) == f"{code} nope [alice]"


def test_unknown_codes_are_kept_and_5xx_is_server_trouble() -> None:
    unknown = error_for_status(477, "")
    assert isinstance(unknown, UnknownGameError) and unknown.code == 477
    assert "477" in str(unknown)
    assert isinstance(error_for_status(503, "busy"), ServerUnavailable)
    assert isinstance(error_for_status(598, "no bank here"), ActionRefused)


def test_default_message_is_the_class_summary() -> None:
    error = InventoryFull()
    assert error.code == 497
    assert "inventory is full" in error.message
