"""The region generator (luoshi demo --region) at a tiny scale: through the services, every kind of
record, deterministic for a seed and a date (on either database: the digest names no ids)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Obligation, Report
from luoshi.site.region import RegionError, build_region
from luoshi.tasks.models import Assignment, Status, Task, Transition

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 20)  # deadlines of Dec 31 near: reminders and warnings too


def test_a_tiny_region_has_every_kind_of_record_each_through_its_service() -> None:
    region = build_region(scale=0.01, seed=7, today=TODAY)
    empty = [name for name, n in region.counts.items() if n == 0]
    assert empty == []
    assert set(Assignment.objects.values_list("role", flat=True)) == {"lead", "co", "share"}
    assert {Obligation.State.SUBMITTED, Obligation.State.LATE, Obligation.State.MISSING} <= set(
        Obligation.objects.values_list("state", flat=True)
    )
    assert Report.objects.filter(version__gt=1, supersedes__isnull=False).exists()
    assert {Status.IN_PROGRESS, Status.COMPLETED} <= set(Task.objects.values_list("status", flat=True))
    assert {"monthly", "quarterly"} <= set(Task.objects.values_list("cadence", flat=True))
    assert region.counts["reports"] == Report.objects.count()
    # Every step is in the audit trail, one entry per report version as submit_report writes it.
    audited = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {
        "tasks.task",
        "tasks.assignment",
        "tasks.milestone",
        "reports.report",
        "auth.user",
        "bulletins.goodpractice",
        "evaluation.evaluation",
        "accountability.measure",
    } <= audited
    assert (
        AuditEntry.objects.filter(object_type="reports.report", action="create").count()
        == Report.objects.count()
    )
    # The region's own dates, not the moment it ran: each task's status changes follow one another in time.
    chains: dict[int, list[tuple[str, str]]] = {}
    for task_id, before, after in Transition.objects.order_by("at", "id").values_list(
        "task_id", "from_status", "to_status"
    ):
        chains.setdefault(task_id, []).append((before, after))
    assert chains and all(
        c[0][0] == Status.DRAFT and all(a[1] == b[0] for a, b in pairwise(c)) for c in chains.values()
    )
    # A second region in the same database is refused, by the function and by the command.
    with pytest.raises(RegionError) as refused:
        build_region(scale=0.01, seed=7, today=TODAY)
    assert refused.value.code == "region_exists"
    with pytest.raises(CommandError, match="already holds a generated region"):
        call_command("demo", "--region", "--scale", "0.01", stdout=StringIO())


def test_the_same_seed_and_date_build_the_same_region() -> None:
    with transaction.atomic():  # the first build is rolled back; on PostgreSQL its ids are used up
        first = build_region(scale=0.01, seed=7, today=TODAY)
        transaction.set_rollback(True)
    second = build_region(scale=0.01, seed=7, today=TODAY)
    assert second.counts == first.counts
    assert second.digest == first.digest and len(second.digest) == 64
    assert second.code == first.code


def test_a_bad_scale_or_date_is_refused() -> None:
    with pytest.raises(RegionError) as refused:
        build_region(scale=0, today=TODAY)
    assert refused.value.code == "bad_scale"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("demo", "--region", "--scale", "0.01", "--today", "20-12-2026", stdout=StringIO())
