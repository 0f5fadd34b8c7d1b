from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.supervision.models import ExtensionRequest
from luoshi.supervision.services import request_extension
from luoshi.tasks.models import Status
from luoshi.tasks.services import transition
from luoshi.testing.demo import lead_assignment


def test_it_shows_the_office_todays_picture(login: Callable[[str], Client]) -> None:
    page = login("duchashi").get("/office/").content.decode()
    assert (
        '<strong id="count-missing">6</strong>' in page
    )  # 3 tasks of the ethnic-affairs office × 2 quarters
    red = page[page.index('id="red"') : page.index('id="amber"')]
    assert lead_assignment("ethnic-affairs").task.title in red and "连续2期未报送" in red
    assert lead_assignment("energy").task.title not in red


def test_approving_an_extension_moves_the_deadline(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    liaison = get_user_model().objects.get(username="nengyuan")
    extension = request_extension(
        assignment=assignment, user=liaison, new_deadline=dt.date(2028, 6, 30), reason="项目审批延后"
    )
    client = login("duchashi")
    assert "项目审批延后" in client.get("/office/").content.decode()
    row = client.post(
        f"/office/extensions/{extension.pk}/decide",
        {"decision": "approve", "comment": "同意"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and "2028-06-30" in row.content.decode()
    assignment.refresh_from_db()
    assert assignment.deadline == dt.date(2028, 6, 30)
    assert ExtensionRequest.objects.get(pk=extension.pk).status == "approved"


def test_rejecting_without_a_comment_is_refused_in_the_row(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    liaison = get_user_model().objects.get(username="nengyuan")
    extension = request_extension(
        assignment=assignment, user=liaison, new_deadline=dt.date(2028, 6, 30), reason="项目审批延后"
    )
    row = (
        login("duchashi")
        .post(f"/office/extensions/{extension.pk}/decide", {"decision": "reject"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "驳回延期申请须说明理由" in row and f'id="extension-{extension.pk}"' in row
    assert ExtensionRequest.objects.get(pk=extension.pk).status == "pending"
    assert (
        login("nengyuan")
        .post(f"/office/extensions/{extension.pk}/decide", {"decision": "approve"})
        .status_code
        == 403
    )


def test_the_office_closes_a_task_whose_lead_asked_for_completion(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    transition(
        task=task,
        to_status=Status.COMPLETION_REQUESTED,
        user=get_user_model().objects.get(username="nengyuan"),
    )
    client = login("duchashi")
    assert f'id="completion-{task.pk}"' in client.get("/office/").content.decode()
    response = client.post(f"/office/completions/{task.pk}/decide", {"decision": "approve"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.COMPLETED
