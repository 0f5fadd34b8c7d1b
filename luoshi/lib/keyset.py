"""Keyset (cursor) paging: a page starts after the last row of the previous one, not at an offset.

An offset makes the database step over every row before the page (offset 98,600 of the reports
cost 321 ms); a cursor names the last row seen, so every page is one index range read, however
deep, and rows inserted while someone pages never shift the pages under them.

1. The key is the queryset's ``order_by``: columns of the model's own table (no joins), all
   ascending or all descending, the last one ``id`` so that the key is unique.
2. A cursor is that key's values in the last row of a page, as base64url JSON, tagged with the
   key's names: a cursor of another list, or a damaged one, is refused (``BadCursor``).
3. The next page is the rows whose key is beyond the cursor, ``(a, b) > (x, y)`` (``<`` for a
   descending key): a row-value comparison, which SQLite (≥ 3.15) and PostgreSQL both read as
   one range of an index on (a, b).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import BooleanField, Expression, F, Field, Model, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

from luoshi.lib.errors import BilingualError

M = TypeVar("M", bound=Model)

MAX_CURSOR_CHARS = 400  # a key of a few dates and ids is far shorter


class BadCursor(BilingualError):
    def __init__(self) -> None:
        super().__init__(
            "bad_cursor",
            "分页游标无效：请从列表第一页重新开始，并沿用返回的 next 链接。",
            "The page cursor is not valid: start again from the first page and follow the "
            "'next' links the answers give.",
        )


class RowBeyond(Expression):
    """``(a, b, …) > (x, y, …)``, or ``<`` for a descending key: a filter usable in ``.filter()``."""

    conditional = True

    def __init__(self, columns: list[Any], values: list[Any], *, descending: bool) -> None:
        super().__init__(output_field=BooleanField())
        self.columns, self.values, self.descending = list(columns), list(values), descending

    def get_source_expressions(self) -> list[Any]:
        return [*self.columns, *self.values]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.columns)
        self.columns, self.values = list(exprs[:n]), list(exprs[n:])

    def as_sql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        params: list[Any] = []
        sides = []
        for side in (self.columns, self.values):
            parts = []
            for expr in side:
                sql, p = compiler.compile(expr)
                parts.append(sql)
                params.extend(p)
            sides.append(", ".join(parts))
        return f"({sides[0]}) {'<' if self.descending else '>'} ({sides[1]})", params


@dataclass(frozen=True)
class Key:
    """The ordering key of a list: its columns and direction."""

    fields: tuple[Field[Any, Any], ...]
    descending: bool

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.attname for f in self.fields)

    @property
    def tag(self) -> str:
        model = self.fields[0].model._meta.label_lower
        spec = f"{model}:{'-' if self.descending else ''}{','.join(self.names)}"
        return hashlib.sha256(spec.encode()).hexdigest()[:8]

    def values_of(self, row: Model) -> list[Any]:
        return [getattr(row, name) for name in self.names]


def key_of(queryset: QuerySet[Any]) -> Key:
    """The key of an ordered queryset; a programming error (ImproperlyConfigured) if it cannot be one."""
    order = [str(o) for o in queryset.query.order_by]
    meta = queryset.model._meta
    if not order or order[-1].lstrip("-") not in {"id", "pk"}:
        raise ImproperlyConfigured(
            f"keyset paging of {meta.label} needs an order_by ending with id, not {order}"
        )
    directions = {o.startswith("-") for o in order}
    if len(directions) != 1:
        raise ImproperlyConfigured(f"keyset paging of {meta.label}: {order} mixes directions")
    fields = []
    for name in (o.lstrip("-") for o in order):
        if "__" in name:
            raise ImproperlyConfigured(
                f"keyset paging of {meta.label}: {name} is not a column of its own table"
            )
        field = meta.pk if name == "pk" else meta.get_field(name)
        if not getattr(field, "concrete", False) or getattr(field, "null", False):
            raise ImproperlyConfigured(f"keyset paging of {meta.label}: {name} must be a non-null column")
        fields.append(field)
    return Key(fields=tuple(fields), descending=directions == {True})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def encode(key: Key, row: Model) -> str:
    """The cursor that starts the page after ``row``."""
    payload = json.dumps([key.tag, *map(_jsonable, key.values_of(row))], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(key: Key, cursor: str) -> list[Any]:
    """The key values a cursor names, checked against ``key``; BadCursor otherwise."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise BadCursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor() from None
    if not isinstance(payload, list) or len(payload) != len(key.fields) + 1 or payload[0] != key.tag:
        raise BadCursor()
    values = []
    for field, value in zip(key.fields, payload[1:], strict=True):
        if not isinstance(value, int | str) or isinstance(value, bool):
            raise BadCursor()
        try:
            values.append(field.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise BadCursor() from None
        if isinstance(values[-1], dt.datetime) and values[-1].tzinfo is None:
            raise BadCursor()
    return values


def beyond(queryset: QuerySet[M], key: Key, values: list[Any]) -> QuerySet[M]:
    """The rows of ``queryset`` after the row whose key is ``values``."""
    columns = [F(name) for name in key.names]
    literals = [Value(v, output_field=f) for v, f in zip(values, key.fields, strict=True)]
    return queryset.filter(RowBeyond(columns, literals, descending=key.descending))


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None


def page(queryset: QuerySet[Any], *, cursor: str | None, limit: int, offset: int = 0) -> Page:
    """One page of ``queryset`` (ordered by its key) after ``cursor`` (or from ``offset``); reads limit + 1 rows."""
    key = key_of(queryset)
    if cursor:
        queryset = beyond(queryset, key, decode(key, cursor))
    rows = list(queryset[offset : offset + limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows=rows, next_cursor=encode(key, rows[-1]) if more and rows else None)
