"""Periodic reports (定期报告): obligations, submissions, corrections, approval.

Every operation is a keyword-only function; the CLI, pages, API and tests call
these. Refusals raise ``ReportError`` (code, message_zh, message_en). Periods
live in ``periods.py``, evidence checks in ``evidence.py`` and the read side
(``latest_counting_report``, ``latest_counting``, ``reports_for_task``) in ``queries.py``; all are
re-exported here, the one module other apps import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.accounts.scope import role_of
from luoshi.audit.services import record
from luoshi.documents.models import without_heavy
from luoshi.lib.bounds import clean_text, horizon
from luoshi.reports.access import REPORTS, visible_obligations
from luoshi.reports.bulk import (
    ObligationPlan,
    ReportEntry,
    apply_plans,
    droppable,
    ensure_obligations_for,
    held_obligations,
    plan_obligations,
    submit_reports,
)
from luoshi.reports.errors import ReportError
from luoshi.reports.evidence import check_files, store
from luoshi.reports.isolation import Failures, isolated
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report
from luoshi.reports.periods import Period, periods_for
from luoshi.reports.queries import (
    PeriodReports,
    UnitReport,
    latest_counting,
    latest_counting_report,
    reports_for_task,
)
from luoshi.tasks.access import visible_assignments
from luoshi.tasks.models import REPORTING_STATUSES, Assignment, Indicator, Status, Task
from luoshi.tasks.signals import inputs_changed
from luoshi.units.models import Unit

__all__ = [
    "Period",
    "PeriodReports",
    "ReportEntry",
    "ReportError",
    "UnitReport",
    "approve_report",
    "ensure_obligations",
    "ensure_obligations_for",
    "latest_counting",
    "latest_counting_report",
    "needs_head_approval",
    "periods_for",
    "refresh_states",
    "reports_for_task",
    "submit_report",
    "submit_reports",
]

REFRESH_SET = 500  # assignments whose obligations refresh_states makes in one set-wise call

IndicatorNumber = Decimal | int | float | str
# {indicator id: value}; Indicator objects are accepted as keys too.
IndicatorValues = Mapping[int, IndicatorNumber] | Mapping[Indicator, IndicatorNumber]


def ensure_obligations(*, assignment: Assignment) -> int:
    """Create the obligations an assignment's periods call for; return how many were created.

    Idempotent. A pending obligation whose period moved (e.g. a deadline was
    extended) gets the new dates, and one whose period no longer exists (the
    cadence changed) is dropped when nothing refers to it yet (no report, reminder or
    urging). Submitted,
    late and missing ones are facts and are left alone.
    """
    periods = periods_for(assignment=assignment)
    existing = {o.period: o for o in Obligation.objects.filter(assignment=assignment)}
    created = 0
    for period in periods:
        current = existing.get(period.key)
        if current is None:
            try:
                with transaction.atomic():
                    Obligation.objects.create(
                        assignment=assignment,
                        period=period.key,
                        period_start=period.start,
                        period_end=period.end,
                        due_date=period.due,
                    )
            except IntegrityError:
                continue  # created meanwhile by another process
            created += 1
        elif (current.period_start, current.period_end, current.due_date) != (
            period.start,
            period.end,
            period.due,
        ):
            Obligation.objects.filter(pk=current.pk, state=Obligation.State.PENDING).update(
                period_start=period.start, period_end=period.end, due_date=period.due
            )
            inputs_changed(assignment_ids=[assignment.pk])
    stale = set(existing) - {p.key for p in periods}
    if stale:
        droppable(Obligation.objects.filter(assignment=assignment, period__in=stale)).delete()
    return created


def refresh_states(
    *, today: dt.date, failures: Failures | None = None, batch_size: int = 500
) -> dict[str, int]:
    """Record what is due, then what is missing; safe to run any number of times.

    1. Create the obligations of every assignment of a task in progress
       (assigned, in progress, completion requested): the stored ones are read
       in one query and compared with each assignment's periods in memory;
       what is missing is written ``batch_size`` assignments to a transaction.
    2. Mark pending obligations of those tasks whose due date is before
       ``today`` as missing, with one conditional UPDATE (a submission that
       got there first keeps its state).

    One assignment that fails (a corrupted row) is skipped and recorded
    (``reports.isolation``), the others go on (listed in ``failures`` when
    given): its periods are computed in isolation, and a batch that cannot be
    written is written again one assignment per savepoint. Nothing to write
    costs four queries whatever the number of assignments.
    Returns {"created": n, "missing": m}.
    """
    reporting = Assignment.objects.filter(task__status__in=REPORTING_STATUSES)
    held = held_obligations(Obligation.objects.filter(assignment__in=reporting.values("pk")))
    plans: list[tuple[Assignment, ObligationPlan]] = []
    last = horizon()[1]
    for assignment in reporting.select_related("task").order_by("pk"):
        with isolated(assignment, step="refresh_states", failures=failures, savepoint=False):
            plan = plan_obligations(assignment, held.get(assignment.pk, {}), horizon_end=last)
            if plan:
                plans.append((assignment, plan))
    created = 0
    for start in range(0, len(plans), batch_size):
        batch = plans[start : start + batch_size]
        try:
            with transaction.atomic():
                written = apply_plans(plan for _, plan in batch)
        except (
            Exception
        ):  # one row spoils the batch: again one assignment per savepoint, as ensure_obligations
            written = 0
            for assignment, _plan in batch:
                with isolated(assignment, step="refresh_states", failures=failures):
                    written += ensure_obligations(assignment=assignment)
        created += written
    missing = Obligation.objects.filter(
        state=Obligation.State.PENDING,
        due_date__lt=today,
        assignment__task__status__in=REPORTING_STATUSES,
    ).update(state=Obligation.State.MISSING)
    return {"created": created, "missing": missing}


def submit_report(
    *,
    obligation: Obligation,
    user: Any,
    progress: int,
    narrative: str,
    problems: str = "",
    next_steps: str = "",
    indicator_values: IndicatorValues | None = None,
    evidence: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Report:
    """Store a report for an obligation: the first one, or a correction (a new version).

    1. Check who submits, what they say and every evidence file; nothing is
       written before all checks pass.
    2. In one transaction: lock the obligation, add the report as the next
       version (a correction supersedes the previous latest version, which
       stays as it was), its indicator values and evidence files.
    3. The first submission sets ``first_submitted_at`` and the state:
       "submitted" when made on or before the due date (local date), else
       "late" (also for an obligation already marked missing). Corrections
       change neither.
    4. When the unit's reports need its head's approval (``needs_head_approval``),
       a report starts "pending" and counts only once a unit head approves it;
       a report a unit head submits is approved at once.

    Evidence files written before a failure are deleted again.
    """
    now = now or timezone.now()
    assignment = obligation.assignment
    task = assignment.task
    rule = REPORTS["submit"]
    if not rule(user, obligation):
        raise ReportError("not_your_unit", rule.message_zh, rule.message_en)
    role = role_of(user)
    if task.status == Status.CANCELLED:
        raise ReportError(
            "task_cancelled", "该任务已撤销，无需报告。", "The task was cancelled; no report is needed."
        )
    if timezone.localdate(now) < obligation.period_start:
        raise ReportError(
            "period_not_started",
            f"报告期 {obligation.period} 尚未开始，不能提前报告。",
            f"The period {obligation.period} has not started yet; it cannot be reported on.",
        )
    _check_progress(progress)
    narrative = clean_text(
        narrative, error=ReportError, field="narrative", what_zh="工作进展", what_en="progress narrative"
    ).strip()
    problems = clean_text(
        problems, error=ReportError, field="problems", what_zh="存在问题", what_en="problems"
    ).strip()
    next_steps = clean_text(
        next_steps, error=ReportError, field="next_steps", what_zh="下一步计划", what_en="next steps"
    ).strip()
    if not narrative:
        raise ReportError("empty_narrative", "请填写工作进展情况。", "Please describe the progress made.")
    values = _check_indicator_values(task=task, values=indicator_values or {})
    previous = _previous_counting_progress(obligation=obligation)
    if previous is not None and progress < previous and not problems:
        raise ReportError(
            "progress_drop_unexplained",
            f"本期进度（{progress}%）低于上期已认定的进度（{previous}%），请在“存在问题”中说明原因。",
            f"Progress ({progress}%) is lower than the last accepted report ({previous}%); "
            "please explain why under problems.",
        )
    files = check_files(evidence)

    approval = Report.Approval.NOT_REQUIRED
    if needs_head_approval(unit_id=assignment.unit_id):
        approval = Report.Approval.APPROVED if role == Role.UNIT_HEAD else Report.Approval.PENDING
    storage = Evidence._meta.get_field("file").storage
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
            latest = locked.reports.order_by("-version").first()
            report = Report.objects.create(
                obligation=locked,
                version=latest.version + 1 if latest else 1,
                supersedes=latest,
                progress=progress,
                narrative=narrative,
                problems=problems,
                next_steps=next_steps,
                submitted_by=user,
                submitted_at=now,
                approval=approval,
                approved_by=user if approval == Report.Approval.APPROVED else None,
                approved_at=now if approval == Report.Approval.APPROVED else None,
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(report=report, indicator=indicator, value=value) for indicator, value in values
            )
            for checked in files:
                name, sha256 = store(checked, storage=storage, now=now)
                stored.append(name)
                Evidence.objects.create(
                    report=report,
                    file=name,
                    original_name=checked.original_name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=sha256,
                )
            if locked.first_submitted_at is None:
                on_time = timezone.localdate(now) <= locked.due_date
                locked.state = Obligation.State.SUBMITTED if on_time else Obligation.State.LATE
                locked.first_submitted_at = now
                locked.save(update_fields=["state", "first_submitted_at"])
            record(
                action="create",
                obj=report,
                actor=user,
                at=now,
                changes={
                    "version": [None, report.version],
                    "progress": [None, progress],
                    "approval": [None, approval],
                    "evidence": [None, len(files)],
                    "state": [None, locked.state],
                },
            )
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    obligation.refresh_from_db(fields=["state", "first_submitted_at"])
    return report


def approve_report(
    *, report: Report, user: Any, approve: bool, comment: str = "", now: dt.datetime | None = None
) -> Report:
    """A unit head approves a pending report (it then counts) or returns it with a comment."""
    now = now or timezone.now()
    rule = REPORTS["approve"]
    if not rule(user, report):
        raise ReportError("not_unit_head", rule.message_zh, rule.message_en)
    comment = clean_text(
        comment, error=ReportError, field="comment", what_zh="意见", what_en="comment"
    ).strip()
    if not approve and not comment:
        raise ReportError(
            "comment_required", "退回报告时请写明理由。", "Please say why the report is returned."
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if Report.objects.filter(supersedes=locked).exists():
            raise ReportError(
                "superseded",
                "该报告已有更正版本，请审核最新版本。",
                "This report has been corrected; please review the latest version.",
            )
        if locked.approval != Report.Approval.PENDING:
            raise ReportError(
                "not_pending", "该报告不在待审核状态。", "This report is not awaiting approval."
            )
        locked.approval = Report.Approval.APPROVED if approve else Report.Approval.RETURNED
        locked.approved_by = user
        locked.approved_at = now
        locked.approval_comment = comment
        locked.save(update_fields=["approval", "approved_by", "approved_at", "approval_comment"])
        record(
            action="approve",
            obj=locked,
            actor=user,
            at=now,
            changes={"approval": [Report.Approval.PENDING, locked.approval]},
            note=comment,
        )
    return locked


def needs_head_approval(*, unit_id: int) -> bool:
    """Whether the unit's reports wait for its head: the unit's setting (or LUOSHI_UNIT_HEAD_APPROVAL for
    every unit), and only while the unit has an active head, so that no report waits for nobody."""
    if not (
        settings.UNIT_HEAD_APPROVAL or Unit.objects.filter(pk=unit_id, requires_head_approval=True).exists()
    ):
        return False
    return has_active_head(unit_id=unit_id)


def has_active_head(*, unit_id: int) -> bool:
    return Profile.objects.filter(unit_id=unit_id, role=Role.UNIT_HEAD, user__is_active=True).exists()


def _check_progress(progress: object) -> None:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReportError(
            "bad_progress",
            "完成进度应为 0 到 100 之间的整数（百分比）。",
            "Progress must be a whole number from 0 to 100 (percent).",
        )


def _check_indicator_values(*, task: Task, values: IndicatorValues) -> list[tuple[Indicator, Decimal]]:
    indicators = {i.pk: i for i in task.indicators.all()}
    checked = []
    for key, raw in values.items():
        pk = key.pk if isinstance(key, Indicator) else key
        indicator = indicators.get(pk) if isinstance(pk, int) else None
        if indicator is None:
            raise ReportError(
                "foreign_indicator",
                f"指标 {pk} 不属于本任务。",
                f"Indicator {pk} does not belong to this task.",
            )
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or abs(value) >= Decimal(10) ** 16:
            raise ReportError(
                "bad_indicator_value",
                f"指标“{indicator.name}”的数值“{raw}”无效。",
                f"The value “{raw}” for indicator “{indicator.name}” is not a number.",
                field=f"indicator_{indicator.pk}",
            )
        checked.append((indicator, value))
    return checked


def _previous_counting_progress(*, obligation: Obligation) -> int | None:
    """Progress of the latest counting report for an earlier period of the same assignment."""
    previous = (
        Report.objects.filter(
            obligation__assignment_id=obligation.assignment_id,
            obligation__period_end__lt=obligation.period_end,
            approval__in=(Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED),
        )
        .order_by("-obligation__period_end", "-version")
        .values_list("progress", flat=True)
        .first()
    )
    return previous


def reporting_obligations(user: Any) -> QuerySet[Obligation]:
    """The obligations the user sees on tasks still reporting, with their task, unit and document (its
    heavy fields left out)."""
    return (
        visible_obligations(user)
        .filter(assignment__task__status__in=REPORTING_STATUSES)
        .select_related("assignment__task", "assignment__unit", "assignment__task__document")
        .defer(*without_heavy("assignment__task__document__"))
    )


def reporting_assignments(user: Any) -> QuerySet[Assignment]:
    """The assignments the user sees on tasks still reporting, with their task, unit, parent and document
    (its heavy fields left out), by deadline."""
    return (
        visible_assignments(user)
        .filter(task__status__in=REPORTING_STATUSES)
        .select_related("task", "unit", "parent", "task__document")
        .defer(*without_heavy("task__document__"))
        .order_by("deadline", "pk")
    )


OPEN_STATES = (Obligation.State.PENDING, Obligation.State.MISSING)


def due_obligations(*, assignments: Iterable[Assignment], today: dt.date) -> QuerySet[Obligation]:
    """The assignments' obligations still open (pending or missing) whose period has begun, by due date."""
    return Obligation.objects.filter(
        assignment__in=assignments, state__in=OPEN_STATES, period_start__lte=today
    ).order_by("due_date")
