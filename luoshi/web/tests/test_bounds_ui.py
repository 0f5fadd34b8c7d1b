"""Issue 13 on the pages: a refused date or text is explained next to its field, in the page's
language, and no stored row, however odd, makes a page or an official document answer 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from luoshi.bulletins.models import GoodPractice
from luoshi.reports.models import Report
from luoshi.site.tick import run_pass
from luoshi.tasks.models import Assignment, Task
from luoshi.testing.demo import lead_assignment, open_obligation
from luoshi.units.models import Unit
from luoshi.web.tests.conftest import assert_error_at


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _plan_data(task: Task, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": task.number,
        "title": task.title,
        "start_date": task.start_date.isoformat(),
        "deadline": task.deadline.isoformat(),
        "cadence": task.cadence,
        "custom_dates": "\n".join(task.custom_dates),
        "report_day": task.report_day,
        "weight": str(task.weight),
        "lead_unit": task.lead_unit_id,
        "co_units": [u.pk for u in task.co_units.all()],
        "version": task.version,
    }
    data.update(changes)
    return data


def test_a_deadline_of_9999_is_refused_next_to_the_field(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    client = login("duchashi")
    response = client.post(f"/tasks/{task.pk}/plan", _plan_data(task, deadline="9999-12-31"))
    assert response.status_code == 400
    assert_error_at(response.content.decode(), "id_plan_deadline", "超出允许范围")
    english = _english(login("duchashi")).post(
        f"/tasks/{task.pk}/plan", _plan_data(task, deadline="9999-12-31")
    )
    assert_error_at(english.content.decode(), "id_plan_deadline", "is out of range")
    assert Task.objects.get(pk=task.pk).deadline == task.deadline
    assert client.get("/office/").status_code == 200
    assert client.get(f"/tasks/{task.pk}/").status_code == 200


def test_a_start_date_out_of_range_is_refused_next_to_it(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    response = login("duchashi").post(f"/tasks/{task.pk}/plan", _plan_data(task, start_date="1900-01-01"))
    assert_error_at(response.content.decode(), "id_plan_start_date", "超出允许范围")


def test_a_milestone_in_9999_is_refused_next_to_its_date(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    response = login("duchashi").post(
        f"/tasks/{task.pk}/milestones", {"date": "9999-12-31", "expected_progress": "90"}
    )
    assert response.status_code == 400
    assert_error_at(response.content.decode(), "id_milestone_date", "超出允许范围")


def test_a_stored_far_future_deadline_does_not_take_the_office_down(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    Task.objects.filter(pk=assignment.task_id).update(deadline=dt.date(9999, 12, 31))  # past the services
    Assignment.objects.filter(task_id=assignment.task_id).update(deadline=dt.date(9999, 12, 31))
    run_pass()
    client = login("duchashi")
    assert client.get("/office/").status_code == 200
    assert client.get(f"/tasks/{assignment.task_id}/").status_code == 200


def test_a_report_pasted_from_word_is_stored_without_control_characters(
    login: Callable[[str], Client],
) -> None:
    obligation = open_obligation(lead_assignment("energy"))
    response = login("nengyuan").post(
        f"/obligations/{obligation.pk}/report/",
        {"progress": "80", "narrative": "完成投资。\x0b新开工3个\x01。"},
    )
    assert response.status_code == 302
    assert Report.objects.get(obligation=obligation).narrative == "完成投资。\n新开工3个。"


def test_a_nul_in_a_report_is_refused_next_to_its_field(login: Callable[[str], Client]) -> None:
    obligation = open_obligation(lead_assignment("energy"))
    page = (
        login("nengyuan")
        .post(f"/obligations/{obligation.pk}/report/", {"progress": "80", "narrative": "完成\x00投资。"})
        .content.decode()
    )
    assert 'id="error-narrative"' in page
    assert not Report.objects.filter(obligation=obligation).exists()


@pytest.mark.parametrize("bad", ["\x0b", "\x01"])
def test_stored_control_characters_do_not_break_the_bulletin_or_urging_docx(
    login: Callable[[str], Client], bad: str
) -> None:
    report = Report.objects.filter(obligation__period="2026-Q3").order_by("pk").first()
    assert report is not None
    Report.objects.filter(pk=report.pk).update(narrative=f"经验一{bad}经验二")
    GoodPractice.objects.create(
        report=report,
        excerpt=f"经验一{bad}经验二",
        selected_by_id=report.submitted_by_id,
        selected_at=report.submitted_at,
    )
    urged = Unit.objects.get(code="ethnic-affairs")  # the demo's unit with overdue reports
    Task.objects.filter(assignments__unit=urged).update(title=f"重点{bad}任务")
    client = login("duchashi")
    assert client.get("/bulletins/download?period=2026-Q3&format=docx").status_code == 200
    issued = client.post("/bulletins/issue", {"period": "2026-Q3"})
    assert issued.status_code == 302, issued.content.decode()[:500]
    notice = client.get(f"/units/{urged.pk}/urging.docx")
    assert notice.status_code == 200 and notice.content.startswith(b"PK")


@pytest.mark.parametrize(
    "query", ["as_of=9999-12-31", "as_of=0001-01-01", f"unit={2**64}", f"part={2**64}", f"document={2**64}"]
)
def test_out_of_range_dashboard_filters_are_404_not_500(login: Callable[[str], Client], query: str) -> None:
    assert login("lingdao").get(f"/dashboard/?{query}").status_code == 404


def test_a_ledger_as_of_9999_is_404_not_500(login: Callable[[str], Client]) -> None:
    assert login("duchashi").get("/bulletins/ledger.xlsx?as_of=9999-12-31").status_code == 404


def test_a_bulletin_preview_for_a_far_period_explains_itself(login: Callable[[str], Client]) -> None:
    response = login("duchashi").get("/bulletins/?period=9999-Q4")
    assert response.status_code == 400 and "超出允许范围" in response.content.decode()
