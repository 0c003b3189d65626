from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import httpx
import pytest
from api_fakes import FakeGame, character, envelope, error, iso, page_body

from guildmaster.api import (
    AsyncArtifactsClient,
    CooldownActive,
    MalformedResponse,
    RateLimiter,
    ServerUnavailable,
    TransportFailure,
)
from guildmaster.api.errors import ActionInProgress, ActionOutcomeUnknown, InventoryFull
from guildmaster.api.models import CharacterRestDataSchema, ItemSchema
from guildmaster.api.ratelimit import Window
from guildmaster.clock import VirtualClock

T = TypeVar("T")


def run(
    clock: VirtualClock,
    game: FakeGame,
    scenario: Callable[[AsyncArtifactsClient], Awaitable[T]],
    **options: Any,
) -> T:
    """Run ``scenario`` with a client talking to ``game`` on ``clock``'s virtual loop."""

    async def main() -> T:
        async with AsyncArtifactsClient(
            "http://game.test", "secret", transport=game.transport(), clock=clock, **options
        ) as client:
            return await scenario(client)

    return clock.run(main())


def item_body(code: str) -> dict[str, Any]:
    return {
        "name": code.title(),
        "code": code,
        "level": 1,
        "type": "resource",
        "subtype": "mining",
        "description": "",
        "conditions": [],
        "effects": [],
        "craft": None,
        "tradeable": True,
    }


def test_get_character_is_typed_and_seeds_the_cooldown(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.busy_until["alice"] = clock.now() + timedelta(seconds=42)

    async def scenario(client: AsyncArtifactsClient) -> float:
        hero = await client.get_character("alice")
        assert hero.name == "alice" and hero.level == 1
        return client.cooldowns.remaining("alice")

    assert run(clock, game, scenario) == pytest.approx(42.0)
    request_auth = game.log[0]
    assert request_auth[1:] == ("GET", "/characters/alice")


def test_actions_wait_for_their_cooldown_and_never_hit_499(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=5)

    async def scenario(client: AsyncArtifactsClient) -> list[CharacterRestDataSchema]:
        return [await client.rest("alice") for _ in range(3)]

    results = run(clock, game, scenario)
    assert [r.hp_restored for r in results] == [10, 10, 10]
    assert [t for t, _m, _p in game.log] == [0.0, 5.0, 10.0]
    assert game.paths() == ["/my/alice/action/rest"] * 3


def test_action_request_bodies(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=0)
    bodies: list[Any] = []

    def record(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content) if request.content else None)
        return game.default(request)

    game.expect(*[record] * 5)

    async def scenario(client: AsyncArtifactsClient) -> None:
        await client.move("alice", x=1, y=1)
        await client.move("alice", map_id=7)
        await client.fight("alice")
        await client.gather("alice")
        await client.rest("alice")

    run(clock, game, scenario)
    assert bodies == [{"x": 1, "y": 1}, {"map_id": 7}, None, None, None]
    game.assert_done()


def test_invalid_arguments_fail_before_sending(clock: VirtualClock) -> None:
    game = FakeGame(clock)

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(ValueError, match="map_id"):
            await client.move("alice", x=1)
        with pytest.raises(ValueError, match="positive"):
            await client.craft("alice", "copper_bar", 0)
        with pytest.raises(ValueError, match="between 1 and 20"):
            await client.deposit_items("alice", {})
        with pytest.raises(ValueError, match="participants"):
            await client.fight("alice", ["b", "c", "d"])
        with pytest.raises(ValueError, match="unknown catalogue"):
            await client.fetch_catalogue("spells")

    run(clock, game, scenario)
    assert game.log == []


def test_499_with_remaining_seconds_resyncs_and_retries_once(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=5)
    # Another process put alice in cooldown; this client does not know.
    game.busy_until["alice"] = clock.now() + timedelta(seconds=12)

    async def scenario(client: AsyncArtifactsClient) -> CharacterRestDataSchema:
        return await client.rest("alice")

    result = run(clock, game, scenario)
    assert result.character.name == "alice"
    assert [t for t, _m, _p in game.log] == [0.0, pytest.approx(12.0)]


def test_499_without_seconds_rereads_the_character(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=5)
    game.busy_until["alice"] = clock.now() + timedelta(seconds=30)
    game.cooldown_message = "The character is in cooldown."

    async def scenario(client: AsyncArtifactsClient) -> int:
        await client.gather("alice")
        return client.stats.cooldown_errors

    assert run(clock, game, scenario) == 1
    assert game.paths() == [
        "/my/alice/action/gathering",
        "/characters/alice",
        "/my/alice/action/gathering",
    ]
    assert game.log[2][0] == pytest.approx(30.0)


def test_persistent_499_raises_after_one_retry(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(error(499, "in cooldown: 3 seconds"), error(499, "in cooldown: 3 seconds"))

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(CooldownActive) as caught:
            await client.rest("alice")
        assert caught.value.remaining_seconds == 3.0
        assert caught.value.character == "alice"

    run(clock, game, scenario)
    game.assert_done()
    assert len(game.log) == 2


def test_486_waits_a_moment_then_retries(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(error(486, "An action is already in progress for this character."))

    async def scenario(client: AsyncArtifactsClient) -> None:
        await client.rest("alice")

    run(clock, game, scenario, busy_pause=2.0)
    # 486 -> character re-read (no cooldown known) -> pause -> retry.
    assert game.paths() == ["/my/alice/action/rest", "/characters/alice", "/my/alice/action/rest"]
    assert game.log[2][0] == pytest.approx(2.0)


def test_game_errors_are_not_retried(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(error(497, "The character's inventory is full."))

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(InventoryFull) as caught:
            await client.gather("alice")
        assert caught.value.code == 497 and caught.value.response is not None
        assert client.stats.other_errors == 1 and client.stats.retries == 0

    run(clock, game, scenario)
    assert len(game.log) == 1


def test_timeouts_are_retried_with_backoff(clock: VirtualClock) -> None:
    game = FakeGame(clock)

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    game.expect(timeout, timeout)

    async def scenario(client: AsyncArtifactsClient) -> int:
        await client.get_character("alice")
        return client.stats.retries

    assert run(clock, game, scenario, backoff_base=1.0) == 2
    times = [t for t, _m, _p in game.log]
    # Equal-jitter back-off: first wait in [0.5, 1], second in [1, 2].
    assert 0.5 <= times[1] - times[0] <= 1.0
    assert 1.0 <= times[2] - times[1] <= 2.0


def test_persistent_network_failure_raises_transport_failure(clock: VirtualClock) -> None:
    game = FakeGame(clock)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    game.expect(*[refuse] * 3)

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(TransportFailure) as caught:
            await client.status()
        assert isinstance(caught.value.__cause__, httpx.ConnectError)

    run(clock, game, scenario, max_attempts=3)
    game.assert_done()


def test_500s_are_retried_then_reported(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(httpx.Response(502, text="bad gateway"), httpx.Response(500))

    async def scenario(client: AsyncArtifactsClient) -> str:
        hero = await client.get_character("alice")
        return hero.name

    assert run(clock, game, scenario) == "alice"
    assert len(game.log) == 3

    game2 = FakeGame(clock)
    game2.expect(*[httpx.Response(503)] * 4)

    async def failing(client: AsyncArtifactsClient) -> None:
        with pytest.raises(ServerUnavailable) as caught:
            await client.status()
        assert caught.value.code == 503

    run(clock, game2, failing, max_attempts=4)
    game2.assert_done()


def test_429_storm_honours_retry_after(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(*[error(429, "Too many requests", **{"Retry-After": "2"})] * 4)

    async def scenario(client: AsyncArtifactsClient) -> int:
        await client.rest("alice")
        return client.stats.http_429

    assert run(clock, game, scenario) == 4
    times = [t for t, _m, _p in game.log]
    assert len(times) == 5
    for before, after in itertools.pairwise(times):
        assert after - before >= 2.0


def test_429_pause_is_shared_by_every_character_of_the_account(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=1)
    game.expect(error(429, "slow down", **{"Retry-After": "10"}))
    limiter = RateLimiter(clock=clock)

    async def scenario(client: AsyncArtifactsClient) -> None:
        await asyncio.gather(client.rest("alice"), client.rest("bob"))

    run(clock, game, scenario, limiter=limiter)
    times = sorted(t for t, _m, _p in game.log)
    # One 429 at t=0 (the other request may have gone before it); nothing else before t=10.
    assert times[0] == 0.0
    assert sum(1 for t in times if 0 < t < 10.0) == 0
    assert limiter.stats("action").rate_limited == 1


def test_malformed_bodies_raise_a_clear_error(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(
        httpx.Response(200, text="<html>oops</html>"),
        httpx.Response(200, json={"result": "no envelope"}),
        httpx.Response(200, json=envelope(character("alice", level="twelve"))),
        httpx.Response(200, json={"data": "not a list"}),
    )

    async def scenario(client: AsyncArtifactsClient) -> list[str]:
        messages = []
        for _ in range(3):
            with pytest.raises(MalformedResponse) as caught:
                await client.get_character("alice")
            messages.append(caught.value.message)
        with pytest.raises(MalformedResponse):
            await client.items()
        return messages

    messages = run(clock, game, scenario)
    assert "not JSON" in messages[0]
    assert "envelope" in messages[1]
    assert "CharacterSchema" in messages[2]
    game.assert_done()
    assert len(game.log) == 4  # malformed bodies are not retried


def test_pagination_fetches_every_page_with_bounded_concurrency(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    codes = [f"ore_{i:03d}" for i in range(250)]
    in_flight = 0
    peak = 0
    sizes: list[str | None] = []

    async def pages(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await clock.sleep(0.5)
        in_flight -= 1
        number = int(request.url.params.get("page", "1"))
        sizes.append(request.url.params.get("size"))
        chunk = [item_body(c) for c in codes[(number - 1) * 100 : number * 100]]
        return httpx.Response(200, json=page_body(chunk, number, 100, len(codes)))

    game.expect(*[pages] * 6)

    async def scenario(client: AsyncArtifactsClient) -> tuple[list[ItemSchema], int]:
        typed = await client.items(min_level=1)
        raw = await client.fetch_catalogue("items")
        return typed, len(raw)

    typed, raw_count = run(clock, game, scenario, page_concurrency=2)
    assert [item.code for item in typed] == codes
    assert raw_count == 250
    assert sizes == ["100"] * 6
    assert peak <= 2
    game.assert_done()


def test_generate_token_uses_basic_auth_then_bearer(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    seen: list[str | None] = []

    def token(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(200, json={"token": "fresh"})

    def status(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(
            200,
            json=envelope(
                {
                    "version": "8.0",
                    "server_time": iso(clock.now()),
                    "max_level": 50,
                    "max_skill_level": 50,
                    "characters_online": 3,
                    "rate_limits": [],
                }
            ),
        )

    game.expect(token, status)

    async def scenario(client: AsyncArtifactsClient) -> str:
        value = await client.generate_token("user", "pass")
        await client.status()
        return value

    assert run(clock, game, scenario) == "fresh"
    basic = "Basic " + base64.b64encode(b"user:pass").decode()
    assert seen == [basic, "Bearer fresh"]


def test_multi_fight_puts_every_participant_in_cooldown(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=20)

    def boss_fight(request: httpx.Request) -> httpx.Response:
        now = clock.now()
        body = game.action_data("alice", "fight", now)
        later = iso(now + timedelta(seconds=20))
        body["characters"] = [character(n, cooldown_expiration=later) for n in ("alice", "bob")]
        return httpx.Response(200, json=envelope(body))

    game.expect(boss_fight)

    async def scenario(client: AsyncArtifactsClient) -> tuple[float, float]:
        await client.fight("alice", ["bob"])
        return client.cooldowns.remaining("alice"), client.cooldowns.remaining("bob")

    alice, bob = run(clock, game, scenario)
    assert alice == pytest.approx(20.0) and bob == pytest.approx(20.0)


def test_server_clock_skew_does_not_stretch_cooldowns(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=5)

    def skewed(request: httpx.Request) -> httpx.Response:
        server_now = clock.now() + timedelta(seconds=100)
        return httpx.Response(200, json=envelope(game.action_data("alice", "rest", server_now)))

    game.expect(skewed)

    async def scenario(client: AsyncArtifactsClient) -> tuple[float, float]:
        await client.rest("alice")
        hero = await client.get_character("bob")  # server time again (+100 s offset learnt)
        del hero
        return client.cooldowns.remaining("alice"), client.cooldowns.offset.total_seconds()

    remaining, offset = run(clock, game, scenario)
    assert remaining == pytest.approx(5.0)
    assert offset == pytest.approx(100.0)


def test_characters_sharing_a_limiter_are_served_in_turn(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=0)
    limiter = RateLimiter(clock=clock, limits={"action": [Window(1, 1.0)]}, margin=0.0)
    names = ("alice", "bob", "carol")

    async def main() -> None:
        clients = [
            AsyncArtifactsClient("http://g", "t", transport=game.transport(), limiter=limiter)
            for _ in names
        ]

        async def work(client: AsyncArtifactsClient, name: str) -> None:
            # Each character fires 4 actions without waiting for the previous one.
            await asyncio.gather(*(client.rest(name) for _ in range(4)))

        try:
            await asyncio.gather(*(work(c, n) for c, n in zip(clients, names, strict=True)))
        finally:
            for client in clients:
                await client.aclose()

    clock.run(main())
    served = [path.split("/")[2] for path in game.paths()]
    assert len(served) == 12
    assert [t for t, _m, _p in game.log] == [float(i) for i in range(12)]
    # The first request finds a free slot; then the characters take turns.
    for i in (1, 4, 7):
        assert sorted(served[i : i + 3]) == sorted(names), served


def test_my_characters_seeds_every_cooldown(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    later = iso(clock.now() + timedelta(seconds=8))
    game.expect(
        httpx.Response(
            200, json=envelope([character("a"), character("b", cooldown_expiration=later)])
        )
    )

    async def scenario(client: AsyncArtifactsClient) -> list[float]:
        heroes = await client.my_characters()
        return [client.cooldowns.remaining(h.name) for h in heroes]

    assert run(clock, game, scenario) == [0.0, pytest.approx(8.0)]


def test_actions_in_progress_error_is_typed(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    busy = error(486, "An action is already in progress for this character.")
    game.expect(busy, game.default, busy)

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(ActionInProgress):
            await client.craft("alice", "copper_bar")

    run(clock, game, scenario)
    # busy -> re-read -> busy again: raised, not looped.
    assert game.paths()[-1] == "/my/alice/action/crafting"
    assert len(game.log) == 3


def test_lost_action_answers_are_not_resent(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=25)

    def lost(request: httpx.Request) -> httpx.Response:
        game.default(request)  # the server performs the action...
        raise httpx.ReadTimeout("answer lost", request=request)  # ...but the answer is lost

    game.expect(lost)

    async def scenario(client: AsyncArtifactsClient) -> float:
        with pytest.raises(ActionOutcomeUnknown) as caught:
            await client.craft("alice", "copper_bar")
        assert isinstance(caught.value, TransportFailure)
        return client.cooldowns.remaining("alice")

    # Not resent; the cooldown the lost action started is known from a character read.
    assert run(clock, game, scenario) == pytest.approx(25.0)
    assert game.paths() == ["/my/alice/action/crafting", "/characters/alice"]


def test_actions_that_never_left_are_retried(clock: VirtualClock) -> None:
    game = FakeGame(clock)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    game.expect(refused)

    async def scenario(client: AsyncArtifactsClient) -> int:
        await client.craft("alice", "copper_bar")
        return client.stats.retries

    assert run(clock, game, scenario) == 1
    assert game.paths() == ["/my/alice/action/crafting"] * 2


def test_concurrent_actions_of_one_character_are_serialised(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=5)

    async def scenario(client: AsyncArtifactsClient) -> int:
        await asyncio.gather(client.rest("alice"), client.gather("alice"), client.rest("alice"))
        return client.stats.cooldown_errors + client.stats.in_progress_errors

    assert run(clock, game, scenario) == 0
    assert [t for t, _m, _p in game.log] == [0.0, 5.0, 10.0]


def test_action_5xx_is_retried_only_when_nothing_happened(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=0)
    game.expect(httpx.Response(503, text="overloaded"), httpx.Response(500, text="crash"))

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(ActionOutcomeUnknown) as caught:
            await client.rest("alice")  # 503 (retried) then 500 (ambiguous: not resent)
        assert caught.value.code == 500
        await client.rest("alice")

    run(clock, game, scenario)
    assert game.paths() == [
        "/my/alice/action/rest",
        "/my/alice/action/rest",
        "/characters/alice",
        "/my/alice/action/rest",
    ]


def test_retry_after_as_an_http_date(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    when = clock.now() + timedelta(seconds=30)
    http_date = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    game.expect(error(429, "slow down", **{"Retry-After": http_date}))

    async def scenario(client: AsyncArtifactsClient) -> None:
        await client.get_character("alice")

    run(clock, game, scenario)
    assert [t for t, _m, _p in game.log] == [0.0, pytest.approx(30.0)]


def test_party_fight_against_a_normal_monster_is_not_retried(clock: VirtualClock) -> None:
    game = FakeGame(clock)
    game.expect(error(486, "Only boss monsters can be fought by multiple characters."))

    async def scenario(client: AsyncArtifactsClient) -> None:
        with pytest.raises(ActionInProgress):
            await client.fight("alice", ["bob"])

    run(clock, game, scenario)
    assert game.paths() == ["/my/alice/action/fight"]


def test_party_fight_waits_for_every_participant(clock: VirtualClock) -> None:
    game = FakeGame(clock, cooldown_seconds=7)

    async def scenario(client: AsyncArtifactsClient) -> None:
        await client.rest("bob")  # bob: cooldown until t=7
        await client.fight("alice", ["bob"])

    run(clock, game, scenario)
    assert [t for t, _m, _p in game.log] == [0.0, 7.0]
