"""Ingest: one service function shared by the CLI, the upload page and tests."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from luoshi.audit.services import record
from luoshi.documents.duplicates import Match, find_match, fingerprint, key_hash
from luoshi.documents.errors import too_slow_error
from luoshi.documents.models import Document, Finding, Section, without_heavy
from luoshi.documents.ocr import LOW_CONFIDENCE, OcrLayer
from luoshi.documents.readers import IngestError, read_document
from luoshi.documents.textproc import offsets
from luoshi.documents.textproc.model import Section as SectionNode
from luoshi.documents.textproc.pipeline import Analysis, analyse, structure_json
from luoshi.documents.textproc.recognition import RecognisedLine
from luoshi.lib.bounds import xml_safe
from luoshi.lib.package_limits import TimeBudgetExceeded, time_budget

__all__ = ["IngestError", "IngestOutcome", "Match", "document_json", "ingest_document"]


@dataclass
class IngestOutcome:
    """``created`` False: ``document`` is the stored twin; with ``match`` set, nothing was stored and
    the caller chooses (open it, ``version_of`` it, or ``keep_both`` with a distinguishing title)."""

    document: Document
    created: bool
    match: Match | None = None


def recognised_lines(layer: OcrLayer | None) -> list[RecognisedLine]:
    if layer is None:
        return []
    return [
        RecognisedLine(start=ln.start, end=ln.end, confidence=ln.confidence, page=ln.page)
        for ln in layer.lines
    ]


def _parse_iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def ingest_document(
    *,
    data: bytes,
    filename: str,
    title: str = "",
    user: Any = None,
    max_bytes: int | None = None,
    version_of: Document | None = None,
    keep_both: bool = False,
) -> IngestOutcome:
    """Store a decision document and its analysis, or return the stored twin.

    1. Refuse bad input (empty, too large, binary, undecodable…) with an
       IngestError before anything is written.
    2. Recognise the same bytes by SHA-256: no duplicate document.
    3. Decode, normalize, parse the structure, check integrity.
    4. Recognise the same or nearly the same text (documents/duplicates.py): unless the caller said
       ``version_of`` (store it as that document's next version) or ``keep_both`` (a distinguishing
       ``title`` is then required), return the match without storing anything.
    5. Write the document, its sections and findings in one transaction.
    The file name and title lose the characters XML (and, for NUL, PostgreSQL) cannot hold; the
    text's NUL characters become U+FFFD (``read_document``).
    """
    filename, title = xml_safe(filename), xml_safe(title)
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        # read_document checks too; checking first avoids hashing a huge file.
        read_document(data, filename=filename, max_bytes=limit)
    digest = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(content_hash=digest).first()
    if existing is not None:
        return IngestOutcome(existing, created=False)

    try:
        with time_budget():  # LUOSHI_PARSE_TIME_LIMIT for reading and structuring together
            read = read_document(data, filename=filename, max_bytes=limit)
            analysis = analyse(read.text, recognised=recognised_lines(read.ocr), threshold=LOW_CONFIDENCE)
    except TimeBudgetExceeded:
        raise too_slow_error() from None
    if not analysis.text.strip():
        raise IngestError("empty", "文件中没有可读的文字。", "The file contains no readable text.")
    sketch = fingerprint(analysis.text)
    match = find_match(analysis.text, sketch=sketch)
    note = ""
    if version_of is not None:
        note = f"新版本，替代 #{version_of.pk} / new version of #{version_of.pk}"
    elif match is not None and keep_both:
        title = title.strip()
        if not title or title == match.document.title:
            raise IngestError(
                "title_required",
                f"已有内容相同或相似的文件“{match.document.title}”，保留两份时请填写能区分的标题。",
                f"A document with the same or similar content exists ('{match.document.title}'); "
                "to keep both, give a title that tells them apart.",
            )
        note = f"与 #{match.document.pk} 内容相似，保留两份 / kept beside similar #{match.document.pk}"
    elif match is not None:
        return IngestOutcome(match.document, created=False, match=match)
    try:
        with transaction.atomic():
            document = _store(
                analysis,
                data=data,
                digest=digest,
                filename=filename,
                title=title,
                encoding=read.encoding,
                fmt=read.format,
                user=user,
                ocr=read.ocr,
            )
            document.text_key = key_hash(analysis.text)
            document.fingerprint = sketch
            if version_of is not None:
                document.version_of = version_of
                document.version = version_of.version + 1
            document.save(update_fields=["text_key", "fingerprint", "version_of", "version"])
            changes: dict[str, Any] = {
                "title": [None, document.title],
                "filename": [None, document.filename],
                "size": [None, document.size],
                "content_hash": [None, digest],
            }
            if version_of is not None:
                changes |= {"version_of": [None, version_of.pk], "version": [None, document.version]}
            record(action="create", obj=document, actor=user, changes=changes, note=note)
    except IntegrityError:
        twin = Document.objects.filter(content_hash=digest).first()
        if twin is None:
            raise
        return IngestOutcome(twin, created=False)
    return IngestOutcome(document, created=True)


def _store(
    analysis: Analysis,
    *,
    data: bytes,
    digest: str,
    filename: str,
    title: str,
    encoding: str,
    fmt: str,
    user: Any,
    ocr: OcrLayer | None = None,
) -> Document:
    st = analysis.structure
    payload = structure_json(st, analysis.findings)
    document = Document.objects.create(
        title=(title or st.title or filename or "未命名文件")[:500],
        filename=filename[:255],
        content_hash=digest,
        original=data,
        size=len(data),
        format=fmt,
        encoding=encoding,
        source_text=analysis.source,
        text=analysis.text,
        offset_runs=offsets.compress(analysis.normalized.source_offsets),
        removals=[
            {"kind": r.kind, "text": r.text, "source_start": r.source_start, "source_end": r.source_end}
            for r in analysis.normalized.removals
        ],
        normalization_steps=dict(analysis.normalized.steps),
        structure=payload,
        ocr=ocr.to_json() if ocr is not None else {},
        issuer=st.issuer[:200],
        doc_number=st.doc_number[:100],
        date=_parse_iso(st.date),
        date_line=st.date_line[:500],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _store_sections(document, st.sections)
    Finding.objects.bulk_create(
        Finding(
            document=document,
            kind=f.kind,
            message=f.message_zh,
            message_en=f.message_en,
            start=f.start,
            end=f.end,
        )
        for f in analysis.findings
    )
    return document


def _store_sections(document: Document, roots: list[SectionNode]) -> None:
    """One row per heading, in document order, with a bulk insert per tree level (parents first, so
    each child row has its parent's id): a code of thousands of articles is a few statements."""
    levels: list[list[Section]] = []
    order = 0

    def visit(nodes: list[SectionNode], parent: Section | None, prefix: str, depth: int) -> None:
        nonlocal order
        for i, node in enumerate(nodes):
            path = f"{prefix}{i}"
            row = Section(
                document=document,
                parent=parent,
                order=order,
                path=path,
                kind=node.kind,
                number=node.number[:30],
                heading=node.heading,
                level=node.level,
                start=node.start,
                end=node.end,
            )
            order += 1
            if depth == len(levels):
                levels.append([])
            levels[depth].append(row)
            visit(node.children, row, path + ".", depth + 1)

    visit(roots, None, "", 0)
    for rows in levels:
        Section.objects.bulk_create(rows, batch_size=500)


def document_json(document: Document) -> dict[str, Any]:
    """The JSON shape of ``luoshi ingest --json`` (documented in docs/ingest-json.md)."""
    st = document.structure
    return {
        "id": document.pk,
        "title": document.title,
        "issuer": document.issuer,
        "doc_number": document.doc_number,
        "date": document.date.isoformat() if document.date else None,
        "date_line": document.date_line,
        "encoding": document.encoding,
        "format": document.format,
        "content_hash": document.content_hash,
        "version": document.version,
        "version_of": document.version_of_id,
        "characters": len(document.text),
        "text": document.text,
        "removed": document.removals,
        "normalization_steps": document.normalization_steps,
        "preamble": st.get("preamble"),
        "sections": st.get("sections", []),
        "sentences": st.get("sentences", []),
        "findings": st.get("findings", []),
        "ocr": document.ocr or None,
    }


def short_labels(pks: Iterable[int]) -> dict[int, str]:
    """Each document's short label (title plus 文号 or year) by id, one query."""
    return {d.pk: d.short_label for d in Document.objects.filter(pk__in=set(pks)).defer(*without_heavy())}
