"""`luoshi backup FILE` / `luoshi restore FILE`: the database, every stored file and a manifest in one archive.

The archive (.tar.gz, owner-only) holds ``manifest.json``, the database dump (``backup_db``), the
stored files the dump refers to under ``files/`` and, only with ``--include-key``, the ``secret_key``
file. The manifest records the luoshi version, the migrations applied in the dump, the creation
time, the database vendor and method, and the size and SHA-256 of every other member.

Consistency while the server runs: stored files get random names and are never rewritten (evidence,
measure attachments: ``reports.evidence.store``), and documents' originals and issued bulletins live
in the database itself. So the files copied are exactly those the snapshot refers to; a file uploaded
after the snapshot is left for the next backup, and the manifest never lists what the dump lacks.

Restore checks everything before it touches anything: the archive's members against the manifest
(sizes, hashes, nothing extra), the schema (no migration this luoshi does not know), the target (an
empty database unless ``force``). It then swaps the extracted files folder in for MEDIA_ROOT, replaces
the database in one transaction (the files are swapped back if that fails), and runs ``migrate``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from luoshi import conf
from luoshi.core import backup_db
from luoshi.core.backup_db import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    sha256: str  # of the archive itself: note it down to check the archive later
    missing: list[str]  # files the database refers to that were not in the data dir


def luoshi_version() -> str:
    try:
        return version("luoshi")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "unknown"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def key_file() -> Path:
    return Path(settings.DATA_DIR) / conf.SECRET_KEY_FILE


def _owner_only(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    return os.fdopen(fd, "wb")


class _Hashing:
    """A file read through once: tarfile copies it while the hash and the size are taken."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, source: Path, name: str) -> dict[str, Any]:
    with source.open("rb") as handle:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = (
            os.fstat(handle.fileno()).st_size,
            0o600,
            int(source.stat().st_mtime),
        )
        reader = _Hashing(handle)
        tar.addfile(info, reader)  # type: ignore[arg-type,unused-ignore]  # anything with read()
    if reader.size != info.size:
        raise BackupError(
            "file_changed",
            f"备份期间文件 {name} 被改动，请重试。",
            f"The file {name} changed while being backed up; try again.",
        )
    return {"path": name, "size": reader.size, "sha256": reader.digest.hexdigest()}


def create_backup(path: Path, *, include_key: bool = False, method: str | None = None) -> BackupResult:
    """Write the archive to ``path`` (owner-only; written beside it first, then renamed into place)."""
    path = path.resolve()
    if path.exists():
        raise BackupError(
            "exists",
            f"{path} 已存在：请另选文件名（不覆盖已有备份）。",
            f"{path} exists already: choose another name (an existing backup is never overwritten).",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".luoshi-backup-", dir=path.parent) as work:
        folder = Path(work)
        snap = backup_db.snapshot(folder, method=method)
        partial = folder / "archive.tar.gz"
        entries, missing = [], []
        with _owner_only(partial) as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
            entries.append(_add(tar, snap.dump, snap.dump.name))
            for name in snap.files:
                source = media_root() / name
                if not source.is_file():
                    missing.append(name)
                    continue
                entries.append(_add(tar, source, FILES + name))
            if include_key and key_file().is_file():
                entries.append(_add(tar, key_file(), conf.SECRET_KEY_FILE))
            manifest = {
                "format": FORMAT,
                "luoshi_version": luoshi_version(),
                "created_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "database_method": snap.method,
                "database": snap.dump.name,
                "migrations": snap.migrations,
                "includes_secret_key": any(e["path"] == conf.SECRET_KEY_FILE for e in entries),
                "missing_files": missing,
                "files": entries,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        digest = _sha256(partial)
        os.replace(partial, path)
    return BackupResult(path, manifest, digest, missing)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tampered(detail_zh: str, detail_en: str) -> BackupError:
    return BackupError(
        "backup_tampered",
        f"备份文件未通过校验（{detail_zh}），未做任何改动。",
        f"The backup failed its check ({detail_en}); nothing was changed.",
    )


def _extract(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack the archive into ``into`` (safely: no links, no paths outside) and check it against its manifest."""
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if len(set(names)) != len(names) or any(not m.isfile() for m in members):
                raise _tampered(
                    "成员重复或不是普通文件", "duplicate members or members that are not plain files"
                )
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            "not_a_backup",
            f"{archive} 不是可读的 luoshi 备份：{exc}",
            f"{archive} is not a readable luoshi backup: {exc}",
        ) from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        listed = {e["path"]: e for e in manifest["files"]}
        method, dump = manifest["database_method"], manifest["database"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(
            "not_a_backup",
            f"{archive} 中没有有效的 manifest.json，不是 luoshi 备份。",
            f"{archive} has no valid manifest.json: not a luoshi backup.",
        ) from None
    if manifest.get("format") != FORMAT or method not in backup_db.DUMP_NAMES or dump not in listed:
        raise BackupError(
            "not_a_backup",
            f"{archive} 的格式不受本版本 luoshi 支持。",
            f"{archive} is in a format this luoshi does not read.",
        )
    extra = set(names) - set(listed) - {MANIFEST}
    if extra:
        raise _tampered(f"清单外的文件 {sorted(extra)[0]}", f"a file not in the manifest: {sorted(extra)[0]}")
    for name, entry in listed.items():
        target = into / name
        if not target.is_file():
            raise _tampered(f"缺少 {name}", f"{name} is missing")
        if target.stat().st_size != entry["size"] or _sha256(target) != entry["sha256"]:
            raise _tampered(f"{name} 的内容与清单不符", f"{name} does not match the manifest")
    return manifest


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )


def _owner_only_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(Path(folder) / name, 0o600)


def check_backup(archive: Path) -> dict[str, Any]:
    """Verify an archive without restoring it: the manifest if every check passes, else BackupError."""
    with _workdir(Path(tempfile.gettempdir())) as work:
        manifest = _extract(archive, work)
        _check_schema(manifest)
        return manifest


def _check_schema(manifest: dict[str, Any]) -> None:
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "backup_newer",
            f"此备份来自更新版本的 luoshi（{manifest.get('luoshi_version')}，含本版本不认识的迁移 {unknown[0]}）："
            "请先升级 luoshi 再恢复。未做任何改动。",
            f"This backup comes from a newer luoshi ({manifest.get('luoshi_version')}; migration {unknown[0]} is "
            "unknown here): upgrade luoshi first, then restore. Nothing was changed.",
        )


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    restored_key: bool


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    """Check the archive and the target, then replace the database and the stored files by the backup's."""
    archive = archive.resolve()
    if not archive.is_file():
        raise BackupError("no_file", f"找不到备份文件 {archive}。", f"No backup file at {archive}.")
    media = media_root()
    media.parent.mkdir(parents=True, exist_ok=True)
    with _workdir(media.parent) as work:  # beside MEDIA_ROOT: the swap is a rename on one file system
        manifest = _extract(archive, work)
        _check_schema(manifest)
        has_files = media.is_dir() and any(p.is_file() for p in media.rglob("*"))
        if not force and (not backup_db.is_empty() or has_files):
            raise BackupError(
                "target_not_empty",
                "目标数据库或数据目录中已有数据：确认要以备份覆盖时请加 --force。未做任何改动。",
                "The target database or data dir already holds data: add --force to overwrite it with the "
                "backup. Nothing was changed.",
            )
        files = work / FILES.rstrip("/")
        files.mkdir(exist_ok=True)
        _owner_only_tree(files)
        old = work / "previous-files"
        if media.exists():
            os.replace(media, old)
        os.replace(files, media)
        try:
            backup_db.restore(work / manifest["database"], method=manifest["database_method"])
        except BaseException:
            shutil.rmtree(media, ignore_errors=True)
            if old.exists():
                os.replace(old, media)
            raise
        restored_key = False
        if manifest.get("includes_secret_key"):
            _replace_key(work / conf.SECRET_KEY_FILE)
            restored_key = True
    call_command("migrate", interactive=False, verbosity=0)  # an older backup: brought up to this version
    count = sum(1 for e in manifest["files"] if e["path"].startswith(FILES))
    return RestoreResult(manifest, count, restored_key)


def _replace_key(source: Path) -> None:
    target = key_file()
    partial = target.with_name(target.name + ".restoring")
    partial.unlink(missing_ok=True)
    with _owner_only(partial) as out:
        out.write(source.read_bytes())
    os.replace(partial, target)


class _workdir:
    """An owner-only temporary folder, removed afterwards whatever happens."""

    def __init__(self, parent: Path) -> None:
        self.parent = parent

    def __enter__(self) -> Path:
        self.path = Path(tempfile.mkdtemp(prefix=".luoshi-restore-", dir=self.parent))
        return self.path

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def stored_files() -> Iterator[Path]:
    """Every file under MEDIA_ROOT (for checks and tests)."""
    root = media_root()
    return (p for p in sorted(root.rglob("*")) if p.is_file()) if root.is_dir() else iter(())
