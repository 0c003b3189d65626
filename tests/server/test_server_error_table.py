"""One error class per game code, one table, and every code the spec lets the server answer."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from fastapi import FastAPI

import guildmaster.server
from guildmaster.server import errors
from guildmaster.server.errors import ERROR_CLASSES, GameError, InventoryFull

#: Codes the spec documents for operations the local server serves but that it can never answer,
#: with the reason. Nothing else may be missing from the table.
NEVER_ANSWERED = {
    436: "GE orders are traded in one process step: no concurrent transaction on an order",
    451: "every local account is a member",
    461: "bank transactions run in one process step: no concurrent bank transaction",
}

#: Codes the server answers that the spec's per-operation lists omit (MECHANICS §21-22).
OUTSIDE_OPERATION_LISTS = {
    429: "rate limits",
    452: "invalid token",
    454: "missing token",
}


def _spec_codes(openapi_path: Path, served: set[tuple[str, str]] | None) -> dict[int, list[str]]:
    """Error codes (>= 400) the spec documents, with the operations documenting each."""
    spec = json.loads(openapi_path.read_text(encoding="utf-8"))
    codes: dict[int, list[str]] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if served is not None and (path, method) not in served:
                continue
            for status in operation.get("responses", {}):
                if int(status) >= 400:
                    codes.setdefault(int(status), []).append(f"{method.upper()} {path}")
    return codes


def _served(app: FastAPI) -> set[tuple[str, str]]:
    paths = app.openapi()["paths"]
    return {(path, method) for path, operations in paths.items() for method in operations}


def test_every_answerable_spec_code_is_mapped(openapi_path: Path, app: FastAPI) -> None:
    codes = _spec_codes(openapi_path, _served(app))
    missing = {
        code: operations
        for code, operations in codes.items()
        if code not in ERROR_CLASSES and code not in NEVER_ANSWERED
    }
    assert missing == {}
    assert set(NEVER_ANSWERED) <= set(codes)


def test_every_class_stands_for_a_documented_code(openapi_path: Path) -> None:
    documented = set(_spec_codes(openapi_path, None)) | set(OUTSIDE_OPERATION_LISTS)
    assert set(ERROR_CLASSES) - documented == set()


def test_the_table_holds_one_class_per_code() -> None:
    classes = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, GameError) and value is not GameError
    }
    assert set(ERROR_CLASSES.values()) == classes
    assert len(classes) == len(ERROR_CLASSES)
    for code, cls in ERROR_CLASSES.items():
        assert cls.code == code
    assert not set(NEVER_ANSWERED) & set(ERROR_CLASSES)


def test_an_error_keeps_the_api_body() -> None:
    error = InventoryFull("Character inventory is full.")
    assert error.code == 497
    assert error.body() == {"error": {"code": 497, "message": "Character inventory is full."}}


def test_no_module_raises_the_root_with_a_number() -> None:
    """Services raise the class named by the situation, never ``GameError(<code>, ...)``."""
    root = Path(guildmaster.server.__file__).parent
    calls = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "GameError"
            ):
                calls.append(f"{path.relative_to(root)}:{node.lineno}")
    assert calls == []
