"""guildmaster: an autonomous ArtifactsMMO team player and a local game server."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
