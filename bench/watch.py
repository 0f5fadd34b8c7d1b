"""The leader's watch list (关注事项) and page: time and queries for few and many watched items.

Builds the demo world in a scratch SQLite database (or the one DATABASE_URL names); with ``--scale``
adds bench/pages.py's large decision first (35 more tasks with nine months of monthly reports). The
leader watches the first ``n`` tasks and every unit with work, for n in ``--sizes``, with the last
visit 60 days back, and a leader's instruction is written on each watched task. For each size:
``watch_list`` (median and worst of ``--repeat`` calls, its queries) and GET /leader/ through
Django's whole stack. Prints a table and writes bench/results/watch.json with the machine's load.

    .venv/bin/python bench/watch.py [--repeat N] [--sizes 2,8,all] [--scale]
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from bench.pages import RESULTS, grow, setup


def _timed(call: Any, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1), round(max(times), 1)


def measure(sizes: list[str], repeat: int) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from luoshi.instructions.models import Watch, WatchVisit
    from luoshi.instructions.services import issue_instruction
    from luoshi.instructions.watch import watch, watch_list
    from luoshi.site.demo import DEMO_PASSWORD
    from luoshi.tasks.models import Task
    from luoshi.units.models import Unit

    leader = get_user_model().objects.get(username="lingdao")
    tasks = list(Task.objects.order_by("pk"))
    units = list(Unit.objects.filter(assignments__isnull=False).distinct().order_by("pk"))
    back = timezone.now() - dt.timedelta(days=60)
    for task in tasks:
        issue_instruction(
            leader=leader,
            text="请加快推进，按期报送。",
            due_date=timezone.localdate() + dt.timedelta(days=10),
            task=task,
        )
    rows = []
    for size in sizes:
        n = len(tasks) if size == "all" else min(int(size), len(tasks))
        Watch.objects.filter(leader=leader).delete()
        for task in tasks[:n]:
            watch(user=leader, task=task, now=back)
        for unit in units:
            watch(user=leader, unit=unit, now=back)
        WatchVisit.objects.update_or_create(leader=leader, defaults={"seen_at": back})
        connection.queries_log.clear()  # a full log (9000 entries after the demo) would count nothing
        with CaptureQueriesContext(connection) as queries:
            listed = watch_list(user=leader)
        count = len(queries)  # now: a request (below) empties the query log
        median, worst = _timed(lambda: watch_list(user=leader), repeat)
        client = Client()
        assert client.login(username="lingdao", password=DEMO_PASSWORD)
        assert client.get("/leader/").status_code == 200
        page_median, page_worst = _timed(lambda c=client: c.get("/leader/"), repeat)
        rows.append(
            {
                "watched_tasks": n,
                "watched_units": len(units),
                "items": len(listed.items),
                "changes": listed.changes,
                "queries": count,
                "median_ms": median,
                "max_ms": worst,
                "page_median_ms": page_median,
                "page_max_ms": page_worst,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sizes", default="2,8,all")
    parser.add_argument("--scale", action="store_true", help="add the large decision before timing")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-watch-") as scratch:
        setup(Path(scratch))
        from django.db import connection

        from luoshi.site.demo import load_demo

        load_demo()
        world = grow() if args.scale else {}
        rows = measure(args.sizes.split(","), args.repeat)
        vendor = connection.vendor
    load_after = os.getloadavg()
    print(
        f"{vendor}; {args.repeat} calls each; load {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        f"on {os.cpu_count()} cores" + (f"; scaled world: {world}" if world else "")
    )
    print(
        f"{'tasks':>5} {'units':>5} {'changes':>7} {'queries':>7} {'list ms':>8} {'max':>7} {'page ms':>8} {'max':>7}"
    )
    for r in rows:
        print(
            f"{r['watched_tasks']:>5} {r['watched_units']:>5} {r['changes']:>7} {r['queries']:>7} {r['median_ms']:>8.1f} "
            f"{r['max_ms']:>7.1f} {r['page_median_ms']:>8.1f} {r['page_max_ms']:>7.1f}"
        )
    RESULTS.mkdir(exist_ok=True)
    out = {
        "python": platform.python_version(),
        "database": vendor,
        "repeat": args.repeat,
        "scale": args.scale,
        "world": world,
        "load_before": load_before,
        "load_after": load_after,
        "cores": os.cpu_count(),
        "rows": rows,
    }
    (RESULTS / ("watch-scale.json" if args.scale else "watch.json")).write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
