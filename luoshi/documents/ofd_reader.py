"""Read an OFD file (GB/T 33190, 版式文件): the text objects of every page, put in reading order.

No Django here.  An OFD is a zip: ``OFD.xml`` names the document root (``DocBody/DocRoot``), whose
``Document.xml`` lists the pages (``Pages/Page@BaseLoc``) and template pages; each page's
``Content.xml`` holds layers of ``TextObject``s (a ``Boundary`` box in millimetres, an optional
``CTM``, a font ``Size`` and ``TextCode`` runs with the baseline origin ``X``/``Y`` and the advances
``DeltaX``, where ``g 3 6`` means three advances of 6).  The XML is read directly, with defusedxml and
the package bounds of ``check_package``; no OFD library is needed.

Text objects are often one per character or one per line, in no reliable order, so their placed
runs go through ``layout``: pieces on one baseline become lines, lines become columns and paragraphs,
as for a scan.  Template pages (a red header laid out once) count as part of the page they are used
on.  Pictures, annotations and signatures are not read; an OFD with pictures only (a scan) is refused.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from luoshi.documents.errors import IngestError, corrupt_error
from luoshi.documents.layout import Column, TextBox, assemble, merge_fragments, order_page
from luoshi.lib.package_limits import check_package, check_time

KIND_ZH, KIND_EN = "OFD 文件", "OFD file"
# Inside one TextCode, an advance wider than this many font sizes separates two pieces (table cells,
# spaced-out headings).
SPLIT_ADVANCE = 1.5
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def is_ofd(names: set[str]) -> bool:
    return "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}


def read_ofd(data: bytes) -> tuple[str, list[str]]:
    """Read an OFD file into its text and warnings."""
    check_package(data, kind_zh=KIND_ZH, kind_en=KIND_EN, error=IngestError)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        package = _Package(archive)
        pages = list(package.pages())
    except IngestError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
        DefusedXmlException,
        ElementTree.ParseError,
    ) as exc:
        raise corrupt_error(KIND_ZH, KIND_EN) from exc
    if not pages:
        raise IngestError(
            "no_pages",
            "这个 OFD 文件没有任何页面。请重新导出后再上传。",
            "This OFD file has no pages. Please export it again and re-upload.",
        )
    columns: list[list[Column]] = []
    key = 0
    for pieces in pages:
        check_time()
        boxes = []
        for piece in pieces:
            boxes.append(
                TextBox(text=piece.text, x0=piece.x0, y0=piece.y0, x1=piece.x1, y1=piece.y1, key=key)
            )
            key += 1
        columns.append(order_page(merge_fragments(boxes)))
    text = assemble(columns).text
    if not text.strip():
        raise IngestError(
            "empty",
            f"这个 OFD 文件（共 {len(pages)} 页）里没有文字对象，可能是扫描件。请上传扫描的 PDF 或图片，系统会做文字识别；"
            "或上传 Word 原文。",
            f"This OFD file ({len(pages)} pages) holds no text objects; it is probably a scan. Upload the scan as a "
            "PDF or an image, which is read by OCR, or the original Word file.",
        )
    return text, []


class _Package:
    """The parts of an OFD zip, found by their local tag names (prefixes vary between producers)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {name.lower(): name for name in archive.namelist()}

    def xml(self, path: str) -> Element:
        name = self.names.get(path.lstrip("/").lower())
        if name is None:
            raise KeyError(path)
        root: Element = ElementTree.fromstring(self.archive.read(name))
        return root

    def pages(self) -> Iterator[list[TextBox]]:
        ofd = self.xml("OFD.xml")
        body = _child(ofd, "DocBody")
        if body is None:
            raise ValueError("no DocBody")
        if _child(body, "Encryptions") is not None or any(n.endswith("encryptions.xml") for n in self.names):
            raise IngestError(
                "encrypted",
                "这个 OFD 文件已加密，无法读取。请上传未加密的版本。",
                "This OFD file is encrypted and cannot be read. Please upload an unencrypted copy.",
            )
        root_path = _text(_child(body, "DocRoot")).strip()
        document = self.xml(root_path)
        base = posixpath.dirname(root_path.lstrip("/"))
        templates = {}
        common = _child(document, "CommonData")
        for template in _children(common, "TemplatePage") if common is not None else ():
            templates[template.get("ID", "")] = _resolve(base, template.get("BaseLoc", ""))
        pages_element = _child(document, "Pages")
        for page in _children(pages_element, "Page") if pages_element is not None else ():
            location = page.get("BaseLoc") or _text(_child(page, "BaseLoc"))
            path = _resolve(base, location.strip())
            content = self.xml(path)
            pieces: list[TextBox] = []
            for use in _children(content, "Template"):
                template_path = templates.get(use.get("TemplateID", ""))
                if template_path:
                    pieces.extend(_page_pieces(self.xml(template_path)))
            pieces.extend(_page_pieces(content))
            yield pieces


def _resolve(base: str, location: str) -> str:
    if location.startswith("/"):
        return posixpath.normpath(location.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, location))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag) == name]


def _text(element: Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _page_pieces(page: Element) -> list[TextBox]:
    content = _child(page, "Content")
    pieces: list[TextBox] = []
    if content is not None:
        for layer in content:
            _walk(layer, pieces)
    return pieces


def _walk(container: Element, pieces: list[TextBox]) -> None:
    for element in container:
        name = _local(element.tag)
        if name == "TextObject":
            pieces.extend(_text_object(element))
        elif name in ("PageBlock", "Layer"):
            _walk(element, pieces)


def _numbers(value: str | None) -> list[float]:
    return [float(v) for v in (value or "").split()]


def _advances(value: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where "g N v" stands for N times v."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * min(int(tokens[i + 1]), 100_000))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _text_object(element: Element) -> list[TextBox]:
    """The runs of a text object placed on the page: split at spaces and at wide advances."""
    boundary = _numbers(element.get("Boundary"))
    if len(boundary) < 2:
        return []
    values = _numbers(element.get("CTM"))
    ctm: Matrix = (
        (values[0], values[1], values[2], values[3], values[4], values[5]) if len(values) == 6 else IDENTITY
    )
    placement = _Placement(ctm, boundary[0], boundary[1])
    size = float(element.get("Size") or 3.5)
    pieces: list[TextBox] = []
    x = y = 0.0
    for code in _children(element, "TextCode"):
        text = code.text or ""
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dx, dy = _advances(code.get("DeltaX")), _advances(code.get("DeltaY"))
        run: list[tuple[str, float, float]] = []
        for i, char in enumerate(text):
            if char.isspace():
                pieces.extend(placement.run(run, size))
                run = []
            elif run and (y != run[-1][2] or x - run[-1][1] > SPLIT_ADVANCE * size):
                pieces.extend(placement.run(run, size))
                run = [(char, x, y)]
            else:
                run.append((char, x, y))
            x += dx[i] if i < len(dx) else size
            y += dy[i] if i < len(dy) else 0.0
        pieces.extend(placement.run(run, size))
    return pieces


class _Placement:
    """Object coordinates → page millimetres: the CTM, then the boundary's origin."""

    def __init__(self, ctm: Matrix, left: float, top: float) -> None:
        self.ctm, self.left, self.top = ctm, left, top
        self.scale = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) ** 0.5 or 1.0

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e + self.left, b * x + d * y + f + self.top

    def run(self, chars: list[tuple[str, float, float]], size: float) -> list[TextBox]:
        """A run of characters (char, x, baseline y) as one box: from the first origin to one font size past
        the last, ascent 0.8 and descent 0.2 of the size."""
        if not chars:
            return []
        x0, base = self.point(chars[0][1], chars[0][2])
        x1, _ = self.point(chars[-1][1] + size, chars[-1][2])
        height = size * self.scale
        return [
            TextBox(
                text="".join(c for c, _, _ in chars),
                x0=min(x0, x1),
                y0=base - 0.8 * height,
                x1=max(x0, x1),
                y1=base + 0.2 * height,
            )
        ]
