"""The urging notice (催办单) of an urging record, downloaded as DOCX."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import docx
from django.test import Client
from django.utils import timezone

from luoshi.reports.models import Obligation
from luoshi.supervision.models import Subject, Urging
from luoshi.testing.demo import TODAY, lead_assignment


def _urging() -> Urging:
    assignment = lead_assignment("ethnic-affairs")
    missing = Obligation.objects.filter(assignment=assignment, state="missing").order_by("due_date").first()
    assert missing is not None  # the demo's 民委 liaison skips two periods
    return Urging.objects.create(
        key=f"test-urging-{missing.pk}",
        subject=Subject.REPORT,
        assignment=assignment,
        obligation=missing,
        due_date=missing.due_date,
        days_overdue=(TODAY - missing.due_date).days,
        required_response="请于3日内报送进展情况。",
        respond_by=TODAY + dt.timedelta(days=3),
        created_at=timezone.now(),
    )


def test_the_office_downloads_the_notice_in_the_official_layout(login: Callable[[str], Client]) -> None:
    urging = _urging()
    response = login("duchashi").get(f"/urgings/{urging.pk}.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "催办" in text and "内蒙古自治区民族事务委员会" in text
    assert f"督催〔{TODAY.year}〕{urging.pk}号" in text


def test_the_unit_may_read_its_own_notice_and_no_other_unit_may(login: Callable[[str], Client]) -> None:
    urging = _urging()
    assert login("minwei").get(f"/urgings/{urging.pk}.docx").status_code == 200
    assert login("nengyuan").get(f"/urgings/{urging.pk}.docx").status_code == 404
