"""Base classes for the API models: a forward-compatible frozen model and a typed page.

Every model ignores fields it does not know (the live server adds fields between versions)
but validates the types of those it does.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ApiModel", "Page"]

T = TypeVar("T")


class ApiModel(BaseModel):
    """Root of every v8 model: frozen, ignores unknown fields, validates known ones."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Page(ApiModel, Generic[T]):
    """One page of a paginated list (``{data, total, page, size, pages}``).

    >>> Page[int].model_validate({"data": [1, 2], "total": 2, "page": 1, "size": 50, "pages": 1})
    Page[int](data=[1, 2], total=2, page=1, size=50, pages=1)
    """

    data: list[T] = Field(default_factory=list)
    total: int | None = None
    page: int = 1
    size: int = 50
    pages: int | None = None

    def is_last(self) -> bool:
        """Return True if no page follows this one."""
        if self.pages is None:
            return len(self.data) < self.size
        return self.page >= self.pages
