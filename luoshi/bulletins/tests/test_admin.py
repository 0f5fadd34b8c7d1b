"""The admin shows issued bulletins read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.bulletins.services import issue_bulletin
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db


def test_it_lists_bulletins_and_offers_no_edit(
    demo: DemoSummary, supervisor: Any, admin_client: Client
) -> None:
    bulletin = issue_bulletin(
        period=PERIOD, user=supervisor, as_of=TODAY, now=dt.datetime(2024, 4, 5, tzinfo=dt.UTC)
    )
    page = admin_client.get(reverse("admin:bulletins_bulletin_changelist"))
    assert page.status_code == 200 and "2024年第1期" in page.content.decode()
    assert admin_client.get(reverse("admin:bulletins_bulletin_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:bulletins_bulletin_change", args=[bulletin.pk]), {"title": "x"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:bulletins_goodpractice_changelist")).status_code == 200
