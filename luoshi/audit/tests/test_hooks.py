"""Every tracked operation leaves an entry, with before/after of what it changed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.audit.services import entries_for
from luoshi.decomposition.excel_export import export_plan_xlsx
from luoshi.decomposition.excel_import import import_plan_xlsx
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import (
    confirm_plan,
    edit_task,
    merge_tasks,
    propose_plan,
    set_task_status,
    split_task,
)
from luoshi.documents.services import ingest_document
from luoshi.people.services import create_user, issue_token, revoke_token, set_role
from luoshi.ratings.services import override_rating
from luoshi.reports.services import approve_report, submit_report
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.tasks.services import (
    Share,
    add_indicator,
    add_milestone,
    cascade,
    create_task,
    create_tasks_from_plan,
    transition,
    update_task,
)
from luoshi.testing.paths import seed_path
from luoshi.testing.world import World
from luoshi.units.models import Unit
from luoshi.units.services import load_units

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 1, 2)


def only(obj: Any, action: str) -> AuditEntry:
    (entry,) = [e for e in entries_for(obj) if e.action == action]
    return entry


def test_ingest_and_the_plan_review(world: World) -> None:
    load_units(catalog="inner-mongolia")
    document = ingest_document(
        data=seed_path().read_bytes(), filename="seed.txt", user=world.supervisor
    ).document
    created = only(document, "create")
    assert (created.actor, created.changes["filename"]) == (world.supervisor, [None, "seed.txt"])
    ingest_document(data=seed_path().read_bytes(), filename="again.txt")  # the stored twin: nothing new
    assert len(entries_for(document)) == 1

    plan = propose_plan(document=document, catalog_name="inner-mongolia").plan
    assert only(plan, "create").changes["catalog"] == [None, "inner-mongolia"]
    first, second, third, *_ = list(plan.tasks.filter(parent=None, kind="task").order_by("order"))
    energy = Unit.objects.get(catalog="inner-mongolia", code="energy")

    old_title = first.title
    edit_task(task=first, title="新的任务名称", lead_unit=energy, today=TODAY)
    changes = only(first, "update").changes
    assert changes["title"] == [old_title, "新的任务名称"]
    assert changes["lead_unit"][1] == energy.pk
    assert "text" not in changes  # unchanged fields are left out

    set_task_status(task=third, status=PlanTask.REJECTED)
    assert only(third, "update").changes == {"status": ["proposed", "rejected"]}

    text = second.text
    kept, new = split_task(task=second, at=len(text) // 2)
    assert entries_for(kept).last().changes["text"] == [text, kept.text]  # type: ignore[union-attr]
    assert only(new, "create").note.startswith(f"由任务 #{kept.pk} 拆分")

    new_id = new.pk
    merged = merge_tasks(tasks=[kept, new])
    assert "text" in entries_for(merged).last().changes  # type: ignore[union-attr]
    (removed,) = AuditEntry.objects.filter(
        object_type="decomposition.plantask", object_id=str(new_id), action="delete"
    )
    assert removed.note.startswith(f"并入任务 #{merged.pk}")

    workbook_bytes = export_plan_xlsx(plan=plan)
    assert only(plan, "export").note.startswith("xlsx")
    book = load_workbook(io.BytesIO(workbook_bytes))
    ws = book.active
    assert ws is not None
    imported_id, old = int(ws.cell(row=2, column=9).value), ws.cell(row=2, column=2).value
    ws.cell(row=2, column=2, value="导入后的名称")
    out = io.BytesIO()
    book.save(out)
    import_plan_xlsx(plan=plan, data=out.getvalue(), user=world.supervisor, today=TODAY)
    assert only(plan, "import").actor == world.supervisor
    imported = PlanTask.objects.get(pk=imported_id)
    assert entries_for(imported).last().changes["title"] == [old, "导入后的名称"]  # type: ignore[union-attr]

    for task in plan.tasks.filter(parent=None, kind__in=["task", "recurring"], lead_unit=None):
        set_task_status(task=task, status=PlanTask.REJECTED)
    confirm_plan(accept_remaining=True, plan=plan, user=world.supervisor)
    approved = only(plan, "approve")
    assert (approved.actor, approved.changes) == (world.supervisor, {"status": ["draft", "confirmed"]})

    tasks = create_tasks_from_plan(
        plan=plan, start_date=TODAY, default_deadline=D(2024, 12, 31), user=world.supervisor, today=TODAY
    )
    for created_task in tasks:
        assert [e.action for e in entries_for(created_task)] == ["create", "transition"]
    assert Plan.objects.get(pk=plan.pk).status == "confirmed"


def test_task_operations(world: World) -> None:
    task = create_task(
        document=world.document,
        title="新建任务",
        text="新建任务。",
        lead_unit=world.unit_a,
        co_units=[world.unit_b],
        start_date=D(2024, 1, 1),
        deadline=D(2024, 12, 31),
        user=world.supervisor,
    )
    created = only(task, "create")
    assert (created.actor, created.changes["co_units"], created.changes["status"]) == (
        world.supervisor,
        [None, [world.unit_b.pk]],
        [None, "draft"],
    )

    update_task(
        task=task,
        version=task.version,
        user=world.supervisor,
        title="改名后的任务",
        deadline=D(2024, 11, 30),
        co_units=[],
        today=D(2024, 1, 1),
    )
    assert only(task, "update").changes == {
        "title": ["新建任务", "改名后的任务"],
        "deadline": ["2024-12-31", "2024-11-30"],
        "co_units": [[world.unit_b.pk], []],
        "version": [1, 2],
    }

    transition(task=task, to_status=Status.ASSIGNED, user=world.supervisor)
    transition(task=task, to_status=Status.CANCELLED, user=world.supervisor, reason="并入其他任务")
    steps = [(e.changes["status"], e.note, e.actor) for e in entries_for(task) if e.action == "transition"]
    assert steps == [
        (["draft", "assigned"], "", world.supervisor),
        (["assigned", "cancelled"], "并入其他任务", world.supervisor),
    ]

    milestone = add_milestone(task=world.task, date=D(2024, 6, 30), expected_progress=40)
    assert only(milestone, "create").changes["expected_progress"] == [None, 40]
    indicator = add_indicator(
        task=world.task,
        name="装机容量",
        unit_of_measure="万千瓦",
        baseline="10",
        target="20",
        baseline_date=D(2024, 1, 15),
        target_date=D(2024, 12, 31),
    )
    assert only(indicator, "create").changes["target"] == [None, "20"]
    (share,) = cascade(
        assignment=world.a, shares=[Share(unit=world.unit_c, weight=2, deadline=D(2024, 10, 31))]
    )
    entry = only(share, "create")
    assert (entry.changes["unit"], entry.changes["parent"], entry.changes["weight"]) == (
        [None, world.unit_c.pk],
        [None, world.a.pk],
        [None, "2"],
    )
    assert Assignment.objects.filter(parent=world.a).count() == 1


def test_reports_approvals_overrides_and_accounts(world: World, settings: Any) -> None:
    settings.UNIT_HEAD_APPROVAL = True
    now = world.report_a.submitted_at + dt.timedelta(days=1)
    report = submit_report(
        obligation=world.obligation_a, user=world.liaison_a, progress=40, narrative="继续推进", now=now
    )
    created = only(report, "create")
    assert (created.actor, created.changes["version"], created.changes["approval"]) == (
        world.liaison_a,
        [None, 2],
        [None, "pending"],
    )
    approve_report(report=report, user=world.head_a, approve=False, comment="请补充数据", now=now)
    returned = only(report, "approve")
    assert (returned.actor, returned.changes, returned.note) == (
        world.head_a,
        {"approval": ["pending", "returned"]},
        "请补充数据",
    )

    rating = override_rating(
        assignment=world.a,
        rag="amber",
        reason="现场核查进度滞后",
        user=world.supervisor,
        as_of=D(2024, 4, 15),
    )
    entry = only(rating, "override")
    assert (entry.actor, entry.changes["rag"][1], entry.note) == (
        world.supervisor,
        "amber",
        "现场核查进度滞后",
    )

    user = create_user(
        username="newcomer", password="long enough password", role=Role.LIAISON, unit=world.unit_b
    )
    assert only(user, "create").changes == {"role": [None, "liaison"], "unit": [None, world.unit_b.pk]}
    set_role(user=user, role=Role.UNIT_HEAD, unit=world.unit_b)
    assert only(user, "update").changes == {"role": ["liaison", "unit_head"]}
    raw = issue_token(user=user, name="集成")
    token = user.api_tokens.get()
    revoke_token(token=token)
    assert [e.action for e in entries_for(token)] == ["create", "update"]
    assert raw not in str(list(AuditEntry.objects.values_list("changes", "note")))
    assert Task.objects.count() == 2
