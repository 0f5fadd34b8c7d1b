"""The document page: findings marked in the text and listed with links, the original beside the normalized text."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.documents.runs import Run, text_runs
from luoshi.documents.services import ingest_document
from luoshi.people.services import create_user
from luoshi.testing.seed import seed_document
from luoshi.units.models import Unit
from luoshi.units.services import load_units
from luoshi.web.documents.pages import FindingView, Highlight, group_findings


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def office(client: Client, db: None) -> Client:
    client.force_login(create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR))
    return client


@pytest.fixture
def seed(db: None) -> Document:
    return seed_document()


def _compare_section(page: str) -> str:
    return page[page.index('<section class="card" id="compare">') :]


def _text_section(page: str) -> str:
    return page[page.index('<div class="doctext">') : page.index('<section class="card" id="compare">')]


# --- marking the text (no database) ---------------------------------------------------


def _finding(pk: int, start: int, end: int, kind: str = "garbled") -> FindingView:
    return FindingView(pk=pk, kind=kind, label=kind, message=f"message {pk}", start=start, end=end)


def mark_text(
    text: str, highlights: list[Highlight], *, anchors: list[tuple[int, str]] | None = None
) -> list[Run[Highlight]]:
    """The runs as the document page cuts them."""
    return text_runs(text, [(h.start, h.end, h) for h in highlights], anchors=anchors or [], points=True)


def test_overlapping_findings_share_one_highlight_and_empty_ones_get_a_point() -> None:
    text = "一二三四五六七八九十"
    highlights = group_findings([_finding(1, 2, 5), _finding(2, 4, 7), _finding(3, 10, 10, "truncated")])
    assert [(h.number, h.start, h.end, [f.pk for f in h.findings]) for h in highlights] == [
        (1, 2, 7, [1, 2]),
        (2, 10, 10, [3]),
    ]
    assert highlights[0].title == "garbled: message 1\ngarbled: message 2"

    runs = mark_text(text, highlights, anchors=[(0, "sec-0"), (4, "sec-0.0")])
    assert "".join(r.text for r in runs) == text
    marked = [(r.text, r.mark.number if r.mark else None, r.anchors, r.opens, r.closes) for r in runs]
    assert marked == [
        ("一二", None, ("sec-0",), False, False),
        ("三四", 1, (), True, False),
        ("五六七", 1, ("sec-0.0",), False, True),
        ("八九十", None, (), False, False),
        ("", 2, (), True, True),
    ]


def test_a_finding_at_the_start_of_another_joins_it() -> None:
    highlights = group_findings([_finding(1, 3, 3, "page_jump"), _finding(2, 3, 6)])
    assert [(h.start, h.end, len(h.findings)) for h in highlights] == [(3, 6, 2)]
    runs = mark_text("一二三四五六七", highlights)
    assert [(r.text, r.opens, r.closes) for r in runs if r.mark] == [("四五六", True, True)]


# --- the page ----------------------------------------------------------------------


def test_every_finding_links_to_its_highlight_which_carries_its_kind_and_message(
    office: Client, seed: Document
) -> None:
    page = office.get(f"/documents/{seed.pk}/").content.decode()
    findings = list(seed.findings.all())
    assert len(findings) >= 5
    text = _text_section(page)
    for finding in findings:
        item = re.search(rf'<li class="finding" id="finding-{finding.pk}"><a href="#(mark-\d+)"', page)
        assert item, finding
        mark = re.search(rf'<mark class="finding-span[^"]*" id="{item.group(1)}" title="([^"]*)">', text)
        assert mark, finding
        assert finding.message_en in html.unescape(mark.group(1))
    assert "Numbering problem" in page and "Truncated" in page
    assert "<li>Page-jump marker removed: “(下转4版)”</li>" in page
    garbled = seed.findings.get(kind="garbled")
    mark = re.search(r'<mark class="finding-span" id="mark-\d+" title="Garbled[^"]*">([^<]*)</mark>', text)
    assert mark and mark.group(1) == seed.text[garbled.start : garbled.end]


def test_the_structure_links_into_the_text(office: Client, seed: Document) -> None:
    page = office.get(f"/documents/{seed.pk}/").content.decode()
    first = seed.structure["sections"][0]
    assert '<a href="#sec-0"><span class="num">一</span>' in page
    after = _text_section(page).split('<span class="anchor" id="sec-0"></span>', 1)[1]
    assert after.startswith(seed.text[first["start"] : first["start"] + 10])


def test_the_side_by_side_shows_the_ocr_spaces_removed_and_the_commas_replaced(
    office: Client, seed: Document
) -> None:
    compared = _compare_section(office.get(f"/documents/{seed.pk}/").content.decode())
    assert '始终同以习近平同志为<del class="blank"> </del>核心的党中央' in compared
    assert "始终同以习近平同志为核心的党中央" in compared
    assert "<del>,</del>" in compared and "<ins>，</ins>" in compared
    assert "<del>(下转4版)</del>" in compared
    assert "Normalization changed 16 passages." in compared and "Show all" not in compared


def test_a_long_comparison_is_cut_and_the_rest_shown_on_request(office: Client) -> None:
    source = "关于加强管理的决定\n" + "\n".join(f"（{i}）坚持以人民为 中心,推动发展。" for i in range(1, 71))
    doc = ingest_document(data=source.encode(), filename="long.txt").document
    compared = _compare_section(office.get(f"/documents/{doc.pk}/").content.decode())
    assert "Normalization changed 70 passages." in compared and "The first 50 are shown." in compared
    assert '<a href="?changes=all#compare">Show all</a>' in compared
    assert compared.count("<tr><td>") == 50
    compared = _compare_section(office.get(f"/documents/{doc.pk}/?changes=all").content.decode())
    assert compared.count("<tr><td>") == 70 and "Show all" not in compared


def test_document_text_is_escaped_everywhere(office: Client) -> None:
    source = '关于<script>alert("x")</script>的决定\n一、总体要求\n要 加强<b onclick="x()">领导</b>。\n'
    doc = ingest_document(data=source.encode(), filename="<script>.txt").document
    page = office.get(f"/documents/{doc.pk}/").content.decode()
    assert "<script>alert" not in page and "<b onclick" not in page
    assert page.count("关于&lt;script&gt;alert(“x”)&lt;/script&gt;的决定") == 3  # title, heading, text
    assert (
        "关于&lt;script&gt;alert(<del>&quot;</del>x<del>&quot;</del>)&lt;/script&gt;的决定"
        in _compare_section(page)
    )
    assert (
        '要<del class="blank"> </del>加强&lt;b onclick=&quot;x()<del>&quot;</del>&gt;领导'
        in _compare_section(page)
    )


def test_a_unit_user_cannot_see_an_unrelated_document(client: Client, seed: Document) -> None:
    load_units(catalog="inner-mongolia")
    unit = Unit.objects.get(catalog="inner-mongolia", code="energy")
    client.force_login(
        create_user(username="liaison", password="pw-liaison-123", role=Role.LIAISON, unit=unit)
    )
    assert client.get(f"/documents/{seed.pk}/?changes=all").status_code == 404


def test_highlights_are_numbered_in_text_order(office: Client, seed: Document) -> None:
    text = _text_section(office.get(f"/documents/{seed.pk}/").content.decode())
    numbers = [int(n) for n in re.findall(r'id="mark-(\d+)"', text)]
    assert numbers == list(range(1, len(numbers) + 1))
