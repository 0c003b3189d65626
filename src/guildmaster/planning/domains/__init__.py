"""Planning domains built on the generic core (the ArtifactsMMO game domain)."""

from __future__ import annotations

__all__: list[str] = []
