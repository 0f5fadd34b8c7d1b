"""Races on one file-based SQLite database, in threads with a connection each (run as a program).

``python -m luoshi.testing.sqlite_race`` with DATABASE_URL pointing at an empty SQLite file migrates it,
loads the demo, then lets N threads do the same write at the same moment: submit a report on one
obligation, issue the same bulletin, download the office's urging notice (催办单) for one unit, edit
the same task. It prints, as JSON, what each race stored and
every exception raised (type and message). The test (luoshi/core/tests/test_sqlite_concurrency.py)
runs it in a process of its own because the test suite's SQLite database is in memory, where
threads share one cache and SQLite's busy timeout does not apply.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

TODAY = dt.date(2026, 11, 26)
THREADS = 4


def race(work: Callable[[int], Any], *, threads: int = THREADS) -> list[str]:
    """Run ``work(i)`` in ``threads`` threads released together; the errors as "Type: message"."""
    from django.db import connection

    barrier = threading.Barrier(threads)
    errors: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # every failure is the finding, whatever its kind
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.test_settings")
    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from luoshi.bulletins.models import Bulletin
    from luoshi.bulletins.services import issue_bulletin
    from luoshi.bulletins.unit_notice import issue_unit_urging_notice
    from luoshi.reports.models import Obligation, Report
    from luoshi.reports.services import submit_report
    from luoshi.site.demo import load_demo
    from luoshi.tasks.errors import TaskError
    from luoshi.tasks.lifecycle import update_task
    from luoshi.tasks.models import Assignment, Task

    assert connection.vendor == "sqlite" and settings.DATABASES["default"]["NAME"] not in ("", ":memory:")
    call_command("migrate", verbosity=0)
    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=True):
        load_demo(today=TODAY)
        users = get_user_model().objects
        result: dict[str, Any] = {
            "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
        }

        lead = (
            Assignment.objects.filter(unit__code="energy", role=Assignment.Role.LEAD)
            .select_related("task")
            .order_by("pk")
            .first()
        )
        assert lead is not None
        obligation = Obligation.objects.filter(
            assignment=lead, period_start__lte=TODAY, due_date__gte=TODAY
        ).get()
        liaison = users.get(username="nengyuan")
        before = set(obligation.reports.values_list("version", flat=True))
        result["reports_errors"] = race(
            lambda i: submit_report(
                obligation=Obligation.objects.get(pk=obligation.pk),
                user=liaison,
                progress=60,
                narrative=f"并发报告 {i}",
                problems="并发测试",
            )
        )
        result["reports_versions"] = sorted(
            set(Report.objects.filter(obligation=obligation).values_list("version", flat=True)) - before
        )
        result["reports_before"] = sorted(before)

        supervisor = users.get(username="duchashi")
        result["bulletin_errors"] = race(lambda i: issue_bulletin(period="2026-Q3", user=supervisor))
        result["bulletin_versions"] = sorted(Bulletin.objects.values_list("version", flat=True))
        result["bulletin_numbers"] = len(set(Bulletin.objects.values_list("number", flat=True)))

        overdue = _unit_with_overdue_items()
        notices: list[str] = []
        result["urging_errors"] = race(
            lambda i: notices.append(
                issue_unit_urging_notice(unit=overdue, user=supervisor, today=TODAY).data.number
            )
        )
        result["urging_numbers"] = sorted(set(notices))
        result["urging_notices"] = len(notices)

        task = Task.objects.get(pk=lead.task_id)
        version = task.version
        stale: list[int] = []

        def edit(i: int) -> None:
            try:
                update_task(
                    task=Task.objects.get(pk=task.pk), version=version, user=supervisor, title=f"并发修改 {i}"
                )
            except TaskError as exc:
                if exc.code != "stale":
                    raise
                stale.append(i)

        result["task_errors"] = race(edit)
        result["task_stale"] = len(stale)
        task.refresh_from_db()
        result["task_version_step"] = task.version - version
        result["task_title"] = task.title
    json.dump(result, sys.stdout, ensure_ascii=False)


def _unit_with_overdue_items() -> Any:
    """A demo unit with something overdue on TODAY (what an urging notice needs)."""
    from luoshi.bulletins.errors import BulletinError
    from luoshi.bulletins.urging import urging_for_unit
    from luoshi.units.models import Unit

    for unit in Unit.objects.filter(assignments__isnull=False).distinct().order_by("pk"):
        try:
            urging_for_unit(unit=unit, as_of=TODAY, response_days=3)
        except BulletinError:
            continue
        return unit
    raise AssertionError("no demo unit has anything overdue")


if __name__ == "__main__":
    main()
