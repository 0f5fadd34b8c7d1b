"""luoshi bulletin / luoshi ledger: files written, mistakes refused in both languages."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.renderers import pdf
from luoshi.bulletins.tests.conftest import PERIOD
from luoshi.bulletins.tests.render_helpers import all_text, open_docx
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_writes_each_format(demo: DemoSummary, tmp_path: Path) -> None:
    docx = tmp_path / "b.docx"
    _run("bulletin", "--period", PERIOD, "--as-of", "2024-04-05", "--format", "docx", "-o", str(docx))
    assert "纳入督查的重点任务共6项" in all_text(open_docx(docx.read_bytes()))
    html = tmp_path / "b.html"
    _run(
        "bulletin",
        "--document",
        str(demo.document.pk),
        "--period",
        PERIOD,
        "--format",
        "html",
        "-o",
        str(html),
    )
    assert "<!DOCTYPE html>" in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "b.xlsx"
    _run("bulletin", "--period", PERIOD, "--format", "xlsx", "-o", str(xlsx))
    assert load_workbook(xlsx).sheetnames[0] == "总体情况"
    assert not Bulletin.objects.exists()


def test_issue_stores_the_bulletin(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    _run(
        "bulletin",
        "--period",
        PERIOD,
        "--as-of",
        "2024-04-05",
        "-o",
        str(out),
        "--issue",
        "--user",
        "duchashi",
    )
    bulletin = Bulletin.objects.get()
    assert out.read_bytes() == bytes(bulletin.docx)
    with pytest.raises(CommandError, match="--user"):
        _run("bulletin", "--period", PERIOD, "-o", str(out), "--issue")
    with pytest.raises(CommandError, match=r"只有督查室.* / Only the supervision office"):
        _run("bulletin", "--period", PERIOD, "-o", str(out), "--issue", "--user", "nongmu")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024-Q5"], "通报期次格式不正确.* / Bad period"),
        (["--period", "2024-Q1", "--document", "99999"], "文件不存在：#99999 / No such document"),
        (["--period", "2024-Q1", "--as-of", "2024/04/05"], "日期格式应为 YYYY-MM-DD.* / Date must be"),
    ],
)
def test_it_refuses_bad_arguments_in_both_languages(
    demo: DemoSummary, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _run("bulletin", *args, "-o", str(tmp_path / "b.docx"))


def test_it_refuses_a_missing_output_folder(demo: DemoSummary, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "b.docx"
    with pytest.raises(CommandError, match=r"输出目录不存在.* / The output folder does not exist"):
        _run("bulletin", "--period", PERIOD, "-o", str(missing))
    with pytest.raises(CommandError, match="输出目录不存在"):
        _run("ledger", "-o", str(missing.with_suffix(".xlsx")))


def test_ledger_command(demo: DemoSummary, tmp_path: Path, settings: Any) -> None:
    out = tmp_path / "ledger.xlsx"
    _run("ledger", "--document", str(demo.document.pk), "--as-of", "2024-04-05", "--per-unit", "-o", str(out))
    book = load_workbook(out)
    assert (
        book.sheetnames[0] == "台账" and len(book.sheetnames) == 5
    )  # 3 units, then the instructions (领导批示)
    assert book.sheetnames[-1] == "领导批示"
    with pytest.raises(CommandError, match="文件不存在"):
        _run("ledger", "--document", "99999", "-o", str(out))


def _second_decision() -> Any:
    """A second decision with one task of the energy bureau, rated green as of the demo date."""
    from luoshi.documents.services import ingest_document
    from luoshi.tasks.models import Assignment, Cadence, Status, Task
    from luoshi.units.models import Unit

    text = "关于推进新能源装备制造的实施方案\n\n一、总体要求\n\n（一）大力发展新能源装备制造业，到2025年底产值翻番。\n"
    document = ingest_document(data=text.encode("utf-8"), filename="plan.txt").document
    energy = Unit.objects.get(catalog="inner-mongolia", code="energy")
    task = Task.objects.create(
        document=document,
        title="大力发展新能源装备制造业",
        text=text,
        lead_unit=energy,
        start_date=dt.date(2024, 1, 1),
        deadline=dt.date(2025, 12, 31),
        cadence=Cadence.QUARTERLY,
        report_day=10,
        status=Status.IN_PROGRESS,
    )
    Assignment.objects.create(task=task, unit=energy, role=Assignment.Role.LEAD, deadline=task.deadline)
    return document


def test_without_document_the_bulletin_covers_all_decisions(demo: DemoSummary, tmp_path: Path) -> None:
    other = _second_decision()
    every = tmp_path / "all.docx"
    _run("bulletin", "--period", PERIOD, "--as-of", "2024-04-05", "--format", "docx", "-o", str(every))
    text = all_text(open_docx(every.read_bytes()))
    assert "纳入督查的重点任务共7项" in text and "涉及2个文件" in text
    assert f"《{demo.document.title}》" in text and f"《{other.title}》" in text
    one = tmp_path / "one.docx"
    _run("bulletin", "--document", str(other.pk), "--period", PERIOD, "--as-of", "2024-04-05", "-o", str(one))
    text = all_text(open_docx(one.read_bytes()))
    assert "纳入督查的重点任务共1项" in text and demo.document.title not in text


def test_pdf_without_weasyprint_says_what_to_install_and_issues_nothing(
    demo: DemoSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    out = tmp_path / "b.pdf"
    with pytest.raises(CommandError) as refused:
        _run(
            "bulletin", "--period", PERIOD, "--format", "pdf", "-o", str(out), "--issue", "--user", "duchashi"
        )
    message = str(refused.value)
    assert "无法生成 PDF：未安装 WeasyPrint" in message and "pip install 'luoshi[pdf]'" in message
    assert " / Cannot write PDF: WeasyPrint or a library it needs is missing" in message
    assert not out.exists() and not Bulletin.objects.exists()  # refused before issuing


def test_pdf_without_a_chinese_font_says_which_fonts_to_install(
    demo: DemoSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", SimpleNamespace(HTML=None))
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: [])
    with pytest.raises(
        CommandError, match=r"未找到中文字体.*fonts-noto-cjk.* / No CJK font found.*fonts-noto-cjk"
    ):
        _run("bulletin", "--period", PERIOD, "--format", "pdf", "-o", str(tmp_path / "b.pdf"))
    missing = pdf.pdf_unavailable()
    assert missing is not None and missing.code == "no_cjk_font"


def test_pdf_is_written_when_weasyprint_and_a_chinese_font_are_there(
    demo: DemoSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[str] = []

    class HTML:
        def __init__(self, *, string: str) -> None:
            pages.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7 stand-in"

    monkeypatch.setitem(sys.modules, "weasyprint", SimpleNamespace(HTML=HTML))
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: ["Noto Serif CJK SC"])
    assert pdf.pdf_unavailable() is None
    out = tmp_path / "b.pdf"
    _run("bulletin", "--period", PERIOD, "--as-of", "2024-04-05", "--format", "pdf", "-o", str(out))
    assert out.read_bytes() == b"%PDF-1.7 stand-in"
    assert len(pages) == 1 and "纳入督查的重点任务共6项" in pages[0]  # the HTML page, printed
