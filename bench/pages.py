"""Page render times with the demo data (issue 6: every page under 300 ms).

Builds the demo world in a scratch SQLite database (or the one DATABASE_URL names), logs in
as each demo role and requests every main page through Django's full stack (middleware,
sessions, templates; no network), ``--repeat`` times after one warm-up. Prints median and
worst time per page and writes bench/results/pages.json.

    .venv/bin/python bench/pages.py [--repeat N] [--scale]

``--scale`` adds a second, large decision from the corpus (a provincial work
report of about 33,000 characters) with every proposed task that has a
suggested lead accepted, tasks started nine months ago with monthly reports,
and reports from the liaisons of every lead unit for most past periods;
then the same pages are timed on the larger world (results/pages-scale.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_MS = 300.0


def setup(scratch: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ["LUOSHI_DATA_DIR"] = str(scratch)
    os.environ.setdefault("LUOSHI_SECRET_KEY", "bench-pages-not-a-secret-" + "x" * 40)
    os.environ["LUOSHI_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def pages() -> dict[str, list[str]]:
    """Paths per demo account, from the demo's own objects."""
    from django.urls import NoReverseMatch, reverse

    from luoshi.decomposition.models import Plan
    from luoshi.documents.models import Document
    from luoshi.reports.models import Obligation
    from luoshi.tasks.models import Assignment, Task

    def maybe(name: str, *args: Any) -> list[str]:
        try:
            return [reverse(name, args=args)]
        except NoReverseMatch:
            return []  # a page this version does not have

    document = Document.objects.order_by("pk").first()
    plan = Plan.objects.order_by("pk").first()
    busiest = max(Task.objects.all(), key=lambda t: t.assignments.count())
    liaison_assignment = (
        Assignment.objects.filter(unit__members__user__username="nengyuan").order_by("pk").first()
    )
    assert document and plan and liaison_assignment
    obligation = Obligation.objects.filter(assignment=liaison_assignment).order_by("due_date").last()
    assert obligation
    office = [
        "/office/",
        "/dashboard/",
        "/dashboard/rag.csv",
        f"/tasks/{busiest.pk}/",
        f"/plans/{plan.pk}/",
        "/plans/",
        f"/documents/{document.pk}/",
        "/documents/",
        "/bulletins/",
        "/inbox/",
        *maybe("web:audit"),
        *maybe("web:people_units"),
        *maybe("web:people_users"),
    ]
    return {
        "duchashi": office,
        "lingdao": ["/dashboard/", f"/tasks/{busiest.pk}/", "/bulletins/"],
        "nengyuan": [
            "/my/",
            f"/tasks/{liaison_assignment.task_id}/",
            f"/obligations/{obligation.pk}/report/",
            "/inbox/",
        ],
    }


SCALE_DOCUMENT = "src_gwr_prov2025_广东省.txt"


def grow() -> dict[str, int]:
    """Add the large decision: plan, tasks for every suggested lead, liaisons, most reports. Returns counts."""
    import datetime as dt

    from django.utils import timezone

    from bench import corpus
    from luoshi.accounts.models import Role
    from luoshi.decomposition.models import PlanTask
    from luoshi.decomposition.services import confirm_plan, propose_plan, set_task_status
    from luoshi.documents.services import ingest_document
    from luoshi.people.services import create_user
    from luoshi.reports.models import Obligation
    from luoshi.reports.services import submit_report
    from luoshi.site.demo import DEMO_PASSWORD
    from luoshi.tasks.models import Assignment
    from luoshi.tasks.services import create_tasks_from_plan

    today = timezone.localdate()
    document = ingest_document(
        data=(corpus.texts() / SCALE_DOCUMENT).read_bytes(), filename=SCALE_DOCUMENT
    ).document
    plan = propose_plan(document=document, catalog_name="inner-mongolia").plan
    for task in plan.tasks.filter(parent=None, kind__in=["task", "recurring"]):
        set_task_status(task=task, status=PlanTask.ACCEPTED if task.lead_unit_id else PlanTask.REJECTED)
    plan = confirm_plan(accept_remaining=True, plan=plan)
    tasks = create_tasks_from_plan(
        plan=plan,
        start_date=today - dt.timedelta(days=270),
        default_deadline=today + dt.timedelta(days=365),
        cadence="monthly",
    )
    liaisons = {}
    for unit_id in {t.lead_unit_id for t in tasks}:
        name = f"scale-{unit_id}"
        liaisons[unit_id] = create_user(
            username=name,
            password=DEMO_PASSWORD,
            role=Role.LIAISON,
            unit=Assignment.objects.filter(unit_id=unit_id).first().unit,  # type: ignore[union-attr]
        )
    reports = 0
    seen: dict[int, int] = {}  # assignment -> periods so far: progress grows 10 points a period
    for n, obligation in enumerate(
        Obligation.objects.filter(assignment__task__in=tasks, assignment__role="lead", due_date__lt=today)
        .select_related("assignment")
        .order_by("assignment_id", "due_date")
    ):
        k = seen[obligation.assignment_id] = seen.get(obligation.assignment_id, 0) + 1
        if n % 5 == 4:
            continue  # one report in five is missing
        submit_report(
            obligation=obligation,
            user=liaisons[obligation.assignment.unit_id],
            progress=min(100, 10 * k),
            narrative="本期按计划推进。",
            now=timezone.make_aware(dt.datetime.combine(obligation.due_date, dt.time(16))),
        )
        reports += 1
    return {
        "tasks": len(tasks),
        "units": len(liaisons),
        "assignments": Assignment.objects.count(),
        "obligations": Obligation.objects.count(),
        "reports": reports,
    }


def measure(repeat: int) -> list[dict[str, Any]]:
    from django.test import Client

    from luoshi.site.demo import DEMO_PASSWORD

    rows = []
    for username, paths in pages().items():
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        for path in paths:
            first = client.get(path)
            assert first.status_code == 200, (username, path, first.status_code)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            rows.append(
                {
                    "user": username,
                    "path": path,
                    "bytes": len(first.content),
                    "median_ms": round(statistics.median(times), 1),
                    "max_ms": round(max(times), 1),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--scale", action="store_true", help="add a large decision before timing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-pages-") as scratch:
        setup(Path(scratch))
        from django.db import connection

        from luoshi.site.demo import load_demo

        t0 = time.perf_counter()
        load_demo()
        world: dict[str, int] = {}
        if args.scale:
            world = grow()
        demo_s = time.perf_counter() - t0
        rows = measure(args.repeat)
        vendor = connection.vendor
    print(f"demo data loaded in {demo_s:.1f} s ({vendor}); {args.repeat} requests per page after a warm-up")
    if world:
        print("scaled world: " + ", ".join(f"{k} {v}" for k, v in world.items()))
    print(f"{'user':<10} {'median ms':>9} {'max ms':>8} {'KiB':>6}  path")
    for r in rows:
        flag = "" if r["median_ms"] <= TARGET_MS else f"  over {TARGET_MS:.0f} ms"
        print(
            f"{r['user']:<10} {r['median_ms']:>9.1f} {r['max_ms']:>8.1f} {r['bytes'] / 1024:>6.0f}  {r['path']}{flag}"
        )
    worst = max(rows, key=lambda r: r["median_ms"])
    over = [r for r in rows if r["median_ms"] > TARGET_MS]
    print(
        f"slowest median: {worst['median_ms']} ms ({worst['path']}); pages over {TARGET_MS:.0f} ms: {len(over)}"
    )
    RESULTS.mkdir(exist_ok=True)
    out = {
        "python": platform.python_version(),
        "database": vendor,
        "repeat": args.repeat,
        "target_ms": TARGET_MS,
        "demo_load_s": round(demo_s, 2),
        "world": world,
        "pages": rows,
        "over_target": len(over),
    }
    (RESULTS / ("pages-scale.json" if args.scale else "pages.json")).write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
