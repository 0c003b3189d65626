"""CatalogueCache: TTL, per-server keys, atomic writes, stale fallback, corrupt files."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from guildmaster.clock import VirtualClock
from guildmaster.knowledge import (
    CATALOGUE_NAMES,
    CatalogueCache,
    CatalogueUnavailable,
    GameData,
    server_key,
)


class _Source:
    """A scripted server: each catalogue returns a versioned payload; can be switched off."""

    def __init__(self) -> None:
        self.version = 1
        self.down = False
        self.calls = 0

    async def fetch_catalogue(self, name: str) -> list[dict[str, Any]]:
        self.calls += 1
        if self.down:
            raise ConnectionError("server unreachable")
        if name == "items":
            return [{"code": f"thing_v{self.version}", "name": "T", "level": 1, "type": "resource"}]
        return []


async def _items(
    cache: CatalogueCache, source: _Source, server: str = "http://a.test"
) -> list[str]:
    data = await GameData.load(source, cache=cache, server=server)
    return sorted(data.items)


async def test_fresh_cache_is_served_without_fetching(tmp_path: Path, clock: VirtualClock) -> None:
    cache = CatalogueCache(tmp_path, ttl_seconds=100, clock=clock)
    source = _Source()
    assert await _items(cache, source) == ["thing_v1"]
    first_calls = source.calls
    # Every cached catalogue is on disk; only the live active-events list is fetched again.
    source.version = 2
    clock.advance(99)
    assert await _items(cache, source) == ["thing_v1"]
    assert source.calls == first_calls + 1
    assert first_calls == len(CATALOGUE_NAMES)


async def test_expired_cache_is_refetched(tmp_path: Path, clock: VirtualClock) -> None:
    cache = CatalogueCache(tmp_path, ttl_seconds=100, clock=clock)
    source = _Source()
    await _items(cache, source)
    source.version = 2
    clock.advance(100)
    assert await _items(cache, source) == ["thing_v2"]


async def test_stale_copy_is_used_when_the_server_is_down(
    tmp_path: Path, clock: VirtualClock, caplog: pytest.LogCaptureFixture
) -> None:
    cache = CatalogueCache(tmp_path, ttl_seconds=10, clock=clock)
    source = _Source()
    await _items(cache, source)
    source.down = True
    clock.advance(3600)
    with caplog.at_level(logging.WARNING):
        assert await _items(cache, source) == ["thing_v1"]
    assert "stale" in caplog.text


async def test_nothing_cached_and_server_down_raises(tmp_path: Path, clock: VirtualClock) -> None:
    cache = CatalogueCache(tmp_path, clock=clock)
    source = _Source()
    source.down = True
    with pytest.raises(CatalogueUnavailable) as info:
        await _items(cache, source)
    assert isinstance(info.value.__cause__, ConnectionError)


async def test_servers_do_not_share_entries(tmp_path: Path, clock: VirtualClock) -> None:
    cache = CatalogueCache(tmp_path, clock=clock)
    source = _Source()
    await _items(cache, source, "http://a.test")
    source.version = 2
    assert await _items(cache, source, "http://b.test:81") == ["thing_v2"]
    assert await _items(cache, source, "https://a.test/") == ["thing_v1"]
    assert server_key("http://b.test:81") != server_key("http://a.test")


async def test_corrupt_file_is_logged_and_refetched(
    tmp_path: Path, clock: VirtualClock, caplog: pytest.LogCaptureFixture
) -> None:
    cache = CatalogueCache(tmp_path, clock=clock)
    source = _Source()
    await _items(cache, source)
    path = cache.path_for("http://a.test", "items")
    path.write_text('{"version": 1, "data": [1, 2', encoding="utf-8")
    source.version = 3
    with caplog.at_level(logging.ERROR):
        assert await _items(cache, source) == ["thing_v3"]
    assert "corrupt" in caplog.text
    # The refetched copy replaced the corrupt one.
    cached = cache.read("http://a.test", "items")
    assert cached is not None and cached.data[0]["code"] == "thing_v3"


async def test_corrupt_file_and_server_down_raises_cleanly(
    tmp_path: Path, clock: VirtualClock
) -> None:
    cache = CatalogueCache(tmp_path, clock=clock)
    source = _Source()
    await _items(cache, source)
    cache.path_for("http://a.test", "items").write_bytes(b"\x00\xff garbage")
    source.down = True
    with pytest.raises(CatalogueUnavailable):
        await _items(cache, source)


def test_writes_are_atomic_and_leave_no_temporary_files(
    tmp_path: Path, clock: VirtualClock
) -> None:
    cache = CatalogueCache(tmp_path, clock=clock)
    for i in range(5):
        cache.write("http://a.test", "npcs/details", [{"code": f"n{i}"}])
    folder = cache.path_for("http://a.test", "npcs/details").parent
    assert [p.name for p in folder.iterdir()] == ["npcs__details.json"]
    cached = cache.read("http://a.test", "npcs/details")
    assert cached is not None and cached.data == [{"code": "n4"}] and not cached.is_stale
