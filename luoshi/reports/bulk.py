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
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.audit.services import Pending, record_many
from luoshi.lib.bounds import clean_text, horizon
from luoshi.reports.errors import ReportError
from luoshi.reports.evidence import CheckedFile, check_files, store
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report
from luoshi.reports.periods import Period, periods_for
from luoshi.tasks.models import Assignment, Indicator, Status, Task
from luoshi.tasks.signals import inputs_changed
from luoshi.units.models import Unit

COUNTING = (Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED)
REPORTING_ROLES = (Role.LIAISON, Role.UNIT_HEAD)
TEXTS = (
    ("narrative", "工作进展", "progress narrative"),
    ("problems", "存在问题", "problems"),
    ("next_steps", "下一步计划", "next steps"),
)


class Held(NamedTuple):
    """What planning needs of a pending obligation already stored (the others are facts: never moved
    or dropped, so only their period key counts)."""

    pk: int
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date


@dataclass
class ObligationPlan:
    """What ``ensure_obligations`` would write for one assignment."""

    assignment_id: int
    new: list[Obligation] = field(default_factory=list)
    moved: list[tuple[int, Period]] = field(default_factory=list)  # pending obligations whose period moved
    stale: list[int] = field(default_factory=list)  # pending ones of periods that no longer exist

    def __bool__(self) -> bool:
        return bool(self.new or self.moved or self.stale)


def held_obligations(obligations: QuerySet[Obligation]) -> dict[int, dict[str, Held | None]]:
    """The stored obligations by assignment id and period key, with the dates of the pending ones (None
    for the others): two queries of plain tuples."""
    held: dict[int, dict[str, Held | None]] = defaultdict(dict)
    for assignment_id, period in (
        obligations.exclude(state=Obligation.State.PENDING).order_by().values_list("assignment_id", "period")
    ):
        held[assignment_id][period] = None
    for pk, assignment_id, period, start, end, due in (
        obligations.filter(state=Obligation.State.PENDING)
        .order_by()
        .values_list("pk", "assignment_id", "period", "period_start", "period_end", "due_date")
    ):
        held[assignment_id][period] = Held(pk, start, end, due)
    return held


def plan_obligations(
    assignment: Assignment, held: dict[str, Held | None], *, horizon_end: dt.date | None = None
) -> ObligationPlan:
    """Compare the assignment's periods with what is stored (no query; ``periods_for`` may raise on a
    corrupted row, which callers isolate)."""
    plan = ObligationPlan(assignment_id=assignment.pk)
    periods = periods_for(assignment=assignment, horizon_end=horizon_end)
    for period in periods:
        if period.key not in held:
            plan.new.append(
                Obligation(
                    assignment=assignment,
                    period=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    due_date=period.due,
                )
            )
        elif (current := held[period.key]) is not None and (
            (current.period_start, current.period_end, current.due_date)
            != (period.start, period.end, period.due)
        ):
            plan.moved.append((current.pk, period))
    keys = {p.key for p in periods}
    plan.stale = [h.pk for key, h in held.items() if h is not None and key not in keys]
    return plan


def droppable(obligations: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """Those of the obligations that new periods may drop: still pending, and no report, reminder or
    urging refers to them."""
    return obligations.filter(
        state=Obligation.State.PENDING, reports__isnull=True, reminders__isnull=True, urgings__isnull=True
    )


def apply_plans(plans: Iterable[ObligationPlan], *, batch_size: int = 2000) -> int:
    """Write the plans in the caller's transaction: one bulk insert, the moves, one delete; return how
    many obligations were new when read (a concurrent writer's are skipped by the unique constraint)."""
    new: list[Obligation] = []
    stale: list[int] = []
    plans_list = list(plans)
    for plan in plans_list:
        new += plan.new
        stale += plan.stale
        for pk, period in plan.moved:  # only after an extension or a new start date: rare
            Obligation.objects.filter(pk=pk, state=Obligation.State.PENDING).update(
                period_start=period.start, period_end=period.end, due_date=period.due
            )
    Obligation.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
    if stale:
        droppable(Obligation.objects.filter(pk__in=stale)).delete()
    # obligations bulk-created, moved or dropped: ratings read them
    inputs_changed(assignment_ids={plan.assignment_id for plan in plans_list if plan})
    return len(new)


def ensure_obligations_for(*, assignments: Iterable[Assignment], batch_size: int = 2000) -> int:
    """``ensure_obligations`` for many assignments: one read, one bulk insert; return how many were created.

    Pending obligations whose period moved get the new dates; pending ones of a
    period that no longer exists, with nothing referring to them, are dropped.
    """
    rows = list(assignments)
    if not rows:
        return 0
    ids = [a.pk for a in rows]
    held: dict[int, dict[str, Held | None]] = {}
    for start in range(0, len(ids), 900):
        held.update(held_obligations(Obligation.objects.filter(assignment_id__in=ids[start : start + 900])))
    last = horizon()[1]
    plans = [plan_obligations(a, held.get(a.pk, {}), horizon_end=last) for a in rows]
    with transaction.atomic():
        return apply_plans(plans, batch_size=batch_size)


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
    a period already started, progress 0..100, a narrative, texts within their
    bounds, a drop below the previous period's counting progress explained
    under problems, the task's own indicators, every evidence file checked;
    approval as ``needs_head_approval`` says for the unit. Each obligation
    appears at most once per call (a second correction is the next call).
    First reports set the obligation's state (on time or late) and
    ``first_submitted_at``; every report gets its audit entry. Evidence files
    written before a failure are deleted again.
    """
    if not entries:
        return []
    ids = [e.obligation.pk for e in entries]
    if len(set(ids)) != len(ids):
        raise ReportError(
            "obligation_twice",
            "同一报告期在一批中出现了多次。",
            "An obligation appears more than once in one batch.",
        )
    storage = Evidence._meta.get_field("file").storage
    stored: list[str] = []
    try:
        with transaction.atomic():  # the obligations stay locked from the checks to the writes
            obligations = _load(ids)
            assignments = {ob.assignment_id: ob.assignment for ob in obligations.values()}
            profiles = {
                p.user_id: p
                for p in Profile.objects.filter(user_id__in={getattr(e.user, "pk", None) for e in entries})
            }
            indicators: dict[int, dict[int, Indicator]] = defaultdict(dict)
            for indicator in Indicator.objects.filter(task_id__in={a.task_id for a in assignments.values()}):
                indicators[indicator.task_id][indicator.pk] = indicator
            approving = _needing_approval({a.unit_id for a in assignments.values()})
            checked = [
                _check(entry, obligations[entry.obligation.pk], profiles, indicators) for entry in entries
            ]
            return _write(checked, approving=approving, storage=storage, stored=stored, batch_size=batch_size)
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise


def _load(ids: list[int]) -> dict[int, Obligation]:
    """The obligations (locked), each with its assignment, task and unit, its latest version (which a
    correction supersedes, as in ``submit_report``) and the previous period's counting progress; a fixed
    number of queries per 900 obligations."""
    previous = (
        Report.objects.filter(
            obligation__assignment_id=OuterRef("assignment_id"),
            obligation__period_end__lt=OuterRef("period_end"),
            approval__in=COUNTING,
        )
        .order_by("-obligation__period_end", "-version")
        .values("progress")[:1]
    )
    out: dict[int, Obligation] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = (
            Obligation.objects.select_for_update(of=("self",))
            .filter(pk__in=chunk)
            .select_related("assignment")
            .order_by()
        )
        out.update((ob.pk, ob) for ob in rows)
        latest: dict[int, tuple[int, int]] = {}  # obligation id -> (latest version, its report id)
        for ob_id, version, pk in (
            Report.objects.filter(obligation_id__in=chunk)
            .order_by()
            .values_list("obligation_id", "version", "pk")
        ):
            if version > latest.get(ob_id, (0, 0))[0]:
                latest[ob_id] = (version, pk)
        before = dict(
            Obligation.objects.filter(pk__in=chunk)
            .order_by()
            .annotate(p=Subquery(previous))
            .values_list("pk", "p")
        )
        for pk in chunk:
            if pk in out:
                out[pk].latest = latest.get(pk)  # type: ignore[attr-defined]
                out[pk].previous_progress = before.get(pk)  # type: ignore[attr-defined]
    missing = [pk for pk in ids if pk not in out]
    if missing:
        raise ReportError(
            "obligation_missing",
            f"报告期 #{missing[0]} 不存在。",
            f"The report obligation #{missing[0]} does not exist.",
        )
    assignments = {ob.assignment_id: ob.assignment for ob in out.values()}
    tasks = {t.pk: t for t in Task.objects.filter(pk__in={a.task_id for a in assignments.values()})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={a.unit_id for a in assignments.values()})}
    for assignment in assignments.values():
        assignment.task, assignment.unit = tasks[assignment.task_id], units[assignment.unit_id]
    for ob in out.values():
        ob.assignment = assignments[ob.assignment_id]  # one object per assignment: str() and checks share it
    return out


def _needing_approval(unit_ids: set[int]) -> set[int]:
    """The units whose reports wait for their head (``needs_head_approval``), in two queries."""
    asking = (
        set(unit_ids)
        if settings.UNIT_HEAD_APPROVAL
        else set(
            Unit.objects.filter(pk__in=unit_ids, requires_head_approval=True).values_list("pk", flat=True)
        )
    )
    if not asking:
        return set()
    return set(
        Profile.objects.filter(unit_id__in=asking, role=Role.UNIT_HEAD, user__is_active=True).values_list(
            "unit_id", flat=True
        )
    )


@dataclass
class _Checked:
    """One entry that passed every check, with its cleaned texts, indicator values and files."""

    entry: ReportEntry
    ob: Obligation
    profile: Profile
    texts: dict[str, str]
    values: list[tuple[Indicator, Decimal]]
    files: list[CheckedFile]


def _check(
    entry: ReportEntry,
    ob: Obligation,
    profiles: dict[int, Profile],
    indicators: dict[int, dict[int, Indicator]],
) -> _Checked:
    where_zh, where_en = (
        f"（{ob.assignment.unit.name} {ob.period}）",
        f" ({ob.assignment.unit.name} {ob.period})",
    )
    profile = profiles.get(getattr(entry.user, "pk", None) or -1)
    if profile is None or profile.unit_id != ob.assignment.unit_id or profile.role not in REPORTING_ROLES:
        raise ReportError(
            "not_your_unit",
            "只有本单位的联络员或负责人可以报送本单位的报告。" + where_zh,
            "Only a liaison or the head of the responsible unit can submit its reports." + where_en,
        )
    if ob.assignment.task.status == Status.CANCELLED:
        raise ReportError(
            "task_cancelled",
            "该任务已撤销，无需报告。" + where_zh,
            "The task was cancelled; no report is needed." + where_en,
        )
    now = entry.now or timezone.now()
    if timezone.localdate(now) < ob.period_start:
        raise ReportError(
            "period_not_started",
            f"报告期 {ob.period} 尚未开始，不能提前报告。" + where_zh,
            f"The period {ob.period} has not started yet; it cannot be reported on." + where_en,
        )
    progress = entry.progress
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReportError(
            "bad_progress",
            "完成进度应为 0 到 100 之间的整数（百分比）。" + where_zh,
            "Progress must be a whole number from 0 to 100 (percent)." + where_en,
        )
    texts = {}
    for name, zh, en in TEXTS:
        texts[name] = clean_text(
            getattr(entry, name), error=ReportError, field=name, what_zh=zh, what_en=en
        ).strip()
    if not texts["narrative"]:
        raise ReportError(
            "empty_narrative",
            "请填写工作进展情况。" + where_zh,
            "Please describe the progress made." + where_en,
        )
    previous = getattr(ob, "previous_progress", None)
    if previous is not None and progress < previous and not texts["problems"]:
        raise ReportError(
            "progress_drop_unexplained",
            f"本期进度（{progress}%）低于上期已认定的进度（{previous}%），请在“存在问题”中说明原因。"
            + where_zh,
            f"Progress ({progress}%) is lower than the last accepted report ({previous}%); "
            "please explain why under problems." + where_en,
        )
    own = indicators.get(ob.assignment.task_id, {})
    values = []
    for pk, value in entry.indicator_values.items():
        if pk not in own:
            raise ReportError(
                "foreign_indicator",
                f"指标 {pk} 不属于本任务。" + where_zh,
                f"Indicator {pk} does not belong to this task." + where_en,
            )
        number = _number(value)
        if number is None:
            raise ReportError(
                "bad_indicator_value",
                f"指标“{own[pk].name}”的数值“{value}”无效。" + where_zh,
                f"The value “{value}” for indicator “{own[pk].name}” is not a number." + where_en,
            )
        values.append((own[pk], number))
    return _Checked(entry, ob, profile, texts, values, check_files(entry.evidence))


def _number(raw: object) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal(10) ** 16 else None


def _write(
    checked: list[_Checked], *, approving: set[int], storage: object, stored: list[str], batch_size: int
) -> list[Report]:
    reports: list[Report] = []
    first: list[Obligation] = []
    for row in checked:
        entry, ob, profile = row.entry, row.ob, row.profile
        now = entry.now or timezone.now()
        approval = Report.Approval.NOT_REQUIRED
        if ob.assignment.unit_id in approving:
            approval = Report.Approval.APPROVED if profile.role == Role.UNIT_HEAD else Report.Approval.PENDING
        approved = approval == Report.Approval.APPROVED
        version, supersedes = ob.latest or (0, None)  # type: ignore[attr-defined]
        reports.append(
            Report(
                obligation=ob,
                version=version + 1,
                supersedes_id=supersedes,
                progress=entry.progress,
                narrative=row.texts["narrative"],
                problems=row.texts["problems"],
                next_steps=row.texts["next_steps"],
                submitted_by=entry.user,
                submitted_at=now,
                approval=approval,
                approved_by=entry.user if approved else None,
                approved_at=now if approved else None,
            )
        )
        if ob.first_submitted_at is None:
            on_time = timezone.localdate(now) <= ob.due_date
            ob.state = Obligation.State.SUBMITTED if on_time else Obligation.State.LATE
            ob.first_submitted_at = now
            first.append(ob)
    Report.objects.bulk_create(reports, batch_size=batch_size)  # ids set (RETURNING on SQLite and PostgreSQL)
    # One UPDATE per (state, moment): a round's reports share few timestamps; bulk_update's CASE is slower.
    moments: dict[tuple[str, dt.datetime], list[int]] = defaultdict(list)
    for ob in first:
        moments[(ob.state, ob.first_submitted_at)].append(ob.pk)  # type: ignore[index]
    for (state, moment), pks in moments.items():
        for i in range(0, len(pks), 900):
            Obligation.objects.filter(pk__in=pks[i : i + 900]).update(state=state, first_submitted_at=moment)
    values, evidence = [], []
    for report, row in zip(reports, checked, strict=True):
        values += [IndicatorValue(report=report, indicator=i, value=v) for i, v in row.values]
        for f in row.files:
            name, sha256 = store(f, storage=storage, now=report.submitted_at)  # type: ignore[arg-type]
            stored.append(name)
            evidence.append(
                Evidence(
                    report=report,
                    file=name,
                    original_name=f.original_name,
                    content_type=f.content_type,
                    size=f.size,
                    sha256=sha256,
                )
            )
    IndicatorValue.objects.bulk_create(values, batch_size=batch_size)
    Evidence.objects.bulk_create(evidence, batch_size=batch_size)
    inputs_changed(assignment_ids={row.ob.assignment_id for row in checked})
    record_many(
        Pending(
            action="create",
            obj=report,
            actor=row.entry.user,
            at=report.submitted_at,
            changes={
                "version": [None, report.version],
                "progress": [None, report.progress],
                "approval": [None, report.approval],
                "evidence": [None, len(row.files)],
                "state": [None, row.ob.state],
            },
        )
        for report, row in zip(reports, checked, strict=True)
    )
    return reports
