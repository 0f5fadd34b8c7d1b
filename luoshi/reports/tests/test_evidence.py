"""Evidence files: checked by content and size, stored under MEDIA_ROOT, nothing left on failure."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from luoshi.reports import services
from luoshi.reports.models import Evidence, Obligation, Report
from luoshi.reports.services import ReportError, submit_report
from luoshi.reports.tests.conftest import World, owed
from luoshi.testing.fixtures import make_docx, make_pdf
from luoshi.testing.world import at, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "files"
    with override_settings(MEDIA_ROOT=root):
        yield root


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _submit(world: World, *files: Any) -> Report:
    obligation = owed(world.lead)
    return submit_report(
        obligation=obligation,
        user=world.lead_liaison,
        progress=30,
        narrative="附佐证材料。",
        evidence=files,
        now=at("2024-04-05", 10),
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_real_pdf_and_png_are_stored_under_media_root_with_random_names(world: World, media: Path) -> None:
    pdf, png = make_pdf([["项目推进会议纪要"]]), png_bytes()
    report = _submit(world, upload("会议纪要.pdf", pdf), upload("现场照片.PNG", png))
    stored = {e.original_name: e for e in report.evidence.all()}
    assert set(stored) == {"会议纪要.pdf", "现场照片.PNG"}
    assert stored["会议纪要.pdf"].content_type == "application/pdf"
    assert stored["会议纪要.pdf"].sha256 == hashlib.sha256(pdf).hexdigest()
    assert stored["现场照片.PNG"].size == len(png)
    for evidence, data in ((stored["会议纪要.pdf"], pdf), (stored["现场照片.PNG"], png)):
        path = Path(evidence.file.path)
        assert path.is_relative_to(media / "evidence" / "2024" / "04")
        assert path.read_bytes() == data
        assert "会议" not in path.name and "照片" not in path.name
        assert len(path.stem) == 32
    assert len(_files(media)) == 2


def test_office_text_and_zip_files_are_accepted(world: World, media: Path) -> None:
    report = _submit(
        world,
        upload("方案.docx", make_docx(["实施方案"])),
        upload("说明.txt", "工作进展说明".encode("gb18030")),
        upload("照片.zip", _zip({"a.png": png_bytes()})),
    )
    assert sorted(report.evidence.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
        "text/plain",
    ]


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("报告.pdf", EXE, "evidence_executable"),
        ("setup.exe", EXE, "evidence_executable"),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n", "evidence_executable"),
        ("page.html", b"<html><script>alert(1)</script></html>", "evidence_type"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "evidence_type"),
        ("notes.txt", b"<!DOCTYPE html><html></html>", "evidence_mismatch"),
        ("photo.png", b"%PDF-1.4 not a png", "evidence_mismatch"),
        ("scan.jpg", png_bytes(), "evidence_mismatch"),
        ("方案.docx", _zip({"readme.txt": b"x"}), "evidence_mismatch"),
        ("材料.zip", _zip({"tool.exe": EXE}), "evidence_mismatch"),
        (
            "宏.xlsx",
            _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x", "xl/vbaProject.bin": b"x"}),
            "evidence_mismatch",
        ),
        ("空.pdf", b"", "evidence_empty"),
    ],
)
def test_it_refuses_files_by_what_they_are(
    world: World, media: Path, name: str, data: bytes, code: str
) -> None:
    with pytest.raises(ReportError) as caught:
        _submit(world, upload(name, data))
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
    assert Report.objects.count() == 0 and _files(media) == []


def test_an_oversized_file_is_refused(world: World, media: Path) -> None:
    with override_settings(MAX_UPLOAD_BYTES=1024), pytest.raises(ReportError) as caught:
        _submit(world, upload("大文件.pdf", b"%PDF-1.4\n" + b"0" * 2000))
    assert caught.value.code == "evidence_too_large"
    assert "上限" in caught.value.message_zh
    assert Report.objects.count() == 0 and _files(media) == []


def test_one_bad_file_among_good_ones_stores_nothing(world: World, media: Path) -> None:
    with pytest.raises(ReportError):
        _submit(world, upload("照片.png", png_bytes()), upload("报告.pdf", EXE))
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0 and _files(media) == []
    assert Obligation.objects.get(assignment=world.lead, period="2024-Q1").state == "pending"


def test_a_failure_while_storing_removes_the_files_already_written(
    world: World, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = services.store
    calls: list[str] = []

    def store_then_fail(checked: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(checked.original_name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_store(checked, **kwargs)

    monkeypatch.setattr(services, "store", store_then_fail)
    with pytest.raises(OSError):
        _submit(world, upload("照片.png", png_bytes()), upload("纪要.pdf", make_pdf([["纪要"]])))
    assert calls == ["照片.png", "纪要.pdf"]
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0
    assert _files(media) == []
    obligation = Obligation.objects.get(assignment=world.lead, period="2024-Q1")
    assert obligation.state == "pending" and obligation.first_submitted_at is None


def test_evidence_lives_outside_the_static_files_whitenoise_serves() -> None:
    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)
    assert not getattr(settings, "MEDIA_URL", "").startswith(settings.STATIC_URL)
