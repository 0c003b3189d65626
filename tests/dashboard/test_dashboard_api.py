"""The dashboard's HTTP API on a fake source (httpx.ASGITransport, VirtualClock): status shape,
live stream, coordinator switches (and refusals that change nothing), Prometheus metrics."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from dashfakes import FakeCoordinator, FakeSource, character, expiring
from prometheus_client.parser import text_string_to_metric_families

from guildmaster.agent.metrics import RunMetrics
from guildmaster.clock import VirtualClock
from guildmaster.dashboard import (
    DashboardEvent,
    StatusHistory,
    character_view,
    create_dashboard_app,
)


def _client(source: FakeSource, clock: VirtualClock, **options: Any) -> httpx.AsyncClient:
    app = create_dashboard_app(source, clock=clock, **options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://dash")


def _team() -> FakeSource:
    return FakeSource(
        characters=[character("Alderwick", 3), character("Brisketta", 7, max_xp=999)],
        restarts={"Brisketta": 2},
    )


async def test_status_normalises_every_character(clock: VirtualClock) -> None:
    source = _team()
    source.characters[0].update(
        cooldown_expiration=expiring(clock.now(), 12.5),
        x=4,
        y=-2,
        layer="overworld",
        task="chicken",
        task_type="monsters",
        task_progress=3,
        task_total=20,
    )
    async with _client(source, clock) as client:
        data = (await client.get("/api/status")).json()
    first, second = data["characters"]
    assert [c["name"] for c in data["characters"]] == ["Alderwick", "Brisketta"]
    assert (first["level"], first["xp"]) == (3, 30)
    # No max_xp reported: the game's XP table fills it (level 3 -> 4 needs more than 0).
    assert first["max_xp"] > 0 and second["max_xp"] == 999
    assert first["cooldown"] == pytest.approx(12.5)
    assert second["cooldown"] == 0.0
    assert first["position"] == {"x": 4, "y": -2, "layer": "overworld"}
    assert second["position"] is None
    assert first["task"] == {"code": "chicken", "type": "monsters", "progress": 3, "total": 20}
    assert set(first["skills"]) == {
        "mining",
        "woodcutting",
        "fishing",
        "weaponcrafting",
        "gearcrafting",
        "jewelrycrafting",
        "cooking",
        "alchemy",
    }
    assert first["skills"]["mining"] == 4 and first["skills"]["alchemy"] == 1
    assert (first["restarts"], second["restarts"]) == (0, 2)
    assert data["team"]["mean_level"] == 5.0
    assert data["team"]["total_skill_levels"] == (4 + 2 + 3 + 5) + (8 + 2 + 3 + 5)
    assert data["team"]["deaths"] == 2
    assert data["coordinator"] == {"available": False, "enabled": False}
    assert data["label"] == "fake world"


async def test_events_are_listed_newest_first(clock: VirtualClock) -> None:
    source = _team()
    source.events_ = [
        DashboardEvent("2026-01-01T00:00:00+00:00", "Alderwick", "goal", "new goal a"),
        DashboardEvent("2026-01-01T00:01:00+00:00", "Brisketta", "death", "died to: wolf"),
    ]
    async with _client(source, clock) as client:
        events = (await client.get("/api/status")).json()["events"]
    assert [e["kind"] for e in events] == ["death", "goal"]
    assert events[0]["character"] == "Brisketta"


async def test_stream_sends_live_snapshots_and_history(clock: VirtualClock) -> None:
    source = _team()
    async with _client(source, clock, history_every=5.0) as client:
        response = await client.get("/api/events", params={"interval": 5, "limit": 3})
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = [f for f in response.text.split("\n\n") if f.strip()]
    assert len(frames) == 3
    snapshots = [json.loads(f.removeprefix("data: ")) for f in frames]
    # Time moves between frames (the stream sleeps on the clock) and each adds a history point.
    assert len({s["at"] for s in snapshots}) == 3
    assert len(snapshots[-1]["history"]) == 3
    assert snapshots[-1]["history"][-1]["levels"] == {"Alderwick": 3, "Brisketta": 7}


async def test_stream_reflects_changes_of_the_source(clock: VirtualClock) -> None:
    source = _team()
    app = create_dashboard_app(source, clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dash") as client:
        before = (await client.get("/api/events", params={"limit": 1})).text
        source.characters[0]["level"] = 9
        after = (await client.get("/api/events", params={"limit": 1})).text
    assert json.loads(before.removeprefix("data: "))["characters"][0]["level"] == 3
    assert json.loads(after.removeprefix("data: "))["characters"][0]["level"] == 9


@pytest.mark.parametrize("params", [{"interval": 0}, {"limit": 0}, {"interval": "soon"}])
async def test_stream_rejects_bad_parameters(clock: VirtualClock, params: dict[str, Any]) -> None:
    async with _client(_team(), clock) as client:
        response = await client.get("/api/events", params=params)
    assert response.status_code == 422
    assert response.json()["error"]


async def test_switch_turns_the_coordinator_off_and_on(clock: VirtualClock) -> None:
    source = _team()
    coordinator = source.coordinator_ = FakeCoordinator(enabled=True)
    async with _client(source, clock) as client:
        off = await client.post("/api/coordinator", json={"enabled": False})
        assert off.status_code == 200 and off.json()["enabled"] is False
        assert coordinator.enabled is False
        status = (await client.get("/api/status")).json()["coordinator"]
        assert status["available"] and status["enabled"] is False
        on = await client.post("/api/coordinator", json={"enabled": True})
    assert on.json()["enabled"] is True and coordinator.enabled is True


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"enabled": "no"},
        {"enabled": 0},
        {"enabled": None},
        {"enabled": False, "extra": 1},
        [False],
    ],
)
async def test_malformed_switch_bodies_change_nothing(clock: VirtualClock, body: Any) -> None:
    source = _team()
    coordinator = source.coordinator_ = FakeCoordinator(enabled=True)
    async with _client(source, clock) as client:
        response = await client.post("/api/coordinator", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["error"], str) and response.json()["error"]
    assert coordinator.enabled is True


async def test_switch_body_that_is_not_json_is_refused(clock: VirtualClock) -> None:
    source = _team()
    coordinator = source.coordinator_ = FakeCoordinator(enabled=True)
    async with _client(source, clock) as client:
        response = await client.post(
            "/api/coordinator", content=b"enabled=false", headers={"content-type": "text/plain"}
        )
    assert response.status_code == 422
    assert coordinator.enabled is True


async def test_manual_plan_then_automatic(clock: VirtualClock) -> None:
    source = _team()
    coordinator = FakeCoordinator()
    source.coordinator_ = coordinator
    async with _client(source, clock) as client:
        manual = await client.post(
            "/api/coordinator/plan", json={"skill": "mining", "recipe": "copper_bar"}
        )
        assert manual.status_code == 200
        assert manual.json()["plan"]["manual"] is True
        assert manual.json()["plan"]["stages"][0]["id"] == "s1"
        best = await client.post("/api/coordinator/plan", json={"skill": "cooking"})
        assert best.status_code == 200
        auto = await client.post("/api/coordinator/plan", json={"auto": True})
    assert auto.status_code == 200 and auto.json()["plan"]["manual"] is False
    assert coordinator.calls == [
        ("manual", "mining", "copper_bar"),
        ("manual", "cooking", ""),
        ("auto",),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"skill": "dancing"},
        {"skill": 3},
        {"recipe": "copper_bar"},
        {"auto": False},
        {"auto": True, "skill": "mining"},
        {"skill": "mining", "recipe": "  "},
        {"skill": "mining", "colour": "red"},
    ],
)
async def test_malformed_plan_bodies_change_nothing(clock: VirtualClock, body: Any) -> None:
    source = _team()
    coordinator = FakeCoordinator()
    source.coordinator_ = coordinator
    async with _client(source, clock) as client:
        response = await client.post("/api/coordinator/plan", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]
    assert coordinator.calls == [] and coordinator.plan is None


async def test_impossible_plan_is_refused_with_the_reason(clock: VirtualClock) -> None:
    source = _team()
    coordinator = FakeCoordinator()
    source.coordinator_ = coordinator
    async with _client(source, clock) as client:
        response = await client.post(
            "/api/coordinator/plan", json={"skill": "mining", "recipe": "impossible"}
        )
    assert response.status_code == 422
    assert "no feasible plan" in response.json()["error"]
    assert coordinator.plan is None


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/coordinator", {"enabled": False}),
        ("/api/coordinator/plan", {"auto": True}),
        ("/api/coordinator/plan", {"skill": "mining"}),
    ],
)
async def test_without_a_coordinator_its_routes_answer_409(
    clock: VirtualClock, path: str, body: dict[str, Any]
) -> None:
    async with _client(_team(), clock) as client:
        response = await client.post(path, json=body)
    assert response.status_code == 409
    assert "without a coordinator" in response.json()["error"]


async def test_coordinator_panel_data(clock: VirtualClock) -> None:
    source = _team()
    source.coordinator_ = FakeCoordinator()
    async with _client(source, clock) as client:
        panel = (await client.get("/api/status")).json()["coordinator"]
    assert panel["assignments"] == {"Alderwick": "s1"}
    assert panel["roles"] == {"Alderwick": "fighter", "Brisketta": "producer"}
    assert panel["reservations"] == {"Alderwick": {"copper_ore": 8}}
    assert panel["parties"][0]["monster"] == "ogre_king"
    assert panel["best_boss_chance"]["win_probability"] == 0.42
    assert panel["surplus"] == [
        {"code": "copper_dagger", "quantity": 2, "action": "npc", "to": "weapon_merchant"}
    ]


async def test_metrics_parse_and_carry_levels_and_counters(clock: VirtualClock) -> None:
    source = _team()
    source.coordinator_ = FakeCoordinator(enabled=False)
    metrics = RunMetrics()
    metrics.record_action("Alderwick", 5.0, reason="gathering")
    metrics.record_action("Alderwick", 3.0, reason="gathering")
    metrics.record_action("Brisketta", 9.0, reason="fight")
    for status in (200, 200, 499, 429, 404):
        metrics.record_response(status)
    source.metrics_ = metrics
    async with _client(source, clock) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    assert samples[("guildmaster_character_level", (("character", "Brisketta"),))] == 7
    skill = ("guildmaster_character_skill_level", (("character", "Alderwick"), ("skill", "mining")))
    assert samples[skill] == 4
    assert samples[("guildmaster_team_mean_level", ())] == 5.0
    assert samples[("guildmaster_coordinator_enabled", ())] == 0.0
    assert samples[("guildmaster_actions_total", ())] == 3
    gathering = (("character", "Alderwick"), ("reason", "gathering"))
    assert samples[("guildmaster_character_actions_total", gathering)] == 2
    assert samples[("guildmaster_requests_total", ())] == 5
    assert samples[("guildmaster_http_errors_total", (("code", "499"),))] == 1
    assert samples[("guildmaster_character_restarts_total", (("character", "Brisketta"),))] == 2


async def test_page_and_its_assets_are_served(clock: VirtualClock) -> None:
    async with _client(_team(), clock) as client:
        page = await client.get("/")
        script = await client.get("/static/dashboard.js")
        style = await client.get("/static/dashboard.css")
        missing = await client.get("/static/secret.py")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for testid in ("characters-table", "coordinator-switch", "level-chart", "events"):
        assert f'data-testid="{testid}"' in page.text
    assert "static/dashboard.js" in page.text and "http" not in page.text.split("<body>")[1]
    assert script.headers["content-type"].startswith("text/javascript")
    assert "EventSource" in script.text
    assert style.headers["content-type"].startswith("text/css")
    assert missing.status_code == 404 and "no such file" in missing.json()["error"]


def test_history_spans_the_whole_run_by_thinning_itself(clock: VirtualClock) -> None:
    history = StatusHistory(every=1.0, size=4)
    team = [character_view(character("Alderwick", 1), now=clock.now())]
    added = []
    for second in range(20):
        team[0]["level"] = 1 + second
        added.append(history.record(clock.now(), team))
        clock.advance(1.0)
    points = history.points()
    assert len(points) <= 4
    # The first point survives every thinning; the newest level is the last one recorded.
    assert points[0]["levels"] == {"Alderwick": 1}
    last_added = max(i for i, ok in enumerate(added) if ok)
    assert points[-1]["levels"] == {"Alderwick": 1 + last_added}
    # Thinned at 4, 8 and 16 s: a point every 8 s now, 0 / 8 / 16 kept.
    assert last_added == 16 and history.every == 8.0
    assert [p["levels"]["Alderwick"] for p in points] == [1, 9, 17]
