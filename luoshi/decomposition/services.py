"""Task division service functions, shared by the CLI, pages, API and tests.

A plan is proposed from a document's text, reviewed by a person (accept,
edit, merge, split, reject) and confirmed; nothing is final before that.
Edits carry the version the editor saw, so a stale edit is refused instead
of silently overwriting someone else's change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.accounts.scope import require
from luoshi.audit.services import diff, record, snapshot
from luoshi.catalogs.catalog import Catalog, load_catalog
from luoshi.decomposition.builder import ACTIONABLE, Decomposition, ProposedTask, decompose
from luoshi.decomposition.errors import PlanError
from luoshi.decomposition.learning import office_history
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.schedule import clean_plan_cadence, latest_milestone, with_indicator, with_milestone
from luoshi.documents.docx_tables import SourceTable, read_docx_tables
from luoshi.documents.models import Document
from luoshi.documents.pdf_tables import read_pdf_tables
from luoshi.documents.textproc.model import Section as SectionNode
from luoshi.documents.textproc.model import Sentence, Structure
from luoshi.units.models import Unit
from luoshi.units.services import load_units


def _locked(plan: Plan) -> PlanError:
    return PlanError(
        "locked",
        f"任务分工方案 #{plan.pk} 已确认，不能再修改。",
        f"Plan #{plan.pk} is confirmed and can no longer be changed.",
    )


def _stale(task: PlanTask) -> PlanError:
    return PlanError(
        "stale",
        f"任务“{task.title}”已被他人修改，请刷新后重试。",
        f"Task '{task.title}' was changed by someone else; reload and try again.",
    )


def structure_from_json(payload: dict[str, Any], text: str) -> Structure:
    """Rebuild the parsed structure stored with a document (no re-parsing)."""

    def node(d: dict[str, Any], level: int) -> SectionNode:
        return SectionNode(
            kind=d["kind"],
            number=d["number"],
            heading=d["heading"],
            start=d["start"],
            end=d["end"],
            heading_start=d.get("heading_start", d["start"]),
            heading_end=d.get("heading_end", d["start"]),
            level=level,
            children=[node(c, level + 1) for c in d.get("children", [])],
        )

    preamble = payload.get("preamble")
    return Structure(
        title=payload.get("title", ""),
        doc_number=payload.get("doc_number", ""),
        date=payload.get("date") or "",
        date_line=payload.get("date_line", ""),
        preamble_span=(preamble[0], preamble[1]) if preamble else None,
        sections=[node(s, 1) for s in payload.get("sections", [])],
        sentences=[
            Sentence(s["start"], s["end"], list(s.get("section_index", [])))
            for s in payload.get("sentences", [])
        ],
    )


def document_tables(document: Document) -> list[SourceTable]:
    """The tables of a stored Word document or text PDF, read again from its original bytes (none for
    other formats)."""
    if document.format == "docx":
        return read_docx_tables(bytes(document.original))
    if document.format == "pdf":
        return read_pdf_tables(bytes(document.original))
    return []


def decompose_document(*, document: Document, catalog: Catalog) -> Decomposition:
    """Propose tasks for a stored document (pure: nothing is written); a task-division table in it gives
    the tasks it holds (``decomposition/tables.py``), and the office's confirmed divisions made with the
    catalog count in the suggestions (``decomposition/learning.py``)."""
    structure = structure_from_json(document.structure, document.text)
    return decompose(
        document.text,
        structure,
        catalog,
        tables=document_tables(document),
        history=office_history(catalog.name),
    )


@dataclass
class ProposeOutcome:
    plan: Plan
    decomposition: Decomposition


@transaction.atomic
def propose_plan(*, document: Document, catalog_name: str) -> ProposeOutcome:
    """Store a new draft plan of proposed tasks; units of the catalog are loaded if missing."""
    catalog = load_catalog(catalog_name)
    stored = Unit.objects.filter(catalog=catalog.name, code__in=[u.code for u in catalog.units])
    if stored.count() < len(catalog.units):
        load_units(catalog=catalog)
    result = decompose_document(document=document, catalog=catalog)
    plan = Plan.objects.create(document=document, catalog=catalog.name, coverage=result.coverage)
    units = {u.code: u for u in stored.all()}
    order = 0
    for task in result.tasks:
        order = _store_task(plan, task, None, units, order)
    record(
        action="create",
        obj=plan,
        changes={"document": [None, document.pk], "catalog": [None, catalog.name]},
        note=f"建议任务 {order} 项 / {order} proposed tasks",
    )
    return ProposeOutcome(plan, result)


def _store_task(
    plan: Plan, task: ProposedTask, parent: PlanTask | None, units: dict[str, Unit], order: int
) -> int:
    actionable = task.kind in ACTIONABLE
    lead = units.get(task.lead_suggestions[0]["code"]) if actionable and task.lead_suggestions else None
    row = PlanTask.objects.create(
        plan=plan,
        parent=parent,
        order=order,
        kind=task.kind,
        title=task.title[:200],
        text=task.text,
        spans=_spans(task),
        start=task.start,
        end=task.end,
        heading_path=task.heading_path,
        actions=task.actions,
        targets=task.targets,
        deadlines=task.deadlines,
        programmes=task.programmes,
        units_in_text=task.units_in_text,
        lead_suggestions=task.lead_suggestions,
        co_suggestions=task.co_suggestions,
        lead_unit=lead,
        deadline=_first_deadline(task.deadlines),
        table_source=task.table_source,
    )
    # Suggested co-units become 配合单位 (named in the text or, failing that, the runners-up); review may change them.
    co = [
        units[s["code"]]
        for s in _kept_co(task)
        if actionable and s.get("code") in units and units[s["code"]] != lead
    ]
    if co:
        row.co_units.set(co)
    order += 1
    for sub in task.subtasks:
        order = _store_task(plan, sub, row, units, order)
    return order


def _kept_co(task: ProposedTask) -> list[dict[str, Any]]:
    """The co-unit suggestions that become 配合单位: the table's or the text's own, else the first three."""
    own = [s for s in task.co_suggestions if s.get("source") in ("table", "text")]
    return own or task.co_suggestions[:3]


def _spans(task: ProposedTask) -> list[list[int]]:
    """The task's words in the text: a table row's cells and the items it links to, else its span."""
    cells = sorted(task.table_source.get("cells", {}).values())
    linked = [[d["start"], d["end"]] for d in task.table_source.get("linked", [])]
    return [list(c) for c in cells] + linked or [[task.start, task.end]]


def _first_deadline(deadlines: list[dict[str, Any]]) -> dt.date | None:
    for d in deadlines:
        if d.get("kind") == "deadline" and d.get("end_date"):
            try:
                return dt.date.fromisoformat(d["end_date"])
            except ValueError:
                continue
    return None


def _editable(task: PlanTask, version: int | None) -> None:
    if not task.plan.is_draft:
        raise _locked(task.plan)
    if version is not None and version != task.version:
        raise _stale(task)


def _save_bumped(task: PlanTask, fields: list[str], version: int | None) -> PlanTask:
    """Save with an optimistic lock: refuse when someone saved since ``version``."""
    expected = task.version if version is None else version
    updated = PlanTask.objects.filter(pk=task.pk, version=expected).update(
        version=F("version") + 1, **{f: getattr(task, f) for f in fields}
    )
    if updated != 1:
        raise _stale(task)
    task.refresh_from_db()
    return task


def _save_schedule(
    task: PlanTask, version: int | None, field: str, before: list[dict[str, Any]], *, note: str
) -> PlanTask:
    """Save the proposed task's new milestones or indicators (``field``); audit the change from ``before``."""
    task = _save_bumped(task, [field], version)
    record(action="update", obj=task, changes={field: [before, getattr(task, field)]}, note=note)
    return task


@transaction.atomic
def set_task_status(*, task: PlanTask, status: str, version: int | None = None) -> PlanTask:
    """Accept or reject a proposed task."""
    if status not in {PlanTask.ACCEPTED, PlanTask.REJECTED, PlanTask.PROPOSED}:
        raise PlanError("bad_status", f"无效状态：{status}", f"Invalid status: {status}")
    _editable(task, version)
    before = task.status
    task.status = status
    task = _save_bumped(task, ["status"], version)
    record(action="update", obj=task, changes=diff({"status": before}, {"status": task.status}))
    return task


@transaction.atomic
def edit_task(
    *,
    task: PlanTask,
    version: int | None = None,
    title: str | None = None,
    text: str | None = None,
    lead_unit: Unit | None = None,
    co_units: list[Unit] | None = None,
    deadline: dt.date | None = None,
    cadence: str | None = None,
    today: dt.date | None = None,
) -> PlanTask:
    """Change a task's title, text, owners, deadline or reporting cadence ("" for the default chosen
    when the tasks are created); the task counts as accepted."""
    _editable(task, version)
    audited = ["title", "text", "lead_unit", "deadline", "cadence", "status", "co_units"]
    before = snapshot(task, audited)
    if title is not None:
        if not title.strip():
            raise PlanError("empty_title", "任务名称不能为空。", "The task title cannot be empty.")
        task.title = title.strip()[:200]
    if text is not None:
        task.text = text
    if lead_unit is not None:
        task.lead_unit = lead_unit
    if deadline is not None:
        if deadline < (today or timezone.localdate()):
            raise PlanError(
                "past_deadline", f"完成时限 {deadline} 早于今天。", f"The deadline {deadline} is in the past."
            )
        last = latest_milestone(task.milestones)
        if last is not None and deadline < last:
            raise PlanError(
                "deadline_before_milestone",
                f"完成时限 {deadline} 早于里程碑日期 {last}。",
                f"The deadline {deadline} is before the milestone on {last}.",
            )
        task.deadline = deadline
    if cadence is not None:
        task.cadence = clean_plan_cadence(cadence)
    task.status = PlanTask.ACCEPTED
    task = _save_bumped(task, ["title", "text", "lead_unit", "deadline", "cadence", "status"], version)
    if co_units is not None:
        task.co_units.set([u for u in co_units if u != task.lead_unit])
    record(action="update", obj=task, changes=diff(before, snapshot(task, audited)))
    return task


@transaction.atomic
def add_plan_milestone(
    *,
    task: PlanTask,
    version: int | None = None,
    date: dt.date,
    expected_progress: int,
    title: str = "",
    today: dt.date | None = None,
) -> PlanTask:
    """Add a milestone to a proposed task (checked by ``schedule.with_milestone``); it becomes the
    task's milestone when the tasks are created."""
    _editable(task, version)
    before = list(task.milestones)
    task.milestones = with_milestone(
        before,
        date=date,
        expected_progress=expected_progress,
        title=title,
        today=today or timezone.localdate(),
        deadline=task.deadline,
    )
    return _save_schedule(
        task, version, "milestones", before, note=f"新增里程碑 {date} / milestone added on {date}"
    )


@transaction.atomic
def remove_plan_milestone(*, task: PlanTask, version: int | None = None, date: dt.date) -> PlanTask:
    """Remove the proposed task's milestone on ``date``."""
    _editable(task, version)
    before = list(task.milestones)
    kept = [m for m in before if m.get("date") != date.isoformat()]
    if len(kept) == len(before):
        raise PlanError("milestone_missing", f"{date} 没有里程碑。", f"There is no milestone on {date}.")
    task.milestones = kept
    return _save_schedule(
        task, version, "milestones", before, note=f"删除里程碑 {date} / milestone removed on {date}"
    )


@transaction.atomic
def add_plan_indicator(
    *,
    task: PlanTask,
    version: int | None = None,
    name: str,
    unit_of_measure: str = "",
    baseline: Any,
    target: Any,
    direction: str = "increase",
) -> PlanTask:
    """Add a quantified indicator to a proposed task (checked by ``schedule.with_indicator``); its
    baseline is dated the task's start and its target the task's deadline when the task is created."""
    _editable(task, version)
    before = list(task.indicators)
    task.indicators = with_indicator(
        before,
        name=name,
        unit_of_measure=unit_of_measure,
        baseline=baseline,
        target=target,
        direction=direction,
    )
    added = task.indicators[-1]["name"]
    return _save_schedule(
        task, version, "indicators", before, note=f"新增指标“{added}” / indicator '{added}' added"
    )


@transaction.atomic
def remove_plan_indicator(*, task: PlanTask, version: int | None = None, name: str) -> PlanTask:
    """Remove the proposed task's indicator called ``name``."""
    _editable(task, version)
    before = list(task.indicators)
    kept = [i for i in before if i.get("name") != name]
    if len(kept) == len(before):
        raise PlanError("indicator_missing", f"没有指标“{name}”。", f"There is no indicator '{name}'.")
    task.indicators = kept
    return _save_schedule(
        task, version, "indicators", before, note=f"删除指标“{name}” / indicator '{name}' removed"
    )


@transaction.atomic
def merge_tasks(*, tasks: list[PlanTask]) -> PlanTask:
    """Merge top-level tasks into the first: spans, texts, owners; the others are removed."""
    if len(tasks) < 2:
        raise PlanError("merge_needs_two", "合并至少需要两项任务。", "Merging needs at least two tasks.")
    plans = {t.plan_id for t in tasks}
    if len(plans) != 1:
        raise PlanError(
            "merge_across_plans", "只能合并同一方案中的任务。", "Only tasks of one plan can be merged."
        )
    tasks = sorted(tasks, key=lambda t: t.order)
    keep, rest = tasks[0], tasks[1:]
    _editable(keep, None)
    audited = ["text", "spans", "origin", "status", "co_units"]
    before = snapshot(keep, audited)
    keep.spans = [s for t in tasks for s in t.spans]
    keep.start = min(t.start for t in tasks)
    keep.end = max(t.end for t in tasks)
    keep.text = "\n".join(t.text for t in tasks)
    for field in ("targets", "deadlines", "programmes", "units_in_text", "actions"):
        setattr(keep, field, [item for t in tasks for item in getattr(t, field)])
    keep.origin = "merged"
    keep.status = PlanTask.ACCEPTED
    keep = _save_bumped(
        keep,
        [
            "spans",
            "start",
            "end",
            "text",
            "targets",
            "deadlines",
            "programmes",
            "units_in_text",
            "actions",
            "origin",
            "status",
        ],
        None,
    )
    co = set(keep.co_units.all())
    for t in rest:
        co |= set(t.co_units.all())
        if t.lead_unit and t.lead_unit != keep.lead_unit:
            co.add(t.lead_unit)
        PlanTask.objects.filter(parent=t).update(parent=keep)
        record(action="delete", obj=t, note=f"并入任务 #{keep.pk} / merged into task #{keep.pk}")
        t.delete()
    keep.co_units.set([u for u in co if u != keep.lead_unit])
    record(
        action="update",
        obj=keep,
        changes=diff(before, snapshot(keep, audited)),
        note=f"合并了 {'、'.join(f'#{t.pk}' for t in rest)} / merged: {', '.join(f'#{t.pk}' for t in rest)}",
    )
    return keep


@transaction.atomic
def split_task(*, task: PlanTask, at: int, version: int | None = None) -> tuple[PlanTask, PlanTask]:
    """Split a task's text at character ``at`` (relative to its text) into two tasks."""
    _editable(task, version)
    if not 0 < at < len(task.text):
        raise PlanError(
            "bad_split", "拆分位置必须在任务文字内部。", "The split point must be inside the task text."
        )
    first_text, second_text = task.text[:at].strip(), task.text[at:].strip()
    audited = ["text", "origin", "status", "spans", "end"]
    before = snapshot(task, audited)
    if not first_text or not second_text:
        raise PlanError("bad_split", "拆分后两部分都不能为空。", "Both parts of a split must have text.")
    cut = task.start + at if len(task.spans) == 1 and task.end - task.start == len(task.text) else None
    PlanTask.objects.filter(plan=task.plan, order__gt=task.order).update(order=F("order") + 1)
    second = PlanTask.objects.create(
        plan=task.plan,
        parent=task.parent,
        order=task.order + 1,
        kind=task.kind,
        status=PlanTask.ACCEPTED,
        origin="split",
        title=second_text[:30],
        text=second_text,
        spans=[[cut, task.end]] if cut is not None else [],
        start=cut if cut is not None else task.start,
        end=task.end,
        heading_path=task.heading_path,
        lead_unit=task.lead_unit,
        deadline=task.deadline,
        lead_suggestions=task.lead_suggestions,
        co_suggestions=task.co_suggestions,
    )
    second.co_units.set(task.co_units.all())
    task.text = first_text
    task.origin = "split"
    task.status = PlanTask.ACCEPTED
    if cut is not None:
        task.spans = [[task.start, cut]]
        task.end = cut
    task = _save_bumped(task, ["text", "origin", "status", "spans", "end"], version)
    record(
        action="update",
        obj=task,
        changes=diff(before, snapshot(task, audited)),
        note=f"拆分出任务 #{second.pk} / split off task #{second.pk}",
    )
    record(
        action="create",
        obj=second,
        changes={"text": [None, second.text]},
        note=f"由任务 #{task.pk} 拆分 / split from task #{task.pk}",
    )
    return task, second


def unreviewed(plan: Plan) -> int:
    """Top-level actionable items nobody has accepted, merged or rejected yet (待审核)."""
    return plan.tasks.filter(parent=None, kind__in=ACTIONABLE, status=PlanTask.PROPOSED).count()


def reviewed(plan: Plan) -> int:
    return plan.tasks.filter(parent=None, kind__in=ACTIONABLE).exclude(status=PlanTask.PROPOSED).count()


@transaction.atomic
def accept_rest(*, plan: Plan, user: Any = None) -> int:
    """接受其余全部: accept every actionable item still awaiting review, in one audited step.

    ``user`` (None: the system) must be allowed to "plan" (RoleRequired otherwise)."""
    if user is not None:
        require(user, "plan")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_draft:
        raise _locked(plan)
    pending = plan.tasks.filter(parent=None, kind__in=ACTIONABLE, status=PlanTask.PROPOSED)
    ids = list(pending.values_list("pk", flat=True))
    if not ids:
        raise PlanError("nothing_to_accept", "没有待审核的任务。", "No task is awaiting review.")
    PlanTask.objects.filter(pk__in=ids).update(status=PlanTask.ACCEPTED, version=F("version") + 1)
    record(
        action="update",
        obj=plan,
        actor=user,
        changes={"accepted_rest": [None, ids]},
        note=f"接受其余全部 {len(ids)} 项 / accepted the remaining {len(ids)} item(s)",
    )
    return len(ids)


@transaction.atomic
def confirm_plan(*, plan: Plan, user: Any = None, accept_remaining: bool = False) -> Plan:
    """Confirm a reviewed draft: accepted and merged tasks go on, rejected ones stay out.

    Refused while an actionable item is still awaiting review (accept, merge or reject it, or use
    ``accept_rest``, which ``accept_remaining`` does first) or an accepted actionable task has no lead
    unit. ``user`` (None: the system) must be allowed to "plan" (RoleRequired otherwise).
    """
    if user is not None:
        require(user, "plan")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_draft:
        raise _locked(plan)
    if accept_remaining and unreviewed(plan):
        accept_rest(plan=plan, user=user)
    waiting = unreviewed(plan)
    if waiting:
        raise PlanError(
            "unreviewed",
            f"尚有 {waiting} 项待审核：请逐项接受、合并或驳回，或选择“接受其余全部”。",
            f"{waiting} item(s) are still awaiting review: accept, merge or reject each, "
            "or choose 'accept the rest'.",
        )
    top = plan.tasks.filter(parent=None, kind__in=ACTIONABLE).exclude(status=PlanTask.REJECTED)
    missing = [t.title for t in top if t.lead_unit_id is None]
    if missing:
        raise PlanError(
            "lead_missing",
            f"以下任务尚未确定牵头单位：{'、'.join(missing[:5])}",
            f"{len(missing)} task(s) have no lead unit yet.",
        )
    plan.status = Plan.CONFIRMED
    plan.confirmed_at = timezone.now()
    plan.confirmed_by = user if getattr(user, "is_authenticated", False) else None
    plan.version += 1
    plan.save()
    record(
        action="approve",
        obj=plan,
        actor=user,
        changes={"status": [Plan.DRAFT, Plan.CONFIRMED]},
        at=plan.confirmed_at,
    )
    return plan
