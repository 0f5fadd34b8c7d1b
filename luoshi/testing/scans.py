"""Scans made for tests and the OCR bench: text typeset with Pillow and a CJK font on A4 pages.

- one column: 16 pt body (三号), first lines indented two characters, short title lines centred;
- several columns: a 22 pt title across the page, then 10.5 pt (五号) columns with 5 mm gutters;

at any dpi, optionally with a slight skew, grain, speckles and blur (``damage``), saved as a scanned
PDF (pictures only), a TIFF or a photo-like JPEG.  The font is WenQuanYi Micro Hei (Debian's
fonts-wqy-microhei, which ``make test`` installs) or another Chinese font fontconfig knows.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

MM_PER_INCH = 25.4
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@cache
def cjk_font_path() -> Path | None:
    """A Chinese font file: WenQuanYi Micro Hei, else the first one fontconfig lists for zh."""
    if WQY.is_file():
        return WQY
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
        ).stdout
        for line in listed.splitlines():
            path = Path(line.split(":")[0].strip())
            if path.is_file():
                return path
    return None


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    path = cjk_font_path()
    if path is None:
        raise FileNotFoundError("no Chinese font (apt-get install fonts-wqy-microhei)")
    return ImageFont.truetype(str(path), size)


@dataclass(frozen=True)
class Variant:
    name: str
    dpi: int
    columns: int
    damaged: bool  # skew, grain, speckles, blur


@dataclass
class Page:
    image: Image.Image
    draw: ImageDraw.ImageDraw


@dataclass
class Layout:
    dpi: int
    columns: int
    pages: list[Page] = field(default_factory=list)

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def new_page(self) -> Page:
        image = Image.new("L", (self.px(210), self.px(297)), 255)
        page = Page(image, ImageDraw.Draw(image))
        self.pages.append(page)
        return page


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[tuple[str, float]]:
    """Greedy line breaking by measured width; (line, x offset) pairs."""
    lines: list[tuple[str, float]] = []
    current, offset = "", indent
    for char in text:
        if current and font.getlength(current + char) + offset > width:
            lines.append((current, offset))
            current, offset = "", 0.0
        current += char
    if current:
        lines.append((current, offset))
    return lines


def typeset(paragraphs: list[str], variant: Variant) -> list[Image.Image]:
    layout = Layout(variant.dpi, variant.columns)
    if variant.columns == 1:
        _typeset_single(paragraphs, layout)
    else:
        _typeset_columns(paragraphs, layout)
    return [page.image for page in layout.pages]


def _typeset_single(paragraphs: list[str], layout: Layout) -> None:
    size = round(16 / 72 * layout.dpi)
    font = cjk_font(size)
    left, top, width, bottom = layout.px(28), layout.px(37), layout.px(156), layout.px(297 - 35)
    leading = round(size * 1.6)
    page = layout.new_page()
    y = top
    for index, paragraph in enumerate(paragraphs):
        centred = index < 3 and len(paragraph) <= 25
        for line, offset in wrap(paragraph, font, width, 0 if centred else 2 * size):
            if y + leading > bottom:
                page, y = layout.new_page(), top
            x = left + (width - font.getlength(line)) / 2 if centred else left + offset
            page.draw.text((x, y), line, font=font, fill=0)
            y += leading


def _typeset_columns(paragraphs: list[str], layout: Layout) -> None:
    title_font = cjk_font(round(22 / 72 * layout.dpi))
    size = round(10.5 / 72 * layout.dpi)
    font = cjk_font(size)
    margin, gutter = layout.px(15), layout.px(5)
    column_width = (layout.px(210) - 2 * margin - (layout.columns - 1) * gutter) / layout.columns
    top, bottom = layout.px(20), layout.px(297 - 20)
    leading = round(size * 1.5)
    page = layout.new_page()
    y = top
    body = list(paragraphs)
    while body and len(body[0]) <= 30 and y < top + layout.px(60):  # the title block, across the page
        line = body.pop(0)
        page.draw.text(
            ((page.image.width - title_font.getlength(line)) / 2, y), line, font=title_font, fill=0
        )
        y += round(title_font.size * 1.5)
    column_top = y + layout.px(6)
    column, y = 0, column_top
    for paragraph in body:
        for line, offset in wrap(paragraph, font, column_width, 2 * size):
            if y + leading > bottom:
                column += 1
                y = column_top
                if column == layout.columns:
                    page, column, column_top, y = layout.new_page(), 0, top, top
            x = margin + column * (column_width + gutter) + offset
            page.draw.text((x, y), line, font=font, fill=0)
            y += leading


def damage(image: Image.Image, rng: random.Random) -> Image.Image:
    """A slight skew, grain, speckles and blur, as a flatbed scanner gives."""
    import numpy as np

    rotated = image.rotate(
        rng.uniform(-1.0, 1.0), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255
    )
    blurred = rotated.filter(ImageFilter.GaussianBlur(radius=0.5 * image.width / 2480 + 0.3))
    pixels = np.asarray(blurred, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32))
    pixels = pixels + noise.normal(0, 12, pixels.shape).astype(np.float32)
    speckles = noise.random(pixels.shape)
    pixels[speckles < 0.001] = 0
    pixels[speckles > 0.999] = 255
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def scanned_pdf(images: list[Image.Image], dpi: int) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def photo_jpeg(image: Image.Image, *, seed: int = 1) -> bytes:
    """A page as a phone photo would give it: turned a little, unevenly lit, JPEG, stored sideways with an
    EXIF orientation tag saying how to turn it upright."""
    import numpy as np

    rng = random.Random(seed)
    page = image.convert("L").rotate(
        rng.uniform(-2, 2), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235
    )
    pixels = np.asarray(page, dtype=np.float32)
    light = np.linspace(0.82, 1.0, pixels.shape[1], dtype=np.float32)[None, :]
    pixels = pixels * light
    shaded = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L").convert("RGB")
    sideways = shaded.transpose(Image.Transpose.ROTATE_270)  # stored turned clockwise; EXIF 8 turns it back
    exif = Image.Exif()
    exif[0x0112] = 8
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", quality=80, exif=exif)
    return buffer.getvalue()


def tiff(images: list[Image.Image], dpi: int) -> bytes:
    buffer = io.BytesIO()
    images[0].save(
        buffer, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi), compression="tiff_lzw"
    )
    return buffer.getvalue()
