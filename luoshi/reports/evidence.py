"""Evidence files (佐证材料): check what a file really is, then store it safely.

A file is accepted when its extension is on the list below *and* its first
bytes say the same thing; executables, web pages and SVG images are refused
whatever they are called. Accepted files are stored under MEDIA_ROOT (outside
the web root, never served by WhiteNoise) with a random name.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import posixpath
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile

from luoshi.reports.errors import ReportError

HEAD_BYTES = 8192

# extension -> (kind, content type stored with the file)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": ("ole", "application/msword"),
    "xls": ("ole", "application/vnd.ms-excel"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"),
    "txt": ("text", "text/plain"),
    "zip": ("zip", "application/zip"),
}
ALLOWED_TEXT = "PDF、Word（docx/doc）、Excel（xlsx/xls）、JPG、PNG、TXT、ZIP"

_EXECUTABLE_MAGICS = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe")
_RISKY_MEMBERS = {
    "exe",
    "dll",
    "com",
    "scr",
    "msi",
    "bat",
    "cmd",
    "ps1",
    "vbs",
    "vbe",
    "js",
    "jse",
    "wsf",
    "hta",
    "jar",
    "sh",
    "app",
    "lnk",
    "html",
    "htm",
    "svg",
    "xhtml",
}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int


def check_files(files: Iterable[UploadedFile], *, max_bytes: int | None = None) -> list[CheckedFile]:
    """Check every file before anything is written; the first bad one raises ReportError."""
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    return [check_file(f, max_bytes=limit) for f in files]


def check_file(upload: UploadedFile, *, max_bytes: int) -> CheckedFile:
    name = _base_name(upload.name or "")
    size = upload.size or 0
    if size <= 0:
        raise ReportError(
            "evidence_empty", f"佐证材料“{name}”是空文件。", f"The evidence file “{name}” is empty."
        )
    if size > max_bytes:
        raise ReportError(
            "evidence_too_large",
            f"佐证材料“{name}”太大（{_mb(size)}），上限为 {_mb(max_bytes)}。请压缩或拆分后再上传。",
            f"The evidence file “{name}” is too large ({_mb(size)}); the limit is {_mb(max_bytes)}. "
            "Compress or split it and upload again.",
        )
    head = _head(upload)
    if head.startswith(_EXECUTABLE_MAGICS):
        raise ReportError(
            "evidence_executable",
            f"“{name}”是可执行程序或脚本，不能作为佐证材料上传。",
            f"“{name}” is a program or script and cannot be uploaded as evidence.",
        )
    extension = posixpath.splitext(name)[1].lower().lstrip(".")
    if extension not in ALLOWED:
        raise ReportError(
            "evidence_type",
            f"不支持“{name}”这种文件。可上传：{ALLOWED_TEXT}。",
            f"Files like “{name}” are not accepted. Allowed: PDF, Word (docx/doc), Excel (xlsx/xls), "
            "JPG, PNG, TXT, ZIP.",
        )
    kind, content_type = ALLOWED[extension]
    if not _content_is(kind, head, upload):
        raise ReportError(
            "evidence_mismatch",
            f"“{name}”的内容与扩展名 .{extension} 不符（可能是改了扩展名的其他文件），请上传原始文件。",
            f"The content of “{name}” does not match its .{extension} extension (perhaps another file "
            "renamed); please upload the original file.",
        )
    return CheckedFile(upload, name, extension, content_type, size)


def store(
    checked: CheckedFile, *, storage: Storage, now: dt.datetime, folder: str = "evidence"
) -> tuple[str, str]:
    """Write the file under a random name in ``folder`` (a month's subfolder); return (stored name, sha256)."""
    digest = hashlib.sha256()
    for chunk in checked.upload.chunks():
        digest.update(chunk)
    name = f"{folder}/{now:%Y/%m}/{secrets.token_hex(16)}.{checked.extension}"
    checked.upload.seek(0)
    stored = storage.save(name, checked.upload)
    return stored, digest.hexdigest()


def _content_is(kind: str, head: bytes, upload: UploadedFile) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "ole":
        return head.startswith(_OLE_MAGIC)
    if kind == "text":
        return _is_plain_text(head)
    if not head.startswith(_ZIP_MAGIC):
        return False
    members = _zip_members(upload)
    if members is None or any(_risky(m) for m in members):
        return False
    if any(m.lower().endswith("vbaproject.bin") for m in members):
        return False  # macros: a .docm/.xlsm renamed
    if kind == "docx":
        return {"[Content_Types].xml", "word/document.xml"} <= members
    if kind == "xlsx":
        return {"[Content_Types].xml", "xl/workbook.xml"} <= members
    return True  # zip


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_MARKUP_STARTS):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_members(upload: UploadedFile) -> set[str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _risky(member: str) -> bool:
    return posixpath.splitext(member.rstrip("/"))[1].lower().lstrip(".") in _RISKY_MEMBERS


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _base_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "unnamed")[:255]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
