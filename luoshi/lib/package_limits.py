"""Bounds on what an uploaded zip-based file (DOCX, XLSX) may cost to parse, checked before parsing.

A 107 KB DOCX can unpack to 20 MB of XML and hold a server thread for minutes (issue 13).
``check_package`` streams every member once, within fixed memory, and refuses:

- more than LUOSHI_PARSE_MAX_MEMBERS members, or a total unpacked size over LUOSHI_PARSE_MAX_UNPACKED_MB
  (counted from the bytes actually unpacked, never from the sizes the archive claims);
- a member whose compression ratio is over LUOSHI_PARSE_MAX_RATIO (a zip bomb);
- an XML part that declares a DOCTYPE or entities (never needed by Office files; the door to
  entity-expansion bombs and external entities);
- an XML part with more than LUOSHI_PARSE_MAX_ELEMENTS elements.

``time_budget`` / ``check_time`` give a cooperative time limit (LUOSHI_PARSE_TIME_LIMIT) that the
readers' loops check. Every refusal is a ``BilingualError`` made by the caller's ``error`` factory,
so the documents app raises its IngestError and the task-division import its ExcelImportError.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator

from luoshi import conf
from luoshi.lib.errors import BilingualError

ErrorFactory = Callable[[str, str, str], BilingualError]
_CHUNK = 1024 * 1024
_PROLOG_BYTES = 64 * 1024  # a DOCTYPE must come before the root element, at the very start
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("parse_deadline", default=None)
# Seconds granted on top of every running budget (``extend_time``), shared by the nested blocks of one read.
_grace: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("parse_grace", default=None)


def max_unpacked_bytes() -> int:
    return conf.get_int("LUOSHI_PARSE_MAX_UNPACKED_MB") * 1024 * 1024


def check_package(data: bytes, *, kind_zh: str, kind_en: str, error: ErrorFactory) -> None:
    """Refuse the zip before anything parses it (see the module's docstring); a damaged zip passes through
    untouched for the reader to report as damaged."""
    max_members = conf.get_int("LUOSHI_PARSE_MAX_MEMBERS")
    max_total = max_unpacked_bytes()
    max_ratio = conf.get_int("LUOSHI_PARSE_MAX_RATIO")
    max_elements = conf.get_int("LUOSHI_PARSE_MAX_ELEMENTS")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        return
    if len(members) > max_members:
        raise error(
            "too_many_parts",
            f"这个{kind_zh}里包含 {len(members)} 个文件，超过上限 {max_members} 个，无法处理。",
            f"This {kind_en} holds {len(members)} files, more than the limit of {max_members}.",
        )
    total = 0
    for member in members:
        if member.is_dir():
            continue
        unpacked = 0
        elements = 0
        xml = member.filename.endswith((".xml", ".rels", ".vml"))
        try:
            with archive.open(member) as stream:
                first = True
                while chunk := stream.read(_CHUNK):
                    unpacked += len(chunk)
                    total += len(chunk)
                    if total > max_total:
                        raise _too_large(error, kind_zh, kind_en, max_total)
                    if unpacked > _CHUNK and unpacked > max_ratio * max(member.compress_size, 1):
                        raise error(
                            "zip_bomb",
                            f"这个{kind_zh}里的“{member.filename}”压缩比异常（超过 {max_ratio} 倍），疑似压缩炸弹，"
                            "无法处理。请用 Word/WPS/Excel 重新保存后再上传。",
                            f"This {kind_en}'s part '{member.filename}' is compressed more than {max_ratio} times, "
                            "like a zip bomb; it is refused. Save it again with Word, WPS or Excel and retry.",
                        )
                    if xml:
                        if first:
                            _check_prolog(chunk[:_PROLOG_BYTES], member.filename, kind_zh, kind_en, error)
                        elements += (
                            chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
                        )
                        if elements > max_elements:
                            raise error(
                                "too_complex",
                                f"这个{kind_zh}的“{member.filename}”包含超过 {max_elements:,} 个元素，过于复杂，无法处理。",
                                f"This {kind_en}'s part '{member.filename}' has more than {max_elements:,} "
                                "elements; it is too complex to read.",
                            )
                    first = False
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, RuntimeError):
            return  # damaged or encrypted: the reader says so in its own words


def _check_prolog(head: bytes, name: str, kind_zh: str, kind_en: str, error: ErrorFactory) -> None:
    text = head.replace(b"\x00", b"")  # UTF-16 XML too
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise error(
            "xml_entities",
            f"这个{kind_zh}的“{name}”含有 DTD 或实体声明（正常的 Office 文件不会有），出于安全原因无法处理。",
            f"This {kind_en}'s part '{name}' declares a DTD or entities, which Office files never do; "
            "it is refused for safety.",
        )


def _too_large(error: ErrorFactory, kind_zh: str, kind_en: str, limit: int) -> BilingualError:
    mb = limit // (1024 * 1024)
    return error(
        "too_large",
        f"这个{kind_zh}解压后超过 {mb} MB，无法处理。请删去图片、附件后再上传。",
        f"This {kind_en} unpacks to more than {mb} MB. Remove pictures or attachments and try again.",
    )


# --- the time budget ---


class TimeBudgetExceeded(Exception):
    """Raised by ``check_time`` once the current budget is spent; the caller turns it into its refusal."""


@contextlib.contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Give the parsing inside the block ``seconds`` (default LUOSHI_PARSE_TIME_LIMIT); nested blocks keep
    the earlier deadline."""
    limit = conf.get_int("LUOSHI_PARSE_TIME_LIMIT") if seconds is None else seconds
    current = _deadline.get()
    deadline = time.monotonic() + limit
    token = _deadline.set(deadline if current is None else min(current, deadline))
    grace_token = _grace.set([0.0]) if current is None else None
    try:
        yield
    finally:
        _deadline.reset(token)
        if grace_token is not None:
            _grace.reset(grace_token)


def extend_time(seconds: float) -> None:
    """Grant the running budget (and every block it nests) ``seconds`` more: work known to be slow per
    unit, such as OCR per page, asks for its time as it starts each unit."""
    grace = _grace.get()
    if grace is not None:
        grace[0] += seconds


def check_time() -> None:
    """Raise TimeBudgetExceeded when the current budget (if any) is spent; cheap enough for every loop turn."""
    deadline = _deadline.get()
    if deadline is not None:
        grace = _grace.get()
        if time.monotonic() > deadline + (grace[0] if grace else 0.0):
            raise TimeBudgetExceeded
