"""Issue 12: every page reads as many queries for five times the tasks, and as many for a unit with five
times the assignments: no query per row (the region benchmark, bench/region.py, has the times)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.reports.services import ensure_obligations_for
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Assignment, Task
from luoshi.testing.demo import TODAY
from luoshi.testing.grow import grow
from luoshi.units.models import Unit

START, DEADLINE = dt.date(2026, 1, 1), dt.date(2026, 12, 31)

# (login, page): the office's, a leader's and a liaison's pages, and the exports they download.
PAGES = [
    ("duchashi", "/dashboard/"),
    ("lingdao", "/dashboard/"),
    ("duchashi", "/dashboard/?level=league_city&rag=red"),
    ("duchashi", "/dashboard/rag.csv"),
    ("duchashi", "/office/"),
    ("duchashi", "/office/list/missing/"),
    ("duchashi", "/bulletins/?period=2026-Q3"),
    ("duchashi", "/bulletins/preview?period=2026-Q3"),
    ("nengyuan", "/my/"),
    ("nengyuan", "/dashboard/"),
    ("duchashi", "/inbox/"),
    ("duchashi", "/api/rollup"),
]


def _grow(demo: DemoSummary, count: int, prefix: str) -> list[Task]:
    supervisor = get_user_model().objects.get(username="duchashi")
    found = grow(
        document=demo.document,
        count=count,
        start=START,
        deadline=DEADLINE,
        today=TODAY,
        supervisor=supervisor,
        prefix=prefix,
    )
    # The demo's 能源局 co-operates on every new task: its liaison's home grows with them.
    energy = Unit.objects.get(code="energy")
    joined = [
        Assignment.objects.create(task=t, unit=energy, role=Assignment.Role.CO, deadline=DEADLINE)
        for t in found.tasks
    ]
    ensure_obligations_for(
        assignments=Assignment.objects.filter(pk__in=[a.pk for a in joined]).select_related("task")
    )
    return found.tasks


def _queries(clients: dict[str, Client], login: Callable[[str], Client], user: str, path: str) -> int:
    client = clients.setdefault(user, login(user))
    assert client.get(path).status_code == 200, path  # the first look stores the ratings it computes
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def test_every_page_reads_as_many_queries_for_five_times_the_tasks(
    demo: DemoSummary, login: Callable[[str], Client]
) -> None:
    """12 generated tasks, then 60: from 12 on, every section of every page has rows (a list that is empty
    costs no query for its related rows, so a smaller start would count those as growth)."""
    clients: dict[str, Client] = {}
    first = _grow(demo, 12, "a")[0]
    pages = [*PAGES, ("duchashi", f"/tasks/{first.pk}/")]
    small = {path: _queries(clients, login, user, path) for user, path in pages}
    _grow(demo, 48, "b")
    large = {path: _queries(clients, login, user, path) for user, path in pages}
    assert large == small
    assert max(small.values()) <= 110  # the task page, with its forms and history, is the largest


def test_the_grown_world_is_what_the_pages_count(demo: DemoSummary, login: Callable[[str], Client]) -> None:
    """The bound above means something: the pages do list the new tasks and assignments."""
    _grow(demo, 3, "a")
    client = login("nengyuan")
    home = client.get("/my/").content.decode()
    assert "a生成任务2" in home
    data: Any = login("duchashi").get("/api/rollup").json()
    assert {"a生成任务0", "a生成任务2"} <= {t["title"] for t in data["tasks"]}
