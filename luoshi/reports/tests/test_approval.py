"""Unit-head approval (LUOSHI_UNIT_HEAD_APPROVAL on): reports count once approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from luoshi.reports.models import Report
from luoshi.reports.services import (
    ReportError,
    approve_report,
    latest_counting_report,
    submit_report,
)
from luoshi.reports.tests.conftest import World, owed
from luoshi.testing.world import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approval_on")]


@pytest.fixture
def approval_on() -> object:
    with override_settings(UNIT_HEAD_APPROVAL=True):
        yield


def _submit(world: World, progress: int = 30, day: str = "2024-04-05") -> Report:
    return submit_report(
        obligation=owed(world.lead),
        user=world.lead_liaison,
        progress=progress,
        narrative="进展。",
        now=at(day, 10),
    )


def test_a_liaisons_report_counts_only_once_the_unit_head_approves(world: World) -> None:
    report = _submit(world)
    assert report.approval == Report.Approval.PENDING and not report.counts
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 4, 30)) is None
    assert owed(world.lead).state == "submitted"  # submitted on time, whatever the approval

    approved = approve_report(report=report, user=world.lead_head, approve=True, now=at("2024-04-08", 10))
    assert approved.approval == Report.Approval.APPROVED and approved.approved_by == world.lead_head
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 4, 30)) == report
    # Before the approval it did not count yet.
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 4, 7)) is None


def test_returning_needs_a_comment_and_the_returned_report_does_not_count(world: World) -> None:
    report = _submit(world)
    with pytest.raises(ReportError) as caught:
        approve_report(
            report=report, user=world.lead_head, approve=False, comment="  ", now=at("2024-04-06", 10)
        )
    assert caught.value.code == "comment_required"
    returned = approve_report(
        report=report,
        user=world.lead_head,
        approve=False,
        comment="请补充数据来源。",
        now=at("2024-04-06", 10),
    )
    assert (returned.approval, returned.approval_comment) == (Report.Approval.RETURNED, "请补充数据来源。")
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 5, 1)) is None

    corrected = _submit(world, progress=32, day="2024-04-07")
    assert (corrected.version, corrected.approval) == (2, Report.Approval.PENDING)
    approve_report(report=corrected, user=world.lead_head, approve=True, now=at("2024-04-08", 10))
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 5, 1)) == corrected


@pytest.mark.parametrize("who", ["lead_liaison", "co_liaison", "supervisor"])
def test_only_the_units_head_approves(world: World, who: str) -> None:
    report = _submit(world)
    with pytest.raises(ReportError) as caught:
        approve_report(report=report, user=getattr(world, who), approve=True, now=at("2024-04-06", 10))
    assert caught.value.code == "not_unit_head"
    report.refresh_from_db()
    assert report.approval == Report.Approval.PENDING


def test_a_superseded_or_decided_report_cannot_be_approved(world: World) -> None:
    first = _submit(world)
    second = _submit(world, progress=31)
    with pytest.raises(ReportError) as caught:
        approve_report(report=first, user=world.lead_head, approve=True, now=at("2024-04-06", 10))
    assert caught.value.code == "superseded"
    approve_report(report=second, user=world.lead_head, approve=True, now=at("2024-04-06", 10))
    with pytest.raises(ReportError) as caught:
        approve_report(
            report=second, user=world.lead_head, approve=False, comment="改主意", now=at("2024-04-07", 10)
        )
    assert caught.value.code == "not_pending"


def test_a_report_the_unit_head_submits_counts_at_once(world: World) -> None:
    report = submit_report(
        obligation=owed(world.lead),
        user=world.lead_head,
        progress=30,
        narrative="负责人报送。",
        now=at("2024-04-05", 10),
    )
    assert report.approval == Report.Approval.APPROVED and report.approved_by == world.lead_head
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 4, 5)) == report


@override_settings(UNIT_HEAD_APPROVAL=False)
def test_with_approval_off_reports_count_at_once(world: World) -> None:
    report = _submit(world)
    assert report.approval == Report.Approval.NOT_REQUIRED and report.counts
