"""Where catalogues come from: the ``CatalogueSource`` protocol and an on-disk cache.

The cache keeps one JSON file per (server host, catalogue name) under its directory. A file
younger than ``ttl_seconds`` is served without asking the server; an older one is refreshed, and
kept as a stale fallback if the server cannot be reached. Writes are atomic (temporary file plus
``os.replace``), so a crash never leaves a half-written file behind; a corrupt file (someone else's
doing) is logged, removed and refetched.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from guildmaster.api.client import CATALOGUES
from guildmaster.clock import Clock

__all__ = [
    "CATALOGUE_NAMES",
    "CachedCatalogue",
    "CatalogueCache",
    "CatalogueSource",
    "CatalogueUnavailable",
    "server_key",
]

logger = logging.getLogger(__name__)

#: The catalogue names GameData loads, as understood by ``fetch_catalogue``.
CATALOGUE_NAMES: tuple[str, ...] = CATALOGUES

_FORMAT_VERSION = 1


@runtime_checkable
class CatalogueSource(Protocol):
    """Anything that can fetch a whole catalogue (every page) as raw API dicts."""

    async def fetch_catalogue(self, name: str) -> list[dict[str, Any]]:
        """Return every object of catalogue ``name`` (e.g. ``"items"``, ``"npcs/details"``)."""
        ...


class CatalogueUnavailable(RuntimeError):
    """Raised when a catalogue can be neither fetched nor read from the cache."""


def server_key(server: str) -> str:
    """Return a filesystem-safe key for a server URL or host (its host and port).

    >>> server_key("https://api.artifactsmmo.com/")
    'api.artifactsmmo.com'
    >>> server_key("http://127.0.0.1:8000")
    '127.0.0.1_8000'
    """
    parts = urlsplit(server if "://" in server else f"//{server}")
    host = parts.netloc or parts.path or "default"
    return re.sub(r"[^A-Za-z0-9.-]+", "_", host).strip("_") or "default"


@dataclass(frozen=True, slots=True)
class CachedCatalogue:
    """A catalogue read from the cache, with its fetch time and whether it is past its TTL."""

    name: str
    data: list[dict[str, Any]]
    fetched_at: datetime
    is_stale: bool


class CatalogueCache:
    """On-disk cache of catalogues keyed by server host, with TTL and stale fallback."""

    def __init__(self, directory: Path | str, *, ttl_seconds: float = 3600.0, clock: Clock) -> None:
        self.directory = Path(directory)
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    def path_for(self, server: str, name: str) -> Path:
        """Return the file that holds catalogue ``name`` of ``server``."""
        safe = name.replace("/", "__")
        return self.directory / server_key(server) / f"{safe}.json"

    def read(self, server: str, name: str) -> CachedCatalogue | None:
        """Return the cached catalogue, or ``None`` when absent or corrupt (then removed)."""
        path = self.path_for(server, name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.error("catalogue cache %s unreadable (%s); ignoring it", path, exc)
            return None
        try:
            doc = json.loads(raw.decode("utf-8"))
            if not isinstance(doc, dict) or doc.get("version") != _FORMAT_VERSION:
                raise ValueError("unknown cache format")
            data = doc["data"]
            if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
                raise ValueError("data is not a list of objects")
            fetched_at = datetime.fromisoformat(str(doc["fetched_at"]))
        except (ValueError, KeyError, TypeError) as exc:
            logger.error(
                "catalogue cache %s is corrupt (%s); removing it and refetching", path, exc
            )
            path.unlink(missing_ok=True)
            return None
        age = (self.clock.now() - fetched_at).total_seconds()
        return CachedCatalogue(
            name=name, data=data, fetched_at=fetched_at, is_stale=age >= self.ttl_seconds
        )

    def write(self, server: str, name: str, data: list[dict[str, Any]]) -> None:
        """Store ``data`` atomically (temporary file in the same directory, then ``os.replace``)."""
        path = self.path_for(server, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "version": _FORMAT_VERSION,
            "server": server_key(server),
            "name": name,
            "fetched_at": self.clock.now().isoformat(),
            "data": data,
        }
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def get(
        self,
        server: str,
        name: str,
        fetch: Callable[[], Awaitable[list[dict[str, Any]]]],
    ) -> list[dict[str, Any]]:
        """Return catalogue ``name``: fresh cache, else fetched (and stored), else stale cache.

        Raises:
            CatalogueUnavailable: the fetch failed and nothing is cached.
        """
        cached = self.read(server, name)
        if cached is not None and not cached.is_stale:
            return cached.data
        try:
            data = await fetch()
        except Exception as exc:
            if cached is not None:
                logger.warning(
                    "fetching %s from %s failed (%s); using the stale copy from %s",
                    name,
                    server_key(server),
                    exc,
                    cached.fetched_at.isoformat(),
                )
                return cached.data
            raise CatalogueUnavailable(f"cannot fetch {name!r} and nothing is cached") from exc
        self.write(server, name, data)
        return data
