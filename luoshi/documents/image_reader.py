"""Read a scan or a photo (PNG, JPEG, TIFF, BMP, GIF) by OCR; every frame of a TIFF is a page.

No Django here.  Pillow decodes the image; nothing is decoded before its size is checked against
LUOSHI_OCR_MAX_MEGAPIXELS (a decompression bomb states a huge size in a few bytes), and a TIFF with
more frames than LUOSHI_OCR_MAX_PAGES is refused before any is read.  A photo's EXIF orientation is
applied and a transparent background is made white before recognition.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from PIL import Image, ImageOps, UnidentifiedImageError

from luoshi import conf
from luoshi.documents.errors import IngestError, corrupt_error
from luoshi.documents.ocr import OcrLayer, ocr_page, page_joiner
from luoshi.lib.package_limits import check_time, extend_time

IMAGE_KINDS: dict[str, tuple[str, str]] = {
    "PNG": ("图片（PNG）", "image (PNG)"),
    "JPEG": ("图片（JPEG）", "image (JPEG)"),
    "MPO": ("图片（JPEG）", "image (JPEG)"),
    "TIFF": ("图片（TIFF）", "image (TIFF)"),
    "BMP": ("图片（BMP）", "image (BMP)"),
    "GIF": ("图片（GIF）", "image (GIF)"),
}
FORMATS = {"PNG": "png", "JPEG": "jpeg", "MPO": "jpeg", "TIFF": "tiff", "BMP": "bmp", "GIF": "gif"}


def max_pixels() -> int:
    return conf.get_int("LUOSHI_OCR_MAX_MEGAPIXELS") * 1_000_000


def check_pixels(width: int, height: int, *, kind_zh: str, kind_en: str) -> None:
    """Refuse an image larger than LUOSHI_OCR_MAX_MEGAPIXELS before it is decoded."""
    limit = max_pixels()
    if width <= 0 or height <= 0:
        raise corrupt_error(kind_zh, kind_en)
    if width * height > limit:
        raise IngestError(
            "image_too_large",
            f"这个{kind_zh}的尺寸是 {width}×{height} 像素（{width * height / 1e6:.0f} 百万像素），超过上限 "
            f"{limit / 1e6:.0f} 百万像素，无法识别。请用 300 dpi 以下重新扫描，或缩小后再上传。",
            f"This {kind_en} is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels), more than the "
            f"limit of {limit / 1e6:.0f} megapixels, so it is not read. Scan it again at 300 dpi or less, or "
            "scale it down, and upload again.",
        )


def too_many_pages(count: int, *, kind_zh: str, kind_en: str) -> IngestError:
    limit = conf.get_int("LUOSHI_OCR_MAX_PAGES")
    return IngestError(
        "too_many_pages",
        f"这个{kind_zh}有 {count} 页需要文字识别，超过上限 {limit} 页。请拆分成几个文件后分别上传。",
        f"This {kind_en} has {count} pages that need OCR, more than the limit of {limit}. Split it into "
        "several files and upload them one by one.",
    )


def read_image(data: bytes) -> tuple[str, list[str], OcrLayer, str]:
    """Recognise the text of an image file; return text, warnings, the OCR layer and the format name."""
    image = _open(data)
    kind_zh, kind_en = IMAGE_KINDS.get(image.format or "", ("图片", "image"))
    frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    if frames > conf.get_int("LUOSHI_OCR_MAX_PAGES"):
        raise too_many_pages(frames, kind_zh=kind_zh, kind_en=kind_en)
    texts: list[str] = []
    layer = OcrLayer()
    offset = 0
    for index, frame in enumerate(_frames(image, frames, kind_zh=kind_zh, kind_en=kind_en)):
        check_time()
        extend_time(conf.get_int("LUOSHI_OCR_PAGE_SECONDS"))
        text, page_layer = ocr_page(frame, page=index)
        if texts and page_joiner(layer.pages[-1], page_layer.pages[0]) == "":
            texts[-1] = texts[-1].removesuffix("\n")  # a paragraph runs on from the previous frame
            offset -= 1
        layer.pages.extend(page_layer.pages)
        layer.lines.extend(page_layer.shifted(offset))
        texts.append(text)
        offset += len(text)
    text = "".join(texts)
    if not text.strip():
        raise IngestError(
            "empty",
            f"这个{kind_zh}里没有识别出文字。请确认图片清晰、方向正确，或上传 Word/文本版本。",
            f"No text was recognised in this {kind_en}. Check that the picture is sharp and upright, or upload "
            "a Word or text version.",
        )
    return text, [], layer, FORMATS.get(image.format or "", "image")


def _open(data: bytes) -> Image.Image:
    """Open the image lazily (header only) and check its size; nothing is decoded yet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        width, height = _claimed_size(data)
        check_pixels(width or 1_000_000, height or 1_000_000, kind_zh="图片", kind_en="image")
        raise corrupt_error("图片", "image") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise corrupt_error("图片", "image") from exc
    kind_zh, kind_en = IMAGE_KINDS.get(image.format or "", ("图片", "image"))
    check_pixels(*image.size, kind_zh=kind_zh, kind_en=kind_en)
    return image


def _claimed_size(data: bytes) -> tuple[int, int]:
    """The size an image header states, read without Pillow's bomb check (only to word the refusal)."""
    previous = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:
        return 0, 0
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _frames(image: Image.Image, count: int, *, kind_zh: str, kind_en: str) -> Iterator[Image.Image]:
    """Each frame decoded, upright and on white; a frame's size is checked before it is decoded."""
    for index in range(count):
        try:
            image.seek(index)
            check_pixels(*image.size, kind_zh=kind_zh, kind_en=kind_en)
            frame = ImageOps.exif_transpose(image) if index == 0 else image.copy()
            frame.load()
        except IngestError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
            raise corrupt_error(kind_zh, kind_en) from exc
        yield on_white(frame)


def on_white(image: Image.Image) -> Image.Image:
    """The image without transparency: transparent parts become white (not the black Pillow would give)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image
