"""The office's everyday work in a real browser (issue 14): the liaison attaches evidence, the unit head
approves, the office previews the evidence from the task page; a bulletin for a past quarter whose
numbers equal the dashboard's on its 截至 date. Screenshots under var/test/browser/test_office_work*/."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from luoshi.ratings.services import rollup
from luoshi.reports.models import Report
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.testing.browser import Journey


def _png(path: Path, width: int = 24, height: int = 16) -> Path:
    """A real (tiny, solid) PNG the browser can decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x2a\x7a\xc0" * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.django_db(transaction=True)
def test_office_work(journey: Journey, login_as: Any, tmp_path: Path) -> None:
    page = journey.page
    load_demo()

    # 1. The 农牧厅 liaison reports with a photo as evidence; the report waits for the unit head.
    login_as(journey, "nongmu", DEMO_PASSWORD)
    page.goto(journey.url("/my/"))
    page.locator("a.button[href*='/report/']").first.click()
    page.fill("#id_progress", "85")
    page.fill("#id_narrative", "牧区饲草储备完成八成五。")
    page.fill("#id_next_steps", "月底前完成全部储备。")
    page.set_input_files("#id_evidence", str(_png(tmp_path / "现场照片.png")))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    report = Report.objects.filter(narrative="牧区饲草储备完成八成五。").get()
    assert report.approval == Report.Approval.PENDING and report.evidence.count() == 1
    page.goto(journey.url("/my/"))
    assert "已提交，等待单位负责人审核" in page.locator("body").inner_text()
    journey.shot("liaison report awaiting the head")

    # 2. The unit head approves it on their page.
    login_as(journey, "nongmu-head", DEMO_PASSWORD)
    page.goto(journey.url("/my/"))
    row = page.locator(f"#approval-{report.pk}")
    assert "现场照片.png" in row.inner_text() and "月底前完成全部储备。" in row.inner_text()
    row.locator("button[value=approve]").click()
    page.wait_for_function(
        "sel => !document.querySelector(sel)", arg=f"#approval-{report.pk} button[value=approve]"
    )
    report.refresh_from_db()
    assert report.approval == Report.Approval.APPROVED
    journey.shot("head approved")

    # 3. The office opens the evidence from the task page and sees the photo and who approved.
    login_as(journey, "duchashi", DEMO_PASSWORD)
    page.goto(journey.url(f"/tasks/{report.obligation.assignment.task_id}/"))
    details = page.locator(f"details:has(#report-{report.pk})")
    details.locator("summary").click()
    assert "经 农牧厅负责人 孙 审核通过" in details.inner_text()
    assert "月底前完成全部储备。" in details.inner_text()
    journey.shot("task page with the report")
    details.get_by_role("link", name="现场照片.png").click()
    page.wait_for_url("**/evidence/*/")
    image = page.locator("#preview img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 24
    journey.shot("evidence preview")

    # 4. A bulletin for the last full quarter: 截至 its last day, the dashboard's numbers on that day.
    page.goto(journey.url("/bulletins/"))
    as_of = page.locator("input[name=as_of]").first.input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of)
    # The preview frame loads the bulletin from its own URL (sandboxed: the page reads it through the frame).
    preview = page.frame_locator("#bulletin-preview-frame").locator("body").inner_text()
    journey.shot("bulletin as of the period end")
    page.goto(journey.url(f"/dashboard/?as_of={as_of}"))
    html = page.content()
    match = re.search(r'<script id="dashboard-rag-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    green, amber, red = json.loads(match.group(1))["values"]
    total = green + amber + red
    assert rollup(as_of=dt.date.fromisoformat(as_of)).counts.total == total
    assert re.search(
        rf"纳入督查的重点任务共{total}项，其中按计划推进{green}项(（已办结\d+项）)?，滞后{amber + red}项",
        preview,
    )
    journey.shot("dashboard on the same date")
