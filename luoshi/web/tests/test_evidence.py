"""Evidence (佐证材料) on the pages: listed with every report field, previewed and downloaded, scoped like the
report (404 outside it)."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as DocxDocument

from luoshi.reports.models import Evidence, Report
from luoshi.reports.services import submit_report
from luoshi.testing.demo import lead_assignment, open_obligation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx(text: str) -> bytes:
    document = DocxDocument()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _report(files: list[SimpleUploadedFile]) -> Report:
    obligation = open_obligation(lead_assignment("agriculture-animal"))
    liaison = get_user_model().objects.get(username="nongmu")
    return submit_report(
        obligation=obligation,
        user=liaison,
        progress=80,
        narrative="饲草储备完成八成。",
        next_steps="十二月底前全部完成。",
        evidence=files,
    )


def test_the_task_page_lists_the_evidence_and_the_next_steps(login: Callable[[str], Client]) -> None:
    report = _report([SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")])
    evidence = report.evidence.get()
    page = login("duchashi").get(f"/tasks/{report.obligation.assignment.task_id}/").content.decode()
    assert "十二月底前全部完成。" in page and "现场照片.png" in page
    assert f'href="/evidence/{evidence.pk}/"' in page and f'href="/evidence/{evidence.pk}/download"' in page
    assert "十二月底前全部完成。" in login("nongmu").get("/my/").content.decode()
    assert "现场照片.png" in login("duchashi").get("/office/").content.decode()


def test_images_show_inline_and_downloads_carry_a_safe_name(login: Callable[[str], Client]) -> None:
    evidence = _report([SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")]).evidence.get()
    office = login("duchashi")
    preview = office.get(f"/evidence/{evidence.pk}/").content.decode()
    assert f'<img src="/evidence/{evidence.pk}/file"' in preview
    shown = office.get(f"/evidence/{evidence.pk}/file")
    assert shown["Content-Type"] == "image/png" and shown["Content-Disposition"].startswith("inline;")
    got = office.get(f"/evidence/{evidence.pk}/download")
    assert got.status_code == 200 and got.content == PNG
    assert got["X-Content-Type-Options"] == "nosniff" and got["Content-Type"] == "application/octet-stream"
    disposition = got["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in disposition
    assert 'filename="evidence-' in disposition  # the ASCII fallback


def test_docx_and_text_files_are_previewed_as_text(login: Callable[[str], Client]) -> None:
    report = _report(
        [
            SimpleUploadedFile("台账.docx", _docx("第一季度完成饲草储备三万吨。")),
            SimpleUploadedFile("说明.txt", "补充说明：已验收。".encode(), content_type="text/plain"),
        ]
    )
    office = login("duchashi")
    word, text = report.evidence.order_by("pk")
    assert "第一季度完成饲草储备三万吨。" in office.get(f"/evidence/{word.pk}/").content.decode()
    assert "补充说明：已验收。" in office.get(f"/evidence/{text.pk}/").content.decode()
    raw = office.get(f"/evidence/{text.pk}/file")  # not an inline type: downloaded, never rendered
    assert raw["Content-Disposition"].startswith("attachment;") and raw["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_scoped_exactly_like_its_report(login: Callable[[str], Client]) -> None:
    evidence = _report([SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")]).evidence.get()
    for name in ("nongmu", "nongmu-head", "duchashi", "lingdao"):
        assert login(name).get(f"/evidence/{evidence.pk}/download").status_code == 200, name
    other = [
        p
        for p in Evidence.objects.exclude(
            report__obligation__assignment__unit=evidence.report.obligation.assignment.unit
        )[:1]
    ]
    stranger = login("nongmu")
    for url in ("/evidence/{}/", "/evidence/{}/file", "/evidence/{}/download"):
        if other:
            assert stranger.get(url.format(other[0].pk)).status_code == 404
        assert stranger.get(url.format(10**9)).status_code == 404
    assert Client().get(f"/evidence/{evidence.pk}/download").status_code == 302  # to the login page
