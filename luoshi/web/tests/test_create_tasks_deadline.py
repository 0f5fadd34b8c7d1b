"""The create-tasks form offers the decision's own end year as the default deadline, or none at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.decomposition.models import Plan
from luoshi.documents.services import ingest_document
from luoshi.people.services import create_user
from luoshi.web.plan.pages import CreateTasksForm

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
PASSWORD = "deadline-test-pw"


def _plan(text: str) -> Plan:
    document = ingest_document(data=text.encode(), filename="decision.txt").document
    return Plan.objects.create(document=document, catalog="inner-mongolia", status=Plan.CONFIRMED)


def test_it_offers_the_end_of_the_latest_year_the_decision_states() -> None:
    plan = _plan("关于推进某项工作的决定\n\n一、总体要求\n\n到2026年底前完成试点，2027—2029年全面推开。\n")
    form = CreateTasksForm.for_plan(plan, TODAY)
    assert form.initial["default_deadline"] == dt.date(2029, 12, 31)
    assert "2027—2029年" in str(form.fields["default_deadline"].help_text)


def test_without_a_stated_year_the_deadline_is_empty_required_and_explained() -> None:
    plan = _plan("关于推进某项工作的决定\n\n一、总体要求\n\n坚持常抓不懈，建立长效机制。\n")
    create_user(username="duchashi", password=PASSWORD, role=Role.SUPERVISOR)
    client = Client()
    assert client.login(username="duchashi", password=PASSWORD)
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    field = (
        html.split('name="default_deadline"')[0].rsplit("<input", 1)[1]
        + html.split('name="default_deadline"')[1].split(">")[0]
    )
    assert "value=" not in field and "required" in field
    assert "请选择完成时限" in html
    response = client.post(
        f"/plans/{plan.pk}/create-tasks", {"start_date": TODAY.isoformat(), "cadence": "quarterly"}
    )
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
