"""Server test fixtures (defined in :mod:`server_fixtures`, shared by core and action tests)."""

from __future__ import annotations

from server_fixtures import app, client, game, spec_validator, world

__all__ = ["app", "client", "game", "spec_validator", "world"]
