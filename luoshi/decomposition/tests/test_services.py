"""Decomposition of the seed into a draft plan, and the review operations."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from luoshi.audit.models import AuditEntry
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import (
    PlanError,
    accept_rest,
    confirm_plan,
    edit_task,
    merge_tasks,
    reviewed,
    set_task_status,
    split_task,
    unreviewed,
)
from luoshi.documents.models import Document
from luoshi.testing.seed import seed_document, seed_plan
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def seed() -> Document:
    return seed_document()


@pytest.fixture
def plan(seed: Document) -> Plan:
    return seed_plan(seed)


def _task_with(plan: Plan, words: str) -> PlanTask:
    return plan.tasks.filter(parent=None, text__contains=words).get()


def _decompose_json(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("decompose", *args, "--json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_seed_tasks_carry_programmes_dates_targets_and_owners(seed: Document) -> None:
    result = _decompose_json(str(seed.pk), "--catalog", "inner-mongolia")
    tasks = [t for t in result["tasks"] if t["kind"] in {"task", "recurring"}]
    assert len(tasks) >= 9
    research = next(t for t in tasks if "中华民族共同体建设研究工程" in t["text"])
    assert "内蒙古中华民族共同体建设研究工程" in [p["name"] for p in research["programmes"]]
    span = next(d for d in research["deadlines"] if d["text"].startswith("2023"))
    assert (span["kind"], span["start_date"][:4], span["end_date"][:4]) == ("range", "2023", "2027")
    energy = next(t for t in tasks if "新能源倍增行动" in t["text"])
    assert "新能源倍增行动" in [p["name"] for p in energy["programmes"]]
    assert any("稀土新材料基地" in x["text"] for x in energy["targets"])
    assert energy["heading_path"][0].startswith("三")
    assert energy["lead_suggestions"][0]["why"]
    assert {s["unit"] for s in energy["lead_suggestions"][:3]} & {
        "内蒙古自治区能源局",
        "内蒙古自治区工业和信息化厅",
        "内蒙古自治区发展和改革委员会",
    }
    farmland = next(t for t in tasks if "高标准农田" in t["text"])
    assert any("高标准农田" in s["text"] for s in farmland["subtasks"])
    assert result["coverage"]["overall"]["actionable"] > 0
    assert 0.8 <= result["coverage"]["overall"]["ratio"] <= 1.0
    assert {s["section"][0] for s in result["coverage"]["sections"]} == {"一", "二", "三"}


def test_every_sentence_is_in_a_task_or_classified(seed: Document) -> None:
    result = _decompose_json(str(seed.pk))
    actionable = {t["id"] for t in result["tasks"] if t["kind"] in {"task", "recurring"}}
    listed = result["coverage"]["sentences"]
    assert len(listed) == len(seed.structure["sentences"])
    for s in listed:
        in_task = s["task"] in actionable
        non_actionable = s["kind"] not in {"task", "recurring"}
        assert in_task or non_actionable, seed.text[s["start"] : s["end"]]
    headings = [s for s in listed if s["kind"] == "heading"]
    assert [seed.text[s["start"] : s["end"]][0] for s in headings] == ["一", "二", "三"]


def test_proposal_is_stored_as_a_draft_with_lead_units(plan: Plan) -> None:
    assert plan.is_draft
    top = plan.tasks.filter(parent=None, kind="task")
    assert top.count() >= 9
    assert all(t.lead_unit is not None for t in top)
    assert plan.tasks.filter(parent__isnull=False).exists()
    task = _task_with(plan, "新能源倍增行动")
    assert plan.document.text[task.start : task.end] == task.text


def test_a_stale_edit_is_refused(plan: Plan) -> None:
    task = _task_with(plan, "新能源倍增行动")
    seen = task.version
    edit_task(task=task, version=seen, title="新能源倍增行动", today=TODAY)
    with pytest.raises(PlanError) as info:
        edit_task(task=PlanTask.objects.get(pk=task.pk), version=seen, title="另一个标题", today=TODAY)
    assert info.value.code == "stale"
    assert PlanTask.objects.get(pk=task.pk).title == "新能源倍增行动"


def test_edit_sets_owners_and_refuses_a_past_deadline(plan: Plan) -> None:
    task = _task_with(plan, "高标准农田")
    lead = Unit.objects.get(name="内蒙古自治区农牧厅")
    co = Unit.objects.get(name="内蒙古自治区水利厅")
    task = edit_task(task=task, lead_unit=lead, co_units=[co], deadline=dt.date(2027, 12, 31), today=TODAY)
    assert (task.lead_unit, list(task.co_units.all()), task.status) == (lead, [co], "accepted")
    with pytest.raises(PlanError) as info:
        edit_task(task=task, deadline=dt.date(2020, 1, 1), today=TODAY)
    assert info.value.code == "past_deadline"
    assert PlanTask.objects.get(pk=task.pk).deadline == dt.date(2027, 12, 31)


def test_merge_and_split(plan: Plan) -> None:
    a = _task_with(plan, "新能源倍增行动")
    b = _task_with(plan, "高标准农田")
    spans = [[a.start, a.end], [b.start, b.end]]
    merged = merge_tasks(tasks=[a, b])
    assert merged.spans == spans
    assert not PlanTask.objects.filter(pk=b.pk).exists()
    first, second = split_task(task=merged, at=merged.text.index("（十一）"))
    assert first.text.startswith("（十）") and second.text.startswith("（十一）")
    assert second.order == first.order + 1


def test_reject_then_confirm_locks_the_plan(plan: Plan) -> None:
    noise = plan.tasks.filter(parent=None, kind="task").last()
    assert noise is not None
    set_task_status(task=noise, status=PlanTask.REJECTED)
    with pytest.raises(PlanError) as waiting:
        confirm_plan(plan=plan)
    assert waiting.value.code == "unreviewed"
    accepted = accept_rest(plan=plan)
    assert accepted == plan.tasks.filter(parent=None, kind__in=["task", "recurring"]).count() - 1
    entry = AuditEntry.objects.filter(action="update", note__contains="accepted the remaining").latest("id")
    assert entry.changes["accepted_rest"][1]
    confirmed = confirm_plan(plan=plan)
    assert confirmed.status == Plan.CONFIRMED
    kept = confirmed.tasks.filter(parent=None, kind="task").exclude(pk=noise.pk)
    assert set(kept.values_list("status", flat=True)) == {"accepted"}
    with pytest.raises(PlanError) as info:
        set_task_status(task=PlanTask.objects.get(pk=noise.pk), status=PlanTask.ACCEPTED)
    assert info.value.code == "locked"


def test_confirm_refuses_while_items_await_review_and_coverage_counts_only_reviewed(plan: Plan) -> None:
    assert unreviewed(plan) > 0 and reviewed(plan) == 0
    with pytest.raises(PlanError) as info:
        confirm_plan(plan=plan)
    assert info.value.code == "unreviewed"
    assert str(unreviewed(plan)) in info.value.message_zh
    first = plan.tasks.filter(parent=None, kind="task").first()
    assert first is not None
    set_task_status(task=first, status=PlanTask.ACCEPTED)
    assert reviewed(plan) == 1


def test_confirm_refuses_a_task_without_lead(plan: Plan) -> None:
    task = plan.tasks.filter(parent=None, kind="task").first()
    assert task is not None
    PlanTask.objects.filter(pk=task.pk).update(lead_unit=None)
    with pytest.raises(PlanError) as info:
        confirm_plan(plan=plan, accept_remaining=True)
    assert info.value.code == "lead_missing"
    assert Plan.objects.get(pk=plan.pk).is_draft


def test_confirming_and_accepting_the_rest_check_the_user_themselves(db: None) -> None:
    """The page, the API and `luoshi review_plan` fetch the plan through get_plan_to_change; the services
    refuse on their own too, so no entry point can confirm for a role that may not plan."""
    from django.core.exceptions import PermissionDenied

    from luoshi.decomposition.services import accept_rest, confirm_plan
    from luoshi.testing.world import build_world

    world = build_world()
    plan = Plan.objects.create(document=world.document, catalog="test")
    for service in (accept_rest, confirm_plan):
        with pytest.raises(PermissionDenied):
            service(plan=plan, user=world.liaison_a)
    assert Plan.objects.get(pk=plan.pk).is_draft
