from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

from luoshi.supervision.models import ExtensionRequest
from luoshi.testing.demo import lead_assignment


def _chart(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="trajectory-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no chart data on the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_the_task_page_shows_the_source_owners_and_audit_to_the_office(
    login: Callable[[str], Client],
) -> None:
    assignment = lead_assignment("energy")
    page = login("duchashi").get(f"/tasks/{assignment.task_id}/").content.decode()
    assert '<mark class="finding-span">' in page
    assert f'id="assignment-{assignment.pk}"' in page and assignment.unit.name in page
    assert 'id="audit"' in page and "duchashi" in page  # who created the task
    audit = page[page.index('id="audit"') :]
    assert "状态：<del>草稿</del> → <ins>已交办</ins>" in audit, "changes read as a diff, in words"
    assert "echarts.min.js" in page and "trajectory.js" in page


def test_the_chart_data_has_planned_and_actual_series(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    chart = _chart(login("nengyuan").get(f"/tasks/{assignment.task_id}/").content.decode())
    assert chart["periods"][:4] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    (series,) = chart["series"]
    # Plan: 0% on 2026-01-01, the 60% milestone on 2026-12-31, 100% on 2027-12-31.
    assert series["planned"][:4] == [14.7, 29.7, 44.8, 60.0]
    assert series["actual"][:4] == [20, 45, 70, None]
    assert chart["indicators"] == []  # the demo's tasks have none (test_task_setup.py adds some)


def test_a_liaison_sees_its_own_task_without_the_audit_trail(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    page = login("nengyuan").get(f"/tasks/{assignment.task_id}/").content.decode()
    assert 'id="audit"' not in page and "申请延期" in page


def test_the_trajectory_downloads_as_csv(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    response = login("duchashi").get(f"/tasks/{assignment.task_id}/trajectory.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["unit", "period", "period_end", "planned_progress", "actual_progress"]
    assert rows[1] == [assignment.unit.name, "2026-Q1", "2026-03-31", "14.7", "20"]


def test_a_liaison_requests_an_extension_and_a_refusal_shows_next_to_the_date(
    login: Callable[[str], Client],
) -> None:
    assignment = lead_assignment("energy")
    client = login("nengyuan")
    refused = client.post(
        f"/assignments/{assignment.pk}/extension", {"new_deadline": "2027-01-01", "reason": "x"}
    )
    assert refused.status_code == 400 and "新的完成时限须晚于现时限" in refused.content.decode()
    done = client.post(
        f"/assignments/{assignment.pk}/extension", {"new_deadline": "2028-06-30", "reason": "项目审批延后"}
    )
    assert done.status_code == 302 and ExtensionRequest.objects.get(assignment=assignment).status == "pending"


def test_no_page_references_an_external_host() -> None:
    web = Path(__file__).resolve().parents[1]
    files = [
        *web.glob("templates/**/*.html"),
        *web.glob("static/web/*.js"),
        web.parent / "core" / "templates" / "core" / "base.html",
    ]
    for path in files:
        text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", path.read_text(encoding="utf-8"))
        assert not re.search(r"https?://", text), path
