from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.reports.models import Report
from luoshi.testing.demo import lead_assignment, open_obligation


def test_it_takes_a_report_and_goes_back_to_the_assignment(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    obligation = open_obligation(assignment)
    client = login("nengyuan")
    form = client.get(f"/obligations/{obligation.pk}/report/").content.decode()
    assert "csrfmiddlewaretoken" in form and 'name="progress"' in form and "multiple" in form
    evidence = [
        SimpleUploadedFile("a.txt", "会议纪要".encode(), content_type="text/plain"),
        SimpleUploadedFile("b.txt", "验收记录".encode(), content_type="text/plain"),
    ]
    response = client.post(
        f"/obligations/{obligation.pk}/report/",
        {
            "progress": "80",
            "narrative": "完成年度投资计划的八成。",
            "problems": "",
            "next_steps": "推进验收",
            "evidence": evidence,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{assignment.task_id}/#assignment-{assignment.pk}"
    report = Report.objects.get(obligation=obligation)
    assert (report.progress, report.version, report.evidence.count()) == (80, 1, 2)
    page = client.get(response["Location"]).content.decode()
    assert "报告已提交" in page and "80%" in page


def test_a_bad_progress_is_explained_next_to_the_field_and_nothing_is_stored(
    login: Callable[[str], Client],
) -> None:
    obligation = open_obligation(lead_assignment("energy"))
    response = login("nengyuan").post(
        f"/obligations/{obligation.pk}/report/", {"progress": "150", "narrative": "进展"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    error_block = page[page.index('id="error-progress"') :]
    assert error_block.index("0 到 100") < error_block.index("</div>")
    assert 'value="150"' in page
    assert not Report.objects.filter(obligation=obligation).exists()


def test_an_empty_narrative_is_refused_next_to_its_field(login: Callable[[str], Client]) -> None:
    obligation = open_obligation(lead_assignment("energy"))
    page = (
        login("nengyuan").post(f"/obligations/{obligation.pk}/report/", {"progress": "80"}).content.decode()
    )
    assert 'id="error-narrative"' in page and "请填写工作进展情况" in page
    assert not Report.objects.filter(obligation=obligation).exists()


def test_a_second_report_is_a_correction(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    submitted = assignment.obligations.get(period="2026-Q3")
    client = login("nengyuan")
    assert "更正（新版本）" in client.get(f"/obligations/{submitted.pk}/report/").content.decode()
    client.post(f"/obligations/{submitted.pk}/report/", {"progress": "72", "narrative": "更正：补充数据。"})
    assert list(submitted.reports.values_list("version", "progress")) == [(1, 70), (2, 72)]


def test_another_units_obligation_task_and_assignment_are_not_found(login: Callable[[str], Client]) -> None:
    theirs = lead_assignment("energy")
    client = login("nongmu")
    assert client.get(f"/obligations/{open_obligation(theirs).pk}/report/").status_code == 404
    assert (
        client.post(
            f"/obligations/{open_obligation(theirs).pk}/report/", {"progress": "10", "narrative": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/tasks/{theirs.task_id}/").status_code == 404
    assert client.get(f"/tasks/{theirs.task_id}/trajectory.csv").status_code == 404
    assert client.get(f"/assignments/{theirs.pk}/").status_code == 404
    assert (
        client.post(
            f"/assignments/{theirs.pk}/extension", {"new_deadline": "2028-06-30", "reason": "x"}
        ).status_code
        == 404
    )
    assert not Report.objects.filter(obligation__assignment=theirs, submitted_by__username="nongmu").exists()
