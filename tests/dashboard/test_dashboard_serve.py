"""Serving the dashboard on a real loopback socket (uvicorn in this loop): it answers, it stops
when told even with an event stream open, and the package exports exactly its public names."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil

import httpx
import pytest
from dashfakes import FakeSource, character

import guildmaster.dashboard as package
from guildmaster.agent.team import Team
from guildmaster.clock import RealClock, VirtualClock
from guildmaster.dashboard import (
    EventLog,
    EventRecorder,
    LiveSource,
    bind_socket,
    create_dashboard_app,
    dashboard_server,
    serve_dashboard,
)


async def test_serve_dashboard_until_stop_with_a_stream_open() -> None:
    clock = RealClock()
    source = FakeSource(characters=[character("Alderwick", 5)])
    app = create_dashboard_app(source, clock=clock, stream_interval=0.05)
    stop = asyncio.Event()
    urls: list[str] = []
    server = asyncio.create_task(
        serve_dashboard(app, host="127.0.0.1", port=0, stop=stop, clock=clock, on_ready=urls.append)
    )
    while not urls:
        assert not server.done(), server
        await clock.sleep(0.01)
    url = urls[0]
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        status = (await client.get("/api/status")).json()
        assert [c["level"] for c in status["characters"]] == [5]
        async with client.stream("GET", "/api/events") as stream:
            lines = stream.aiter_lines()
            first = await anext(lines)
            assert first.startswith("data: ")
            stop.set()

            async def drain() -> list[str]:
                return [line async for line in lines]

            # The open stream ends by itself once the server is stopping.
            await asyncio.wait_for(drain(), timeout=5)
        await asyncio.wait_for(server, timeout=5)
        with pytest.raises(httpx.ConnectError):
            await client.get("/api/status")


async def test_dashboard_server_refuses_a_busy_port() -> None:
    busy = bind_socket("127.0.0.1", 0)
    busy.listen()
    try:
        port = busy.getsockname()[1]
        app = create_dashboard_app(FakeSource(), clock=RealClock())
        with pytest.raises(OSError):
            async with dashboard_server(app, port=port):
                pass
    finally:
        busy.close()


def test_recorder_keeps_notable_events_and_forwards_everything() -> None:
    class Inner:
        def __init__(self) -> None:
            self.reports: list[tuple[str, str]] = []

        def advise(self, name: str, state: object) -> None:
            return None

        def report(self, name: str, event: str, data: object) -> None:
            self.reports.append((name, event))

        def summoned(self, name: str) -> bool:
            return name == "B"

    inner = Inner()
    log = EventLog(size=2)
    recorder = EventRecorder(inner, log, clock=RealClock())
    recorder.report("A", "action", {"action": "fight", "seconds": 5})
    recorder.report("A", "goal", {"goal": "gather(x)", "source": "advice"})
    recorder.report("B", "death", {"monster": "wolf"})
    recorder.report("A", "goal_failed", {"goal": "gather(x)", "reason": "no path"})
    assert [e.text for e in log.recent()] == ["died to: wolf", "gave up gather(x): no path"]
    assert [event for _, event in inner.reports] == ["action", "goal", "death", "goal_failed"]
    assert recorder.summoned("B") and not recorder.summoned("A")
    alone = EventRecorder(None, EventLog(), clock=RealClock())
    assert alone.summoned("B") is False
    alone.report("A", "task", {"code": "wolf", "type": "monsters", "total": 9, "progress": 2})
    assert alone.log.recent()[0].text == "task wolf (monsters) 2/9"


def _isort_key(name: str) -> tuple[int, str]:
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_all_is_sorted_and_complete() -> None:
    assert list(package.__all__) == sorted(package.__all__, key=_isort_key)
    exported = set(package.__all__)
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            assert name in exported, f"{info.name}.{name} is not re-exported"
            assert getattr(package, name) is getattr(module, name)


class _Agent:
    """A runnable whose status the test changes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.level = 1
        self.mining = 1

    async def run(self, stop: asyncio.Event) -> None:
        await stop.wait()

    def status(self) -> dict[str, object]:
        return {"name": self.name, "level": self.level, "skills": {"mining": self.mining}}


def test_live_source_merges_details_and_notes_level_gains() -> None:
    clock = VirtualClock()
    agent = _Agent("Alderwick")
    source = LiveSource(label="t", clock=clock)
    assert source.team_status()["characters"] == []
    source.attach(Team([agent], clock))

    async def read() -> list[dict[str, object]]:
        return [{"name": "Alderwick", "x": 3, "y": 4, "level": 99, "max_xp": 250}]

    clock.run(source.refresh(read))
    first = source.team_status()["characters"][0]
    # The agent's own report wins over the older re-read; the re-read fills the rest.
    assert (first["level"], first["x"], first["max_xp"]) == (1, 3, 250)
    assert source.events() == ()
    agent.level, agent.mining = 2, 3
    source.team_status()
    source.team_status()  # no new gain: no new event
    assert [e.text for e in source.events()] == ["reached level 2", "reached mining level 3"]
    assert {e.kind for e in source.events()} == {"level"}
