"""luoshi bulletin / luoshi ledger: files written, mistakes refused in both languages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.tests.conftest import PERIOD
from luoshi.bulletins.tests.render_helpers import all_text, open_docx
from luoshi.core.demo import DemoSummary

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
    _run("bulletin", "--document", str(demo.document.pk), "--period", PERIOD, "--format", "html", "-o", str(html))
    assert "<!DOCTYPE html>" in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "b.xlsx"
    _run("bulletin", "--period", PERIOD, "--format", "xlsx", "-o", str(xlsx))
    assert load_workbook(xlsx).sheetnames[0] == "总体情况"
    assert not Bulletin.objects.exists()


def test_issue_stores_the_bulletin(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    _run("bulletin", "--period", PERIOD, "--as-of", "2024-04-05", "-o", str(out), "--issue", "--user", "duchashi")
    bulletin = Bulletin.objects.get()
    assert out.read_bytes() == bytes(bulletin.docx)
    with pytest.raises(CommandError, match="--user"):
        _run("bulletin", "--period", PERIOD, "-o", str(out), "--issue")
    with pytest.raises(CommandError, match=r"只有督查室.* / Only the supervision office"):
        _run("bulletin", "--period", PERIOD, "-o", str(out), "--issue", "--user", "nongmu")


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2024-Q5"], "通报期次格式不正确.* / Bad period"),
    (["--period", "2024-Q1", "--document", "99999"], "文件不存在：#99999 / No such document"),
    (["--period", "2024-Q1", "--as-of", "2024/04/05"], "日期格式应为 YYYY-MM-DD.* / Date must be"),
])
def test_it_refuses_bad_arguments_in_both_languages(demo: DemoSummary, tmp_path: Path, args: list[str],
                                                    message: str) -> None:
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
    assert book.sheetnames[0] == "台账" and len(book.sheetnames) == 4
    with pytest.raises(CommandError, match="文件不存在"):
        _run("ledger", "--document", "99999", "-o", str(out))
