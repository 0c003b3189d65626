"""Coordinator tests share the agent tests' helpers (``test_player_support``): their directory
goes on the import path, as it does when the whole suite runs."""

from __future__ import annotations

import sys
from pathlib import Path

_AGENT_TESTS = str(Path(__file__).resolve().parents[1] / "agent")
if _AGENT_TESTS not in sys.path:
    sys.path.append(_AGENT_TESTS)
