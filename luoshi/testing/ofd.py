"""Build small OFD files (GB/T 33190) in memory for the tests: a zip with OFD.xml, Document.xml and one
Content.xml per page, text as ``TextObject``/``TextCode`` in millimetres.

Lines are placed the way OFD producers do it: one text object per line (``per_char=False``) with
``DeltaX`` advances (written with the ``g`` repeat form), or one object per character (``per_char=True``,
as some converters write them, in shuffled order).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"


@dataclass(frozen=True)
class Placed:
    """A line of text whose first character's baseline origin is at (x, y) mm, ``size`` mm high."""

    x: float
    y: float
    text: str
    size: float = 5.6  # 16 pt


def column_lines(
    paragraphs: Sequence[str],
    *,
    left: float,
    top: float,
    width: float,
    size: float = 5.6,
    leading: float = 1.6,
    bottom: float = 260.0,
    indent: bool = True,
) -> list[list[Placed]]:
    """Paragraphs wrapped to a column of ``width`` mm (one full-width character = ``size``), as pages."""
    per_line = max(1, int(width // size))
    pages: list[list[Placed]] = [[]]
    y = top
    for paragraph in paragraphs:
        text, first = paragraph, True
        while text:
            offset = 2 * size if first and indent else 0.0
            room = per_line - (2 if first and indent else 0)
            line, text = text[:room], text[room:]
            if y > bottom:
                pages.append([])
                y = top
            pages[-1].append(Placed(left + offset, y, line, size))
            y += size * leading
            first = False
    return pages


def make_ofd(
    pages: Sequence[Sequence[Placed]],
    *,
    per_char: bool = False,
    template: Sequence[Placed] = (),
    title: str = "测试文件",
    encrypted: bool = False,
    seed: int = 7,
) -> bytes:
    rng = random.Random(seed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        encryptions = "<ofd:Encryptions>Doc_0/Encryptions.xml</ofd:Encryptions>" if encrypted else ""
        archive.writestr(
            "OFD.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
                f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title></ofd:DocInfo>"
                f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{encryptions}</ofd:DocBody></ofd:OFD>"
            ),
        )
        template_ref = '<ofd:TemplatePage ID="90" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
        page_refs = "".join(
            f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
                "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
                f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{template_ref}</ofd:CommonData>"
                f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
            ),
        )
        archive.writestr(
            "Doc_0/PublicRes.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
                '<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
            ),
        )
        if template:
            archive.writestr("Doc_0/Tpls/Tpl_0/Content.xml", _content(template, per_char=per_char, rng=rng))
        for i, lines in enumerate(pages):
            uses = '<ofd:Template TemplateID="90" ZOrder="Background"/>' if template else ""
            archive.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml", _content(lines, per_char=per_char, rng=rng, uses=uses)
            )
    return buffer.getvalue()


def _content(lines: Sequence[Placed], *, per_char: bool, rng: random.Random, uses: str = "") -> str:
    objects: list[str] = []
    next_id = 1000
    for line in lines:
        if per_char:
            for k, char in enumerate(line.text):
                x = line.x + k * line.size
                objects.append(
                    f'<ofd:TextObject ID="{next_id}" Boundary="{x:.2f} {line.y - line.size:.2f} {line.size:.2f} '
                    f'{line.size * 1.2:.2f}" Font="1" Size="{line.size}"><ofd:TextCode X="0" Y="{line.size:.2f}">'
                    f"{escape(char)}</ofd:TextCode></ofd:TextObject>"
                )
                next_id += 1
        else:
            width = line.size * len(line.text)
            delta = f' DeltaX="g {len(line.text) - 1} {line.size}"' if len(line.text) > 1 else ""
            objects.append(
                f'<ofd:TextObject ID="{next_id}" Boundary="{line.x:.2f} {line.y - line.size:.2f} {width:.2f} '
                f'{line.size * 1.2:.2f}" Font="1" Size="{line.size}"><ofd:TextCode X="0" Y="{line.size:.2f}"{delta}>'
                f"{escape(line.text)}</ofd:TextCode></ofd:TextObject>"
            )
            next_id += 1
    if per_char:
        rng.shuffle(objects)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}">{uses}<ofd:Content>'
        f'<ofd:Layer ID="2" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )
