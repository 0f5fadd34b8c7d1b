"""HTML is one self-contained print page; PDF is that page through WeasyPrint, refused clearly when it cannot be."""

from __future__ import annotations

import builtins
import io
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.renderers import pdf
from luoshi.bulletins.renderers.html import render_html
from luoshi.bulletins.services import masthead, render
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.ratings.services import rollup
from luoshi.site.demo import DemoSummary


@pytest.mark.django_db
def test_html_has_the_rollups_numbers_and_no_external_assets(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    page = render(data, fmt="html", head=masthead(data, number="2024年第1期", issue_date=TODAY)).decode()
    counts = rollup(as_of=TODAY).counts
    # The long title in two even lines (WeasyPrint has no text-wrap: balance), never one character alone.
    assert '<h1 class="title">关于2024年第一季度<br>重点任务落实情况的通报</h1>' in page
    assert "<title>关于2024年第一季度重点任务落实情况的通报</title>" in page
    assert (
        f"纳入督查的重点任务共{counts.total}项，其中按计划推进{counts.green}项，滞后{counts.amber + counts.red}项"
        in page
    )
    assert '<td class="left">重点任务</td><td>6</td>' in page
    assert "@page" in page and "size: A4" in page and "37mm 26mm 35mm 28mm" in page
    # GB/T 9704 body: 16 pt, 22 lines of 28.95 pt, 28 characters condensed by -0.25 pt each, 2em indent.
    assert "font-size: 16pt; line-height: 28.95pt; letter-spacing: -0.25pt;" in page
    assert (
        28 * (16 - 0.25) <= 156 / 25.4 * 72 < 29 * (16 - 0.25)
        and 2 * 16 + 26 * (16 - 0.25) <= 156 / 25.4 * 72
    )
    assert "p.body { margin: 0; text-indent: 2em;" in page
    assert "font-size: 22pt" in page
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
@pytest.mark.skipif(
    not _pdf_ready(), reason="WeasyPrint or a CJK font is not installed (see make render-check)"
)
def test_pdf_renders_when_weasyprint_and_a_cjk_font_are_there(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    content = render(data, fmt="pdf", head=masthead(data, issue_date=TODAY))
    assert content.startswith(b"%PDF-") and len(content) > 10_000


def _lines(content: bytes, page: int = 0) -> list[tuple[float, float, str]]:
    """(baseline y, left x, text) of each line of 16 pt text on a page, top to bottom (pdfminer)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item: Any) -> Iterator[Any]:
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    layout = list(extract_pages(io.BytesIO(content)))[page]
    rows: dict[float, list[Any]] = {}
    for ch in chars(layout):
        if round(ch.size) == 16:
            rows.setdefault(round(ch.y0, 1), []).append(ch)
    return [
        (y, min(c.x0 for c in row), "".join(c.get_text() for c in sorted(row, key=lambda c: c.x0)))
        for y, row in sorted(rows.items(), reverse=True)
    ]


@pytest.mark.django_db
@pytest.mark.skipif(
    not _pdf_ready(), reason="WeasyPrint or a CJK font is not installed (see make render-check)"
)
def test_pdf_sets_28_characters_a_line_and_22_lines_a_page(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    page = render_html(data, head=masthead(data, issue_date=TODAY))
    text = "督查督办工作要求各地区各部门认真贯彻落实党中央决策部署推动重点任务取得实效" * 3  # CJK only
    filler = f'<p class="body">{text}</p>' * 12  # 60 lines: pages 1 and 2 hold nothing else
    page = page.replace('<div class="gap"></div>', '<div class="gap"></div>' + filler, 1)
    content = pdf.load_weasyprint().HTML(string=page).write_pdf()
    second = _lines(content, page=1)  # a page of body text only
    lengths = [len(t) for _, _, t in second]
    assert 28 in lengths and max(lengths) == 28  # full lines hold 28 characters, never fewer when they can
    assert 26 in lengths  # first lines, after the two-character indent
    assert len(second) == 22
    pitches = [a[0] - b[0] for a, b in itertools.pairwise(second)]
    assert all(abs(p - 28.95) < 0.11 for p in pitches)  # baselines are read to 0.1 pt
    assert abs((second[0][0] - second[-1][0]) / 21 - 28.95) < 0.01
    left = min(x for _, x, _ in second)
    assert round(left / 72 * 25.4, 1) == 28.0  # the left margin
