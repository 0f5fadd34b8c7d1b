"""A leader's watch list (关注事项): what changed since the last visit, computed for the whole list at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.audit.services import entries_for
from luoshi.instructions.models import Watch
from luoshi.instructions.watch import mark_seen, unwatch, watch, watch_list
from luoshi.reports.services import submit_report
from luoshi.site.tick import run_pass
from luoshi.tasks.models import Assignment
from luoshi.testing.world import DEADLINE, World, at, make_obligation, make_task

pytestmark = pytest.mark.django_db


def kinds(world: World, now: str) -> dict[str, list[str]]:
    return {
        item.label: [c.kind for c in item.changes]
        for item in watch_list(user=world.leader, now=at(now)).items
    }


def test_only_a_leader_watches_and_watching_twice_is_harmless(world: World) -> None:
    for user in (world.supervisor, world.liaison_a):
        with pytest.raises(PermissionDenied):
            watch(user=user, task=world.task)
    first = watch(user=world.leader, task=world.task, now=at("2024-04-01"))
    assert watch(user=world.leader, task=world.task) == first and Watch.objects.count() == 1
    assert [e.action for e in entries_for(first)] == ["create"]
    unwatch(user=world.leader, watched=first)
    assert not Watch.objects.exists()


def test_changes_since_the_last_visit(world: World) -> None:
    watch(user=world.leader, task=world.task, now=at("2024-04-01"))
    watch(user=world.leader, unit=world.unit_a, now=at("2024-04-01"))
    # Unit A's report of 2 April (the world's) counts on both: it is on the task, and by unit A; with it
    # unit A's rating on the task went from red (nothing reported, behind the plan) to green.
    assert kinds(world, "2024-04-03") == {
        "推进新能源装备制造": ["rating", "report"],
        "自治区发展改革委": ["rating", "report"],
    }
    mark_seen(user=world.leader, now=at("2024-04-03"))
    assert kinds(world, "2024-04-04") == {"推进新能源装备制造": [], "自治区发展改革委": []}

    # Unit B reports on the watched task (and turns green); unit A's other task misses its report and is urged.
    submit_report(
        obligation=world.obligation_b,
        user=world.liaison_b,
        progress=20,
        narrative="已启动。",
        now=at("2024-04-05"),
    )
    run_pass(now=at("2024-04-12"))
    seen = watch_list(user=world.leader, now=at("2024-04-12"))
    task_item, unit_item = seen.items
    assert [c.text("zh-hans") for c in task_item.changes] == [
        "自治区工业和信息化厅的评价由红灯变为绿灯",
        "自治区工业和信息化厅报送了2024-Q1期报告，进度20%",
    ]
    assert task_item.changes[0].text("en") == "自治区工业和信息化厅's rating changed from red to green"
    assert [c.text("zh-hans") for c in unit_item.changes] == [
        "对自治区发展改革委催办：2024-Q1期报告未报送",
        "自治区发展改革委的2024-Q1期报告逾期未报送（应于2024-04-10报送）",
    ]
    assert [unit_item.count(k) for k in ("report", "rating", "urging", "overdue")] == [0, 0, 1, 1]
    assert seen.changes == 4 and seen.seen_at == at("2024-04-03")


def test_an_item_added_later_counts_from_when_it_was_added(world: World) -> None:
    mark_seen(user=world.leader, now=at("2024-03-01"))
    watch(user=world.leader, task=world.task, now=at("2024-04-03"))
    assert kinds(world, "2024-04-04") == {"推进新能源装备制造": []}  # unit A's report of 2 April came before


def _more_tasks(world: World, count: int) -> None:
    for n in range(count):
        task = make_task(world.document, f"关注任务{n}", world.unit_b)
        make_obligation(
            Assignment.objects.create(task=task, unit=world.unit_b, role="lead", deadline=DEADLINE)
        )
        watch(user=world.leader, task=task, now=at("2024-04-01"))


def test_the_list_costs_the_same_queries_for_two_items_or_eight(world: World) -> None:
    _more_tasks(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(watch_list(user=world.leader, now=at("2024-04-12")).items) == 2
    _more_tasks(world, 6)
    with CaptureQueriesContext(connection) as many:
        assert len(watch_list(user=world.leader, now=at("2024-04-12")).items) == 8
    assert len(many) == len(few), (len(few), len(many))
