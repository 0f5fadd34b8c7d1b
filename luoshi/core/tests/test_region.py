"""The region generator (luoshi demo --region) at a tiny scale: through the services, every kind of
record, deterministic for a seed and a date."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from luoshi.audit.models import AuditEntry
from luoshi.core.region import RegionError, build_region
from luoshi.reports.models import Obligation, Report
from luoshi.tasks.models import Assignment, Status, Task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 20)  # deadlines of Dec 31 near: reminders and warnings too
DIGESTS: dict[int, str] = {}


@pytest.fixture
def region() -> Any:
    summary = build_region(scale=0.01, seed=7, today=TODAY)
    DIGESTS.setdefault(7, summary.digest)
    return summary


def test_the_region_has_every_kind_of_record(region: Any) -> None:
    empty = [name for name, n in region.counts.items() if n == 0]
    assert empty == []
    assert set(Assignment.objects.values_list("role", flat=True)) == {"lead", "co", "share"}
    assert {Obligation.State.SUBMITTED, Obligation.State.LATE, Obligation.State.MISSING} <= set(
        Obligation.objects.values_list("state", flat=True))
    assert Report.objects.filter(version__gt=1, supersedes__isnull=False).exists()
    assert {Status.IN_PROGRESS, Status.COMPLETED} <= set(Task.objects.values_list("status", flat=True))
    assert {"monthly", "quarterly"} <= set(Task.objects.values_list("cadence", flat=True))
    assert region.counts["reports"] == Report.objects.count()


def test_it_goes_through_the_services_so_every_step_is_audited(region: Any) -> None:
    audited = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"tasks.task", "tasks.assignment", "tasks.milestone", "reports.report", "auth.user", "bulletins.goodpractice",
            "evaluation.evaluation", "accountability.measure"} <= audited
    reports = Report.objects.count()
    assert AuditEntry.objects.filter(object_type="reports.report", action="create").count() == reports


def test_the_same_seed_and_date_build_the_same_region(region: Any) -> None:
    # The first test of this module recorded the digest of its own (rolled back) build.
    assert region.digest == DIGESTS[7]
    assert len(region.digest) == 64


def test_a_second_region_in_the_same_database_is_refused(region: Any) -> None:
    with pytest.raises(RegionError) as refused:
        build_region(scale=0.01, seed=7, today=TODAY)
    assert refused.value.code == "region_exists"


def test_a_bad_scale_is_refused() -> None:
    with pytest.raises(RegionError) as refused:
        build_region(scale=0, today=TODAY)
    assert refused.value.code == "bad_scale"


def test_the_demo_command_reports_a_refusal_clearly(region: Any) -> None:
    with pytest.raises(CommandError, match="already holds a generated region"):
        call_command("demo", "--region", "--scale", "0.01", stdout=StringIO())
