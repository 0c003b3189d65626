"""Running the player against a server: local game, account bootstrap, team runs, benchmarks.

This package is where the player and the local server meet in one process (the only player-side
package allowed to import :mod:`guildmaster.server`). One module per concern:

* :mod:`~guildmaster.harness.transport`: :class:`Endpoint` (where a server is: base URL + how to
  build a transport, an in-process app through ``httpx.ASGITransport`` or a real HTTP server)
  and :class:`RecordingTransport`, which reports every response status to a
  :class:`ResponseTap` (the bench's request counters).
* :mod:`~guildmaster.harness.session`: :class:`LocalGame` (the local server app built on a given
  clock and world spec) and :func:`open_session`, the account bootstrap (create the account if
  needed, token via ``POST /token``, rate limits from ``GET /my/rates``, N characters with
  original names) that returns a :class:`Session`: an authenticated account whose clients
  share one rate limiter and report to its tap.
* :mod:`~guildmaster.harness.agents`: the :class:`AgentFactory` of a run and
  :func:`build_coordinator`.
* :mod:`~guildmaster.harness.team`: :func:`run_team`: N agents (+ the coordinator when enabled)
  in a :class:`~guildmaster.agent.team.Team` until a game-time horizon or a stop event, with a
  progress point every game hour.
* :mod:`~guildmaster.harness.loadcheck`: the load check (:func:`run_limiter_check`: N characters
  act flat out through one shared rate limiter; 429s and 499s must stay at zero), against any
  server or a local one started as a separate process (:func:`start_local_server`).

The benchmark itself (``guildmaster bench``: all of this on a
:class:`~guildmaster.clock.VirtualClock`) is :func:`guildmaster.cli.bench.run_bench`.
"""

from __future__ import annotations

from guildmaster.harness.agents import AgentFactory, build_coordinator, character_agent_factory
from guildmaster.harness.loadcheck import (
    ClientFactory,
    check_server_limits,
    run_limiter_check,
    start_local_server,
)
from guildmaster.harness.session import (
    ORIGINAL_NAMES,
    SKINS,
    AccountSpec,
    LocalGame,
    Session,
    character_names,
    open_session,
)
from guildmaster.harness.team import TeamRun, read_progress, run_team
from guildmaster.harness.transport import Endpoint, RecordingTransport, ResponseTap

__all__ = [
    "ORIGINAL_NAMES",
    "SKINS",
    "AccountSpec",
    "AgentFactory",
    "ClientFactory",
    "Endpoint",
    "LocalGame",
    "RecordingTransport",
    "ResponseTap",
    "Session",
    "TeamRun",
    "build_coordinator",
    "character_agent_factory",
    "character_names",
    "check_server_limits",
    "open_session",
    "read_progress",
    "run_limiter_check",
    "run_team",
    "start_local_server",
]
