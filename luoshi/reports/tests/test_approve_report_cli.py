"""`luoshi approve_report [REPORT] --user HEAD (--approve | --return --comment C)`: the unit head's approval
from the command line, scoped like the page (only their unit's reports) and audited."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Report
from luoshi.reports.services import submit_report
from luoshi.testing.world import NOW, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world()


@pytest.fixture
def waiting(world: World) -> Report:
    with override_settings(UNIT_HEAD_APPROVAL=True):
        report = submit_report(
            obligation=world.obligation_b,
            user=world.liaison_b,
            progress=20,
            narrative="完成实地调研。",
            now=NOW,
        )
    assert report.approval == Report.Approval.PENDING
    return report


def run(*args: str) -> str:
    out = StringIO()
    call_command("approve_report", *args, stdout=out)
    return out.getvalue()


def test_the_head_lists_what_waits_and_approves_it(world: World, waiting: Report) -> None:
    listed = run("--user", "head_b")
    assert f"{waiting.pk}" in listed and "1 report(s) awaiting approval" in listed
    assert "0 report(s)" in run("--user", "head_a")  # another unit's head sees none of it
    assert "approved" in run(str(waiting.pk), "--approve", "--user", "head_b")
    waiting.refresh_from_db()
    assert (waiting.approval, waiting.approved_by) == (Report.Approval.APPROVED, world.head_b)
    entry = AuditEntry.objects.get(action="approve", object_id=str(waiting.pk))
    assert (entry.actor_label, entry.changes["approval"]) == ("head_b", ["pending", "approved"])


def test_returning_needs_a_comment_and_keeps_it(world: World, waiting: Report) -> None:
    with pytest.raises(CommandError, match="Please say why"):
        run(str(waiting.pk), "--return", "--user", "head_b")
    assert "returned" in run(str(waiting.pk), "--return", "--comment", "数据需核实。", "--user", "head_b")
    waiting.refresh_from_db()
    assert (waiting.approval, waiting.approval_comment) == (Report.Approval.RETURNED, "数据需核实。")


def test_a_stranger_cannot_approve_and_nothing_changes(world: World, waiting: Report) -> None:
    with pytest.raises(CommandError, match="not your unit's"):
        run(
            str(waiting.pk), "--approve", "--user", "head_a"
        )  # the head of another unit: as if it did not exist
    for user in ("liaison_b", "supervisor"):  # the unit's liaison, the office: not a unit head
        with pytest.raises(CommandError, match="may not"):
            run(str(waiting.pk), "--approve", "--user", user)
    with pytest.raises(CommandError, match="No active user"):
        run(str(waiting.pk), "--approve", "--user", "ghost")
    with pytest.raises(CommandError, match="--approve or --return"):
        run(str(waiting.pk), "--user", "head_b")
    waiting.refresh_from_db()
    assert waiting.approval == Report.Approval.PENDING
    assert not AuditEntry.objects.filter(action="approve").exists()
