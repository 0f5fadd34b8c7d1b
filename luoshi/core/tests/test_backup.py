"""`luoshi backup` / `luoshi restore`: a round trip keeps every row and every stored byte; a bad archive changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import stat
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError, connection

from luoshi.bulletins.services import issue_bulletin
from luoshi.bulletins.unit_notice import issue_unit_urging_notice
from luoshi.core import backup_db
from luoshi.core.apps import owner_only_sqlite
from luoshi.core.backup import check_backup, create_backup, restore_backup
from luoshi.core.backup_db import BackupError
from luoshi.reports.models import Evidence, Obligation
from luoshi.reports.services import submit_report
from luoshi.site.demo import load_demo
from luoshi.testing.demo import TODAY, lead_assignment, open_obligation
from luoshi.testing.world import png_bytes, upload
from luoshi.units.models import Unit

SKIP = {"sessions.session"}


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "files"
    (folder / "secret_key").write_text("the-key\n", encoding="utf-8")
    return folder


@pytest.fixture
def world(transactional_db: None, data_dir: Path) -> Iterator[Obligation]:
    """The demo, a report with two evidence files, an issued bulletin and an issued unit urging notice."""
    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        load_demo(today=TODAY)
        users = get_user_model().objects
        obligation = open_obligation(lead_assignment("energy"))
        submit_report(
            obligation=obligation,
            user=users.get(username="nengyuan"),
            progress=90,
            narrative="进展顺利",
            evidence=[upload("现场照片.png", png_bytes()), upload("说明.txt", "说明文字".encode())],
        )
        office = users.get(username="duchashi")
        issue_bulletin(period="2026-Q3", user=office)
        issue_unit_urging_notice(unit=Unit.objects.get(code="ethnic-affairs"), user=office, today=TODAY)
        yield obligation


def rows() -> dict[str, list[Any]]:
    return {
        m._meta.label_lower: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
            for r in m._default_manager.order_by("pk").values_list()
        ]
        for m in apps.get_models()
        if m._meta.label_lower not in SKIP
    }


def file_bytes(data_dir: Path) -> dict[str, bytes]:
    root = data_dir / "files"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def modes(root: Path) -> set[int]:
    return {stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


def wipe(data_dir: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(data_dir / "files")


def rewrite(archive: Path, out: Path, change: dict[str, Any]) -> None:
    """A copy of the archive with members replaced (name → bytes) or edited (name → function of the bytes)."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name in change:
                new = change[member.name]
                data = new(data) if callable(new) else new
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_a_round_trip_keeps_every_row_and_every_stored_byte(
    world: Obligation, data_dir: Path, tmp_path: Path
) -> None:
    before_rows, before_files = rows(), file_bytes(data_dir)
    assert (
        len(before_files) == Evidence.objects.count() > 2
        and before_rows["bulletins.bulletin"]
        and before_rows["documents.document"]
    )
    assert modes(data_dir / "files") == {0o600, 0o700}, "stored files are the server's user's only"
    result = create_backup(tmp_path / "b.tar.gz")
    manifest = result.manifest
    assert manifest["database_vendor"] == connection.vendor and manifest["includes_secret_key"] is False
    assert manifest["migrations"]["reports"] and manifest["missing_files"] == []
    assert {e["path"] for e in manifest["files"]} == {
        manifest["database"],
        *(f"files/{n}" for n in before_files),
    }
    for name, content in before_files.items():
        entry = next(e for e in manifest["files"] if e["path"] == f"files/{name}")
        assert entry == {
            "path": f"files/{name}",
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    assert stat.S_IMODE((tmp_path / "b.tar.gz").stat().st_mode) == 0o600
    wipe(data_dir)
    assert rows() != before_rows and not (data_dir / "files").exists()
    restored = restore_backup(tmp_path / "b.tar.gz")
    assert restored.files == len(before_files) and not restored.restored_key
    assert rows() == before_rows
    assert file_bytes(data_dir) == before_files
    assert modes(data_dir / "files") == {0o600, 0o700}
    assert (data_dir / "secret_key").read_text(encoding="utf-8") == "the-key\n", (
        "the key is not in the backup"
    )


def test_the_key_is_only_in_the_backup_when_asked(world: Obligation, data_dir: Path, tmp_path: Path) -> None:
    result = create_backup(tmp_path / "k.tar.gz", include_key=True)
    assert result.manifest["includes_secret_key"] is True
    with tarfile.open(tmp_path / "k.tar.gz") as tar:
        assert tar.extractfile("secret_key").read() == b"the-key\n"  # type: ignore[union-attr]
    (data_dir / "secret_key").write_text("another\n", encoding="utf-8")
    assert restore_backup(tmp_path / "k.tar.gz", force=True).restored_key
    assert (data_dir / "secret_key").read_text(encoding="utf-8") == "the-key\n"
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600


def test_a_non_empty_target_is_refused_without_force(
    world: Obligation, data_dir: Path, tmp_path: Path
) -> None:
    create_backup(tmp_path / "b.tar.gz")
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "b.tar.gz")
    assert refused.value.code == "target_not_empty" and "--force" in refused.value.message("en")


@pytest.mark.parametrize("how", ["stored file", "database", "extra member"])
def test_a_tampered_archive_is_refused_and_nothing_changes(
    world: Obligation, data_dir: Path, tmp_path: Path, how: str
) -> None:
    create_backup(tmp_path / "b.tar.gz")
    with tarfile.open(tmp_path / "b.tar.gz") as tar:
        names = tar.getnames()
    stored = next(n for n in names if n.startswith("files/"))
    database = next(n for n in names if n.startswith("database."))
    before_rows, before_files = rows(), file_bytes(data_dir)
    if how == "extra member":
        with (
            tarfile.open(tmp_path / "b.tar.gz") as source,
            tarfile.open(tmp_path / "bad.tar.gz", "w:gz") as target,
        ):
            for member in source.getmembers():
                target.addfile(member, source.extractfile(member))
            extra = tarfile.TarInfo("files/evil.txt")
            extra.size = 4
            target.addfile(extra, io.BytesIO(b"evil"))
    else:
        rewrite(
            tmp_path / "b.tar.gz",
            tmp_path / "bad.tar.gz",
            {stored if how == "stored file" else database: lambda b: b[:-1] + bytes([b[-1] ^ 1])},
        )
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "bad.tar.gz", force=True)
    assert refused.value.code == "backup_tampered"
    assert "nothing was changed" in refused.value.message("en") and "未做任何改动" in refused.value.message(
        "zh-hans"
    )
    assert rows() == before_rows and file_bytes(data_dir) == before_files
    with pytest.raises(BackupError):
        check_backup(tmp_path / "bad.tar.gz")


def test_a_backup_from_a_newer_schema_is_refused(world: Obligation, data_dir: Path, tmp_path: Path) -> None:
    create_backup(tmp_path / "b.tar.gz")

    def newer(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["migrations"]["reports"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    rewrite(tmp_path / "b.tar.gz", tmp_path / "newer.tar.gz", {"manifest.json": newer})
    before = rows()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "newer.tar.gz", force=True)
    assert refused.value.code == "backup_newer" and "reports.9999_from_the_future" in refused.value.message(
        "en"
    )
    assert rows() == before


def test_an_existing_file_is_never_overwritten(world: Obligation, tmp_path: Path) -> None:
    (tmp_path / "b.tar.gz").write_bytes(b"older backup")
    with pytest.raises(BackupError) as refused:
        create_backup(tmp_path / "b.tar.gz")
    assert refused.value.code == "exists" and (tmp_path / "b.tar.gz").read_bytes() == b"older backup"


def test_the_portable_dump_round_trips_too(world: Obligation, data_dir: Path, tmp_path: Path) -> None:
    before_rows, before_files = rows(), file_bytes(data_dir)
    result = create_backup(tmp_path / "j.tar.gz", method=backup_db.JSON)
    assert result.manifest["database"] == "database.json"
    wipe(data_dir)
    restore_backup(tmp_path / "j.tar.gz")
    assert rows() == before_rows and file_bytes(data_dir) == before_files


def test_a_backup_taken_while_reports_are_written_is_consistent(
    world: Obligation, data_dir: Path, tmp_path: Path
) -> None:
    liaison = get_user_model().objects.get(username="nengyuan")
    stop, written, errors = threading.Event(), list[int](), list[Exception]()

    def write() -> None:
        try:
            while not stop.is_set():
                try:
                    submit_report(
                        obligation=Obligation.objects.get(pk=world.pk),
                        user=liaison,
                        progress=95,
                        narrative=f"更正 {len(written)}",
                        evidence=[upload("照片.png", png_bytes())],
                    )
                    written.append(1)
                except OperationalError:  # SQLite busy: try again
                    continue
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 2:
            threading.Event().wait(0.05)
        result = create_backup(tmp_path / "live.tar.gz")
    finally:
        stop.set()
        writer.join()
    assert not errors and len(written) >= 2
    manifest = check_backup(tmp_path / "live.tar.gz")  # every member matches the manifest, nothing extra
    assert manifest["missing_files"] == []
    restore_backup(tmp_path / "live.tar.gz", force=True)  # the database opens and is the snapshot
    evidence = list(Evidence.objects.all())
    assert {f"files/{e.file.name}" for e in evidence} == {
        e["path"] for e in result.manifest["files"] if e["path"].startswith("files/")
    }
    for item in evidence:
        assert hashlib.sha256((data_dir / "files" / item.file.name).read_bytes()).hexdigest() == item.sha256
    assert file_bytes(data_dir).keys() == {e.file.name for e in evidence}, (
        "no file written after the snapshot"
    )


def test_the_sqlite_file_is_made_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "luoshi.sqlite3"
    for path in (database, tmp_path / "luoshi.sqlite3-wal"):
        path.write_bytes(b"")
        path.chmod(0o644)
    owner_only_sqlite(
        sender=None, connection=SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(database)})
    )
    assert {stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()} == {0o600}
