"""Setting a task up and running it from its page: the plan (edit, milestones, indicators), the
lifecycle steps, the division among lower units, and each indicator's trajectory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import IndicatorValue, Obligation, Report
from luoshi.reports.services import submit_report
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task, Transition
from luoshi.tasks.services import add_indicator, add_milestone, create_task, transition, update_task
from luoshi.testing.demo import TODAY, lead_assignment, open_obligation
from luoshi.units.models import Unit
from luoshi.web.tests.conftest import assert_error_at, field_block

HTMX = {"HX-Request": "true"}
CJK = re.compile(r"[\u3400-\u9fff]")
BILINGUAL = re.compile(r"[\u3400-\u9fff][）)]?\s*·\s*[A-Za-z]|[A-Za-z][.)]?\s*·\s*[\u3400-\u9fff]")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section class="card" id="{anchor}">')
    return page[start : page.index("</section>", start)]


def _chart(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="trajectory-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no chart data on the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _energy() -> Task:
    return lead_assignment("energy").task


def _plan_data(task: Task, **changes: Any) -> dict[str, Any]:
    """The edit form as the page fills it in, with some fields changed."""
    data: dict[str, Any] = {
        "number": task.number,
        "title": task.title,
        "start_date": task.start_date.isoformat(),
        "deadline": task.deadline.isoformat(),
        "cadence": task.cadence,
        "custom_dates": "\n".join(task.custom_dates),
        "report_day": task.report_day,
        "weight": str(task.weight),
        "lead_unit": task.lead_unit_id,
        "co_units": [u.pk for u in task.co_units.all()],
        "version": task.version,
    }
    data.update(changes)
    return data


def _assigned_task(*, co_units: tuple[str, ...] = ()) -> Task:
    """A new task led by the energy department (liaison nengyuan), just assigned."""
    energy = _energy()
    task = create_task(
        document=energy.document,
        title="新建抽水蓄能电站",
        text="推进抽水蓄能电站建设。",
        lead_unit=_unit("energy"),
        co_units=[_unit(c) for c in co_units],
        start_date=dt.date(2026, 10, 1),
        deadline=dt.date(2027, 9, 30),
        user=_user("duchashi"),
    )
    return transition(task=task, to_status=Status.ASSIGNED, user=_user("duchashi"))


# The plan: editing the task


def test_the_office_edits_the_task_and_the_page_shows_it(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    response = client.post(
        f"/tasks/{task.pk}/plan",
        _plan_data(task, title="新能源倍增行动（修订）", deadline="2028-06-30", report_day="10"),
    )
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/#plan"
    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.deadline, stored.report_day, stored.version) == (
        "新能源倍增行动（修订）",
        dt.date(2028, 6, 30),
        10,
        task.version + 1,
    )
    entry = AuditEntry.objects.filter(
        object_type="tasks.task", object_id=str(task.pk), action="update"
    ).last()
    assert (
        entry is not None
        and entry.actor == _user("duchashi")
        and entry.changes["deadline"] == ["2027-12-31", "2028-06-30"]
    )
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "<h1>新能源倍增行动（修订）</h1>" in page and "2026-01-01 – 2028-06-30" in page
    assert "任务已保存" in page  # the note after the redirect


def test_a_stale_edit_is_refused_and_says_so(login: Callable[[str], Client]) -> None:
    task = _energy()
    seen = _plan_data(task, title="我的标题")
    update_task(task=task, version=task.version, user=_user("admin"), title="他人改过的标题", today=TODAY)
    response = login("duchashi").post(f"/tasks/{task.pk}/plan", seen)
    assert response.status_code == 400
    plan = _section(response.content.decode(), "plan")
    assert '<div class="form-errors">' in plan and "任务已被他人修改，请刷新后重试。" in plan
    assert Task.objects.get(pk=task.pk).title == "他人改过的标题"


def test_an_edit_is_refused_next_to_thefield_block(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    empty = client.post(f"/tasks/{task.pk}/plan", _plan_data(task, title="  "))
    assert empty.status_code == 400
    assert_error_at(empty.content.decode(), "id_plan_title", "任务名称不能为空")
    custom = client.post(f"/tasks/{task.pk}/plan", _plan_data(task, cadence="custom"))
    assert_error_at(custom.content.decode(), "id_plan_custom_dates", "须填写报告日期")
    early = client.post(f"/tasks/{task.pk}/plan", _plan_data(task, start_date="2027-06-01"))
    assert_error_at(early.content.decode(), "id_plan_start_date", "里程碑 2026-12-31 将不在")
    past = client.post(f"/tasks/{task.pk}/plan", _plan_data(task, deadline="2026-11-01"))
    assert_error_at(past.content.decode(), "id_plan_deadline", "早于今天")
    assert Task.objects.get(pk=task.pk).version == task.version


def test_custom_report_dates_are_saved(login: Callable[[str], Client]) -> None:
    task = _energy()
    response = login("duchashi").post(
        f"/tasks/{task.pk}/plan",
        _plan_data(task, cadence="custom", custom_dates="2027-06-30\n2027-03-31, 2027-12-31"),
    )
    assert response.status_code == 302
    stored = Task.objects.get(pk=task.pk)
    assert (stored.cadence, stored.custom_dates) == ("custom", ["2027-03-31", "2027-06-30", "2027-12-31"])


def test_htmx_gets_the_plan_section_and_the_new_heading(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    done = client.post(f"/tasks/{task.pk}/plan", _plan_data(task, title="新标题"), headers=HTMX)
    body = done.content.decode()
    assert done.status_code == 200 and "<html" not in body
    assert body.startswith('<section class="card" id="plan">') and 'class="decided"' in body
    head = body[body.index('<div id="task-head" hx-swap-oob="true">') :]
    assert "<h1>新标题</h1>" in head
    assert f'name="version" value="{task.version + 1}"' in body  # the next edit is made at the new version
    refused = client.post(
        f"/tasks/{task.pk}/plan", _plan_data(Task.objects.get(pk=task.pk), title=""), headers=HTMX
    )
    assert refused.status_code == 400 and refused.content.decode().startswith(
        '<section class="card" id="plan">'
    )
    assert_error_at(refused.content.decode(), "id_plan_title", "任务名称不能为空。")


def test_only_the_office_edits_the_plan(login: Callable[[str], Client]) -> None:
    task = _energy()
    data = _plan_data(task, title="改标题")
    assert login("nengyuan").post(f"/tasks/{task.pk}/plan", data).status_code == 403
    assert login("lingdao").post(f"/tasks/{task.pk}/plan", data).status_code == 403
    assert login("nongmu").post(f"/tasks/{task.pk}/plan", data).status_code == 404
    assert (
        login("nengyuan")
        .post(f"/tasks/{task.pk}/milestones", {"date": "2027-06-30", "expected_progress": "80"})
        .status_code
        == 403
    )
    assert (
        login("nengyuan")
        .post(
            f"/tasks/{task.pk}/indicators",
            {
                "name": "x",
                "baseline": "1",
                "target": "2",
                "baseline_date": "2026-01-01",
                "target_date": "2027-12-31",
                "direction": "increase",
            },
        )
        .status_code
        == 403
    )
    assert Task.objects.get(pk=task.pk).title == task.title and task.milestones.count() == 1
    assert not Indicator.objects.exists()
    plan = _section(login("nengyuan").get(f"/tasks/{task.pk}/").content.decode(), "plan")
    assert "过半" in plan  # the milestones are listed for the unit too
    for action in ("/plan", "/milestones", "/indicators", "/remove"):
        assert f'action="/tasks/{task.pk}{action}' not in plan


# The plan: milestones


def test_the_office_adds_and_removes_a_milestone(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    added = client.post(
        f"/tasks/{task.pk}/milestones",
        {"date": "2027-06-30", "expected_progress": "80", "title": "主体工程完工"},
    )
    assert added.status_code == 302 and added["Location"] == f"/tasks/{task.pk}/#plan"
    milestone = Milestone.objects.get(task=task, date=dt.date(2027, 6, 30))
    assert (milestone.expected_progress, milestone.title) == (80, "主体工程完工")
    plan = _section(client.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    row = plan[plan.index(f'id="milestone-{milestone.pk}"') :].split("</tr>")[0]
    assert "2027-06-30" in row and "80%" in row and "主体工程完工" in row

    removed = client.post(f"/tasks/{task.pk}/milestones/{milestone.pk}/remove")
    assert removed.status_code == 302 and not Milestone.objects.filter(pk=milestone.pk).exists()
    assert AuditEntry.objects.get(
        object_type="tasks.milestone", object_id=str(milestone.pk), action="delete"
    ).actor == _user("duchashi")
    assert f'id="milestone-{milestone.pk}"' not in client.get(f"/tasks/{task.pk}/").content.decode()


def test_a_milestone_is_refused_next_to_thefield_block(login: Callable[[str], Client]) -> None:
    task = _energy()  # 60% on 2026-12-31
    client = login("duchashi")
    lower = client.post(f"/tasks/{task.pk}/milestones", {"date": "2027-06-30", "expected_progress": "50"})
    assert lower.status_code == 400
    assert_error_at(lower.content.decode(), "id_milestone_expected_progress", "里程碑进度不能倒退")
    outside = client.post(f"/tasks/{task.pk}/milestones", {"date": "2028-03-31", "expected_progress": "90"})
    assert_error_at(outside.content.decode(), "id_milestone_date", "须在 2026-01-01 至 2027-12-31 之间")
    over = client.post(
        f"/tasks/{task.pk}/milestones", {"date": "2027-06-30", "expected_progress": "120"}, headers=HTMX
    )
    assert over.status_code == 400 and over.content.decode().startswith('<section class="card" id="plan">')
    assert_error_at(over.content.decode(), "id_milestone_expected_progress", "0 至 100")
    assert task.milestones.count() == 1


def test_htmx_gets_the_plan_back_after_a_milestone(login: Callable[[str], Client]) -> None:
    task = _energy()
    milestone = task.milestones.get()
    done = login("duchashi").post(f"/tasks/{task.pk}/milestones/{milestone.pk}/remove", headers=HTMX)
    body = done.content.decode()
    assert done.status_code == 200 and body.startswith('<section class="card" id="plan">')
    assert "里程碑已删除" in body and f'id="milestone-{milestone.pk}"' not in body
    assert "未设里程碑" in body


def test_a_milestone_is_removed_only_through_its_own_task(login: Callable[[str], Client]) -> None:
    task, other = _energy(), lead_assignment("agriculture-animal").task
    milestone = other.milestones.get()
    assert login("duchashi").post(f"/tasks/{task.pk}/milestones/{milestone.pk}/remove").status_code == 404
    assert (
        login("nengyuan").post(f"/tasks/{task.pk}/milestones/{task.milestones.get().pk}/remove").status_code
        == 403
    )
    assert Milestone.objects.filter(pk=milestone.pk).exists() and task.milestones.exists()


def test_a_closed_task_keeps_its_milestones(login: Callable[[str], Client]) -> None:
    task = _energy()
    milestone = task.milestones.get()
    transition(task=task, to_status=Status.CANCELLED, user=_user("duchashi"), reason="政策调整")
    client = login("duchashi")
    refused = client.post(f"/tasks/{task.pk}/milestones/{milestone.pk}/remove")
    assert refused.status_code == 400 and "不能再修改" in _section(refused.content.decode(), "plan")
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    plan = _section(client.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    assert "/remove" not in plan and f'action="/tasks/{task.pk}/plan"' not in plan


# The plan: indicators


def _indicator_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "新能源装机",
        "unit_of_measure": "万千瓦",
        "baseline": "100",
        "target": "200",
        "baseline_date": "2026-01-01",
        "target_date": "2027-12-31",
        "direction": "increase",
    }
    data.update(changes)
    return data


def test_the_office_adds_an_indicator(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    response = client.post(f"/tasks/{task.pk}/indicators", _indicator_data(target="200.5"))
    assert response.status_code == 302
    indicator = Indicator.objects.get(task=task)
    assert (indicator.name, indicator.unit_of_measure, indicator.baseline, indicator.target) == (
        "新能源装机",
        "万千瓦",
        Decimal(100),
        Decimal("200.5"),
    )
    plan = _section(client.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    row = plan[plan.index(f'id="indicator-row-{indicator.pk}"') :].split("</tr>")[0]
    assert "100 万千瓦" in row and "200.5 万千瓦" in row and "越高越好" in row


def test_an_indicator_is_refused_next_to_thefield_block(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    worse = client.post(f"/tasks/{task.pk}/indicators", _indicator_data(target="90"))
    assert worse.status_code == 400
    assert_error_at(worse.content.decode(), "id_indicator_target", "目标值 90 须高于基期值 100")
    nameless = client.post(f"/tasks/{task.pk}/indicators", _indicator_data(name=" "))
    assert_error_at(nameless.content.decode(), "id_indicator_name", "指标名称不能为空")
    huge = client.post(
        f"/tasks/{task.pk}/indicators", _indicator_data(baseline="1" + "0" * 20, target="9" * 22)
    )
    assert_error_at(huge.content.decode(), "id_indicator_baseline", "基期值")
    backwards = client.post(
        f"/tasks/{task.pk}/indicators", _indicator_data(target_date="2025-12-31"), headers=HTMX
    )
    assert backwards.status_code == 400
    assert_error_at(backwards.content.decode(), "id_indicator_target_date", "早于基期日期")
    assert not Indicator.objects.exists()


# The lifecycle


def test_the_lead_units_liaison_accepts_the_task_and_requests_completion(
    login: Callable[[str], Client],
) -> None:
    task = _assigned_task()
    client = login("nengyuan")
    plan = _section(client.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    assert '<button type="submit">签收</button>' in plan
    assert (
        "撤销任务" not in plan and f'action="/tasks/{task.pk}/plan"' not in plan
    )  # the office's, not theirs

    accepted = client.post(
        f"/tasks/{task.pk}/transition", {"to_status": "in_progress", "version": task.version}
    )
    assert accepted.status_code == 302 and accepted["Location"] == f"/tasks/{task.pk}/#plan"
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert (
        "办理中"
        in page[page.index('<div id="task-head"') : page.index("</div>", page.index('<div id="task-head"'))]
    )
    assert "申请办结" in _section(page, "plan") and "签收" not in _section(page, "plan").split("<details>")[0]

    requested = client.post(
        f"/tasks/{task.pk}/transition",
        {"to_status": "completion_requested", "version": task.version, "reason": "电站已并网发电"},
    )
    assert requested.status_code == 302
    step = Transition.objects.filter(task=task).last()
    assert step is not None and (step.from_status, step.to_status, step.by, step.reason) == (
        "in_progress",
        "completion_requested",
        _user("nengyuan"),
        "电站已并网发电",
    )


def test_other_units_and_other_steps_are_refused(login: Callable[[str], Client]) -> None:
    task = _assigned_task(co_units=("agriculture-animal",))
    data = {"to_status": "in_progress", "version": task.version}
    co_unit = login("nongmu")
    assert "签收" not in _section(co_unit.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    assert co_unit.post(f"/tasks/{task.pk}/transition", data).status_code == 403  # a co-unit does not accept
    assert login("minwei").post(f"/tasks/{task.pk}/transition", data).status_code == 404  # not its task
    assert login("lingdao").post(f"/tasks/{task.pk}/transition", data).status_code == 403
    assert (
        login("nengyuan")
        .post(
            f"/tasks/{task.pk}/transition",
            {"to_status": "cancelled", "version": task.version, "reason": "不想做"},
        )
        .status_code
        == 403
    )
    assert Task.objects.get(pk=task.pk).status == Status.ASSIGNED


def test_the_office_cancels_with_a_reason(login: Callable[[str], Client]) -> None:
    task = _energy()
    client = login("duchashi")
    assert "撤销任务" in _section(client.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    silent = client.post(
        f"/tasks/{task.pk}/transition", {"to_status": "cancelled", "version": task.version, "reason": ""}
    )
    assert silent.status_code == 400
    assert_error_at(silent.content.decode(), "id_step_cancelled_reason", "转为“已撤销”须说明理由")
    assert Task.objects.get(pk=task.pk).status == Status.IN_PROGRESS

    done = client.post(
        f"/tasks/{task.pk}/transition",
        {"to_status": "cancelled", "version": task.version, "reason": "政策调整，任务取消"},
        headers=HTMX,
    )
    body = done.content.decode()
    assert done.status_code == 200 and body.startswith('<section class="card" id="plan">')
    assert "政策调整，任务取消" in body and "已撤销" in body
    assert "已撤销" in body[body.index('<div id="task-head" hx-swap-oob="true">') :]
    assert Task.objects.get(pk=task.pk).status == Status.CANCELLED
    assert 'class="step-form"' not in body and 'class="task-form"' not in body  # nothing more to do


def test_a_step_from_an_outdated_page_is_refused(login: Callable[[str], Client]) -> None:
    task = _assigned_task()
    seen = task.version
    update_task(task=task, version=task.version, user=_user("duchashi"), title="已改名", today=TODAY)
    refused = login("nengyuan").post(
        f"/tasks/{task.pk}/transition", {"to_status": "in_progress", "version": seen}, headers=HTMX
    )
    assert refused.status_code == 400
    plan = refused.content.decode().split('<div id="task-head"')[0]
    assert '<div class="form-errors" role="alert">任务已被他人修改，请刷新后重试。' in plan
    assert f'name="version" value="{seen + 1}"' in plan  # the step is offered again at the current version
    assert Task.objects.get(pk=task.pk).status == Status.ASSIGNED


def test_the_office_returns_a_completion_request_with_a_reason_then_completes(
    login: Callable[[str], Client],
) -> None:
    task = _energy()
    transition(task=task, to_status=Status.COMPLETION_REQUESTED, user=_user("nengyuan"))
    client = login("duchashi")
    plan = _section(client.get(f"/tasks/{task.pk}/").content.decode(), "plan")
    assert "确认办结" in plan and "退回办结申请" in plan
    assert 'class="step-form"' not in _section(
        login("nengyuan").get(f"/tasks/{task.pk}/").content.decode(), "plan"
    )
    silent = client.post(
        f"/tasks/{task.pk}/transition", {"to_status": "in_progress", "version": task.version}
    )
    assert silent.status_code == 400
    assert_error_at(silent.content.decode(), "id_step_in_progress_reason", "须说明理由")
    returned = client.post(
        f"/tasks/{task.pk}/transition",
        {"to_status": "in_progress", "version": task.version, "reason": "佐证材料不足"},
    )
    assert returned.status_code == 302 and Task.objects.get(pk=task.pk).status == Status.IN_PROGRESS
    task.refresh_from_db()
    transition(task=task, to_status=Status.COMPLETION_REQUESTED, user=_user("nengyuan"), reason="已补充材料")
    done = client.post(f"/tasks/{task.pk}/transition", {"to_status": "completed", "version": task.version})
    assert done.status_code == 302 and Task.objects.get(pk=task.pk).status == Status.COMPLETED
    task.refresh_from_db()
    late = client.post(
        f"/tasks/{task.pk}/transition",
        {"to_status": "cancelled", "version": task.version, "reason": "x"},
        headers=HTMX,
    )
    plan = late.content.decode().split('<div id="task-head"')[0]
    assert late.status_code == 400 and "任务不能从“已办结”转为“已撤销”" in plan
    assert 'class="step-form"' not in plan  # a completed task has no step left
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETED


# Division among lower units (分解下达)


def _share_rows(assignment: Assignment, *rows: dict[str, Any]) -> dict[str, Any]:
    prefix = f"share{assignment.pk}"
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for n in range(3):
        row = rows[n] if n < len(rows) else {}
        data[f"{prefix}-{n}-unit"] = row.get("unit", "")
        data[f"{prefix}-{n}-weight"] = row.get("weight", "1")
        data[f"{prefix}-{n}-deadline"] = row.get("deadline", assignment.deadline.isoformat())
        for key, value in row.items():
            if key.startswith("target_"):
                data[f"{prefix}-{n}-{key}"] = value
    return data


def test_the_office_divides_the_lead_assignment_with_indicator_targets(
    login: Callable[[str], Client],
) -> None:
    lead = lead_assignment("energy")
    indicator = add_indicator(
        task=lead.task,
        name="新能源装机",
        unit_of_measure="万千瓦",
        baseline=100,
        target=200,
        baseline_date=lead.task.start_date,
        target_date=lead.task.deadline,
    )
    hohhot, baotou = _unit("hohhot"), _unit("baotou")
    client = login("duchashi")
    response = client.post(
        f"/assignments/{lead.pk}/cascade",
        _share_rows(
            lead,
            {"unit": hohhot.pk, "weight": "2", "deadline": "2027-06-30", f"target_{indicator.pk}": "120"},
            {"unit": baotou.pk},
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/tasks/{lead.task_id}/#cascade"
    shares = {a.unit.code: a for a in Assignment.objects.filter(parent=lead).select_related("unit")}
    assert set(shares) == {"hohhot", "baotou"}
    assert (shares["hohhot"].weight, shares["hohhot"].deadline, shares["hohhot"].indicator_targets) == (
        Decimal(2),
        dt.date(2027, 6, 30),
        {str(indicator.pk): 120.0},
    )
    assert (shares["baotou"].weight, shares["baotou"].deadline) == (Decimal(1), lead.deadline)
    division = _section(client.get(f"/tasks/{lead.task_id}/").content.decode(), "cascade")
    row = division[division.index(f'id="share-{shares["hohhot"].pk}"') :].split("</tr>")[0]
    assert (
        "呼和浩特市" in row
        and "<td>2</td>" in row
        and "2027-06-30" in row
        and "新能源装机: 120 万千瓦" in row
    )


def test_the_lead_units_liaison_divides_and_sees_its_shares(login: Callable[[str], Client]) -> None:
    lead = lead_assignment("energy")
    client = login("nengyuan")
    page = client.get(f"/tasks/{lead.task_id}/").content.decode()
    options = field_block(page, f"id_share{lead.pk}-0-unit")
    assert "鄂尔多斯市" in options and "准格尔旗" in options and "内蒙古自治区发展和改革委员会" not in options
    response = client.post(
        f"/assignments/{lead.pk}/cascade", _share_rows(lead, {"unit": _unit("ordos").pk}), headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<section class="card" id="cascade">')
    assert "鄂尔多斯市" in body.split("<details")[0] and "已分解至鄂尔多斯市" in body
    share = Assignment.objects.get(parent=lead)
    assert (share.unit.code, share.role) == ("ordos", "share")


def test_a_division_is_refused_next_to_the_row(login: Callable[[str], Client]) -> None:
    lead = lead_assignment("energy")
    client = login("duchashi")
    url = f"/assignments/{lead.pk}/cascade"
    late = client.post(
        url,
        _share_rows(
            lead,
            {"unit": _unit("hohhot").pk},
            {"unit": _unit("hohhot-xincheng").pk, "deadline": "2028-01-31"},
        ),
    )
    assert late.status_code == 400
    assert_error_at(
        late.content.decode(), f"id_share{lead.pk}-1-deadline", "呼和浩特市新城区的时限 2028-01-31"
    )
    assert 'class="field has-error"' not in field_block(
        late.content.decode(), f"id_share{lead.pk}-0-deadline"
    )
    weightless = client.post(
        url, _share_rows(lead, {"unit": _unit("hohhot").pk, "weight": "0"}), headers=HTMX
    )
    assert weightless.status_code == 400 and weightless.content.decode().startswith(
        '<section class="card" id="cascade">'
    )
    assert_error_at(
        weightless.content.decode(), f"id_share{lead.pk}-0-weight", "权重须在 0.01 至 9999.99 之间"
    )
    nobody = client.post(url, _share_rows(lead))
    assert nobody.status_code == 400 and "请至少指定一个承担分解任务的单位" in _section(
        nobody.content.decode(), "cascade"
    )
    sibling = client.post(url, _share_rows(lead, {"unit": _unit("drc").pk}))
    assert 'class="field has-error"' in field_block(sibling.content.decode(), f"id_share{lead.pk}-0-unit")
    assert not Assignment.objects.filter(parent=lead).exists()


def test_only_the_unit_holding_it_or_the_office_divides(login: Callable[[str], Client]) -> None:
    lead = lead_assignment("energy")
    data = _share_rows(lead, {"unit": _unit("hohhot").pk})
    assert login("lingdao").post(f"/assignments/{lead.pk}/cascade", data).status_code == 403
    assert login("nongmu").post(f"/assignments/{lead.pk}/cascade", data).status_code == 404
    assert not Assignment.objects.filter(parent=lead).exists()
    assert 'id="cascade"' not in login("lingdao").get(f"/tasks/{lead.task_id}/").content.decode()


# Indicators on the trajectory chart


def _with_indicator_values() -> tuple[Task, Indicator]:
    """The energy task with an indicator, a value in its Q1 report (corrected by a second version)
    and one in a report for the current quarter."""
    task = _energy()
    indicator = add_indicator(
        task=task,
        name="新能源装机",
        unit_of_measure="万千瓦",
        baseline=100,
        target=200,
        baseline_date=task.start_date,
        target_date=task.deadline,
    )
    q1 = Report.objects.get(obligation__assignment__task=task, obligation__period="2026-Q1", version=1)
    IndicatorValue.objects.create(report=q1, indicator=indicator, value=Decimal("110"))
    correction = Report.objects.create(
        obligation=q1.obligation,
        version=2,
        supersedes=q1,
        progress=q1.progress,
        narrative=q1.narrative,
        submitted_by=q1.submitted_by,
        submitted_at=q1.submitted_at,
        approval=q1.approval,
    )
    IndicatorValue.objects.create(report=correction, indicator=indicator, value=Decimal("111.5"))
    submit_report(
        obligation=open_obligation(lead_assignment("energy")),
        user=_user("nengyuan"),
        progress=75,
        narrative="四季度推进",
        indicator_values={indicator.pk: "150.25"},
    )
    return task, indicator


def test_each_indicator_has_its_planned_line_and_reported_values(login: Callable[[str], Client]) -> None:
    task, indicator = _with_indicator_values()
    page = login("duchashi").get(f"/tasks/{task.pk}/").content.decode()
    chart = _chart(page)
    (entry,) = chart["indicators"]
    assert (entry["id"], entry["name"], entry["unit_of_measure"]) == (indicator.pk, "新能源装机", "万千瓦")
    (series,) = entry["series"]
    # 100 on 2026-01-01 to 200 on 2027-12-31 (729 days): 89 days to 2026-03-31 give 112.21, and so on.
    assert series["planned"][:4] == [112.21, 124.69, 137.31, 149.93]
    assert series["actual"][:4] == [111.5, None, None, 150.25]  # the correction counts, not the first version
    assert chart["names"] == {"planned": "计划", "actual": "实际"}
    box = page[page.index(f'id="indicator-{indicator.pk}"') :]
    assert f'id="indicator-{indicator.pk}-chart"' in box
    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
        box.split("</table>")[0],
    )
    assert rows[0] == ("内蒙古自治区能源局", "2026-Q1", "2026-03-31", "112.21", "111.5")
    assert rows[1][3:] == ("124.69", "—") and rows[3][3:] == ("149.93", "150.25")


def test_a_share_follows_its_own_indicator_target(login: Callable[[str], Client]) -> None:
    task, indicator = _with_indicator_values()
    lead = lead_assignment("energy")
    login("duchashi").post(
        f"/assignments/{lead.pk}/cascade",
        _share_rows(lead, {"unit": _unit("ordos").pk, f"target_{indicator.pk}": "50"}),
    )
    share = Assignment.objects.get(parent=lead)
    from luoshi.reports.services import ensure_obligations

    ensure_obligations(assignment=share)
    chart = _chart(login("duchashi").get(f"/tasks/{task.pk}/").content.decode())
    ordos = next(s for s in chart["indicators"][0]["series"] if s["assignment"] == share.pk)
    # The share's baseline is scaled like its target: 100 × 50 / 200 = 25, to 50.
    assert ordos["planned"][3] == 37.48 and ordos["actual"][3] is None


def test_the_indicators_download_as_csv(login: Callable[[str], Client]) -> None:
    task, _ = _with_indicator_values()
    response = login("nengyuan").get(f"/tasks/{task.pk}/indicators.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["indicator", "unit_of_measure", "unit", "period", "period_end", "planned", "actual"]
    assert rows[1] == [
        "新能源装机",
        "万千瓦",
        "内蒙古自治区能源局",
        "2026-Q1",
        "2026-03-31",
        "112.21",
        "111.5",
    ]
    assert rows[2][-2:] == ["124.69", ""]
    assert login("nongmu").get(f"/tasks/{task.pk}/indicators.csv").status_code == 404


# One language per page, and speed


def test_the_setup_speaks_english_with_no_chinese_labels(login: Callable[[str], Client]) -> None:
    task, _ = _with_indicator_values()
    client = login("duchashi")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Task plan" in page and "Division among lower units" in page and "Reports by period" in page
    assert "定期报告" not in page
    labels = re.findall(r"<(h2|th|label|button|legend|summary)\b([^>]*)>(.*?)</\1>", page, re.S)
    for tag, attributes, inner in labels:
        text = re.sub(r"<[^>]+>", " ", inner)
        assert not BILINGUAL.search(text), (tag, text)
        if tag in ("h2", "button", "th") and "lang=" not in attributes:  # the language switch names itself
            assert not CJK.search(text), (tag, text)


def test_the_chinese_page_names_the_setup_in_chinese(login: Callable[[str], Client]) -> None:
    task = _assigned_task()
    page = login("nengyuan").get(f"/tasks/{task.pk}/").content.decode()
    for chinese in ("任务计划", "里程碑", "指标", "签收", "分解下达", "定期报告"):
        assert chinese in page, chinese
    for english in ("Task plan", "Milestones", "Accept the task", "Reports by period"):
        assert english not in page, english


@pytest.mark.parametrize("username", ["duchashi", "nengyuan"])
def test_the_page_does_not_query_per_milestone_or_indicator(
    login: Callable[[str], Client], username: str
) -> None:
    task = _energy()
    client = login(username)
    report = Report.objects.filter(obligation__assignment__task=task).first()
    assert report is not None

    def add(n: int) -> None:
        add_milestone(
            task=task, date=dt.date(2027, 1, 1) + dt.timedelta(days=30 * n), expected_progress=61 + n
        )
        indicator = add_indicator(
            task=task,
            name=f"指标{n}",
            unit_of_measure="个",
            baseline=0,
            target=10 + n,
            baseline_date=task.start_date,
            target_date=task.deadline,
        )
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(n))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/tasks/{task.pk}/").status_code == 200
        return len(captured)

    add(0)
    one = queries()
    add(1)
    add(2)
    assert queries() == one
    assert Obligation.objects.filter(assignment__task=task).count() > 1  # the trajectory has several periods
