"""Two `luoshi tick` processes at the same moment create and send everything exactly once (PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from collections import Counter

import pytest
from django.db import connection

from luoshi.notifications.models import Delivery, Notice, UnitChannel, UnitMessage
from luoshi.supervision.models import Escalation, Reminder, Urging, Warning
from luoshi.supervision.tests.conftest import World, make_task
from luoshi.testing.paths import REPO
from luoshi.testing.robots import Robots
from luoshi.units.models import Unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two processes need a shared server database; SQLite's test database is in memory",
    ),
]


def database_url() -> str:
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_two_processes_never_create_or_send_anything_twice(world: World, robots: Robots) -> None:
    for n in range(12):
        unit = Unit.objects.create(code=f"u{n}", name=f"单位{n}", level="region", catalog="test")
        make_task(world.task.document, unit, world.co_unit, title=f"任务{n}")
    for unit in Unit.objects.all():
        UnitChannel.objects.create(unit=unit, kind="wecom", address=f"{robots.url}/wecom/{unit.code}")
    env = {**os.environ, "DATABASE_URL": database_url(), "LUOSHI_DB_TESTS_ONLY": ""}
    command = [sys.executable, "-m", "luoshi", "tick", "--now", "2024-07-08T09:00:00+08:00", "--json"]

    runs = [
        subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    counts = [json.loads(out) for out, _ in outputs]
    total: Counter[str] = Counter()
    for c in counts:
        total.update({k: v for k, v in c.items() if isinstance(v, int)})
        total.update({f"sent_{k}": v for k, v in c["sent"].items()})
    assert total["reminders"] == Reminder.objects.count()
    assert total["urgings"] == Urging.objects.count() > 0
    assert total["escalations"] == Escalation.objects.count() > 0
    assert total["warnings"] == Warning.objects.count() > 0
    assert total["notices"] == Notice.objects.count() > 0
    assert (
        total["sent_wecom"] == UnitMessage.objects.count() == Delivery.objects.filter(status="sent").count()
    )
    assert Delivery.objects.exclude(status="sent").count() == 0
    posts = Counter((p.path, p.body["markdown"]["content"]) for p in robots.posts)
    assert len(posts) == UnitMessage.objects.count() and set(posts.values()) == {1}
