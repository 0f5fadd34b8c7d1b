"""HTML is one self-contained print page; PDF is that page through WeasyPrint, refused clearly when it cannot be."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.renderers import pdf
from luoshi.bulletins.services import masthead, render
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.core.demo import DemoSummary
from luoshi.ratings.services import rollup


@pytest.mark.django_db
def test_html_has_the_rollups_numbers_and_no_external_assets(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    page = render(data, fmt="html", head=masthead(data, number="2024年第1期", issue_date=TODAY)).decode()
    counts = rollup(as_of=TODAY).counts
    assert "<h1 class=\"title\">关于2024年第一季度重点任务落实情况的通报</h1>" in page
    assert f"纳入督查的重点任务共{counts.total}项，其中按计划推进{counts.green}项，滞后{counts.amber + counts.red}项" in page
    assert "<td class=\"left\">重点任务</td><td>6</td>" in page
    assert "@page" in page and "size: A4" in page and "37mm 26mm 35mm 28mm" in page
    for external in ("http://", "https://", "<link", "<script", "url("):
        assert external not in page
    assert "第三部分共3项任务，2项按计划推进，1项滞后" in page


def test_pdf_says_when_weasyprint_is_missing(monkeypatch: Any) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(BulletinError) as refused:
        pdf.load_weasyprint()
    assert refused.value.code == "no_weasyprint"
    assert "无法生成 PDF" in str(refused.value) and "luoshi[pdf]" in str(refused.value)
    assert "libpango" in refused.value.message_en


def test_pdf_says_when_no_cjk_font_is_installed(monkeypatch: Any) -> None:
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: [])
    with pytest.raises(BulletinError) as refused:
        pdf.require_cjk_font()
    assert refused.value.code == "no_cjk_font"
    assert "未找到中文字体" in refused.value.message_zh and "fonts-noto-cjk" in refused.value.message_en


def test_pdf_warns_when_it_cannot_check_fonts(monkeypatch: Any) -> None:
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: None)
    with pytest.warns(RuntimeWarning, match="CJK"):
        pdf.require_cjk_font()


def _pdf_ready() -> bool:
    try:
        pdf.load_weasyprint()
    except BulletinError:
        return False
    return bool(pdf.cjk_fonts())


@pytest.mark.django_db
@pytest.mark.skipif(not _pdf_ready(), reason="WeasyPrint or a CJK font is not installed (see make render-check)")
def test_pdf_renders_when_weasyprint_and_a_cjk_font_are_there(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    content = render(data, fmt="pdf", head=masthead(data, issue_date=TODAY))
    assert content.startswith(b"%PDF-") and len(content) > 10_000
