"""The first pass over what is stored: decisions and their premise rules in, plain check types out.

The checks (``luoshi.review.checks``) know nothing of the database; this module reads the stored
decisions (``documents.Document``, their structure and the ``PremiseRule`` rows attached to them)
and a draft read by the ingest pipeline, and hands them over. It writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from luoshi.documents.models import Document
from luoshi.documents.readers import read_document
from luoshi.documents.textproc.pipeline import analyse, structure_json
from luoshi.review.checks import Decision, Draft, Meta, PremiseRule, Result, decision_from_stored, first_pass
from luoshi.review.checks.clauses import clauses_from_structure, year_of
from luoshi.review.models import PremiseRule as PremiseRow


def rule_of(row: PremiseRow) -> PremiseRule:
    return PremiseRule(
        code=row.code,
        kind=row.kind,
        name=row.name,
        patterns=tuple(row.patterns),
        trigger=tuple(row.trigger),
        exceptions=tuple(row.exceptions),
        decision_id=row.document_id,
        clause=row.clause,
    )


def stored_decisions(ids: Iterable[int] | None = None) -> list[Decision]:
    """The stored decisions (all, or those ``ids``) as the checks see them, with their active rules."""
    documents = Document.objects.only("id", "title", "text", "structure", "date", "content_hash")
    if ids is not None:
        documents = documents.filter(pk__in=list(ids))
    rules: dict[int, list[PremiseRule]] = {}
    for row in PremiseRow.objects.filter(active=True, document__in=documents).order_by("id"):
        rules.setdefault(row.document_id, []).append(rule_of(row))
    return [
        decision_from_stored(
            d.pk,
            title=d.title,
            text=d.text,
            structure=d.structure,
            year=d.date.year if d.date else year_of(d.title),
            rules=rules.get(d.pk, []),
            key=d.content_hash,
        )
        for d in documents.order_by("id")
    ]


@dataclass
class ReadDraft:
    """A draft read from its bytes: what a ``DraftVersion`` stores, and the checks' view of it."""

    draft: Draft
    structure: dict[str, object]
    format: str


def read_draft(*, data: bytes, filename: str, max_bytes: int) -> ReadDraft:
    """Read a draft file (.txt, .docx, .pdf) with the ingest pipeline; IngestError when it cannot be read."""
    read = read_document(data, filename=filename, max_bytes=max_bytes)
    analysis = analyse(read.text)
    structure = structure_json(analysis.structure, analysis.findings)
    return ReadDraft(_draft(analysis.text, structure), structure, read.format)


def _draft(text: str, structure: dict[str, object]) -> Draft:
    import datetime as dt

    date = None
    if structure.get("date"):
        try:
            date = dt.date.fromisoformat(str(structure["date"]))
        except ValueError:
            date = None
    return Draft(
        text=text,
        clauses=clauses_from_structure(text, structure),
        title=str(structure.get("title") or ""),
        date=date,
    )


def stored_draft(text: str, structure: dict[str, object]) -> Draft:
    return _draft(text, structure)


def check(*, draft: Draft, governing: Sequence[int] = (), meta: Meta | None = None) -> Result:
    """The first pass against the named decisions, or (none named) every stored decision."""
    decisions = stored_decisions(governing if governing else None)
    return first_pass(draft=draft, decisions=decisions, governing=list(governing), meta=meta)
