from __future__ import annotations

import json
import os
import signal
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from luoshi.notifications.models import Delivery, Notice, UnitChannel
from luoshi.site.management.commands import tick as tick_command
from luoshi.site.tick import run_pass
from luoshi.supervision.tests.conftest import World
from luoshi.tasks.models import Assignment
from luoshi.testing.robots import Robots

pytestmark = pytest.mark.django_db

KEYS = {
    "now",
    "obligations_created",
    "obligations_missing",
    "reminders",
    "urgings",
    "escalations",
    "warnings",
    "notices",
    "unit_messages",
    "review_reminders",
    "sent",
    "failures",
    "gave_up",
    "reclaimed",
    "rated",
    "skipped",
}


def tick(*args: str) -> str:
    out = StringIO()
    call_command("tick", *args, stdout=out)
    return out.getvalue()


def test_json_prints_one_object_with_the_counts(world: World, robots: Robots) -> None:
    UnitChannel.objects.create(unit=world.lead_unit, kind="wecom", address=f"{robots.url}/wecom")

    [line] = tick("--now", "2024-04-11T09:00:00+08:00", "--json").splitlines()

    counts = json.loads(line)
    assert set(counts) == KEYS
    assert counts["now"] == "2024-04-11T09:00:00+08:00"
    assert (counts["reminders"], counts["urgings"], counts["escalations"], counts["warnings"]) == (0, 2, 0, 0)
    assert counts["obligations_missing"] == 2
    assert counts["rated"] == Assignment.objects.count() > 0, "today's rating snapshots stored"
    assert counts["notices"] == 4  # liaison and head of each unit
    assert counts["sent"] == {"email": 0, "wecom": 1, "dingtalk": 0}
    assert (counts["failures"], counts["gave_up"], counts["reclaimed"]) == (0, 0, 0)


def test_it_ends_with_a_one_line_summary(world: World) -> None:
    output = tick("--now", "2024-04-03T09:00")  # naive: local time

    assert output.splitlines() == [
        "tick 2024-04-03T09:00+08:00: reminders 2, urgings 0, escalations 0, warnings 0, notices 2, "
        "sent (email 0, wecom 0, dingtalk 0), failures 0"
    ]


def test_running_it_again_sends_nothing_twice(world: World, robots: Robots, settings: Any) -> None:
    settings.EMAIL_ENABLED = True
    UnitChannel.objects.create(unit=world.lead_unit, kind="wecom", address=f"{robots.url}/wecom")
    UnitChannel.objects.create(
        unit=world.co_unit, kind="dingtalk", address=f"{robots.url}/dingtalk", secret="s"
    )
    days = ["2024-04-03", "2024-04-11", "2024-04-17", "2024-06-15", "2024-07-01", "2024-07-07"]
    for day in days:
        for _ in range(2):
            tick("--now", f"{day}T09:00", "--json")

    notices = Notice.objects.count()
    assert notices == len(set(Notice.objects.values_list("dedupe_key", flat=True)))
    assert Delivery.objects.filter(kind="email").count() == notices  # everyone here has an address
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    posts = [(p.path, p.body["markdown"].get("content") or p.body["markdown"]["text"]) for p in robots.posts]
    assert len(posts) == len(set(posts)) == Delivery.objects.exclude(kind="email").count()
    from django.core import mail

    assert len(mail.outbox) == notices


def test_now_and_loop_do_not_mix(world: World) -> None:
    with pytest.raises(CommandError):
        tick("--loop", "--now", "2024-04-03T09:00")
    with pytest.raises(CommandError):
        tick("--now", "yesterday")


def test_loop_stops_cleanly_on_sigterm_after_the_pass(world: World) -> None:
    passes: list[int] = []

    def one_pass(**kwargs: Any) -> Any:
        passes.append(1)
        if len(passes) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-pass
        return run_pass(**kwargs)

    before = signal.getsignal(signal.SIGTERM)
    with mock.patch.object(tick_command, "run_pass", one_pass):
        output = tick("--loop", "--interval", "0.01", "--json")

    assert len(passes) == 2 and len(output.splitlines()) == 2  # the second pass finished and printed
    assert signal.getsignal(signal.SIGTERM) == before  # handlers are given back
