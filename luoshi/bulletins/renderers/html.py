"""The bulletin as one print-friendly HTML page (Django template, no external assets).

The print CSS is the DOCX's GB/T 9704 page (gbt9704.py): ``@page`` A4 with the
same margins, 16 pt body with a 28.95 pt line height (22 lines in 225 mm) and
letter-spacing −0.25 pt (the DOCX's ``w:spacing`` −5), so 28 characters of
15.75 pt take 441 pt of the 442.2 pt (156 mm) line, after a 2em first-line
indent too. The title is set in the lines ``title_lines`` gives (a ``<br>``
between them): WeasyPrint has no ``text-wrap: balance``.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.renderers.gbt9704 import (
    BOTTOM_MM,
    CHAR_SPACING_TWIPS,
    HEADING_FONTS,
    LEFT_MM,
    LINE_PITCH_TWIPS,
    RIGHT_MM,
    TITLE_FONT,
    TOP_MM,
    text_width_chars,
    title_lines,
)
from luoshi.bulletins.renderers.outline import Heading, Masthead, Paragraph, Table, blocks

# Font stacks: the GB/T 9704 fonts by name first, then fonts common on Linux (Noto CJK), Windows and macOS.
FONTS = {
    "title": [
        TITLE_FONT,
        "FZXiaoBiaoSong-B05S",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "SimSun",
        "serif",
    ],
    "body": [
        "仿宋_GB2312",
        "仿宋",
        "FangSong",
        "STFangsong",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "serif",
    ],
    "h1": [HEADING_FONTS[1], "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"],
    "h2": [HEADING_FONTS[2], "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", "serif"],
}


def _stack(names: list[str]) -> str:
    return ", ".join(n if n in ("serif", "sans-serif") else f'"{n}"' for n in names)


def render_html(data: BulletinData, *, head: Masthead) -> str:
    items = []
    for block in blocks(data):
        if isinstance(block, Heading):
            items.append({"kind": "heading", "level": block.level, "text": block.text})
        elif isinstance(block, Paragraph):
            items.append({"kind": "paragraph", "text": block.text, "lead": block.lead})
        elif isinstance(block, Table):
            whole = sum(c.weight for c in block.columns)
            columns = [
                {"header": c.header, "align": c.align, "width": f"{100 * c.weight / whole:.2f}%"}
                for c in block.columns
            ]
            rows = [
                [{"value": v, "align": c.align} for v, c in zip(row, block.columns, strict=True)]
                for row in block.rows
            ]
            items.append({"kind": "table", "name": block.name, "columns": columns, "rows": rows})
    offset = max(0.0, (text_width_chars(head.date_text) - text_width_chars(head.office)) / 2)
    return render_to_string(
        "bulletins/bulletin.html",
        {
            "head": head,
            "title_lines": title_lines(head.title),
            "line_pitch": f"{LINE_PITCH_TWIPS / 20:g}pt",
            "letter_spacing": f"{CHAR_SPACING_TWIPS / 20:g}pt",
            "office_indent": f"{2 + offset:g}",
            "data": data,
            "blocks": items,
            "margins": {"top": TOP_MM, "bottom": BOTTOM_MM, "left": LEFT_MM, "right": RIGHT_MM},
            "fonts": {k: _stack(v) for k, v in FONTS.items()},
        },
    )
