from __future__ import annotations

import asyncio

import pytest

from guildmaster.cli.limiter import _run, start_local_server


@pytest.mark.slow
def test_limiter_bench_against_a_real_local_server_process() -> None:
    with start_local_server(world="generated:3", time_scale=100) as url:
        result = asyncio.run(_run(url, None, 3, 4.0))
    assert result["characters"] == 3
    assert result["actions"] > 0
    assert result["http_429"] == 0
    assert result["cooldown_errors"] == 0
    assert result["other_errors"] == 0
    # fair service: every character got to act
    assert all(count > 0 for count in result["per_character"].values())
