"""The admin shows obligations, reports and evidence, and lets nobody edit them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from luoshi.reports.services import submit_report
from luoshi.reports.tests.conftest import World, owed
from luoshi.testing.world import at, png_bytes, upload

pytestmark = pytest.mark.django_db


def test_a_submitted_report_is_read_only_in_the_admin(
    world: World, admin_client: Client, tmp_path: Path
) -> None:
    obligation = owed(world.lead)
    with override_settings(MEDIA_ROOT=tmp_path):
        report = submit_report(
            obligation=obligation,
            user=world.lead_liaison,
            progress=30,
            narrative="一季度进展。",
            evidence=[upload("现场照片.png", png_bytes())],
            now=at("2024-04-05", 10),
        )

    page = admin_client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "一季度进展。" in html and "现场照片.png" in html
    assert 'name="_save"' not in html and 'name="narrative"' not in html
    assert admin_client.get("/admin/reports/report/add/").status_code == 403
    assert admin_client.post(f"/admin/reports/report/{report.pk}/delete/").status_code == 403
    listing = admin_client.get("/admin/reports/obligation/")
    assert listing.status_code == 200 and "2024-Q1" in listing.content.decode()
    evidence = admin_client.get(
        f"/admin/reports/evidence/{report.evidence.get().pk}/change/"
    ).content.decode()
    assert str(tmp_path) not in evidence and "evidence/2024/04/" not in evidence
