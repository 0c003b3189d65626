from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
from api_fakes import FakeGame, character, cooldown, map_tile

import guildmaster.api.models as models
from guildmaster.api.models import (
    AchievementSchema,
    BankSchema,
    CharacterFightDataSchema,
    CharacterMovementDataSchema,
    CharacterRestDataSchema,
    CharacterSchema,
    EffectSchema,
    EventSchema,
    ItemSchema,
    MapSchema,
    MonsterSchema,
    NPCItemSchema,
    Page,
    ResourceSchema,
    SkillDataSchema,
    TaskFullSchema,
)
from guildmaster.clock import VirtualClock

ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = ROOT / "src" / "guildmaster" / "api" / "models"


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_api_models", ROOT / "scripts" / "gen_api_models.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spec(openapi_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(openapi_path.read_text(encoding="utf-8"))
    return loaded


def _validator(spec: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema)


def test_committed_models_match_the_generator(openapi_path: Path, tmp_path: Path) -> None:
    generator = _load_generator()
    assert generator.main([str(openapi_path), "--out", str(tmp_path)]) == 0
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.py")}
    committed = {p.name: p.read_text() for p in MODELS_DIR.glob("*.py") if p.name != "base.py"}
    assert generated.keys() == committed.keys()
    stale = [name for name in generated if generated[name] != committed[name]]
    assert not stale, f"re-run scripts/gen_api_models.py: {stale} differ"


def test_every_schema_the_player_needs_is_generated(spec: dict[str, Any]) -> None:
    wanted = {
        "CharacterSchema", "InventorySlotSchema", "CooldownSchema", "CharacterMovementDataSchema",
        "CharacterTransitionDataSchema", "CharacterRestDataSchema", "EquipmentTransactionSchema",
        "UseItemSchema", "CharacterFightDataSchema", "CharacterMultiFightResultSchema",
        "SkillDataSchema", "SkillInfoSchema", "BankItemTransactionSchema",
        "BankGoldTransactionSchema", "BankExtensionTransactionSchema",
        "NpcMerchantTransactionSchema", "RecyclingDataSchema", "GEOrderTransactionSchema",
        "GETransactionListSchema", "TaskDataSchema", "RewardDataSchema", "TaskTradeDataSchema",
        "TaskCancelledSchema", "GiveGoldDataSchema", "GiveItemDataSchema",
        "ClaimPendingItemDataSchema", "DeleteItemSchema", "ItemSchema", "MonsterSchema",
        "ResourceSchema", "MapSchema", "AccessSchema", "InteractionSchema", "TransitionSchema",
        "NPCSchema", "NPCItemSchema", "TaskFullSchema", "RewardsSchema", "EventSchema",
        "ActiveEventSchema", "EffectSchema", "AchievementSchema", "GEOrderSchema",
        "GEOrderHistorySchema", "BankSchema", "SimpleItemSchema", "PendingItemSchema",
        "StatusSchema", "RateLimitsDataSchema", "MyAccountDetails", "AccountDetails",
        "LogSchema", "CharacterLeaderboardSchema", "AccountLeaderboardSchema",
        "CombatSimulationDataSchema", "DropRateSchema",
    }  # fmt: skip
    missing = sorted(n for n in wanted if not hasattr(models, n))
    assert not missing
    # Every generated class mirrors a schema of the spec, field for field.
    schemas = spec["components"]["schemas"]
    for name in models.__all__:
        cls = getattr(models, name)
        if isinstance(cls, type) and issubclass(cls, models.ApiModel) and name in schemas:
            assert set(cls.model_fields) == set(schemas[name].get("properties", {})), name


def test_package_all_is_sorted_and_complete() -> None:
    assert models.__all__ == sorted(models.__all__)
    public = {n for n, v in vars(models).items() if isinstance(v, type) and not n.startswith("_")}
    assert public <= set(models.__all__)


def test_snapshot_catalogues_validate(snapshot_path: Path) -> None:
    world = json.loads(snapshot_path.read_text(encoding="utf-8"))
    table: dict[str, type[models.ApiModel]] = {
        "items": ItemSchema,
        "monsters": MonsterSchema,
        "resources": ResourceSchema,
        "maps": MapSchema,
        "npcs": NPCItemSchema,
        "tasks": TaskFullSchema,
        "events": EventSchema,
        "effects": EffectSchema,
        "achievements": AchievementSchema,
    }
    for key, model in table.items():
        parsed = [model.model_validate(raw) for raw in world[key]]
        assert len(parsed) == len(world[key]) > 0
    bank = BankSchema.model_validate(world["bank"])
    assert bank.next_expansion_cost == world["bank"]["next_expansion_cost"]
    iron_pickaxe = next(i for i in world["items"] if i["code"] == "iron_pickaxe")
    item = ItemSchema.model_validate(iron_pickaxe)
    assert item.craft is not None and item.craft.items


def test_fake_bodies_follow_the_spec(spec: dict[str, Any]) -> None:
    clock = VirtualClock()
    game = FakeGame(clock)
    now = clock.now()
    checks = {
        "CharacterSchema": character("alice"),
        "CooldownSchema": cooldown(now, 5),
        "MapSchema": map_tile(2, 3, content={"type": "monster", "code": "chicken"}),
        "CharacterRestDataSchema": game.action_data("alice", "rest", now),
        "CharacterMovementDataSchema": game.action_data("alice", "move", now),
        "SkillDataSchema": game.action_data("alice", "gathering", now),
        "CharacterFightDataSchema": game.action_data("alice", "fight", now),
    }
    for name, body in checks.items():
        errors = [e.message for e in _validator(spec, name).iter_errors(body)]
        assert not errors, (name, errors[:3])
    assert CharacterRestDataSchema.model_validate(checks["CharacterRestDataSchema"]).hp_restored
    moved = CharacterMovementDataSchema.model_validate(checks["CharacterMovementDataSchema"])
    assert moved.path == [(0, 0), (1, 1)]
    assert SkillDataSchema.model_validate(checks["SkillDataSchema"]).details.xp == 5
    fight = CharacterFightDataSchema.model_validate(checks["CharacterFightDataSchema"])
    assert fight.fight.result == "win"


def test_models_ignore_unknown_fields_but_check_types() -> None:
    body = character("bob", brand_new_field={"x": 1})
    parsed = CharacterSchema.model_validate(body)
    assert parsed.name == "bob"
    assert not hasattr(parsed, "brand_new_field")
    with pytest.raises(pydantic.ValidationError):
        CharacterSchema.model_validate(character("bob", level="high"))
    without_name = character("bob")
    del without_name["name"]
    with pytest.raises(pydantic.ValidationError):
        CharacterSchema.model_validate(without_name)
    with pytest.raises(pydantic.ValidationError):
        parsed.level = 3  # type: ignore[misc]


def test_page_knows_whether_it_is_last() -> None:
    first = Page[int].model_validate({"data": [1, 2], "total": 3, "page": 1, "size": 2, "pages": 2})
    last = Page[int].model_validate({"data": [3], "total": 3, "page": 2, "size": 2, "pages": 2})
    assert not first.is_last() and last.is_last()
    assert Page[int].model_validate({"data": [1], "size": 2, "pages": None}).is_last()


def test_generator_runs_as_a_script(openapi_path: Path, tmp_path: Path) -> None:
    script = ROOT / "scripts" / "gen_api_models.py"
    done = subprocess.run(
        [sys.executable, str(script), str(openapi_path), "--out", str(tmp_path), "--no-ruff"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "character.py").read_text().count("class CharacterSchema(ApiModel)") == 1
