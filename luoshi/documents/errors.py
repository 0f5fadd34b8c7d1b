"""Refusals shared by the readers: ``IngestError`` and the messages more than one format uses.

No Django here.  ``readers.py`` re-exports ``IngestError``; import it from there.
"""

from __future__ import annotations

from luoshi import conf
from luoshi.lib.errors import BilingualError

_SAVE_AS_ZH = "请用 Word 或 WPS 打开后“另存为” .docx 或 .txt 格式再上传。"
_SAVE_AS_EN = "Please open it in Word or WPS, save it as .docx or .txt, and upload again."


class IngestError(BilingualError):
    """A file that cannot be read, with a reason for the user in Chinese and English.

    code: "empty", "too_large", "binary", "undecodable", "not_docx", "corrupt",
    "pdf_no_text", "pdf_encrypted" or "unsupported". Every one concerns the file (``field``).
    """

    def __init__(self, code: str, message_zh: str, message_en: str, *, field: str | None = "file") -> None:
        super().__init__(code, message_zh, message_en, field=field)


def format_size(n: int, *, chinese: bool = True) -> str:
    mb = n / (1024 * 1024)
    if mb >= 0.1:
        return f"{mb:.1f} MB"
    return f"{mb:.2f} MB（{n} 字节）" if chinese else f"{mb:.2f} MB ({n} bytes)"


def too_large_error(size: int, limit: int) -> IngestError:
    return IngestError(
        "too_large",
        f"文件太大：{format_size(size)}，上限为 {format_size(limit)}。请删去附件、图片后再上传，或拆分成几个文件。",
        f"The file is too large: {format_size(size, chinese=False)}; the limit is "
        f"{format_size(limit, chinese=False)}. "
        "Remove attachments or pictures, or split it into several files.",
    )


def too_slow_error() -> IngestError:
    """Reading and structuring took longer than LUOSHI_PARSE_TIME_LIMIT (checked as the work goes on)."""
    seconds = conf.get_int("LUOSHI_PARSE_TIME_LIMIT")
    return IngestError(
        "too_slow",
        f"这个文件处理时间超过 {seconds} 秒，已停止处理。请拆分成几个较小的文件，或另存为纯文本后再上传。",
        f"Reading this file took longer than {seconds} seconds and was stopped. "
        "Split it into smaller files, or save it as plain text, and try again.",
    )


def unsupported_error(kind: tuple[str, str]) -> IngestError:
    return IngestError(
        "unsupported",
        f"暂不支持{kind[0]}。{_SAVE_AS_ZH}",
        f"This is {kind[1]}, which is not supported. {_SAVE_AS_EN}",
    )


def corrupt_error(kind_zh: str, kind_en: str) -> IngestError:
    return IngestError(
        "corrupt",
        f"这个 {kind_zh}已损坏或不完整（可能没有上传完），无法打开。请重新保存或导出后再上传。",
        f"This {kind_en} is damaged or incomplete (perhaps the upload was cut off) and cannot be "
        "opened. Please save or export it again and re-upload.",
    )
