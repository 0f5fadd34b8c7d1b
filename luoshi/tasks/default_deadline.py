"""The deadline offered when tasks are created from a confirmed task division.

A decision usually says how long it runs: "到2027年…", "2025—2027年", "今后五年",
"“十四五”时期". The default deadline is the end of the latest year it states,
if that is after the start date. When it states none, there is no default: the
office chooses one (a silent "end of this year" once gave tasks 24 days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.decomposition.extract import extract_deadlines
from luoshi.documents.models import Document

# Phrases that end in a year no one wrote down ("本世纪中叶" → 2050): not a stated year.
_UNSTATED = ("本世纪中叶",)


@dataclass(frozen=True)
class StatedDeadline:
    date: dt.date
    words: str  # the decision's own words the year comes from


def stated_deadline(
    text: str, *, start_date: dt.date, reference_year: int | None = None
) -> StatedDeadline | None:
    """The end of the latest year ``text`` states that ends after ``start_date``, with its words.

    ``reference_year`` (the decision's year, from its date line) resolves "今后五年" and "年底前".
    """
    best: StatedDeadline | None = None
    for found in extract_deadlines(text, reference_year=reference_year, recurring=False):
        if found.kind not in ("deadline", "range") or not found.end_date:
            continue
        if any(phrase in found.text for phrase in _UNSTATED):
            continue
        try:
            year = dt.date.fromisoformat(found.end_date).year
        except ValueError:
            continue
        end = dt.date(year, 12, 31)
        if end > start_date and (best is None or end > best.date):
            best = StatedDeadline(end, found.text.strip())
    return best


def document_year(document: Document) -> int | None:
    """The year of the decision's date line (or None)."""
    if document.date:
        return document.date.year
    raw = (document.structure or {}).get("date") if isinstance(document.structure, dict) else None
    if isinstance(raw, str) and raw[:4].isdigit():
        return int(raw[:4])
    return None


def default_deadline_for(*, document: Document, start_date: dt.date) -> StatedDeadline | None:
    return stated_deadline(document.text, start_date=start_date, reference_year=document_year(document))
