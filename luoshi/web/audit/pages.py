"""The audit search page (操作日志): filters, a page of entries with their field diffs, the CSV of all matches."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.audit.services import AuditEntry, search
from luoshi.web.audit.forms import AuditFilterForm
from luoshi.web.audit.words import Words, actor_text, field_label, model_of, note_text, type_label

AUDIT_PAGE_SIZE = 50


@dataclass
class AuditRow:
    entry: AuditEntry
    changes: list[
        tuple[str, str | None, str]
    ]  # field label, before (None: there was nothing), after; in words
    object: str = ""  # what the entry is about, by name
    kind: str = ""  # the model's name ("任务")
    note: str = ""  # the note in the page's language
    actor: str = ""  # who, in words ("命令行" for the command line)


def audit_row(entry: AuditEntry, words: Words | None = None) -> AuditRow:
    """The entry as the pages show it: in words, in the page's language (the CSV keeps the raw values)."""
    words = words or Words()
    return AuditRow(
        entry,
        change_lines(entry, words),
        object=words.object_label(entry.object_type, entry.object_id),
        kind=type_label(entry.object_type),
        note=note_text(entry.note),
        actor=actor_text(entry.actor_label),
    )


@dataclass
class AuditPage:
    form: AuditFilterForm
    entries: QuerySet[AuditEntry] | None  # None when the filters are invalid
    page: Page[AuditEntry] | None = None
    rows: list[AuditRow] = field(default_factory=list)


def change_lines(entry: AuditEntry, words: Words | None = None) -> list[tuple[str, str | None, str]]:
    """The entry's field diff as (field, before, after) in words ("状态：草稿 → 已分派"); a value not recorded
    as a pair is the "after"."""
    words = words or Words()
    model = model_of(entry.object_type)
    lines = []
    for name, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        lines.append(
            (
                field_label(model, name),
                None if before is None else words.value(model, name, before),
                words.value(model, name, after),
            )
        )
    return lines


def _type_label(label: str) -> str:
    return type_label(label)


def audit_query(*, user: Any, params: Mapping[str, Any]) -> AuditPage:
    """The filter form and its entries; PermissionDenied (from ``search``) for roles other than office and admin."""
    everything = search(user=user)
    types = everything.order_by().values_list("object_type", flat=True).distinct()
    form = AuditFilterForm(params, object_types=[(t, _type_label(t)) for t in sorted(types)])
    if not form.is_valid():
        return AuditPage(form, None)
    return AuditPage(form, search(user=user, **form.search_filters()))


def audit_page(*, user: Any, params: Mapping[str, Any]) -> AuditPage:
    """One page of the matching entries (``params["page"]``), with their diffs."""
    found = audit_query(user=user, params=params)
    if found.entries is not None:
        found.page = Paginator(found.entries, AUDIT_PAGE_SIZE).get_page(params.get("page"))
        words = Words()
        words.prefetch(found.page.object_list)
        found.rows = [audit_row(entry, words) for entry in found.page.object_list]
    return found


AUDIT_CSV_HEADERS = ["at", "user", "ip", "action", "object_type", "object_id", "object", "changes", "note"]


def audit_csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[object]]:
    """The rows of the CSV, one at a time (headers: AUDIT_CSV_HEADERS); the changes as JSON {field: [before, after]}."""
    for e in entries.iterator(chunk_size=1000):
        yield [
            timezone.localtime(e.at).isoformat(),
            e.actor_label,
            e.ip or "",
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            json.dumps(e.changes, ensure_ascii=False),
            e.note,
        ]
