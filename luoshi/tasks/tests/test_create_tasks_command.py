"""`luoshi create_tasks PLAN_ID --start … --deadline …`: what the operator sees."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from luoshi.decomposition.models import Plan
from luoshi.tasks.models import Assignment, Task

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)


def _run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("create_tasks", *args, stdout=out)
    return out.getvalue()


def _refusal(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        _run(*args)
    return str(caught.value)


def test_it_creates_the_tasks_once(plan: Plan) -> None:
    out = _run(str(plan.pk), "--start", "2025-01-01", "--deadline", "2025-12-31", "--cadence", "monthly")
    count = Task.objects.filter(plan_task__plan=plan).count()
    assert count >= 9
    assert f"新建任务 {count} 项，此前已有 0 项 / {count} task(s) created, 0 already existed" in out
    assert (
        "着眼培优增效，把国家重要能源和战略资源基地建设得势强劲足  → 内蒙古自治区能源局  (2025-10-31)" in out
    )
    assert set(Task.objects.values_list("status", "cadence")) == {("assigned", "monthly")}
    assert Assignment.objects.filter(role="lead").count() == count
    again = _run(str(plan.pk), "--start", "2025-01-01", "--deadline", "2025-12-31")
    assert f"新建任务 0 项，此前已有 {count} 项 / 0 task(s) created, {count} already existed" in again
    assert Task.objects.count() == count


def test_an_unknown_plan_is_refused(plan: Plan) -> None:
    for ref in (str(plan.pk + 100), "abc"):
        message = _refusal(ref, "--start", "2025-01-01", "--deadline", "2025-12-31")
        assert message == f"任务分工方案 #{ref} 不存在 / plan #{ref} does not exist"


def test_a_deadline_in_the_past_is_refused(plan: Plan) -> None:
    message = _refusal(str(plan.pk), "--start", "2024-01-01", "--deadline", "2025-02-28")
    assert message == (
        "完成时限 2025-02-28 早于今天（2025-03-01）。 / "
        "The deadline 2025-02-28 is in the past (today is 2025-03-01)."
    )
    assert not Task.objects.exists()


def test_a_bad_date_is_refused(plan: Plan) -> None:
    message = _refusal(str(plan.pk), "--start", "2025/01/01", "--deadline", "2025-12-31")
    assert (
        message
        == "日期“2025/01/01”格式不对，应为 YYYY-MM-DD。 / The date '2025/01/01' is not in the form YYYY-MM-DD."
    )
    assert "2025-13-01" in _refusal(str(plan.pk), "--start", "2025-01-01", "--deadline", "2025-13-01")


def test_a_deadline_before_the_start_and_a_bad_cadence_are_refused(plan: Plan) -> None:
    message = _refusal(str(plan.pk), "--start", "2026-01-01", "--deadline", "2025-12-31")
    assert "早于开始日期" in message and "before the start date" in message
    message = _refusal(
        str(plan.pk), "--start", "2025-01-01", "--deadline", "2025-12-31", "--cadence", "weekly"
    )
    assert "无效的报告周期：weekly" in message and "Invalid reporting cadence: weekly" in message


def test_a_draft_plan_is_refused(draft_plan: Plan) -> None:
    message = _refusal(str(draft_plan.pk), "--start", "2025-01-01", "--deadline", "2025-12-31")
    assert message == (
        f"任务分工方案 #{draft_plan.pk} 尚未确认，不能生成任务。 / "
        f"Plan #{draft_plan.pk} is not confirmed yet; tasks cannot be created from it."
    )
