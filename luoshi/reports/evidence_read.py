"""Reading evidence back (佐证材料): how a file is previewed, and its download name.

Files are opened from MEDIA_ROOT through the storage (never served from the web root); the
caller has fetched the row with ``luoshi.reports.access.get_evidence_for`` (404 outside the
user's scope, exactly like the report).
"""

from __future__ import annotations

import codecs
import posixpath
import unicodedata
import zipfile
from urllib.parse import quote

from luoshi.reports.models import Evidence

PREVIEW_TEXT_CHARS = 20_000  # what the preview page shows of a text or DOCX file
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}  # the browser shows these itself


def preview_kind(evidence: Evidence) -> str:
    """ "image", "pdf", "docx", "text" or "none" (only downloaded)."""
    if evidence.content_type in ("image/jpeg", "image/png"):
        return "image"
    if evidence.content_type == "application/pdf":
        return "pdf"
    if evidence.content_type.endswith("wordprocessingml.document"):
        return "docx"
    if evidence.content_type == "text/plain":
        return "text"
    return "none"


def read_bytes(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def preview_text(evidence: Evidence) -> str:
    """The text a DOCX or text file holds, cut to PREVIEW_TEXT_CHARS; "" for other kinds or unreadable files."""
    kind = preview_kind(evidence)
    try:
        raw = read_bytes(evidence)
    except OSError:
        return ""
    text = ""
    if kind == "text":
        text = _decode(raw)
    elif kind == "docx":
        text = _docx_text(raw)
    return text[:PREVIEW_TEXT_CHARS]


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.decode(raw, encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _docx_text(raw: bytes) -> str:
    import io

    from docx import Document as DocxDocument

    try:
        document = DocxDocument(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return ""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip()


def content_disposition(evidence: Evidence, *, inline: bool) -> str:
    """``attachment`` (or ``inline``) with an ASCII fallback name and the real one per RFC 5987."""
    name = evidence.original_name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C" and c not in '"') or "evidence"
    stem, extension = posixpath.splitext(name)
    ascii_stem = stem.encode("ascii", "ignore").decode().strip() or f"evidence-{evidence.pk}"
    fallback = (ascii_stem + extension.encode("ascii", "ignore").decode()).replace(";", "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
