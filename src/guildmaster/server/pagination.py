"""Pagination of list endpoints: ``page``/``size`` query parameters and ``DataPage`` bodies.

``size`` bounds come from settings (100 for account/GE lists, 10 000 for static catalogues, as in
the spec); a size beyond the bound is a 422 like any other validation error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from guildmaster.server.settings import ServerSettings

__all__ = [
    "Page",
    "PageDep",
    "StaticPageDep",
    "page_params",
    "paginate",
    "static_page_params",
]


@dataclass(frozen=True, slots=True)
class Page:
    """A requested page.

    >>> Page(page=2, size=10).offset
    10
    """

    page: int
    size: int

    @property
    def offset(self) -> int:
        """Index of the first entry of this page."""
        return (self.page - 1) * self.size


def paginate(entries: Sequence[Any], page: Page) -> dict[str, Any]:
    """The ``DataPage`` body of one page of ``entries``.

    >>> paginate([1, 2, 3], Page(page=2, size=2))
    {'data': [3], 'total': 3, 'page': 2, 'size': 2, 'pages': 2}
    """
    total = len(entries)
    return {
        "data": list(entries[page.offset : page.offset + page.size]),
        "total": total,
        "page": page.page,
        "size": page.size,
        "pages": math.ceil(total / page.size),
    }


def _checked(page: int, size: int, cap: int) -> Page:
    if size > cap:
        raise RequestValidationError(
            [
                {
                    "type": "less_than_equal",
                    "loc": ("query", "size"),
                    "msg": f"Input should be less than or equal to {cap}",
                    "input": size,
                }
            ]
        )
    return Page(page=page, size=size)


async def page_params(
    request: Request,
    page: Annotated[int, Query(ge=1, description="Page number")] = 1,
    size: Annotated[int, Query(ge=1, description="Page size")] = 50,
) -> Page:
    """``page``/``size`` for account and market lists (size capped by ``max_page_size``).

    Raises:
        RequestValidationError: if ``size`` exceeds the cap.
    """
    settings: ServerSettings = request.app.state.settings
    return _checked(page, size, settings.max_page_size)


async def static_page_params(
    request: Request,
    page: Annotated[int, Query(ge=1, description="Page number")] = 1,
    size: Annotated[int, Query(ge=1, description="Page size")] = 50,
) -> Page:
    """``page``/``size`` for static catalogues (size capped by ``max_static_page_size``).

    Raises:
        RequestValidationError: if ``size`` exceeds the cap.
    """
    settings: ServerSettings = request.app.state.settings
    return _checked(page, size, settings.max_static_page_size)


PageDep = Annotated[Page, Depends(page_params)]
StaticPageDep = Annotated[Page, Depends(static_page_params)]
