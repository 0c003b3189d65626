"""Seeded randomness: the same seed and inputs give the same results, whatever the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

_SCRIPT = textwrap.dedent(
    """
    import asyncio, json
    import httpx
    from guildmaster.clock import VirtualClock
    from guildmaster.server.app import create_app
    from guildmaster.server.settings import RateLimitSettings, ServerSettings

    async def main() -> None:
        clock = VirtualClock()
        settings = ServerSettings(
            world="generated:3", seed=5, rate_limits=RateLimitSettings(enabled=False)
        )
        app = create_app(settings, clock)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            await c.post("/accounts/create",
                         json={"username": "detacct", "password": "secretpass1",
                               "email": "a@b.cd"})
            token = (await c.post("/token", auth=("detacct", "secretpass1"))).json()["token"]
            h = {"Authorization": f"Bearer {token}"}
            await c.post("/characters/create", json={"name": "hero", "skin": "men1"}, headers=h)
            monsters = (await c.get("/monsters", params={"size": 100})).json()["data"]
            weakest = min(monsters, key=lambda m: (m["level"], m["code"]))
            tiles = (await c.get("/maps", params={"content_code": weakest["code"]})).json()
            tile = tiles["data"][0]
            out = [(await c.post("/my/hero/action/move", json={"x": tile["x"], "y": tile["y"]},
                                 headers=h)).status_code]
            for _ in range(12):
                clock.advance(1000)
                fight = (await c.post("/my/hero/action/fight", headers=h)).json()["data"]
                out.append([fight["fight"]["turns"], fight["fight"]["characters"][0]["drops"],
                            fight["fight"]["characters"][0]["gold"]])
                clock.advance(1000)
                await c.post("/my/hero/action/rest", headers=h)
            hero = (await c.get("/characters/hero")).json()["data"]
            for key in ("cooldown", "cooldown_expiration"):
                hero.pop(key)
            print(json.dumps([out, hero], sort_keys=True))

    asyncio.run(main())
    """
)


def _run(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_same_seed_same_results_across_processes_and_hash_seeds() -> None:
    first, second = _run("1"), _run("2")
    assert '"xp"' in first
    assert first == second
