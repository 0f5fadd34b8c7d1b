"""Read an old Word (.doc, Word 97–2003) or WPS Writer (.wps) file: LibreOffice converts it to .docx,
which ``docx_reader`` reads, so automatic numbering and tables come out as they do for a .docx.

No Django here.  The OLE container is looked at first (olefile): a Word body (``WordDocument``
stream) is converted; a password-protected one, an encrypted .docx, a spreadsheet or a presentation
is refused with its own message before LibreOffice runs.  LibreOffice (``soffice --headless``) runs
one conversion at a time per process, in a profile folder of its own, with LUOSHI_CONVERT_TIMEOUT;
without it on the server these files are refused with a note to save them as .docx.  Why LibreOffice
and not antiword or a pure-Python reader: docs/decisions.md ("Old Word and WPS files").
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
from pathlib import Path

import olefile

from luoshi import conf
from luoshi.documents.docx_reader import read_docx
from luoshi.documents.errors import IngestError, corrupt_error, unsupported_error
from luoshi.lib.package_limits import check_time

KINDS: dict[str, tuple[str, str]] = {
    ".doc": ("旧版 Word 文档（.doc）", "old Word document (.doc)"),
    ".wps": ("WPS 文字文档（.wps）", "WPS Writer document (.wps)"),
}
_OTHER_OLE: tuple[tuple[str, str, str], ...] = (
    ("workbook", "Excel 或 WPS 表格（.xls、.et）", "an Excel or WPS spreadsheet (.xls, .et)"),
    ("book", "Excel 表格（.xls）", "an Excel spreadsheet (.xls)"),
    (
        "powerpoint document",
        "PowerPoint 或 WPS 演示文稿（.ppt、.dps）",
        "a PowerPoint or WPS presentation (.ppt, .dps)",
    ),
)
_WORD_MAGIC = 0xA5EC
_F_ENCRYPTED = 0x0100
_lock = threading.Lock()
_profile: Path | None = None


def soffice_path() -> str | None:
    """LibreOffice's soffice: LUOSHI_SOFFICE, else soffice or libreoffice on PATH."""
    configured = conf.get("LUOSHI_SOFFICE").strip()
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes, *, extension: str) -> tuple[str, list[str], str]:
    """Read a .doc or .wps file; return the text, warnings and the format ("doc" or "wps")."""
    fmt = "wps" if extension == ".wps" else "doc"
    kind_zh, kind_en = KINDS["." + fmt]
    _check_container(data, kind_zh=kind_zh, kind_en=kind_en)
    docx = convert_to_docx(data, suffix="." + fmt, kind_zh=kind_zh, kind_en=kind_en)
    try:
        text, warnings = read_docx(docx)
    except IngestError as exc:
        if exc.code == "empty":
            raise IngestError(
                "empty", f"这个{kind_zh}里没有正文文字。", f"This {kind_en} contains no body text."
            ) from exc
        raise
    return text, warnings, fmt


def _check_container(data: bytes, *, kind_zh: str, kind_en: str) -> None:
    """Refuse what LibreOffice should not be asked to convert: not a Word body, or encrypted."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise corrupt_error(kind_zh, kind_en) from exc
    try:
        streams = {"/".join(entry).lower() for entry in ole.listdir()}
        if "encryptedpackage" in streams or "encryptioninfo" in streams:
            raise _encrypted(kind_zh, kind_en)
        if "worddocument" not in streams:
            for name, other_zh, other_en in _OTHER_OLE:
                if name in streams:
                    raise unsupported_error((other_zh, other_en))
            raise corrupt_error(kind_zh, kind_en)
        head = ole.openstream("WordDocument").read(12)
    except IngestError:
        raise
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise corrupt_error(kind_zh, kind_en) from exc
    finally:
        ole.close()
    if len(head) < 12:
        raise corrupt_error(kind_zh, kind_en)
    # The FIB starts the stream: wIdent at 0, the flags word (fEncrypted is bit 8) at 0x0A.
    (ident,) = struct.unpack_from("<H", head, 0)
    (flags,) = struct.unpack_from("<H", head, 10)
    if ident != _WORD_MAGIC:
        raise corrupt_error(kind_zh, kind_en)
    if flags & _F_ENCRYPTED:
        raise _encrypted(kind_zh, kind_en)


def _encrypted(kind_zh: str, kind_en: str) -> IngestError:
    return IngestError(
        "encrypted",
        f"这个{kind_zh}设置了打开密码（已加密），无法读取。请取消密码后另存再上传，或请发文单位提供未加密的文件。",
        f"This {kind_en} is password-protected (encrypted) and cannot be read. Remove the password, save it "
        "again and re-upload, or ask the issuer for an unencrypted copy.",
    )


def converter_missing(kind_zh: str, kind_en: str) -> IngestError:
    return IngestError(
        "converter_missing",
        f"服务器上没有安装 LibreOffice，无法读取{kind_zh}。请用 Word 或 WPS 打开后“另存为” .docx 再上传，"
        "或请管理员安装 LibreOffice（Debian: apt-get install libreoffice-writer-nogui）。",
        f"LibreOffice is not installed on the server, so this {kind_en} cannot be read. Open it in Word or WPS, "
        "save it as .docx and upload again, or ask the administrator to install LibreOffice (Debian: apt-get "
        "install libreoffice-writer-nogui).",
    )


def convert_to_docx(data: bytes, *, suffix: str, kind_zh: str, kind_en: str) -> bytes:
    """Convert ``data`` with LibreOffice to .docx bytes (one conversion at a time in this process)."""
    soffice = soffice_path()
    if soffice is None:
        raise converter_missing(kind_zh, kind_en)
    timeout = conf.get_int("LUOSHI_CONVERT_TIMEOUT")
    with _lock, tempfile.TemporaryDirectory(prefix="luoshi-convert-") as work:
        folder = Path(work)
        source = folder / f"upload{suffix}"
        source.write_bytes(data)
        profile = _profile_dir()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        env = {**os.environ, "HOME": str(folder), "LANG": "C.UTF-8"}
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise converter_missing(kind_zh, kind_en) from exc
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            _reset_profile()
            raise IngestError(
                "too_slow",
                f"转换这个{kind_zh}超过 {timeout} 秒，已停止。请用 Word 或 WPS 另存为 .docx 后再上传。",
                f"Converting this {kind_en} took longer than {timeout} seconds and was stopped. Save it as "
                ".docx in Word or WPS and upload again.",
            ) from None
        check_time()
        result = folder / "out" / "upload.docx"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            if process.returncode != 0:
                _reset_profile()
            raise corrupt_error(kind_zh, kind_en)
        return result.read_bytes()


def _profile_dir() -> Path:
    """LibreOffice's user profile for this process, made once (its first start takes a few seconds)."""
    global _profile
    if _profile is None or not _profile.parent.is_dir():
        _profile = Path(tempfile.mkdtemp(prefix="luoshi-soffice-")) / "profile"
    return _profile


def _reset_profile() -> None:
    global _profile
    if _profile is not None:
        shutil.rmtree(_profile.parent, ignore_errors=True)
    _profile = None


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait()
