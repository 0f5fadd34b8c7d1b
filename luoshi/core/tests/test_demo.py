from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.core.demo import DEMO_PASSWORD, load_demo
from luoshi.decomposition.models import Plan
from luoshi.documents.models import Document

pytestmark = pytest.mark.django_db


def test_demo_loads_the_seed_a_draft_plan_and_a_login_and_is_idempotent() -> None:
    first = load_demo()
    again = load_demo()
    assert Document.objects.count() == 1 and Plan.objects.count() == 1
    assert first.document.pk == again.document.pk
    assert first.document.title == "内蒙古自治区党委关于全方位建设模范自治区的决定"
    assert first.plan.tasks.filter(parent=None, kind="task").count() >= 9
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD)


def test_login_page_names_the_demo_accounts(client: Client) -> None:
    load_demo()
    page = client.get("/accounts/login/").content.decode()
    assert "admin" in page and DEMO_PASSWORD in page


def test_demo_user_logs_in_and_sees_the_seed_with_findings(client: Client) -> None:
    summary = load_demo()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    listing = client.get("/documents/").content.decode()
    assert summary.document.title in listing
    detail = client.get(f"/documents/{summary.document.pk}/").content.decode()
    assert "编号缺失" in detail and "（下转4版）" not in detail.split("Normalized text")[-1]
