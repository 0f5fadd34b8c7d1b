"""The pages of every JSON list: keyset (cursor) paging, a bounded offset, a bounded count.

A list answers ``{"items": [...], "count": n, "next": "/api/…?cursor=…", "next_cursor": "…"}``.

- ``limit`` (1–500, default 100) items per page, in the list's stable order (its key, see
  luoshi.lib.keyset); ``next`` is the URL of the following page with the same filters, null on
  the last one. Following ``next`` walks the whole list once: no item twice, none left out, even
  while rows are added (each page starts after the last item of the one before).
- ``cursor``: the opaque ``next_cursor`` of the previous page. A damaged cursor, or one of another
  list, is 422 ``query.cursor``.
- ``offset`` still works for old clients, up to ``MAX_OFFSET`` (beyond it the database would step
  over that many rows for every page: 422, follow ``next`` instead); it cannot be combined with
  ``cursor``.
- ``count`` is exact up to ``COUNT_CAP`` items and null above: counting a list of 300,000 reports
  would cost more than the page itself, so the count reads at most ``COUNT_CAP + 1`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

from luoshi.lib import keyset
from luoshi.lib.bounds import MAX_BIGINT

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_OFFSET = 10_000
COUNT_CAP = 10_000


def field_error(key: str, message: str, kind: str) -> ValidationError:
    return ValidationError([{"loc": ("query", key), "msg": message, "type": kind}])


class Keyset(PaginationBase):
    """``@paginate(Keyset)`` over the queryset the endpoint returns (which rows, in which order).

    ``show=f`` pages ``f(queryset)`` instead (what each item shows: annotations, prefetches) while
    the count reads the bare queryset; ``complete=f`` calls ``f(rows)`` on each page's rows. Both
    add what the schema shows in a fixed number of queries.
    """

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_BIGINT, description=f"items per page, at most {MAX_LIMIT}"
        )
        cursor: str | None = Field(None, description="the next_cursor of the previous page")
        offset: int = Field(
            0,
            ge=0,
            le=MAX_BIGINT,
            description=f"for old clients, at most {MAX_OFFSET:,}; follow next instead",
        )

    class Output(Schema):
        items: list[Any]
        count: int | None = Field(
            description=f"how many items the list holds: exact up to {COUNT_CAP:,}, null when there are more"
        )
        next: str | None = Field(description="the URL of the next page, null on the last page")
        next_cursor: str | None = Field(description="the cursor of the next page (in next already)")

    def __init__(
        self,
        *,
        show: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
        complete: Callable[[list[Any]], None] | None = None,
        **kwargs: Any,
    ) -> None:
        self.show, self.complete = show, complete
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        if pagination.limit > MAX_LIMIT:
            raise field_error(
                "limit", f"每页最多 {MAX_LIMIT} 项 / at most {MAX_LIMIT} items per page", "limit_too_large"
            )
        if pagination.offset > MAX_OFFSET:
            raise field_error(
                "offset",
                f"offset 最大为 {MAX_OFFSET}，更深的页请沿用 next 链接（游标） / "
                f"offset is at most {MAX_OFFSET}: follow the next links (cursor) to go deeper",
                "offset_too_large",
            )
        if pagination.cursor and pagination.offset:
            raise field_error(
                "offset",
                "offset 与 cursor 不能同时使用 / offset and cursor cannot be combined",
                "offset_with_cursor",
            )
        try:
            shown = self.show(queryset) if self.show is not None else queryset
            found = keyset.page(
                shown, cursor=pagination.cursor, limit=pagination.limit, offset=pagination.offset
            )
        except keyset.BadCursor as exc:
            raise field_error("cursor", str(exc), exc.code) from None
        if self.complete is not None:
            self.complete(found.rows)
        counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        return {
            "items": found.rows,
            "count": counted if counted <= COUNT_CAP else None,
            "next": next_url(request, found.next_cursor),
            "next_cursor": found.next_cursor,
        }


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's path and filters with ``cursor`` instead of any cursor or offset."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"
