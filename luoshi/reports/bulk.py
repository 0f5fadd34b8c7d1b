"""Set-wise reporting: the obligations of many assignments, many reports of one round at once.

The same rules as ``ensure_obligations`` and ``submit_report``, checked for a
whole set with a handful of queries instead of a dozen per row: a region's
generator (``luoshi demo --region``) and imports of a whole period's reports
use these. A refusal names the row (``ReportError``) and nothing of the set
is written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.audit.services import Pending, record_many
from luoshi.reports.errors import ReportError
from luoshi.reports.evidence import CheckedFile, check_files, store
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report
from luoshi.reports.periods import periods_for
from luoshi.tasks.models import Assignment, Indicator, Status
from luoshi.tasks.signals import inputs_changed

COUNTING = (Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED)
REPORTING_ROLES = (Role.LIAISON, Role.UNIT_HEAD)


def ensure_obligations_for(*, assignments: Iterable[Assignment], batch_size: int = 2000) -> int:
    """``ensure_obligations`` for many assignments: one read, one bulk insert; return how many were created.

    Pending obligations whose period moved get the new dates; pending ones of a
    period that no longer exists, with nothing referring to them, are dropped.
    """
    rows = list(assignments)
    if not rows:
        return 0
    ids = [a.pk for a in rows]
    existing: dict[int, dict[str, Obligation]] = defaultdict(dict)
    for start in range(0, len(ids), 900):
        for ob in Obligation.objects.filter(assignment_id__in=ids[start:start + 900]):
            existing[ob.assignment_id][ob.period] = ob
    new: list[Obligation] = []
    stale: list[int] = []
    for assignment in rows:
        have = existing.get(assignment.pk, {})
        periods = periods_for(assignment=assignment)
        for period in periods:
            current = have.get(period.key)
            if current is None:
                new.append(Obligation(assignment=assignment, period=period.key, period_start=period.start,
                                      period_end=period.end, due_date=period.due))
            elif (current.period_start, current.period_end, current.due_date) != (period.start, period.end, period.due):
                Obligation.objects.filter(pk=current.pk, state=Obligation.State.PENDING).update(
                    period_start=period.start, period_end=period.end, due_date=period.due)
        keys = {p.key for p in periods}
        stale += [ob.pk for key, ob in have.items() if key not in keys]
    with transaction.atomic():
        Obligation.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
        if stale:
            Obligation.objects.filter(pk__in=stale, state=Obligation.State.PENDING, reports__isnull=True,
                                      reminders__isnull=True, urgings__isnull=True).delete()
    inputs_changed(assignment_ids=ids)  # obligations bulk-created or moved: ratings read them
    return len(new)


@dataclass
class ReportEntry:
    """One report of a round, with what ``submit_report`` takes."""

    obligation: Obligation
    user: Any
    progress: int
    narrative: str
    problems: str = ""
    next_steps: str = ""
    now: dt.datetime | None = None
    indicator_values: dict[int, object] = field(default_factory=dict)
    evidence: Sequence[UploadedFile] = ()


def submit_reports(*, entries: Sequence[ReportEntry], batch_size: int = 2000) -> list[Report]:
    """Store many reports at once, each a first report or a correction of its obligation.

    The rules are ``submit_report``'s, applied to every row before anything is
    written: a liaison or head of the assignment's unit, a task not cancelled,
    a period already started, progress 0..100, a narrative, a drop below the
    previous period's counting progress explained under problems, the task's
    own indicators, every evidence file checked. Each obligation appears at
    most once per call (a second correction is the next call). First reports
    set the obligation's state (on time or late) and ``first_submitted_at``;
    every report gets its audit entry. Evidence files written before a failure
    are deleted again.
    """
    if not entries:
        return []
    ids = [e.obligation.pk for e in entries]
    if len(set(ids)) != len(ids):
        raise ReportError("obligation_twice", "同一报告期在一批中出现了多次。",
                          "An obligation appears more than once in one batch.")
    storage = Evidence._meta.get_field("file").storage
    stored: list[str] = []
    try:
        with transaction.atomic():  # the obligations stay locked from the checks to the writes
            obligations = _load(ids)
            profiles = {p.user_id: p for p in Profile.objects.filter(
                user_id__in={getattr(e.user, "pk", None) for e in entries})}
            task_ids = {ob.assignment.task_id for ob in obligations.values()}
            indicators: dict[int, dict[int, Indicator]] = defaultdict(dict)
            for indicator in Indicator.objects.filter(task_id__in=task_ids):
                indicators[indicator.task_id][indicator.pk] = indicator
            checked = [_check(entry, obligations[entry.obligation.pk], profiles, indicators) for entry in entries]
            return _write(checked, storage=storage, stored=stored, batch_size=batch_size)
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise


def _load(ids: list[int]) -> dict[int, Obligation]:
    """The obligations (locked), each annotated with its latest version and the previous counting progress."""
    previous = (Report.objects.filter(obligation__assignment_id=OuterRef("assignment_id"),
                                      obligation__period_end__lt=OuterRef("period_end"), approval__in=COUNTING)
                .order_by("-obligation__period_end", "-version").values("progress")[:1])
    out: dict[int, Obligation] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        # Lock first: PostgreSQL refuses FOR UPDATE on the grouped query below.
        list(Obligation.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))
        qs = (Obligation.objects.filter(pk__in=chunk)
              .select_related("assignment__task", "assignment__unit")
              .annotate(latest_version=Max("reports__version"), previous_progress=Subquery(previous)))
        out.update({ob.pk: ob for ob in qs})
    return out


def _check(
    entry: ReportEntry, ob: Obligation, profiles: dict[int, Profile], indicators: dict[int, dict[int, Indicator]],
) -> tuple[ReportEntry, Obligation, Profile, list[tuple[Indicator, Decimal]], list[CheckedFile]]:
    where_zh, where_en = f"（{ob.assignment.unit.name} {ob.period}）", f" ({ob.assignment.unit.name} {ob.period})"
    profile = profiles.get(getattr(entry.user, "pk", None) or -1)
    if profile is None or profile.unit_id != ob.assignment.unit_id or profile.role not in REPORTING_ROLES:
        raise ReportError("not_your_unit", "只有本单位的联络员或负责人可以报送本单位的报告。" + where_zh,
                          "Only a liaison or the head of the responsible unit can submit its reports." + where_en)
    if ob.assignment.task.status == Status.CANCELLED:
        raise ReportError("task_cancelled", "该任务已撤销，无需报告。" + where_zh,
                          "The task was cancelled; no report is needed." + where_en)
    now = entry.now or timezone.now()
    if timezone.localdate(now) < ob.period_start:
        raise ReportError("period_not_started", f"报告期 {ob.period} 尚未开始，不能提前报告。" + where_zh,
                          f"The period {ob.period} has not started yet; it cannot be reported on." + where_en)
    progress = entry.progress
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReportError("bad_progress", "完成进度应为 0 到 100 之间的整数（百分比）。" + where_zh,
                          "Progress must be a whole number from 0 to 100 (percent)." + where_en)
    if not entry.narrative.strip():
        raise ReportError("empty_narrative", "请填写工作进展情况。" + where_zh,
                          "Please describe the progress made." + where_en)
    previous = getattr(ob, "previous_progress", None)
    if previous is not None and progress < previous and not entry.problems.strip():
        raise ReportError(
            "progress_drop_unexplained",
            f"本期进度（{progress}%）低于上期已认定的进度（{previous}%），请在“存在问题”中说明原因。" + where_zh,
            f"Progress ({progress}%) is lower than the last accepted report ({previous}%); "
            "please explain why under problems." + where_en)
    own = indicators.get(ob.assignment.task_id, {})
    values = []
    for pk, value in entry.indicator_values.items():
        if pk not in own:
            raise ReportError("foreign_indicator", f"指标 {pk} 不属于本任务。" + where_zh,
                              f"Indicator {pk} does not belong to this task." + where_en)
        number = _number(value)
        if number is None:
            raise ReportError("bad_indicator_value", f"指标“{own[pk].name}”的数值“{value}”无效。" + where_zh,
                              f"The value “{value}” for indicator “{own[pk].name}” is not a number." + where_en)
        values.append((own[pk], number))
    return entry, ob, profile, values, check_files(entry.evidence)


def _number(raw: object) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal(10) ** 16 else None


def _write(checked: list[tuple[ReportEntry, Obligation, Profile, list[tuple[Indicator, Decimal]], list[CheckedFile]]],
           *, storage: object, stored: list[str], batch_size: int) -> list[Report]:
    approval_on = settings.UNIT_HEAD_APPROVAL
    reports: list[Report] = []
    first: list[Obligation] = []
    for entry, ob, profile, _values, _files in checked:
        now = entry.now or timezone.now()
        approval = Report.Approval.NOT_REQUIRED
        if approval_on:
            approval = Report.Approval.APPROVED if profile.role == Role.UNIT_HEAD else Report.Approval.PENDING
        approved = approval == Report.Approval.APPROVED
        reports.append(Report(
            obligation=ob, version=(ob.latest_version or 0) + 1, progress=entry.progress,  # type: ignore[attr-defined]
            narrative=entry.narrative.strip(), problems=entry.problems.strip(), next_steps=entry.next_steps.strip(),
            submitted_by=entry.user, submitted_at=now, approval=approval,
            approved_by=entry.user if approved else None, approved_at=now if approved else None,
        ))
        if ob.first_submitted_at is None:
            on_time = timezone.localdate(now) <= ob.due_date
            ob.state = Obligation.State.SUBMITTED if on_time else Obligation.State.LATE
            ob.first_submitted_at = now
            first.append(ob)
    # A correction supersedes the latest version, found in one query.
    later = [r for r in reports if r.version > 1]
    if later:
        previous = dict(Report.objects.filter(obligation_id__in=[r.obligation_id for r in later],
                                              superseded_by__isnull=True)
                        .values_list("obligation_id", "pk"))
        for r in later:
            r.supersedes_id = previous.get(r.obligation_id)
    Report.objects.bulk_create(reports, batch_size=batch_size)  # ids set (RETURNING on SQLite and PostgreSQL)
    # One UPDATE per (state, moment): a round's reports share few timestamps; bulk_update's CASE is slower.
    moments: dict[tuple[str, dt.datetime], list[int]] = defaultdict(list)
    for ob in first:
        moments[(ob.state, ob.first_submitted_at)].append(ob.pk)  # type: ignore[index]
    for (state, moment), pks in moments.items():
        for i in range(0, len(pks), 900):
            Obligation.objects.filter(pk__in=pks[i:i + 900]).update(state=state, first_submitted_at=moment)
    values, evidence = [], []
    for report, (entry, _ob, _profile, checked_values, files) in zip(reports, checked, strict=True):
        values += [IndicatorValue(report=report, indicator=i, value=v) for i, v in checked_values]
        for f in files:
            name, sha256 = store(f, storage=storage, now=entry.now or timezone.now())  # type: ignore[arg-type]
            stored.append(name)
            evidence.append(Evidence(report=report, file=name, original_name=f.original_name,
                                     content_type=f.content_type, size=f.size, sha256=sha256))
    IndicatorValue.objects.bulk_create(values, batch_size=batch_size)
    Evidence.objects.bulk_create(evidence, batch_size=batch_size)
    inputs_changed(assignment_ids={ob.assignment_id for _e, ob, _p, _v, _f in checked})
    record_many(Pending(action="create", obj=report, actor=entry.user, at=report.submitted_at, changes={
        "version": [None, report.version], "progress": [None, report.progress], "approval": [None, report.approval],
        "evidence": [None, len(files)], "state": [None, ob.state]})
        for report, (entry, ob, _p, _v, files) in zip(reports, checked, strict=True))
    return reports
