"""Schemathesis fuzzing of the local server, in process, against the real v8 OpenAPI spec.

:func:`fuzz_server` builds a server on a small generated world (virtual clock advanced before
every call so cooldowns never block, rate limits off), creates an account with three stocked
characters, loads the REAL spec with that account's credentials and runs every operation through
Hypothesis (positive and negative data, derandomized), returning every distinct failure. Checks:
schemathesis' own (no server error, status code documented, content type, body schema, negative
data rejected, positive data accepted) with the spec quirks below tolerated, each with its
reason, plus "an error response changes nothing" on the persistent game state.

Positive action cases are partly staged (:class:`_Stage`): the character stands on a tile with
the content the action needs and item codes are real, so the rules behind the location checks run.
Operations the local server does not serve (:data:`UNSERVED`) only have to fail cleanly.
The suite test runs in two shards (``-n 2`` runs them side by side): about 10 s of CPU in all.
"""

from __future__ import annotations

import asyncio
import collections
import random
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, CheckContext, GenerationMode, Response
from schemathesis import checks as st_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from server_fixtures import SpecValidator

from guildmaster.clock import VirtualClock
from guildmaster.server.app import create_app
from guildmaster.server.game import GameServer
from guildmaster.server.routers import extras
from guildmaster.server.settings import RateLimitSettings, ServerSettings
from guildmaster.server.world import Json

__all__ = ["ACCOUNT", "CHARACTERS", "UNSERVED", "FuzzRun", "fuzz_server"]

Operation: TypeAlias = APIOperation[Any, Any, Any, Any]
FuzzCase: TypeAlias = Case[Any]
Check: TypeAlias = Callable[[CheckContext, Response, FuzzCase], bool | None]

ACCOUNT = "fuzzaccount"
PASSWORD = "fuzz-password-1"
CHARACTERS = ("Fuzzy", "Wuzzy", "Buzzy")

_ERROR_REF = "#/components/schemas/ErrorResponseSchema"

#: Operations the local server does not serve at all (payments, gems, seasons, password mail, the
#: AI assistant, raid leaderboards): they must still answer a clean JSON error (404, or 405 where
#: the path matches ``/accounts/{account}``), never a 5xx, but the spec's success schemas do not
#: apply.
UNSERVED = frozenset(
    {
        "GET /my/subscription",
        "POST /my/subscribe/stripe",
        "POST /my/subscribe/member_token",
        "POST /my/subscribe/cancel",
        "GET /my/purchase_history",
        "GET /my/gems_history",
        "POST /my/buy_gems",
        "POST /my/change_password",
        "POST /my/change_email",
        "POST /accounts/forgot_password",
        "POST /accounts/reset_password",
        "GET /season_rewards",
        "GET /season_rewards/{code}",
        "GET /raids/{code}/leaderboard",
        "GET /gems_shop/",
        "POST /gems_shop/skin",
        "POST /gems_shop/spawn_event",
        "POST /gems_shop/subscription",
        "POST /gems_shop/buy_custom_design",
        "POST /game_assistant/ask",
    }
)

#: Whitespace that ECMA regexes (JSON Schema) and pydantic's regexes disagree on.
_DIALECT_WHITESPACE = frozenset({"\x85", "\ufeff"})

#: Items one sell order may hold (the game's docs; the spec has no maximum).
_MAX_SELL_ORDER = 100

#: Examples per mode for an unserved operation (they all end in the same 404).
_UNSERVED_EXAMPLES = 3

#: The real API answers these codes where the spec does not list them (spec quirks):
#: * 422: every request whose query, path or body fails validation (FastAPI's validation error,
#:   in the game's error shape); the spec lists it only on operations with a body;
#: * 452/453/454: invalid, expired or missing token, on every operation behind a token (the
#:   spec declares the security scheme but never these codes).
_VALIDATION = 422
_TOKEN_ERRORS = frozenset({452, 453, 454})
#: 498 "character not found" is listed on every ``/my/{name}/action/*`` operation but change_skin.
_CHARACTER_NOT_FOUND = 498
#: ``/accounts/{account}/characters`` lists only 200; the server answers 404 for an unknown
#: account like ``/accounts/{account}`` does (the real API's behaviour for unknown accounts).
_EXTRA_STATUSES: dict[str, frozenset[int]] = {
    "GET /accounts/{account}/characters": frozenset({404}),
}

#: The game's own 5xx codes (documented per operation; the status check below still requires
#: them to be listed for the operation). Anything else >= 500, 500 above all, is a server error.
_GAME_5XX = (550, 551, 552, *range(560, 568), *range(570, 574), 595, 596, 598)
_NOT_SERVER_ERRORS = ("1xx", "2xx", "3xx", "4xx", *_GAME_5XX)
#: Statuses that reject invalid input: the usual ones, the token errors, and the game's
#: "not found" answers (an invalid code or character name is also an unknown one).
_REJECTIONS = (400, 401, 403, 404, 405, 406, 409, 415, 422, 428, 429, 452, 453, 454, 455, 498)
#: Statuses a valid request may get: success, "not found" and every game rule code (4xx above
#: 430 and the game's 5xx), but never 400/422 (a valid request rejected as invalid).
_ACCEPTANCES = ("2xx", 404, *range(430, 500), *_GAME_5XX)


@dataclass
class FuzzRun:
    """The outcome of one fuzzing run: distinct failures (with counts) and the calls made."""

    failures: collections.Counter[str] = field(default_factory=collections.Counter)
    examples: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, collections.Counter[int]] = field(default_factory=dict)
    calls: int = 0

    def successes(self) -> set[str]:
        """Labels of the operations that answered at least one 2xx."""
        return {
            label
            for label, counts in self.statuses.items()
            if any(200 <= status < 300 for status in counts)
        }

    def report(self) -> str:
        """Every distinct failure with its count and first example."""
        lines = [f"{count}x {key}\n{self.examples[key]}" for key, count in self.failures.items()]
        return "\n\n".join(lines)


def _operations(schema: Any) -> Iterator[Operation]:
    """Every operation of a loaded schema (the real spec has no invalid one)."""
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        yield result.ok()


def _secured(operation: Operation) -> bool:
    raw = operation.definition.raw
    return bool(raw.get("security")) if isinstance(raw, dict) else False


def _tolerated(operation: Operation) -> frozenset[int]:
    """Undocumented statuses the real API answers for ``operation`` (see the notes above)."""
    allowed = {_VALIDATION}
    if _secured(operation):
        allowed |= _TOKEN_ERRORS
    if operation.path.startswith("/my/{name}/action/"):
        allowed.add(_CHARACTER_NOT_FOUND)
    allowed |= _EXTRA_STATUSES.get(operation.label, frozenset())
    return frozenset(allowed)


def _documented(operation: Operation, status: int) -> bool:
    return str(status) in operation.responses.status_codes


def _checks(spec: SpecValidator) -> list[Check]:
    """The checks of served operations: schemathesis' own plus the tolerated spec quirks."""

    def status_code(ctx: CheckContext, response: Response, case: FuzzCase) -> bool | None:
        status = response.status_code
        if not _documented(case.operation, status) and status in _tolerated(case.operation):
            spec.validate_body(response.json(), _ERROR_REF)
            return None
        verdict: bool | None = st_checks.status_code_conformance(ctx, response, case)
        return verdict

    def positive_accepted(ctx: CheckContext, response: Response, case: FuzzCase) -> bool | None:
        if _schema_misses_constraint(case):
            return None
        verdict: bool | None = st_checks.positive_data_acceptance(ctx, response, case)
        return verdict

    def negative_rejected(ctx: CheckContext, response: Response, case: FuzzCase) -> bool | None:
        if (
            _padded_number_on_wire(case, response)
            or _valid_after_lax_parsing(case, spec)
            or _has_dialect_whitespace(case)
        ):
            return None
        verdict: bool | None = st_checks.negative_data_rejection(ctx, response, case)
        return verdict

    return [
        st_checks.not_a_server_error,
        status_code,
        st_checks.content_type_conformance,
        st_checks.response_schema_conformance,
        negative_rejected,
        positive_accepted,
    ]


def _valid_after_lax_parsing(case: FuzzCase, spec: SpecValidator) -> bool:
    """Whether a negated JSON object body is valid once read the way pydantic reads it.

    FastAPI/pydantic (the real API's stack too) read ``true``/``false`` as 1/0 for an integer
    field and ``null`` as "absent" for an optional one (``{"map_id": true, "x": null}`` moves to
    map 1), so such a body is not rejected by the real API either. Likewise a JSON ``null`` for
    an optional body (fight's) is read as no body.
    """
    body = case.body
    operation = case.operation.definition.raw
    if not isinstance(operation, dict):
        return False
    request = operation.get("requestBody", {})
    if body is None and request and not request.get("required", False):
        return True
    if not isinstance(body, dict):
        return False
    content = request.get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref")
    if not isinstance(ref, str):
        return False
    schema = spec.spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    properties, required = schema.get("properties", {}), set(schema.get("required", []))
    read: dict[str, Any] = {}
    for key, value in body.items():
        declared = properties.get(key, {})
        if value is None and key in properties and key not in required:
            continue
        if isinstance(value, bool) and declared.get("type") == "integer":
            value = int(value)
        read[key] = value
    try:
        spec.validate_body(read, ref)
    except AssertionError:
        return False
    return True


def _holds(value: object, chars: frozenset[str]) -> bool:
    """Whether any string inside ``value`` (nested dicts and lists too) holds one of ``chars``."""
    if isinstance(value, str):
        return any(char in value for char in chars)
    if isinstance(value, dict):
        return any(_holds(key, chars) or _holds(item, chars) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds(item, chars) for item in value)
    return False


def _has_dialect_whitespace(case: FuzzCase) -> bool:
    """Whether the case sends U+0085 or U+FEFF (``\\s`` differs between ECMA and pydantic)."""
    parts = (case.body, case.query, case.path_parameters)
    return any(_holds(part, _DIALECT_WHITESPACE) for part in parts)


def _padded_number_on_wire(case: FuzzCase, response: Response) -> bool:
    """Whether an integer query parameter went out padded with whitespace (``size=4%09``).

    Schemathesis may serialize a negated value (e.g. the object ``{"4\\t": null}``) to such a
    string; FastAPI/pydantic (the real API's stack too) strip the padding and read 4, so the
    request is valid on the wire.
    """
    integers = {
        parameter.name
        for parameter in case.operation.query
        if isinstance(parameter.definition, dict)
        and parameter.definition.get("schema", {}).get("type") == "integer"
    }
    sent = urllib.parse.parse_qs(urllib.parse.urlsplit(str(response.request.url)).query)
    return any(
        value != value.strip() and value.strip().lstrip("-").isdigit()
        for name in integers
        for value in sent.get(name, [])
    )


def _schema_misses_constraint(case: FuzzCase) -> bool:
    """Whether a schema-valid case breaks a rule of the real API its schema fails to express.

    * list bodies (equip, unequip, deposit/withdraw items): the spec writes ``min_items: 1`` /
      ``max_items: 20`` (not JSON Schema's ``minItems``/``maxItems``), so an empty or overlong
      list is "valid" by the schema; the real API rejects it (422);
    * ``move`` takes ``map_id`` or both ``x`` and ``y``; the schema makes all three optional;
    * a sell order holds 1..100 items (the game's docs); the schema sets no maximum;
    * ``\\s`` in a pattern: JSON Schema's (ECMA) ``\\s`` lacks U+0085 and has U+FEFF, the
      real API's pydantic (Unicode White_Space) the other way round, so a string holding
      either is judged differently by the two (e.g. a password with U+0085).
    """
    if _has_dialect_whitespace(case):
        return True
    body = case.body
    if isinstance(body, list):
        return not 1 <= len(body) <= 20
    if case.operation.path.endswith("/create_sell_order") and isinstance(body, dict):
        quantity = body.get("quantity")
        return isinstance(quantity, int | float) and quantity > _MAX_SELL_ORDER
    if case.operation.path == "/my/{name}/action/move" and isinstance(body, dict):
        return body.get("map_id") is None and (body.get("x") is None or body.get("y") is None)
    return False


def _unserved_checks(
    spec: SpecValidator,
) -> list[Check]:
    """Unserved operations: a clean JSON error (404/405/422/token error), never a 5xx."""

    def clean_error(ctx: CheckContext, response: Response, case: FuzzCase) -> bool | None:
        assert response.status_code in {404, 405, 422, *_TOKEN_ERRORS}, response.status_code
        spec.validate_body(response.json(), _ERROR_REF)
        return None

    return [st_checks.not_a_server_error, st_checks.content_type_conformance, clean_error]


async def _populate(app: Any) -> str:
    """Create the fuzzing account and its characters; return the account's token."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fuzz") as http:
        body = {"username": ACCOUNT, "password": PASSWORD, "email": "fuzz@example.com"}
        response = await http.post("/accounts/create", json=body)
        assert response.status_code == 200, response.text
        response = await http.post("/token", auth=(ACCOUNT, PASSWORD))
        assert response.status_code == 200, response.text
        token = str(response.json()["token"])
        for name in CHARACTERS:
            response = await http.post(
                "/characters/create",
                json={"name": name, "skin": "men1"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 200, response.text
    return token


def _config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "auth": {
                "openapi": {
                    "JWTBearer": {"bearer": token},
                    "HTTPBasic": {"username": ACCOUNT, "password": PASSWORD},
                }
            },
            "checks": {
                "not_a_server_error": {
                    "expected-statuses": ["1xx", "2xx", "3xx", "4xx", *_GAME_5XX]
                },
                "negative_data_rejection": {"expected-statuses": list(_REJECTIONS)},
                "positive_data_acceptance": {"expected-statuses": list(_ACCEPTANCES)},
            },
        }
    )


#: The map content an action needs, by a fragment of its path.
_ACTION_CONTENT = {
    "/bank/": "bank",
    "/grandexchange/": "grand_exchange",
    "/npc/": "npc",
    "/task/": "tasks_master",
    "/gathering": "resource",
    "/fight": "monster",
    "/crafting": "workshop",
    "/recycling": "workshop",
}


@dataclass(frozen=True)
class _Stage:
    """Stocks the fuzzing characters and places one where a generated action can happen.

    Random actions mostly stop at "not on the right tile" (598) or "unknown item" (404); staged
    cases (positive data only) put the character on a tile with the content the action needs
    and swap generated item codes and quantities for real, small ones, so the game rules behind
    those checks run too. The state is changed directly, as the other server tests do.
    """

    game: GameServer
    tiles: dict[str, list[Json]]
    items: tuple[str, ...]

    @classmethod
    def stocked(cls, game: GameServer, *, seed: int) -> _Stage:
        """Give the fuzzing account gold and items (seeded) and index the world's tiles."""
        rng = random.Random(seed)
        items = tuple(sorted(game.world.items))
        for name in CHARACTERS:
            character = game.state.characters[name]
            character.gold = 100_000
            for code in rng.sample(items, 12):
                character.add_item(code, rng.randint(1, 5))
        bank = game.state.banks[ACCOUNT]
        bank.gold = 50_000
        for code in rng.sample(items, 30):
            bank.items[code] = rng.randint(1, 20)
        tiles: dict[str, list[Json]] = collections.defaultdict(list)
        for tile in game.world.maps.tiles:
            content = (tile.get("interactions") or {}).get("content") or {}
            tiles[str(content.get("type", ""))].append(tile)
        return cls(game=game, tiles=dict(tiles), items=items)

    def staged(self, base: st.SearchStrategy[FuzzCase]) -> st.SearchStrategy[FuzzCase]:
        """``base`` cases for the first character, placed and given real item codes."""

        @st.composite
        def build(draw: st.DrawFn) -> FuzzCase:
            case = draw(base)
            kind = next((k for f, k in _ACTION_CONTENT.items() if f in case.operation.path), "")
            pool = self.tiles.get(kind) or [t for ts in self.tiles.values() for t in ts]
            tile = draw(st.sampled_from(pool))
            character = self.game.state.characters[CHARACTERS[0]]
            character.x, character.y = int(tile["x"]), int(tile["y"])
            character.layer, character.map_id = str(tile["layer"]), int(tile["map_id"])
            self._realize(case.body, draw)
            return case

        return build()

    def _realize(self, value: object, draw: st.DrawFn) -> None:
        """Swap ``code``/``quantity`` fields for real item codes and small quantities."""
        if isinstance(value, list):
            for item in value:
                self._realize(item, draw)
        elif isinstance(value, dict):
            if isinstance(value.get("code"), str) and draw(st.booleans()):
                value["code"] = draw(st.sampled_from(self.items))
            if isinstance(value.get("quantity"), int) and draw(st.booleans()):
                value["quantity"] = draw(st.integers(1, 5))


def _strategies(
    operation: Operation, mode: GenerationMode, stage: _Stage
) -> Iterator[st.SearchStrategy[FuzzCase]]:
    """Generated cases, most of them aimed at the fuzzing account's own characters."""
    yield operation.as_strategy(mode)
    names = {parameter.name for parameter in operation.path_parameters}
    if "name" in names:
        own = operation.as_strategy(mode, path_parameters={"name": CHARACTERS[0]})
        yield own
        if mode is GenerationMode.POSITIVE and operation.path.startswith("/my/{name}/action/"):
            yield stage.staged(own)
    if "account" in names:
        yield operation.as_strategy(mode, path_parameters={"account": ACCOUNT})


def _failure_key(operation: Operation, mode: GenerationMode, exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    summary = " | ".join(lines[1:5]) if len(lines) > 1 else repr(exc)
    return f"{operation.label} [{mode.value}] {type(exc).__name__}: {summary[:300]}"


def fuzz_server(
    openapi_path: Path,
    *,
    max_examples: int,
    world: str = "generated:7",
    only: Callable[[str], bool] | None = None,
) -> FuzzRun:
    """Fuzz every operation of the spec (``only`` filters labels) with ``max_examples`` each."""
    clock = VirtualClock()
    server_settings = ServerSettings(
        world=world, seed=3, rate_limits=RateLimitSettings(enabled=False)
    )
    app = create_app(server_settings, clock)
    token = asyncio.run(_populate(app))
    game = app.state.game
    assert isinstance(game, GameServer)
    stage = _Stage.stocked(game, seed=5)
    schema = schemathesis.openapi.from_path(openapi_path, config=_config(token))
    schema.app = app
    spec = SpecValidator(openapi_path)
    served_checks, unserved_checks = _checks(spec), _unserved_checks(spec)
    run = FuzzRun()
    for operation in _operations(schema):
        if only is not None and not only(operation.label):
            continue
        unserved = operation.label in UNSERVED
        chosen = unserved_checks if unserved else served_checks
        examples = min(max_examples, _UNSERVED_EXAMPLES) if unserved else max_examples
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = st.one_of(list(_strategies(operation, mode, stage)))
            _fuzz_operation(game, operation, mode, strategy, chosen, clock, run, examples)
    return run


def _persistent_state(game: GameServer) -> object:
    """What an error must leave alone: accounts, characters, banks, orders, items, logs."""
    state = game.state
    return (
        {name: account.to_record() for name, account in state.accounts.items()},
        {name: character.to_record() for name, character in state.characters.items()},
        {name: bank.to_record() for name, bank in state.banks.items()},
        {key: order.to_record() for key, order in state.ge_orders.items()},
        {key: item.to_record() for key, item in state.pending_items.items()},
        len(state.ge_history),
        len(state.logs),
        state.next_id,
    )


def _fuzz_operation(
    game: GameServer,
    operation: Operation,
    mode: GenerationMode,
    strategy: st.SearchStrategy[FuzzCase],
    chosen: list[Check],
    clock: VirtualClock,
    run: FuzzRun,
    max_examples: int,
) -> None:
    @given(case=strategy)
    @settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: FuzzCase) -> None:
        clock.advance(1000.0)  # every character is off cooldown at every call
        run.calls += 1
        before = _persistent_state(game)
        try:
            response = case.call()
        except Exception as exc:  # the app raised: the client would have seen a 500
            key = _failure_key(operation, mode, exc)
            run.failures[key] += 1
            run.examples.setdefault(key, f"{case.as_curl_command()}\n{exc!r}")
            return
        counts = run.statuses.setdefault(operation.label, collections.Counter())
        counts[response.status_code] += 1
        try:
            case.validate_response(response, checks=chosen)
            if response.status_code >= 400:
                assert _persistent_state(game) == before, "an error response changed the state"
        except (AssertionError, BaseExceptionGroup) as exc:
            key = _failure_key(operation, mode, exc)
            run.failures[key] += 1
            run.examples.setdefault(key, str(exc)[:2000])

    try:
        fuzz()
    except Exception as exc:  # e.g. Unsatisfiable: nothing negative to generate for GET /
        if "Unsatisfiable" not in type(exc).__name__:
            key = _failure_key(operation, mode, exc)
            run.failures[key] += 1
            run.examples.setdefault(key, repr(exc)[:2000])


#: Examples per operation and generation mode (positive, negative): ~1100 calls, ~10 s of CPU.
_EXAMPLES = 5

#: The test runs in two shards (every other operation of the spec) so ``-n 2`` splits it.
_SHARDS = 2

#: Operations that must succeed at least once (the token works, names reach real characters).
_MUST_SUCCEED = frozenset(
    {
        "GET /my/characters",
        "GET /my/bank",
        "GET /items",
        "GET /characters/{name}",
        "POST /my/{name}/action/rest",
    }
)


def _shard_labels(openapi_path: Path, shard: int) -> frozenset[str]:
    labels = [
        operation.label for operation in _operations(schemathesis.openapi.from_path(openapi_path))
    ]
    return frozenset(labels[shard::_SHARDS])


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(_SHARDS))
def test_fuzz_server_against_the_real_spec(openapi_path: Path, shard: int) -> None:
    """Schemathesis finds nothing: no 5xx, documented statuses, content types and bodies."""
    labels = _shard_labels(openapi_path, shard)
    run = fuzz_server(openapi_path, max_examples=_EXAMPLES, only=labels.__contains__)
    assert not run.failures, run.report()
    assert set(run.statuses) == labels
    served = labels - UNSERVED
    assert run.calls >= len(served) * _EXAMPLES
    must = _MUST_SUCCEED & labels
    assert run.successes() >= must, sorted(must - run.successes())
    assert len(run.successes()) >= len(served) // 3
    assert not run.successes() & UNSERVED


def test_tolerances_stay_narrow(openapi_path: Path) -> None:
    """The tolerated statuses are the spec quirks only, never 5xx or a 2xx."""
    schema = schemathesis.openapi.from_path(openapi_path)
    labels = set()
    for operation in _operations(schema):
        labels.add(operation.label)
        tolerated = _tolerated(operation)
        assert all(400 <= status < 500 for status in tolerated)
        if not _secured(operation):
            assert not tolerated & _TOKEN_ERRORS
    assert labels >= UNSERVED
    assert set(_EXTRA_STATUSES) <= labels


def test_persistent_state_sees_what_an_error_must_not_touch() -> None:
    """The "errors lose nothing" check notices gold, items, orders and logs changing."""
    app = create_app(
        ServerSettings(world="generated:7", rate_limits=RateLimitSettings(enabled=False)),
        VirtualClock(),
    )
    asyncio.run(_populate(app))
    game = app.state.game
    stage = _Stage.stocked(game, seed=1)
    hero = game.state.characters[CHARACTERS[0]]
    before = _persistent_state(game)
    assert _persistent_state(game) == before
    hero.gold -= 1
    assert _persistent_state(game) != before
    hero.gold += 1
    hero.add_item(stage.items[0], 1)
    assert _persistent_state(game) != before
    hero.remove_item(stage.items[0], 1)
    assert _persistent_state(game) == before
    game.state.banks[ACCOUNT].items.clear()
    assert _persistent_state(game) != before


def test_the_harness_reports_a_crashing_route(
    openapi_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A route that raises (a 500) is a failure of the run, not a silent pass."""

    def broken(entries: object, page: object) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(extras, "paginate", broken)
    run = fuzz_server(openapi_path, max_examples=3, only="GET /skins".__eq__)
    assert run.failures, run.statuses
    assert all(key.startswith("GET /skins [positive] RuntimeError") for key in run.failures)
    assert "boom" in run.report()
