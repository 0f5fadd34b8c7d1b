"""Reading generated DOCX files back for assertions."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn


def open_docx(content: bytes) -> DocxDocument:
    return Document(io.BytesIO(content))


def all_text(doc: DocxDocument) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def east_asian(element: object) -> str | None:
    rpr = element.find(qn("w:rPr"))  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def char_spacing(element: object) -> int | None:
    """``w:rPr/w:spacing/@w:val`` (twentieths of a point) of a style or run element, or None."""
    rpr = element.find(qn("w:rPr"))  # type: ignore[attr-defined]
    spacing = rpr.find(qn("w:spacing")) if rpr is not None else None
    return int(spacing.get(qn("w:val"))) if spacing is not None else None


def footer_xml(part: object) -> str:
    return part._element.xml  # type: ignore[attr-defined]
