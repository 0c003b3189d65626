"""guildmaster.server.worldgen: generate worlds shaped like the API's data, and validate worlds."""

from __future__ import annotations

from guildmaster.server.worldgen.generator import GENERATOR_VERSION, dump_world, generate_world
from guildmaster.server.worldgen.report import Problem, ValidationReport, WorldFileError
from guildmaster.server.worldgen.validate import load_world_file, validate_world

__all__ = [
    "GENERATOR_VERSION",
    "Problem",
    "ValidationReport",
    "WorldFileError",
    "dump_world",
    "generate_world",
    "load_world_file",
    "validate_world",
]
