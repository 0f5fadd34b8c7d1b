"""A whole region on one server (issue 12): page, API and export times as the region grows.

For each scale (default 0.1 and 1) and database (SQLite in var/bench-region/; PostgreSQL when
127.0.0.1:5432 answers, database ``luoshi_region_bench`` for scale 1, ``luoshi_region_bench_0_1``
for 0.1 and so on), builds the region with ``luoshi demo --region``'s generator, or with
``--reuse`` keeps the one built before for the same database, scale, seed and code version
(``luoshi.site.region.code_version``: a hash of what decides the region's content), then, in one process per scale and
database, logs in with Django's test client as the right role and requests each page: one
warm-up, then up to ``--requests`` timed requests (fewer when a page is slow: ``--max-seconds``
per page), reporting median, p95, queries (CaptureQueriesContext, on one request after the timed ones; the
warm-up's count too, as ``warmup_queries``, when it differs), bytes.
Exports (a quarterly bulletin in every format, the full ledger XLSX, a pass of ``luoshi tick`` an
hour on and one 40 days on, on a scratch copy, and ``refresh_states``) run each in its own
subprocess, which reports its time, the part spent in the roll-up (timed apart: it is being
replaced by stored snapshots), its queries and its peak memory (ru_maxrss). Results:
bench/results/region.json, a table on stdout; growth = scale-1 time / scale-0.1 time.
``--exports-only`` measures the exports alone, of regions built before, into
bench/results/region-exports.json (with ``--only``, the exports whose name has one of the words). ``LUOSHI_BENCH_PG_DB`` names another PostgreSQL database.

    .venv/bin/python bench/region.py [--scales 0.1,1] [--databases sqlite,postgres] [--only dashboard,api]
                                     [--requests 20] [--max-seconds 30] [--budget S] [--page-timeout S]
                                     [--reuse] [--no-exports] [--export-timeout S]
                                     [--region-url sqlite:////path/copy.sqlite3 --scales 0.1 --databases sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench-region"
# Scale 1's database (a session of its own names its own); other scales get a suffix (luoshi_region_bench_0_1).
PG_DB = os.environ.get("LUOSHI_BENCH_PG_DB", "luoshi_region_bench")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REGION_URL = ""  # --region-url: a region built elsewhere (a copy), measured as it is


def pg_database(scale: float) -> str:
    return PG_DB if scale == 1 else f"{PG_DB}_{scale:g}".replace(".", "_")


EXPORTS = (
    "bulletin docx",
    "bulletin xlsx",
    "bulletin html",
    "bulletin pdf",
    "ledger xlsx",
    "tick",
    "tick (40 days on)",
    "refresh_states",
)
WRITING = ("tick (40 days on)",)  # run on a scratch copy of the region, so that a second run finds the same


def database_url(database: str, scale: float) -> str:
    return REGION_URL or own_url(database, scale)


def own_url(database: str, scale: float) -> str:
    """Where this benchmark builds the region of the database and scale."""
    if database == "postgres":
        return f"{PG_SERVER}/{pg_database(scale)}"
    return f"sqlite:///{WORK / f'region-{scale:g}.sqlite3'}"


def environment(database: str, scale: float) -> dict[str, str]:
    data = WORK / f"data-{database}-{scale:g}"
    data.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(database, scale),
            "LUOSHI_DATA_DIR": str(data),
            "LUOSHI_SECRET_KEY": "bench-region-not-a-secret-" + "x" * 40,
            "LUOSHI_ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "luoshi.settings",
            "LUOSHI_DEBUG": "0",
        }
    )
    return env


def postgres_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


# --------------------------------------------------------------------------- child: build


def build(scale: float, seed: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.site.region import build_region

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    summary = build_region(scale=scale, seed=seed, echo=print)
    out = summary.to_dict() | {
        "wall_s": round(time.perf_counter() - t0, 1),
        "load": load(),
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print("\n".join(summary.lines()), flush=True)
    return out


# --------------------------------------------------------------------------- child: pages


def targets() -> list[tuple[str, str, str]]:
    """(name, login, path) of every page and JSON list, chosen from the region's own objects."""
    from django.db.models import Count

    from luoshi.tasks.models import Assignment, Task

    busiest_task = Task.objects.annotate(n=Count("assignments")).order_by("-n", "pk").first()
    busiest_unit = (
        Assignment.objects.values("unit_id", "unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .first()
    )
    assert busiest_task and busiest_unit, "no region here"
    liaison = f"r-liaison-{busiest_unit['unit__code']}"
    sup, lead = "r-supervisor1", "r-leader1"
    rows = [
        ("dashboard", sup, "/dashboard/"),
        ("dashboard (leader)", lead, "/dashboard/"),
        ("dashboard (unit filter)", sup, f"/dashboard/?unit={busiest_unit['unit_id']}"),
        ("office home", sup, "/office/"),
        ("bulletins page", sup, "/bulletins/"),
        ("bulletin preview (the page's frame)", sup, "/bulletins/preview"),
        ("task page (busiest)", sup, f"/tasks/{busiest_task.pk}/"),
        ("liaison home (busiest unit)", liaison, "/my/"),
        ("inbox (supervisor)", sup, "/inbox/"),
        ("inbox (liaison)", liaison, "/inbox/"),
        ("rag.csv", sup, "/dashboard/rag.csv"),
        ("api rollup", sup, "/api/rollup"),
    ]
    for name in (
        "tasks",
        "assignments",
        "obligations",
        "reports",
        "extensions",
        "urgings",
        "measures",
        "bulletins",
        "units",
        "documents",
        "plans",
    ):
        rows.append((f"api {name}", sup, f"/api/{name}"))
        rows.append((f"api {name} (deep page)", sup, f"/api/{name}?deep"))
    rows.append(("api reports (liaison, busiest unit)", liaison, "/api/reports"))
    rows.append(("api suggested measures", sup, "/api/measures/suggestions"))
    return rows


def deep(client: Any, path: str) -> str:
    """A page near the end of a JSON list: the cursor at nine tenths of it, found by walking its next links
    (500 items a page; the timed page then has the first page's 100 items)."""
    base = path.removesuffix("?deep")
    response = client.get(f"{base}?limit=500")
    body = response.json()
    if not isinstance(body, dict) or "next" not in body:  # a list without pages: there is no deep page
        return base
    cursors: list[tuple[int, str]] = []  # (items before the cursor, cursor)
    seen = len(body["items"])
    t0 = time.perf_counter()
    while body["next"]:
        cursors.append((seen, body["next_cursor"]))
        body = client.get(body["next"]).json()
        seen += len(body["items"])
    print(
        f"  {base:<32} walked {seen:,} items in {len(cursors) + 1} pages of 500 in "
        f"{time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    if not cursors:
        return f"{base}?limit=100"
    at = next((c for n, c in cursors if n >= 0.9 * seen), cursors[-1][1])
    return f"{base}?cursor={at}&limit=100"


class PageTimeout(Exception):
    """A page's warm-up took longer than ``--page-timeout``."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise PageTimeout


def measure_pages(
    requests: int, max_seconds: float, only: list[str], budget: float, page_timeout: float = 0.0
) -> list[dict[str, Any]]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from luoshi.core.startup import settle_memory

    settle_memory()  # as luoshi.wsgi does once the application is loaded

    users = get_user_model().objects
    clients: dict[str, Client] = {}
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name, login, path in targets():
        if only and not any(word in name for word in only):
            continue
        if budget and time.perf_counter() - started > budget:
            rows.append(
                {"name": name, "user": login, "path": path, "skipped": f"over the {budget:g} s budget"}
            )
            print(f"  {name:<32} skipped: over the {budget:g} s budget", flush=True)
            continue
        if login not in clients:
            clients[login] = Client()
            clients[login].force_login(users.get(username=login))
        client = clients[login]
        try:
            if path.endswith("?deep"):
                path = deep(client, path)
                if "?" not in path:
                    continue  # not paginated: the first page is the whole list
            t0 = time.perf_counter()
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, page_timeout)  # 0: no limit
            try:
                with CaptureQueriesContext(connection) as queries:
                    first = client.get(path)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            warm = time.perf_counter() - t0
        except PageTimeout:  # stopped: its time is "more than the limit", the other pages go on
            rows.append({"name": name, "user": login, "path": path, "timeout_s": page_timeout})
            print(f"  {name:<32} stopped after {page_timeout:g} s (--page-timeout)", flush=True)
            connection.close()  # the interrupted query's connection is not reused
            continue
        except Exception as exc:  # one broken page must not lose the others' numbers
            rows.append({"name": name, "user": login, "path": path, "error": repr(exc)})
            continue
        row: dict[str, Any] = {
            "name": name,
            "user": login,
            "path": path,
            "status": first.status_code,
            "bytes": len(first.content),
            "queries": len(queries),
            "warmup_s": round(warm, 3),
        }
        # A slow page gets fewer requests; one slower than the budget is timed by its warm-up alone.
        n = min(requests, int(max_seconds / max(warm, 1e-3)))
        times = [] if n else [warm * 1000]
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        if n:  # the steady count: the warm-up may fill caches (a fresh region's trend points) and count more
            with CaptureQueriesContext(connection) as again:
                client.get(path)
            if len(again) != len(queries):
                row.update(queries=len(again), warmup_queries=len(queries))
        times.sort()
        row.update(
            requests=n or 1,
            median_ms=round(statistics.median(times), 1),
            p95_ms=round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
        )
        if n < requests:
            row["note"] = (
                f"{n} requests" if n else "the warm-up only"
            ) + f" (max {max_seconds:g} s per page)"
        print(
            f"  {name:<32} {row['median_ms']:>10.1f} ms  p95 {row['p95_ms']:>10.1f}  q {row['queries']:>6}  "
            f"{row['bytes'] / 1024:>8.0f} KiB  n={n or 1}",
            flush=True,
        )
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- child: exports


def export(kind: str) -> dict[str, Any]:
    """One export in this process: its time, the part of it spent in the roll-up (``ratings.rollup``, being
    replaced by stored snapshots: timed apart), its queries and this process's peak memory."""
    import django

    django.setup()
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    import luoshi.bulletins.ledger
    import luoshi.bulletins.query

    in_rollup = [0.0]
    peak_after_rollup: list[int] = []  # ru_maxrss once the roll-up is done: the peak is its own when it stays
    real_rollup = luoshi.bulletins.query.rollup

    def timed_rollup(**kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return real_rollup(**kwargs)
        finally:
            in_rollup[0] += time.perf_counter() - t0
            peak_after_rollup.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    luoshi.bulletins.query.rollup = luoshi.bulletins.ledger.rollup = timed_rollup
    out: dict[str, Any] = {"name": kind}
    today = timezone.localdate()
    t0 = time.perf_counter()
    size = 0
    queries = [0]  # counted by a wrapper: CaptureQueriesContext keeps the last 9,000 only

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        if kind.startswith("bulletin"):
            from luoshi.bulletins.services import bulletin_data, masthead, pdf_unavailable, render

            fmt = kind.split()[1]
            if fmt == "pdf" and pdf_unavailable():
                return out | {"skipped": "WeasyPrint or a CJK font is not installed"}
            quarter = (today.month - 1) // 3 or 4
            year = today.year if quarter != 4 or today.month > 3 else today.year - 1
            data = bulletin_data(period=f"{year}-Q{quarter}", as_of=today)
            out["data_s"] = round(time.perf_counter() - t0, 2)
            t1 = time.perf_counter()
            size = len(render(data, fmt=fmt, head=masthead(data, number="bench")))
            out["render_s"] = round(time.perf_counter() - t1, 2)
            out["rows"] = len(data.problem_tasks) + len(data.units)
        elif kind == "ledger xlsx":
            from luoshi.bulletins import optional as bridges
            from luoshi.bulletins.renderers.ledger_xlsx import write_ledger
            from luoshi.bulletins.services import ledger_rows

            rows = ledger_rows(document=None, as_of=today)
            out["data_s"] = round(time.perf_counter() - t0, 2)
            t1 = time.perf_counter()
            size = len(
                write_ledger(
                    rows,
                    as_of=today,
                    evaluation=bridges.evaluation_installed(),
                    accountability=bridges.accountability_installed(),
                )
            )
            out["render_s"] = round(time.perf_counter() - t1, 2)
            out["rows"] = len(rows)
        elif kind.startswith("tick"):
            from luoshi.site.tick import run_pass

            later = dt.timedelta(days=40) if "40 days" in kind else dt.timedelta(hours=1)
            result = run_pass(now=timezone.now() + later)
            size = result.reminders + result.urgings + result.escalations + result.warnings
            out["created"] = result.to_dict() | {"now": None, "skipped": len(result.skipped)}
        elif kind == "refresh_states":
            from luoshi.reports.services import refresh_states

            out["created"] = refresh_states(today=today)
    seconds = time.perf_counter() - t0
    return (
        out
        | {
            "seconds": round(seconds, 2),
            "rollup_s": round(in_rollup[0], 2),
            "without_rollup_s": round(seconds - in_rollup[0], 2),
            "size": size,
            "queries": queries[0],
            "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
        | ({"maxrss_after_rollup_mb": round(peak_after_rollup[0] / 1024)} if peak_after_rollup else {})
    )


# --------------------------------------------------------------------------- parent


def child(args: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Run this script with ``args`` in a fresh process; its last stdout line is JSON. Killed after ``timeout``
    seconds even when it prints nothing meanwhile (an export prints only at its end)."""
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(
            [sys.executable, __file__, *args], env=env, stdout=subprocess.PIPE, stderr=err, text=True
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        last = ""
        assert proc.stdout is not None
        try:
            for line in proc.stdout:  # progress lines as they come; the last one is the JSON
                if last:
                    print(last, flush=True)
                last = line.rstrip("\n")
            code = proc.wait()
        finally:
            killed = not timer.is_alive()
            timer.cancel()
        if killed and code != 0:
            return {"error": f"stopped after {timeout:g} s"}
        if code != 0:
            err.seek(0)
            return {"error": "\n".join(err.read().strip().splitlines()[-12:])}
    return dict(json.loads(last))


def fresh(database: str, scale: float) -> None:
    """An empty database (and data dir, for the evidence files) for a new build."""
    if database == "postgres":
        name = pg_database(scale)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(database_url(database, scale).removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    shutil.rmtree(WORK / f"data-{database}-{scale:g}", ignore_errors=True)


def still_there(database: str, scale: float) -> bool:
    """Whether the database a build was recorded for still exists."""
    if database == "postgres":
        found = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{pg_database(scale)}'",
            ],
            capture_output=True,
            text=True,
        )
        return found.stdout.strip() == "1"
    return Path(database_url(database, scale).removeprefix("sqlite:///")).exists()


def reusable(database: str, scale: float, seed: int, code: str, before: dict[str, Any] | None) -> str | None:
    """Why a build recorded before cannot stand for this one, or None when it can."""
    if not before or "error" in before:
        return "no build recorded" if not before else "the build recorded failed"
    if (before.get("scale"), before.get("seed")) != (scale, seed):
        return f"built at scale {before.get('scale')} seed {before.get('seed')}"
    if before.get("code") != code:
        return f"built by other code ({str(before.get('code'))[:12]}, now {code[:12]})"
    if not still_there(database, scale):
        return "its database is gone"
    return None


def run_one(database: str, scale: float, opts: argparse.Namespace, built: dict[str, Any]) -> dict[str, Any]:
    env = environment(database, scale)
    key = f"{database}-{scale:g}"
    out: dict[str, Any] = {"database": database, "scale": scale, "load_before": load()}
    why = reusable(database, scale, opts.seed, opts.code, built.get(key)) if opts.reuse else "no --reuse"
    if REGION_URL:
        out["build"] = {"reused": True, "database_url": REGION_URL, "scale": scale}
        if (
            own_url(database, scale) == REGION_URL and key in built
        ):  # the benchmark's own build, migrated since
            out["build"] = built[key] | out["build"] | {"migrated_since": True}
        print(f"[{key}] measuring the region at {REGION_URL}", flush=True)
    elif why is None:
        out["build"] = built[key] | {"reused": True}
        print(
            f"[{key}] reusing the region built {built[key].get('built_at', 'before')} "
            f"({built[key].get('wall_s')} s)",
            flush=True,
        )
    else:
        print(f"[{key}] building the region ({why}) …", flush=True)
        fresh(database, scale)
        out["build"] = child(["--child-build", str(scale), "--seed", str(opts.seed)], env, timeout=7200)
        out["build"]["built_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        built[key] = out["build"]
        path = WORK / "built.json"  # re-read: another bench process may have built meanwhile
        latest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        path.write_text(
            json.dumps(latest | {key: out["build"]}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    if "error" in out["build"]:
        return out
    print(f"[{key}] pages (load {load()}) …", flush=True)
    pages = child(
        [
            "--child-pages",
            "--requests",
            str(opts.requests),
            "--max-seconds",
            str(opts.max_seconds),
            "--only",
            ",".join(opts.only),
            "--budget",
            str(opts.budget),
            "--page-timeout",
            str(opts.page_timeout),
        ],
        env,
        timeout=7200,
    )
    out["pages"] = pages.get("pages", pages)
    out["exports"] = []
    if not opts.no_exports and not opts.only:
        for kind in ("bulletin docx", "ledger xlsx", "tick"):
            print(f"[{key}] export: {kind} …", flush=True)
            out["exports"].append(
                child(["--child-export", kind], env, timeout=opts.export_timeout) | {"name": kind}
            )
    out["load_after"] = load()
    return out


def exports(
    database: str, scale: float, env: dict[str, str], key: str, kinds: tuple[str, ...] = EXPORTS
) -> list[dict[str, Any]]:
    """Each export in its own process; the writing ones on a scratch copy of the region."""
    rows = []
    for kind in kinds:
        print(f"[{key}] export: {kind} …", flush=True)
        run_env = scratch(database, scale, env) if kind in WRITING else env
        row = child(["--child-export", kind], run_env, timeout=3600) | {"name": kind}
        print(f"[{key}]   {json.dumps(row, ensure_ascii=False)}", flush=True)
        rows.append(row)
    return rows


def scratch(database: str, scale: float, env: dict[str, str]) -> dict[str, str]:
    """A copy of the region's database for an export that writes (a pass of the clock 40 days on)."""
    if database == "postgres":
        server, source_db = database_url(database, scale).rsplit("/", 1)
        copy = f"{source_db}_scratch"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", copy], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", source_db, copy], check=True)
        return env | {"DATABASE_URL": f"{server}/{copy}"}
    source = Path(database_url(database, scale).removeprefix("sqlite:///"))
    target = source.with_name(source.stem + "-scratch.sqlite3")
    shutil.copyfile(source, target)
    return env | {"DATABASE_URL": f"sqlite:///{target}"}


def exports_only(opts: argparse.Namespace, databases: list[str]) -> None:
    """``--exports-only``: the exports of regions built before, into bench/results/region-exports.json."""
    path = RESULTS / "region-exports.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    kept = {(r["database"], r["scale"]): r for r in previous.get("runs", [])}
    for database in databases:
        for scale in (float(s) for s in opts.scales.split(",")):
            key = f"{database}-{scale:g}"
            if (
                database == "sqlite"
                and not Path(database_url(database, scale).removeprefix("sqlite:///")).exists()
            ):
                print(f"[{key}] no region built here: skipped", flush=True)
                continue
            env = environment(database, scale)
            kinds = tuple(k for k in EXPORTS if not opts.only or any(word in k for word in opts.only))
            fresh_rows = exports(database, scale, env, key, kinds)
            # With --only, the other exports measured before stay (each row says when it was measured).
            stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            before = kept.get((database, scale), {})
            older = [
                {"when": before.get("when"), "load": before.get("load_after")} | e
                for e in before.get("exports", [])
                if e.get("name") not in kinds
            ]
            rows = sorted(
                older + [r | {"when": stamp, "load": load()} for r in fresh_rows],
                key=lambda r: EXPORTS.index(r["name"]) if r.get("name") in EXPORTS else len(EXPORTS),
            )
            kept[(database, scale)] = {"database": database, "scale": scale, "exports": rows, "when": stamp}
    runs = sorted(kept.values(), key=lambda r: (r["database"] != "sqlite", r["database"], r["scale"]))
    RESULTS.mkdir(exist_ok=True)
    text = exports_table(runs)
    path.write_text(
        json.dumps(
            {"python": platform.python_version(), "cpus": os.cpu_count(), "runs": runs, "table": text},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(text)


def exports_table(runs: list[dict[str, Any]]) -> str:
    """Markdown: per export and run, seconds (of which in the roll-up), queries, peak MiB (and the peak
    once the roll-up was done: the same figure means the roll-up set it)."""
    lines = [
        "| export | "
        + " | ".join(f"{r['database']} {r['scale']:g}: s (roll-up s), queries, peak MiB" for r in runs)
        + " |",
        "|---|" + "---|" * len(runs),
    ]
    for kind in EXPORTS:
        cells = [kind]
        for run in runs:
            e = next((e for e in run.get("exports", []) if e.get("name") == kind), None)
            if e is None or "seconds" not in e:
                cells.append(
                    "-" if e is None else str(e.get("skipped") or e.get("error", "-")).splitlines()[-1][:60]
                )
                continue
            after = f" ({e['maxrss_after_rollup_mb']:,} after it)" if "maxrss_after_rollup_mb" in e else ""
            cells.append(
                f"{e['seconds']:,.1f} s ({e.get('rollup_s', 0):,.1f}), {e.get('queries', '-'):,} q, "
                f"{e['maxrss_mb']:,} MiB{after}"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(runs: list[dict[str, Any]]) -> str:
    """Markdown: one row per page, median / p95 ms, queries and KiB per run, growth per database."""
    names: list[str] = []
    for run in runs:
        for row in run.get("pages", []) if isinstance(run.get("pages"), list) else []:
            if row["name"] not in names:
                names.append(row["name"])
    head = ["page"] + [f"{r['database']} {r['scale']:g}: median / p95 ms, queries, KiB" for r in runs]
    growth = sorted({r["database"] for r in runs})

    def pair(db: str) -> list[dict[str, Any]]:
        """The two runs a growth ratio compares: scale 1 and 0.1 (issue 12's pair) when both ran, else the extremes."""
        mine = sorted((r for r in runs if r["database"] == db), key=lambda r: r["scale"])
        by_scale = {r["scale"]: r for r in mine}
        if 0.1 in by_scale and 1.0 in by_scale:
            return [by_scale[0.1], by_scale[1.0]]
        return [mine[0], mine[-1]] if len(mine) > 1 else mine

    def span(db: str) -> str:
        ends = pair(db)
        return f"{ends[-1]['scale']:g} / {ends[0]['scale']:g}"

    head += [f"growth {db} {span(db)}" for db in growth]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def find(run: dict[str, Any], name: str) -> dict[str, Any] | None:
        pages = run.get("pages")
        found = next((p for p in pages if p["name"] == name), None) if isinstance(pages, list) else None
        return found if found and "median_ms" in found else None

    for name in names:
        cells = [name]
        for run in runs:
            p = find(run, name)
            stopped = next(
                (
                    q
                    for q in run.get("pages") or []
                    if isinstance(q, dict) and q.get("name") == name and "timeout_s" in q
                ),
                None,
            )
            if p is None and stopped is not None:
                cells.append(f"> {stopped['timeout_s'] * 1000:,.0f} (stopped)")
                continue
            cells.append(
                "-"
                if p is None
                else f"{p['median_ms']:,.0f} / {p['p95_ms']:,.0f}, {p['queries']:,} q, {p['bytes'] / 1024:,.0f}"
                + ("*" if p.get("note") else "")
            )
        for db in growth:
            ends = pair(db)
            small, big = (find(ends[0], name), find(ends[-1], name)) if len(ends) > 1 else (None, None)
            cells.append(f"×{big['median_ms'] / max(small['median_ms'], 0.1):.1f}" if small and big else "-")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        "| export | " + " | ".join(f"{r['database']} {r['scale']:g}: s, peak MiB" for r in runs) + " |"
    )
    lines.append("|---|" + "---|" * len(runs))
    for kind in EXPORTS:
        cells = [kind]
        for run in runs:
            e = next((e for e in run.get("exports", []) if e.get("name") == kind), None)
            if e is not None and str(e.get("error", "")).startswith("stopped after"):
                cells.append(f"> {e['error'].removeprefix('stopped after ')} (stopped)")
                continue
            cells.append(
                "-" if e is None or "seconds" not in e else f"{e['seconds']:,.1f} s, {e['maxrss_mb']:,} MiB"
            )
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| build | " + " | ".join(f"{r['database']} {r['scale']:g}" for r in runs) + " |")
    lines.append("|---|" + "---|" * len(runs))
    rows: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("seconds", lambda b: b.get("wall_s")),
        ("CPU seconds", lambda b: b.get("cpu_seconds")),
        ("built (UTC)", lambda b: b.get("built_at")),
        ("load (1/5/15 min)", lambda b: b.get("load")),
        ("peak MiB", lambda b: b.get("maxrss_mb")),
        *((kind, lambda b, kind=kind: b.get("counts", {}).get(kind)) for kind in BUILD_COUNTS),
        ("digest", lambda b: str(b.get("digest", ""))[:16] or None),
        ("code", lambda b: str(b.get("code", ""))[:12] or None),
    ]
    for label, get in rows:
        lines.append(f"| {label} | " + " | ".join(_cell(get(r.get("build", {}))) for r in runs) + " |")
    for scale in sorted({r["scale"] for r in runs}):
        same = [r["build"] for r in runs if r["scale"] == scale and r.get("build", {}).get("digest")]
        if len(same) > 1:
            codes = {b.get("code") for b in same}
            comparable = len(codes) == 1 and None not in codes and len({b.get("today") for b in same}) == 1
            verdict = (
                ("the same region" if len({b["digest"] for b in same}) == 1 else "DIFFERENT regions")
                if comparable
                else "not comparable regions (built by other code or on another date)"
            )
            lines.append(
                f"\nScale {scale:g}: {', '.join(r['database'] for r in runs if r['scale'] == scale)} hold {verdict}."
            )
    return "\n".join(lines)


BUILD_COUNTS = (
    "units",
    "tasks",
    "assignments",
    "obligations",
    "reports",
    "evidence",
    "urgings",
    "audit_entries",
)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    return f"{value:,}" if isinstance(value, int) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--only", default="", help="comma-separated words: measure only pages whose name has one"
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--max-seconds", type=float, default=30.0, help="time budget per page (fewer requests)"
    )
    parser.add_argument(
        "--budget", type=float, default=0.0, help="seconds for all pages of a run (0: no limit)"
    )
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=0.0,
        help="stop a page whose warm-up takes longer (its row says so; 0: no limit)",
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a region built before for the same database, scale, seed and code version",
    )
    parser.add_argument("--no-exports", action="store_true")
    parser.add_argument(
        "--export-timeout", type=float, default=3600.0, help="seconds before an export is stopped"
    )
    parser.add_argument(
        "--region-url",
        default="",
        help="measure the region at this database URL (a migrated copy "
        "built with `luoshi demo --region` at the one scale and database given): never built, "
        "dropped nor deleted here",
    )
    parser.add_argument(
        "--exports-only",
        action="store_true",
        help="only the exports, of regions built before (bench/results/region-exports.json)",
    )
    parser.add_argument("--child-build", type=float)
    parser.add_argument("--child-pages", action="store_true")
    parser.add_argument("--child-export")
    opts = parser.parse_args()
    opts.only = [w for w in opts.only.split(",") if w]
    global REGION_URL
    REGION_URL = opts.region_url
    kind = "postgres" if REGION_URL.startswith("postgres") else "sqlite"
    if REGION_URL and ("," in opts.scales or opts.databases != kind):
        parser.error(f"--region-url needs one --scales value and --databases {kind} (the region's)")
    if opts.child_build is not None:
        print(json.dumps(build(opts.child_build, opts.seed), ensure_ascii=False))
        return
    if opts.child_pages:
        print(
            json.dumps(
                {
                    "pages": measure_pages(
                        opts.requests, opts.max_seconds, opts.only, opts.budget, opts.page_timeout
                    )
                },
                ensure_ascii=False,
            )
        )
        return
    if opts.child_export:
        print(json.dumps(export(opts.child_export), ensure_ascii=False))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    from luoshi.site.region.build import code_version

    opts.code = code_version()
    built = (
        json.loads((WORK / "built.json").read_text(encoding="utf-8"))
        if (WORK / "built.json").exists()
        else {}
    )
    databases = [d for d in opts.databases.split(",") if d]
    if "postgres" in databases and not postgres_up():
        print("PostgreSQL does not answer on 127.0.0.1:5432: SQLite only", flush=True)
        databases.remove("postgres")
    if opts.exports_only:
        exports_only(opts, databases)
        return
    runs = []
    results = RESULTS / "region.json"
    for database in databases:
        for scale in (float(s) for s in opts.scales.split(",")):
            run = run_one(database, scale, opts, built)
            run["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            runs.append(run)
    # Runs of other scales and databases measured before (or by a bench running beside this one) stay.
    previous = json.loads(results.read_text(encoding="utf-8")) if results.exists() else {}
    kept = {(r["database"], r["scale"]): r for r in previous.get("runs", [])}
    for run in runs:
        before = kept.get((run["database"], run["scale"]))
        if (
            opts.only
            and before
            and isinstance(before.get("pages"), list)
            and isinstance(run.get("pages"), list)
        ):
            # A subset of pages: the run measured before keeps its build, exports and other pages.
            fresh_names = {p["name"] for p in run["pages"]}
            run = before | {
                "pages": [p for p in before["pages"] if p["name"] not in fresh_names] + run["pages"]
            }
        kept[(run["database"], run["scale"])] = run
    all_runs = sorted(kept.values(), key=lambda r: (r["database"] != "sqlite", r["database"], r["scale"]))
    RESULTS.mkdir(exist_ok=True)
    out = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "requests": opts.requests,
        "max_seconds": opts.max_seconds,
        "runs": all_runs,
        "table": table(all_runs),
    }
    results.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out["table"])


if __name__ == "__main__":
    main()
