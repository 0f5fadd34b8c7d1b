"""Offline OCR of page images: text lines with boxes and confidence, in reading order.

No Django here.  The engine is RapidOCR on onnxruntime with the PP-OCRv6 detection and recognition
models that ship inside the ``rapidocr`` wheel: the model paths are given explicitly, so the engine
never looks for (or downloads) anything at run time.  It is loaded once per process, on the first
scan, and used by one page at a time (two cores: parallel pages would only slow each other down).

A page goes: grey image, longer side scaled to ``MAX_SIDE`` at most → lines (four-corner boxes, text,
confidence) → the page's skew measured on the long lines and taken out → ``layout.order_page`` →
``layout.assemble``.  Boxes are kept in the page's own unit (pixels of the original image, or PDF
points) so a crop of any line can be cut again from the original file (``scans.py``).
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from luoshi import conf
from luoshi.documents.errors import IngestError
from luoshi.documents.layout import Column, TextBox, assemble, order_page

# Longer side of the image the engine sees, in pixels: an A4 page at about 170 dpi.  Characters of a
# 9-point newspaper column are then still about 20 pixels high.
MAX_SIDE = 2000
# The detector looks at the page scaled to this longer side (the recogniser sees each line at full size).
DET_SIDE = 1280
# A line read with less confidence than this is reported as a finding (calibrated in bench/ocr.py).
LOW_CONFIDENCE = 0.85
# A short line (fewer than NOISE_CHARS characters) read with less confidence than this is not text but a
# speck, a rule, a seal or a picture, and is dropped; longer ones are kept and reported.
NOISE_CONFIDENCE = 0.5
NOISE_CHARS = 4

_MODELS = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
_engine: Any = None
_engine_lock = threading.Lock()
_page_lock = threading.Lock()


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: page index, box (x0, y0, x1, y1) in the page's unit, text, confidence, and its
    span in the source text."""

    page: int
    box: tuple[float, float, float, float]
    text: str
    confidence: float
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class OcrPage:
    """A page of the file: its index, size in its unit ("px" of the image or "pt" of the PDF), and whether
    its text was recognised (False: read from the PDF's text layer)."""

    index: int
    width: float
    height: float
    unit: str
    recognised: bool
    seconds: float = 0.0
    open_start: bool = False  # its first line continues the previous page's paragraph
    open_end: bool = False  # its last line runs on to the next page


@dataclass
class OcrLayer:
    """What OCR saw: the pages and every recognised line (stored as ``Document.ocr``)."""

    pages: list[OcrPage] = field(default_factory=list)
    lines: list[OcrLine] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": "rapidocr PP-OCRv6 small",
            "pages": [asdict(p) for p in self.pages],
            "lines": [
                {
                    "page": ln.page,
                    "box": [round(v, 2) for v in ln.box],
                    "text": ln.text,
                    "confidence": round(ln.confidence, 4),
                    "start": ln.start,
                    "end": ln.end,
                }
                for ln in self.lines
            ],
        }

    def page(self, index: int) -> OcrPage | None:
        return next((p for p in self.pages if p.index == index), None)

    def shifted(self, offset: int) -> list[OcrLine]:
        return [
            OcrLine(ln.page, ln.box, ln.text, ln.confidence, ln.start + offset, ln.end + offset)
            for ln in self.lines
        ]


def ocr_unavailable() -> IngestError:
    return IngestError(
        "ocr_unavailable",
        "这是扫描件或图片，需要文字识别（OCR），但服务器上的识别组件没有安装完整，无法读取。请联系管理员"
        "（pip install rapidocr onnxruntime），或上传 Word/文本版本。",
        "This is a scan or an image and needs OCR, but the server's OCR component is not fully installed. "
        "Ask the administrator (pip install rapidocr onnxruntime), or upload a Word or text version.",
    )


def _load_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                import rapidocr
            except ImportError as exc:
                raise ocr_unavailable() from exc
            models = Path(rapidocr.__file__).resolve().parent / "models"
            paths = {key: models / name for key, name in _MODELS.items()}
            if not all(path.is_file() for path in paths.values()):
                raise ocr_unavailable()
            params: dict[str, Any] = {key: str(path) for key, path in paths.items()}
            params.update(
                {
                    "Global.log_level": "error",
                    "Global.use_cls": False,  # pages are upright; the skew is measured below
                    "Global.text_score": 0.0,  # keep every line: low confidence becomes a finding, not a gap
                    "Global.max_side_len": MAX_SIDE,
                    "Det.limit_type": "max",
                    "Det.limit_side_len": DET_SIDE,
                }
            )
            threads = conf.get_int("LUOSHI_OCR_THREADS")
            if threads > 0:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            _engine = rapidocr.RapidOCR(params=params)
        return _engine


def scaled_for_ocr(image: Image.Image) -> tuple[Image.Image, float]:
    """The page as the engine sees it (grey, longer side at most MAX_SIDE) and the scale applied."""
    grey = image.convert("L")
    scale = min(1.0, MAX_SIDE / max(grey.size))
    if scale < 1.0:
        grey = grey.resize(
            (max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.Resampling.LANCZOS
        )
    return grey, scale


Quad = list[tuple[float, float]]
RawLine = tuple[Quad, str, float, list[tuple[str, float, Quad]]]


def recognise(image: Image.Image) -> list[RawLine]:
    """The engine's lines for an image: four corners (in the image's pixels), text, confidence, and each
    character with its confidence and corners."""
    import numpy as np

    engine = _load_engine()
    grey, scale = scaled_for_ocr(image)
    with _page_lock:
        result = engine(np.asarray(grey), return_word_box=True, return_single_char_box=True)
    boxes = getattr(result, "boxes", None)
    texts = getattr(result, "txts", None)
    if boxes is None or texts is None:
        return []
    words = list(getattr(result, "word_results", None) or [])
    out: list[RawLine] = []
    for index, (quad, text, score) in enumerate(zip(boxes, texts, result.scores, strict=False)):
        corners = [(float(x) / scale, float(y) / scale) for x, y in quad]
        chars = []
        line_words = words[index] if index < len(words) and len(words) == len(texts) else ()
        for char, char_score, char_quad in line_words:
            if char_quad is not None:
                chars.append(
                    (
                        str(char),
                        float(char_score),
                        [(float(x) / scale, float(y) / scale) for x, y in char_quad],
                    )
                )
        if "".join(c for c, _, _ in chars).replace(" ", "") != str(text).replace(" ", ""):
            chars = []  # the characters do not spell the line: keep it whole
        out.append((corners, str(text), float(score), chars))
    return out


def skew_angle(quads: list[list[tuple[float, float]]]) -> float:
    """The page's skew in radians: the median slope of the top edges of lines at least 4 times as long
    as they are high (0 when there are none)."""
    angles = []
    for quad in quads:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        length = math.hypot(x1 - x0, y1 - y0)
        height = math.hypot(quad[3][0] - x0, quad[3][1] - y0)
        if length > 4 * max(height, 1e-6) and x1 > x0:
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


def page_lines(raw: list[RawLine], *, page: int) -> tuple[list[TextBox], list[OcrLine]]:
    """Deskewed boxes for the layout (key = index in the lines) and the lines in the page's unit.

    A line the detector ran across a narrow column gutter is cut there (``_split_at_gutters``).
    """
    angle = skew_angle([quad for quad, _, _, _ in raw])
    cos, sin = math.cos(-angle), math.sin(-angle)

    def turn(quad: Quad) -> tuple[float, float, float, float]:
        xs = [x * cos - y * sin for x, y in quad]
        ys = [x * sin + y * cos for x, y in quad]
        return min(xs), min(ys), max(xs), max(ys)

    def bounds(quad: Quad) -> tuple[float, float, float, float]:
        return (
            min(x for x, _ in quad),
            min(y for _, y in quad),
            max(x for x, _ in quad),
            max(y for _, y in quad),
        )

    raw = [(quad, _dash_start(text), score, chars) for quad, text, score, chars in raw]
    whole = [
        TextBox(text=text, x0=b[0], y0=b[1], x1=b[2], y1=b[3], confidence=score, key=i)
        for i, (quad, text, score, _chars) in enumerate(raw)
        if text.strip() and not (score < NOISE_CONFIDENCE and len(text.strip()) < NOISE_CHARS)
        for b in [turn(quad)]
    ]
    boxes: list[TextBox] = []
    lines: list[OcrLine] = []
    for index, (quad, text, score, chars) in enumerate(raw):
        if not text.strip() or (score < NOISE_CONFIDENCE and len(text.strip()) < NOISE_CHARS):
            continue
        pieces = (
            _split_at_gutters(whole, index, [(c, sc, turn(q), bounds(q)) for c, sc, q in chars])
            if chars
            else []
        )
        if len(pieces) < 2:
            x0, y0, x1, y1 = turn(quad)
            if chars:  # the characters' boxes are tighter than the line's, which the detector pads
                turned_chars = [turn(q) for _, _, q in chars]
                x0, x1 = min(t[0] for t in turned_chars), max(t[2] for t in turned_chars)
            boxes.append(TextBox(text=text, x0=x0, y0=y0, x1=x1, y1=y1, confidence=score, key=len(lines)))
            lines.append(OcrLine(page=page, box=bounds(quad), text=text, confidence=score))
            continue
        for piece in pieces:
            piece_text = "".join(c for c, _, _, _ in piece)
            confidence = statistics.fmean(sc for _, sc, _, _ in piece)
            turned = [t for _, _, t, _ in piece]
            plain = [b for _, _, _, b in piece]
            boxes.append(
                TextBox(
                    text=piece_text,
                    x0=min(t[0] for t in turned),
                    y0=min(t[1] for t in turned),
                    x1=max(t[2] for t in turned),
                    y1=max(t[3] for t in turned),
                    confidence=confidence,
                    key=len(lines),
                )
            )
            lines.append(
                OcrLine(
                    page=page,
                    box=(
                        min(b[0] for b in plain),
                        min(b[1] for b in plain),
                        max(b[2] for b in plain),
                        max(b[3] for b in plain),
                    ),
                    text=piece_text,
                    confidence=confidence,
                )
            )
    return boxes, lines


Char = tuple[str, float, tuple[float, float, float, float], tuple[float, float, float, float]]
# A bullet dash "——" at a line's start is often read as "一—" or "—一" (the glyphs look alike); a mix of
# the two never starts a line of Chinese text, so it is read as the dash.
_MIXED_DASH = re.compile(r"^(\s*)(?:一—|—一)")


def _dash_start(text: str) -> str:
    return _MIXED_DASH.sub(r"\1——", text)


def _split_at_gutters(whole: list[TextBox], index: int, chars: list[Char]) -> list[list[Char]]:
    """Cut a line where a gap between two of its characters lines up with a gutter of the lines around it:
    within eight line heights, at most one other line crosses the gap and at least two stand on each side."""
    line = next((b for b in whole if b.key == index), None)
    if line is None or len(chars) < 2:
        return [chars]
    widths = sorted(c[2][2] - c[2][0] for c in chars)
    em = widths[len(widths) // 2] or line.height
    around = [
        b
        for b in whole
        if b.key != index and abs((b.y0 + b.y1) / 2 - (line.y0 + line.y1) / 2) < 8 * line.height
    ]
    pieces: list[list[Char]] = [[chars[0]]]
    for previous, char in itertools.pairwise(chars):
        gap0, gap1 = previous[2][2], char[2][0]
        if gap1 - gap0 >= 0.8 * em:
            middle = (gap0 + gap1) / 2
            crossing = sum(1 for b in around if b.x0 < gap1 and b.x1 > gap0)
            left = sum(1 for b in around if b.x1 <= middle)
            right = sum(1 for b in around if b.x0 >= middle)
            if crossing <= 1 and left >= 2 and right >= 2:
                pieces.append([char])
                continue
        pieces[-1].append(char)
    return pieces


def ocr_page(image: Image.Image, *, page: int, scale: float = 1.0, unit: str = "px") -> tuple[str, OcrLayer]:
    """Recognise one page image; ``scale`` is image pixels per page unit (1 for an image file).

    Returns the page's text (paragraphs one per line) and its layer: the lines with their spans in
    that text and boxes in the page's unit.
    """
    started = time.perf_counter()
    raw = recognise(image)
    boxes, lines = page_lines(raw, page=page)
    columns: list[Column] = order_page(boxes)
    assembled = assemble([columns])
    placed = []
    for key, line in enumerate(lines):
        start, end = assembled.spans.get(key, (0, 0))
        box = tuple(v / scale for v in line.box)
        placed.append(
            OcrLine(
                page=page,
                box=(box[0], box[1], box[2], box[3]),
                text=line.text,
                confidence=line.confidence,
                start=start,
                end=end,
            )
        )
    placed.sort(key=lambda ln: (ln.start, ln.end))
    info = OcrPage(
        index=page,
        width=image.width / scale,
        height=image.height / scale,
        unit=unit,
        recognised=True,
        seconds=round(time.perf_counter() - started, 3),
        open_start=assembled.open_start,
        open_end=assembled.open_end,
    )
    return assembled.text, OcrLayer(pages=[info], lines=placed)


def page_joiner(before: OcrPage | None, after: OcrPage | None) -> str:
    """How two consecutive pages' texts join: "" when both were recognised and a paragraph runs from one
    onto the next (the last line full, the next page's first not indented), else a newline."""
    if before is not None and after is not None and before.open_end and after.open_start:
        return ""
    return "\n"
