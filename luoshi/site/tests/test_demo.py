from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.decomposition.models import Plan
from luoshi.documents.models import Document
from luoshi.ratings.models import Rating
from luoshi.reports.models import Obligation, Report
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


def test_demo_runs_the_chain_and_is_idempotent() -> None:
    first = load_demo(today=TODAY)
    again = load_demo(today=TODAY)
    assert Document.objects.count() == 1 and Plan.objects.count() == 1
    assert first.document.pk == again.document.pk
    assert first.plan.status == Plan.CONFIRMED
    assert Task.objects.count() == first.tasks >= 3
    assert Report.objects.count() == first.reports == again.reports > 0
    states = set(Obligation.objects.values_list("state", flat=True))
    assert {"submitted", "late", "missing"} <= states
    assert set(Rating.objects.values_list("rag", flat=True)) >= {"green", "red"}
    roles = dict(get_user_model().objects.values_list("username", "profile__role"))
    assert {"supervisor", "liaison", "unit_head", "leader", "admin"} <= set(roles.values())
    assert get_user_model().objects.get(username="nongmu").check_password(DEMO_PASSWORD)


def test_login_page_names_the_demo_accounts(client: Client) -> None:
    load_demo(today=TODAY)
    page = client.get("/accounts/login/").content.decode()
    assert "duchashi" in page and "nongmu" in page and DEMO_PASSWORD in page


def test_demo_user_logs_in_and_sees_the_seed_with_findings(client: Client) -> None:
    summary = load_demo(today=TODAY)
    assert client.login(username="admin", password=DEMO_PASSWORD)
    listing = client.get("/documents/").content.decode()
    assert summary.document.title in listing
    detail = client.get(f"/documents/{summary.document.pk}/").content.decode()
    assert "编号缺失" in detail
