"""An issued bulletin is numbered, stored with its DOCX and data, and never changed; reissuing supersedes it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.services import issue_bulletin, render_issued
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.bulletins.tests.render_helpers import all_text, open_docx
from luoshi.ratings.services import rollup
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db
ISSUED = dt.datetime(2024, 4, 5, 9, tzinfo=dt.UTC)


def test_issuing_numbers_and_stores_the_bulletin(demo: DemoSummary, supervisor: Any) -> None:
    bulletin = issue_bulletin(period=PERIOD, user=supervisor, as_of=TODAY, now=ISSUED)
    assert (bulletin.number, bulletin.version, bulletin.supersedes) == ("2024年第1期", 1, None)
    assert bulletin.docx_sha256 == hashlib.sha256(bytes(bulletin.docx)).hexdigest()
    text = all_text(open_docx(bytes(bulletin.docx)))
    assert "（2024年第1期）" in text and "2024年4月5日" in text
    data = BulletinData.from_dict(bulletin.data)
    assert data.summary.tasks == rollup(as_of=TODAY).counts.total
    assert render_issued(bulletin=bulletin, fmt="docx") == bytes(bulletin.docx)
    assert "2024年第1期" in render_issued(bulletin=bulletin, fmt="html").decode()


def test_an_issued_bulletin_cannot_be_changed(demo: DemoSummary, supervisor: Any) -> None:
    bulletin = issue_bulletin(period=PERIOD, user=supervisor, as_of=TODAY, now=ISSUED)
    bulletin.title = "改过的标题"
    with pytest.raises(BulletinError) as refused:
        bulletin.save()
    assert refused.value.code == "immutable"
    with pytest.raises(BulletinError):
        Bulletin.objects.filter(pk=bulletin.pk).update(title="改过的标题")
    with pytest.raises(BulletinError):
        bulletin.delete()
    assert Bulletin.objects.get(pk=bulletin.pk).title == "关于2024年第一季度重点任务落实情况的通报"


def test_reissuing_the_same_period_supersedes_with_the_next_number(
    demo: DemoSummary, supervisor: Any
) -> None:
    first = issue_bulletin(period=PERIOD, user=supervisor, as_of=TODAY, now=ISSUED)
    other = issue_bulletin(period="2023-Q4", user=supervisor, as_of=TODAY, now=ISSUED)
    again = issue_bulletin(period="2024-q1", user=supervisor, as_of=TODAY, now=ISSUED + dt.timedelta(days=1))
    assert other.number == "2024年第2期" and other.version == 1
    assert (again.number, again.version, again.supersedes) == ("2024年第3期", 2, first)
    assert first.superseded_by == again
    third = issue_bulletin(period=PERIOD, user=supervisor, as_of=TODAY, now=ISSUED + dt.timedelta(days=2))
    assert (third.version, third.supersedes) == (3, again)
    next_year = issue_bulletin(period="2024", user=supervisor, now=dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC))
    assert next_year.number == "2025年第1期"


def test_only_the_supervision_office_issues(demo: DemoSummary, liaison: Any) -> None:
    with pytest.raises(BulletinError) as refused:
        issue_bulletin(period=PERIOD, user=liaison, now=ISSUED)
    assert refused.value.code == "not_allowed"
    assert not Bulletin.objects.exists()
