"""The bulletin as a DOCX in the GB/T 9704-2012 layout (see gbt9704.py for the numbers)."""

from __future__ import annotations

import itertools

from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.renderers.gbt9704 import OfficialDocument
from luoshi.bulletins.renderers.outline import Heading, Masthead, Paragraph, Table, blocks


def render_docx(data: BulletinData, *, head: Masthead) -> bytes:
    doc = OfficialDocument()
    doc.title(head.title)
    if head.number:
        doc.subtitle(f"（{head.number}）")
    doc.blank()
    for block, following in itertools.pairwise([*blocks(data), None]):
        if isinstance(block, Heading):
            doc.heading(block.level, block.text)
        elif isinstance(block, Paragraph):
            doc.paragraph(block.text, lead=block.lead)
            if isinstance(following, Table):
                doc.keep_with_next()  # "…具体如下。" stays with its table
        elif isinstance(block, Table):
            doc.table(block.columns, block.rows)
    doc.signature(office=head.office, date_text=head.date_text)
    return doc.to_bytes()
