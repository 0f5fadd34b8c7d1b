"""Every form a decision arrives in, uploaded in a real browser: a scanned PDF, a photo of a page, an old
Word .doc, an OFD file and a DOCX with a task-division table each show their structure and findings, and
each yields a proposed task division (the table's rows with the units and time limits the table names).

Debian's chromium driven by Playwright (luoshi.testing.browser); LibreOffice converts the .doc (`make test`
installs it). The scans are typeset from a test document (luoshi.testing.scans), the OFD is built by
luoshi.testing.ofd, the .doc is luoshi/testing/documents/notice_numbered.doc, the table document is built by
luoshi.testing.tables.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from luoshi.accounts.models import Role
from luoshi.decomposition.models import PlanTask
from luoshi.documents.doc_reader import soffice_path
from luoshi.documents.models import Document
from luoshi.documents.readers import read_document
from luoshi.documents.textproc.pipeline import analyse
from luoshi.people.services import create_user
from luoshi.testing.browser import Journey
from luoshi.testing.ofd import column_lines, make_ofd
from luoshi.testing.paths import document_path, document_text
from luoshi.testing.scans import Variant, cjk_font_path, photo_jpeg, scanned_pdf, typeset
from luoshi.testing.tables import make_division_docx
from luoshi.units.services import load_units

PASSWORD = "pw-office-123"
SLOW = 180_000  # ms: OCR of a page on a busy two-core machine
# A notice with its 重点任务分工 table (written for this test): one proposed task per row.
TABLE_NOTICE = [
    "国务院办公厅关于加快发展体育竞赛表演产业的指导意见",
    "一、主要任务",
    "（一）完善体育赛事体系。积极发展职业联赛，推动赛事专业化运营。",
    "（二）培育市场主体。支持企业做大做强，鼓励社会资本进入。",
    "附件",
    "重点任务分工",
]
TABLE_ROWS = [
    ["序号", "重点任务", "主要内容", "牵头单位", "配合单位", "完成时限"],
    [
        "1",
        "办好全国性单项体育赛事",
        "统筹赛事资源，提升办赛水平。",
        "体育总局",
        "发展改革委、财政部",
        "2019年6月底前",
    ],
    ["2", "发展冰雪运动赛事", "推动冰雪赛事进校园、进社区。", "体育总局", "教育部", "2019年12月"],
    ["3", "加强赛事安全监管", "建立赛事安全风险评估制度。", "公安部", "体育总局", "长期坚持"],
]


def paragraphs(name: str) -> list[str]:
    return [line.strip() for line in document_text(name).splitlines() if line.strip()]


def one_page(lines: list[str], variant: Variant) -> list[str]:
    """The first paragraphs that fit on one typeset page."""
    count = len(lines)
    while len(typeset(lines[:count], variant)) > 1:
        count -= 1
    return lines[:count]


def top_numbers(text: str) -> list[str]:
    return [s.number for s in analyse(text).structure.sections]


def uploads() -> list[tuple[str, str, bytes, list[str]]]:
    """(file name, MIME type, bytes, the top-level section numbers of the text version): five documents."""
    variant = Variant("browser", 200, 1, False)
    notice = one_page(paragraphs("notice_stripped.txt"), variant)
    regulation = one_page(paragraphs("regulation.txt"), variant)
    report = paragraphs("word_report.txt")
    doc = document_path("notice_numbered.doc").read_bytes()
    table = make_division_docx(TABLE_NOTICE, TABLE_ROWS)
    table_text = read_document(table, filename="分工.docx", max_bytes=10_000_000).text
    return [
        (
            "扫描件.pdf",
            "application/pdf",
            scanned_pdf(typeset(notice, variant), 200),
            top_numbers("\n".join(notice)),
        ),
        (
            "手机拍照.jpg",
            "image/jpeg",
            photo_jpeg(typeset(regulation, variant)[0]),
            top_numbers("\n".join(regulation)),
        ),
        ("通知.doc", "application/msword", doc, ["一", "二", "三", "附件"]),
        (
            "报告.ofd",
            "application/ofd",
            make_ofd(column_lines(report, left=28, top=40, width=156)),
            top_numbers("\n".join(report)),
        ),
        (
            "重点任务分工.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            table,
            top_numbers(table_text),
        ),
    ]


@pytest.mark.django_db(transaction=True)
def test_scans_photos_doc_and_ofd_uploads_yield_structure_and_proposed_tasks(
    journey: Journey,
    login_as: Any,
    settings: Any,
) -> None:
    if cjk_font_path() is None:
        pytest.skip("no Chinese font to typeset the scans")
    if soffice_path() is None:
        if os.environ.get("LUOSHI_REQUIRE_CONVERTER") == "1":
            pytest.fail("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    page = journey.page
    load_units(catalog="state-council")
    create_user(username="office", password=PASSWORD, role=Role.SUPERVISOR)
    login_as(journey, "office", PASSWORD)
    for name, mime, data, parts in uploads():
        page.goto(journey.url("/documents/"))
        page.set_input_files("#id_file", {"name": name, "mimeType": mime, "buffer": data})
        page.click("form[data-upload] button[type=submit]")
        page.wait_for_url("**/documents/*/", timeout=SLOW)
        document = Document.objects.get(filename=name)
        tree = [s.number for s in document.sections.filter(parent=None)]
        assert tree == parts and len(parts) >= 2, (name, tree)
        assert page.locator("#structure li").count() >= len(parts)
        assert page.locator("#findings h2").count() == 1
        journey.shot(f"{document.format} document")
        if name.endswith(".docx"):  # a State Council document: its units are in that catalog
            page.select_option("#task-division select[name=catalog]", "state-council")
        page.locator("#task-division button[type=submit]").click()
        page.wait_for_url("**/plans/*/", timeout=SLOW)
        proposed = page.locator("article.plan-task[data-status=proposed]").count()
        assert proposed >= 3, (name, proposed)
        journey.shot(f"{document.format} proposed tasks")
    assert set(Document.objects.values_list("format", flat=True)) == {"pdf", "jpeg", "doc", "ofd", "docx"}
    # The table's rows became proposed tasks with the units and time limits the table names.
    rows = PlanTask.objects.filter(plan__document__format="docx").exclude(table_source={}).order_by("order")
    assert [(t.title, t.lead_unit.name if t.lead_unit else None) for t in rows] == [
        ("办好全国性单项体育赛事", "国家体育总局"),
        ("发展冰雪运动赛事", "国家体育总局"),
        ("加强赛事安全监管", "公安部"),
    ]
    assert sorted(u.name for u in rows[0].co_units.all()) == sorted(["国家发展和改革委员会", "财政部"])
    assert rows[0].deadline is not None and rows[0].deadline.isoformat() == "2019-06-30"
    assert Document.objects.get(format="pdf").encoding == "pdf-ocr"
