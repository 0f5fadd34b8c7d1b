"""Unit-head approval as a per-unit step (Unit.requires_head_approval), not only the global switch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Report
from luoshi.reports.services import approve_report, needs_head_approval, submit_report
from luoshi.reports.tests.conftest import World, owed

pytestmark = pytest.mark.django_db


def _submit(world: World) -> Report:
    obligation = owed(world.lead)
    return submit_report(
        obligation=obligation,
        user=world.lead_liaison,
        progress=30,
        narrative="进展。",
        now=timezone.make_aware(dt.datetime(2024, 4, 5, 10)),
    )


@override_settings(UNIT_HEAD_APPROVAL=False)
def test_a_unit_that_requires_approval_holds_its_liaisons_report(world: World) -> None:
    unit = world.lead.unit
    unit.requires_head_approval = True
    unit.save()
    report = _submit(world)
    assert report.approval == Report.Approval.PENDING and not report.counts
    decided = approve_report(
        report=report,
        user=world.lead_head,
        approve=False,
        comment="请补充数据。",
        now=timezone.make_aware(dt.datetime(2024, 4, 6, 9)),
    )
    assert decided.approval == Report.Approval.RETURNED and decided.approved_by == world.lead_head
    entry = AuditEntry.objects.filter(action="approve").order_by("-pk").first()
    assert entry is not None and entry.note == "请补充数据。"


@override_settings(UNIT_HEAD_APPROVAL=False)
def test_without_the_setting_or_without_an_active_head_nothing_waits(world: World) -> None:
    assert not needs_head_approval(unit_id=world.lead.unit_id)
    unit = world.lead.unit
    unit.requires_head_approval = True
    unit.save()
    assert needs_head_approval(unit_id=unit.pk)
    world.lead_head.is_active = False
    world.lead_head.save()
    assert not needs_head_approval(unit_id=unit.pk)  # no report waits for nobody
    assert _submit(world).approval == Report.Approval.NOT_REQUIRED
