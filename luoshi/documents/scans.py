"""Cut a recognised line out of the document's original scan, for the document page.

No Django here.  The page is rendered again from the stored original (pypdfium2 for a PDF, Pillow for
an image, upright and on white as for recognition) and the line's box, stored in the page's unit by
``ocr.py``, is cut out with a margin.  Nothing is stored: the original is the only copy of the scan.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageOps

from luoshi.documents.image_reader import on_white

CROP_SCALE = 2.0  # pixels per PDF point (144 dpi) for crops of a scanned PDF
MAX_WIDTH = 1400  # a wider crop is scaled down


def line_crop(*, original: bytes, fmt: str, ocr: dict[str, Any], index: int) -> bytes | None:
    """The PNG of recognised line ``index``, or None when there is no such line or page."""
    lines = ocr.get("lines") or []
    if not 0 <= index < len(lines):
        return None
    line = lines[index]
    page = int(line.get("page", 0))
    x0, y0, x1, y1 = (float(v) for v in line.get("box", (0, 0, 0, 0)))
    margin = max(y1 - y0, 1.0) * 0.4
    if fmt == "pdf":
        image, scale = _pdf_page(original, page), CROP_SCALE
    else:
        image, scale = _image_page(original, page), 1.0
    if image is None:
        return None
    box = (
        max(0, int((x0 - margin) * scale)),
        max(0, int((y0 - margin) * scale)),
        min(image.width, int((x1 + margin) * scale) + 1),
        min(image.height, int((y1 + margin) * scale) + 1),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    crop = image.crop(box)
    if crop.width > MAX_WIDTH:
        crop = crop.resize(
            (MAX_WIDTH, max(1, round(crop.height * MAX_WIDTH / crop.width))), Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    crop.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _pdf_page(original: bytes, page: int) -> Image.Image | None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(original)
    except pdfium.PdfiumError:
        return None
    try:
        if not 0 <= page < len(document):
            return None
        image: Image.Image = document[page].render(scale=CROP_SCALE, grayscale=True).to_pil()
        return image
    finally:
        document.close()


def _image_page(original: bytes, page: int) -> Image.Image | None:
    try:
        image = Image.open(io.BytesIO(original))
        image.seek(page)
        frame = ImageOps.exif_transpose(image) if page == 0 else image.copy()
        frame.load()
    except (OSError, EOFError, ValueError, SyntaxError):
        return None
    return on_white(frame).convert("L")
