"""guildmaster.server.worldgen: generate worlds shaped like the API's data, and validate worlds."""

from __future__ import annotations

from guildmaster.server.worldgen.generator import GENERATOR_VERSION, dump_world, generate_world

__all__ = ["GENERATOR_VERSION", "dump_world", "generate_world"]
