"""Bounded parameter types and the request parser of the API: nothing a caller sends reaches the
database in a shape it cannot store.

- ``BigInt``: every integer (ids, versions, filters, offsets) must fit a 64-bit database integer;
  a larger one is refused with 422 (``/api/tasks?offset=9223372036854775808``), never 500.
- ``luoshi.api.pagination.Keyset``: the lists' pages, ``limit`` and ``offset`` bounded the same way.
- ``filter_given``: a list narrowed by the filters the caller gave (those left out are None).
- ``BoundedParser``: a NUL character in any string of the query, a form or a JSON body is refused
  with 422 on every database (PostgreSQL cannot store it; see docs/security.md).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Field
from ninja.errors import ValidationError
from ninja.parser import Parser

from luoshi.lib.bounds import MAX_BIGINT, has_nul

MIN_BIGINT = -MAX_BIGINT - 1

BigInt = Annotated[int, Field(ge=MIN_BIGINT, le=MAX_BIGINT)]

M = TypeVar("M", bound=Model)


def filter_given(found: QuerySet[M], **lookups: object) -> QuerySet[M]:
    """``found`` filtered by each lookup whose value the caller gave: a query parameter left out is None."""
    return found.filter(**{lookup: value for lookup, value in lookups.items() if value is not None})


NUL_MESSAGE = "不能包含空字符（NUL） / must not contain a NUL character"


def nul_error(where: str, key: str) -> ValidationError:
    return ValidationError([{"loc": (where, key), "msg": NUL_MESSAGE, "type": "nul_character"}])


class BoundedParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if isinstance(data, dict):
            for key, value in data.items():
                if has_nul(key) or has_nul(value):
                    raise nul_error("body", str(key).replace("\x00", ""))
        elif has_nul(data):
            raise nul_error("body", "")
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if has_nul(key) or any(isinstance(v, str) and has_nul(v) for v in values):
                raise nul_error("query" if data is request.GET else "form", key.replace("\x00", ""))
        return super().parse_querydict(data, list_fields, request)
