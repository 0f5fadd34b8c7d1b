"""The commands: luoshi instruction issue|list|respond|approve|cite, luoshi watch, luoshi close_task."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.audit.services import entries_for
from luoshi.evaluation.models import Closure
from luoshi.evaluation.services import record_evaluation
from luoshi.instructions.models import Handling, Instruction, Watch
from luoshi.tasks.models import Status, Task
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 4, 3, 9, 0, tzinfo=dt.UTC)


def run(*args: Any) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_issue_answer_approve_and_list(world: World) -> None:
    world.unit_a.requires_head_approval = True
    world.unit_a.save()
    line = run(
        "instruction", "issue", "--task", str(world.task.pk), "--text", "请报送整改方案。", "--user", "leader"
    )
    instruction = Instruction.objects.get()
    assert line.startswith(
        f"{instruction.pk}\t2024-04-13\t自治区发展改革委"
    )  # LUOSHI_INSTRUCTION_DUE_DAYS = 10
    handling = instruction.handlings.get()
    assert run(
        "instruction", "respond", str(handling.pk), "--text", "已部署。", "--user", "liaison_a"
    ).strip() == (f"{handling.pk}\tawaiting_head")
    assert (
        run("instruction", "approve", str(handling.pk), "--approve", "--user", "head_a").strip()
        == f"{handling.pk}\tdone"
    )
    listed = json.loads(run("instruction", "list", "--user", "leader", "--json"))
    assert [(r["id"], r["state"], r["handlings"][0]["response"]) for r in listed] == [
        (instruction.pk, "done", "已部署。")
    ]
    assert run("instruction", "list", "--user", "liaison_c") == ""  # the stranger sees none
    assert (
        run("instruction", "cite", str(instruction.pk), "on", "--user", "supervisor").strip()
        == f"{instruction.pk}\ton"
    )
    assert [e.action for e in entries_for(instruction)] == ["create", "update"]
    assert [e.action for e in entries_for(Handling.objects.get())] == ["update", "approve"]


def test_refusals_are_one_line_in_both_languages(world: World) -> None:
    with pytest.raises(CommandError, match=r"只有领导可以作出批示。 / Only a leader writes instructions\."):
        run("instruction", "issue", "--unit", "fgw", "--text", "批示", "--user", "supervisor")
    run("instruction", "issue", "--unit", "gxt", "--text", "批示", "--user", "leader", "--due", "2024-04-20")
    handling = Handling.objects.get()
    with pytest.raises(CommandError, match="No such handling within your scope"):
        run("instruction", "respond", str(handling.pk), "--text", "越权", "--user", "liaison_a")
    with pytest.raises(CommandError, match=r"请写明办理情况"):
        run("instruction", "respond", str(handling.pk), "--text", " ", "--user", "liaison_b")


def test_watch_from_the_command_line(world: World) -> None:
    assert run("watch", "--user", "leader", "--task", str(world.task.pk)).startswith(
        f"{Watch.objects.get().pk}\t推进新能源装备制造\t"
    )
    data = json.loads(run("watch", "--user", "leader", "--json", "--seen"))
    assert data["items"][0]["task_id"] == world.task.pk
    assert json.loads(run("watch", "--user", "leader", "--json"))["seen_at"] is not None
    run("watch", "--user", "leader", "--task", str(world.task.pk), "--remove")
    assert not Watch.objects.exists()
    with pytest.raises(CommandError, match="Only a leader keeps a watch list"):
        run("watch", "--user", "supervisor", "--unit", "fgw")


def test_close_a_task_from_the_command_line(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(status=Status.COMPLETED)
    with pytest.raises(CommandError, match=r"尚未评估"):
        run("close_task", str(world.task.pk), "--note", "销号", "--all-evidence", "--user", "supervisor")
    record_evaluation(task=world.task, effect="good", user=world.supervisor)
    with pytest.raises(CommandError, match="Only the supervision office closes a task"):
        run("close_task", str(world.task.pk), "--note", "销号", "--all-evidence", "--user", "leader")
    out = run(
        "close_task",
        str(world.task.pk),
        "--note",
        "任务完成，予以销号。",
        "--all-evidence",
        "--user",
        "supervisor",
    )
    assert "closed with 1 evidence file(s)" in out
    assert list(Closure.objects.get().evidence.all()) == [world.evidence_a]
