"""More of everything the API lists, for query bounds "the same at two sizes" (issue 12).

``grow(world, n)`` adds, with the models directly, n tasks of unit A each shared with a new unit
(a child of A), their assignments, two obligations per assignment with a report each (with an
indicator value and an evidence file), an extension request, an urging, a measure naming the task
and both units (with an attachment), a document, an issued bulletin and inbox notices: every kind
of row a list shows, and every relation its items show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from luoshi.accountability.models import Attachment, Measure
from luoshi.bulletins.models import Bulletin
from luoshi.documents.models import Document
from luoshi.notifications.models import Notice
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report
from luoshi.supervision.models import ExtensionRequest, Urging
from luoshi.tasks.models import Assignment, Indicator
from luoshi.testing.world import NOW, World, make_document, make_task
from luoshi.units.models import Unit


def add_report(obligation: Obligation, user: Any, *, at: dt.datetime = NOW) -> Report:
    return Report.objects.create(
        obligation=obligation, progress=40, narrative="按计划推进。", submitted_by=user, submitted_at=at
    )


def grow(world: World, n: int) -> None:
    """Add n more of each (again: n more)."""
    start = Unit.objects.filter(code__startswith="grown-").count()
    for i in range(start, start + n):
        unit = Unit.objects.create(
            code=f"grown-{i}", name=f"新增单位{i}", level="county", catalog="test", parent=world.unit_a
        )
        document = make_document(f"新增文件{i}", "c")
        Document.objects.filter(pk=document.pk).update(
            content_hash=hashlib.sha256(f"grown {i}".encode()).hexdigest()
        )
        task = make_task(document, f"新增任务{i}", world.unit_a)
        task.co_units.add(unit)
        indicator = Indicator.objects.create(
            task=task,
            name="装机容量",
            unit_of_measure="万千瓦",
            baseline=0,
            target=100,
            baseline_date=task.start_date,
            target_date=task.deadline,
        )
        for a in (
            Assignment.objects.create(
                task=task, unit=world.unit_a, role=Assignment.Role.LEAD, deadline=task.deadline
            ),
            Assignment.objects.create(task=task, unit=unit, role=Assignment.Role.CO, deadline=task.deadline),
        ):
            for quarter, due in ((1, dt.date(2024, 4, 10)), (2, dt.date(2024, 7, 10))):
                obligation = Obligation.objects.create(
                    assignment=a,
                    period=f"2024-Q{quarter}",
                    period_start=dt.date(2024, 3 * quarter - 2, 1),
                    period_end=due - dt.timedelta(days=10),
                    due_date=due,
                )
                report = add_report(obligation, world.liaison_a)
                IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal("12.5"))
                evidence = Evidence(
                    report=report,
                    original_name="照片.txt",
                    content_type="text/plain",
                    size=4,
                    sha256="1" * 64,
                )
                evidence.file.save("photo.txt", ContentFile(b"data"), save=True)
            ExtensionRequest.objects.create(
                assignment=a,
                old_deadline=a.deadline,
                new_deadline=a.deadline + dt.timedelta(days=30),
                reason="工期",
                requested_by=world.liaison_a,
                requested_at=NOW,
            )
            Urging.objects.create(
                key=f"grown-{a.pk}",
                subject="report",
                assignment=a,
                due_date=dt.date(2024, 4, 10),
                days_overdue=5,
                required_response="说明原因",
                respond_by=dt.date(2024, 4, 20),
                created_at=NOW,
            )
        measure = Measure.objects.create(
            kind="talk",
            weight=3,
            reason="进度滞后",
            date=dt.date(2024, 3, 1),
            decided_by=world.supervisor,
            created_at=NOW,
        )
        measure.units.set([world.unit_a, unit])
        measure.tasks.set([task])
        attachment = Attachment(
            measure=measure,
            original_name="纪要.txt",
            content_type="text/plain",
            size=4,
            sha256="2" * 64,
            uploaded_at=NOW,
        )
        attachment.file.save("minutes.txt", ContentFile(b"data"), save=True)
        Bulletin.objects.create(
            number=f"2024年第{i + 1}期",
            year=2024,
            sequence=i + 1,
            title=f"第{i + 1}期通报",
            period="2024-Q1",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 3, 31),
            as_of=dt.date(2024, 3, 31),
            document=document,
            data={},
            docx=b"PK",
            docx_sha256="3" * 64,
            office="督查室",
            issued_by=world.supervisor,
            issued_at=NOW + dt.timedelta(minutes=i),
        )
        for user in (world.supervisor, world.liaison_a):
            Notice.objects.create(
                recipient=user,
                kind="urging",
                title="催办",
                body="请尽快报送。",
                link="/my/",
                created_at=NOW + dt.timedelta(minutes=i),
                dedupe_key=f"grown-{i}|user={user.pk}",
            )
