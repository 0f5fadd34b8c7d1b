"""One sweep of supervision: create the reminders, urgings, escalations and warnings now due.

Each record has a natural key under a unique constraint; it is created with
its notices and group messages in one transaction, and a key that exists
already (an earlier pass, or another process right now) is skipped. So a
sweep can run any number of times, in any number of processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.notifications.services import notify, post_to_unit
from luoshi.reports.isolation import Failures, isolated
from luoshi.reports.models import Obligation
from luoshi.reports.services import REPORTING_STATUSES, latest_counting_report
from luoshi.supervision import messages
from luoshi.supervision.models import Escalation, Reminder, Subject, Urging, Warning
from luoshi.supervision.policies import offsets, stage
from luoshi.tasks.models import Assignment, Status
from luoshi.units.models import Unit

# Tasks whose deadlines are watched; a task awaiting closure (申请办结) is done as far as deadlines go.
DEADLINE_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)


@dataclass
class SweepCounts:
    reminders: int = 0
    urgings: int = 0
    escalations: int = 0
    warnings: int = 0
    notices: int = 0
    unit_messages: int = 0
    failures: Failures = field(default_factory=Failures)  # rows skipped after a failure (reports.isolation)


def people(unit_id: int | None, *roles: str) -> list[Any]:
    """Active users of the unit (any unit when ``unit_id`` is None) with one of the roles."""
    profiles = Profile.objects.filter(role__in=roles, user__is_active=True).select_related("user")
    if unit_id is not None:
        profiles = profiles.filter(unit_id=unit_id)
    return [p.user for p in profiles.order_by("user_id")]


def liaisons(unit_id: int) -> list[Any]:
    return people(unit_id, Role.LIAISON) or people(unit_id, Role.UNIT_HEAD)


def supervisors() -> list[Any]:
    return people(None, Role.SUPERVISOR)


def _escalated_to(unit_id: int) -> list[Any]:
    return supervisors() + people(unit_id, Role.UNIT_HEAD)


def work_done(assignment: Assignment, *, today: dt.date) -> bool:
    """Whether the unit's part is done: the task awaits closure or is closed, or the unit reported 100%."""
    if assignment.task.status not in DEADLINE_STATUSES:
        return True
    report = latest_counting_report(assignment=assignment, as_of=today)
    return report is not None and report.progress >= 100


def create_keyed(
    model: type[Model], fields: dict[str, Any], *, kind: str, text: messages.Text | Callable[[Any], messages.Text],
    recipients: Callable[[], list[Any]], unit: Unit | None, now: dt.datetime, counts: SweepCounts, counter: str,
) -> None:
    """Create a keyed record with its notices and group message, or nothing when the key exists.

    ``text`` may be a function of the new record, for words that name it (the urging's 催办单 link).
    Without a ``unit`` (a matter of the office itself) there is no group message. Also used by
    ``luoshi.instructions.scan`` for the handling of leaders' instructions.
    """
    key = fields["key"]
    manager = model._default_manager
    if manager.filter(key=key).exists():  # the usual case on every later pass: skip cheaply
        return
    try:
        with transaction.atomic():
            created_record = manager.create(created_at=now, **fields)
            if callable(text):
                text = text(created_record)
            created = notify(recipients=recipients(), kind=kind, title=text.title, body=text.body,
                             link=text.link, key=key, now=now)
            message = None if unit is None else post_to_unit(unit=unit, kind=kind, title=text.title,
                                                             body=text.body, link=text.link, key=key, now=now)
    except IntegrityError:
        return  # another process created it a moment ago, with its notices
    setattr(counts, counter, getattr(counts, counter) + 1)
    counts.notices += len(created)
    counts.unit_messages += message is not None


def sweep(*, now: dt.datetime | None = None) -> SweepCounts:
    """Create what is due as of ``now``; see docs/supervision.md for the rules."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = SweepCounts()
    policy = offsets()
    _report_reminders(today, now, policy.report, counts)
    open_assignments = list(
        Assignment.objects.filter(task__status__in=DEADLINE_STATUSES).select_related("task", "unit").order_by("pk")
    )
    undone = []
    for a in open_assignments:
        with isolated(a, step="work_done", failures=counts.failures, now=now):
            if not work_done(a, today=today):
                undone.append(a)
    _deadline_reminders(undone, today, now, policy.deadline, counts)
    _report_urgings(today, now, counts)
    _deadline_urgings(undone, today, now, counts)
    _escalations(today, now, counts)
    _warnings(undone, today, now, counts)
    return counts


def _report_reminders(today: dt.date, now: dt.datetime, days: dict[str, list[int]], counts: SweepCounts) -> None:
    horizon = max((max(v) for v in days.values() if v), default=-1)
    if horizon < 0:
        return
    due_soon = (Obligation.objects.filter(state=Obligation.State.PENDING, due_date__gte=today,
                                          due_date__lte=today + dt.timedelta(days=horizon),
                                          assignment__task__status__in=REPORTING_STATUSES)
                .select_related("assignment__task", "assignment__unit").order_by("pk"))
    for ob in due_soon:
        with isolated(ob, step="report_reminder", failures=counts.failures, now=now):
            a = ob.assignment
            days_left = (ob.due_date - today).days
            at = stage(days_left, days.get(a.task.cadence, []))
            if at is None:
                continue
            key = f"reminder:report:obligation={ob.pk}:due={ob.due_date}:days={at}"
            text = messages.report_reminder(a, period=ob.period, due=ob.due_date, days_left=days_left)
            create_keyed(Reminder, {"key": key, "subject": Subject.REPORT, "assignment": a, "obligation": ob,
                               "due_date": ob.due_date, "days_before": at},
                    kind="reminder", text=text, recipients=partial(liaisons, a.unit_id), unit=a.unit, now=now,
                    counts=counts, counter="reminders")


def _deadline_reminders(undone: list[Assignment], today: dt.date, now: dt.datetime, days: list[int],
                        counts: SweepCounts) -> None:
    for a in undone:
        with isolated(a, step="deadline_reminder", failures=counts.failures, now=now):
            days_left = (a.deadline - today).days
            at = stage(days_left, days)
            if at is None:
                continue
            key = f"reminder:deadline:assignment={a.pk}:due={a.deadline}:days={at}"
            text = messages.deadline_reminder(a, deadline=a.deadline, days_left=days_left)
            create_keyed(Reminder, {"key": key, "subject": Subject.DEADLINE, "assignment": a, "obligation": None,
                               "due_date": a.deadline, "days_before": at},
                    kind="reminder", text=text, recipients=partial(liaisons, a.unit_id), unit=a.unit, now=now,
                    counts=counts, counter="reminders")


def _urge(a: Assignment, *, subject: str, obligation: Obligation | None, due: dt.date, what_zh: str,
          what_en: str, required: str, key: str, today: dt.date, now: dt.datetime, counts: SweepCounts) -> None:
    days_overdue = (today - due).days
    respond_by = today + dt.timedelta(days=settings.URGING_RESPONSE_DAYS)

    def text(urging: Urging) -> messages.Text:
        return messages.urging(a, what_zh=what_zh, what_en=what_en, due=due, days_overdue=days_overdue,
                               required=required, respond_by=respond_by, urging_id=urging.pk)

    create_keyed(Urging, {"key": key, "subject": subject, "assignment": a, "obligation": obligation, "due_date": due,
                     "days_overdue": days_overdue, "required_response": required, "respond_by": respond_by},
            kind="urging", text=text, recipients=partial(people, a.unit_id, Role.LIAISON, Role.UNIT_HEAD), unit=a.unit,
            now=now, counts=counts,
            counter="urgings")


def _report_urgings(today: dt.date, now: dt.datetime, counts: SweepCounts) -> None:
    missing = (Obligation.objects.filter(state=Obligation.State.MISSING, due_date__lt=today,
                                         assignment__task__status__in=REPORTING_STATUSES)
               .select_related("assignment__task", "assignment__unit").order_by("pk"))
    for ob in missing:
        with isolated(ob, step="report_urging", failures=counts.failures, now=now):
            _urge(ob.assignment, subject=Subject.REPORT, obligation=ob, due=ob.due_date,
                  what_zh=f"{ob.period}期进展报告未报送", what_en=f"the report for {ob.period} is missing",
                  required="请立即补报本期进展报告，并书面说明逾期原因。 / Submit the report now and explain the delay in writing.",
                  key=f"urging:report:obligation={ob.pk}:due={ob.due_date}", today=today, now=now, counts=counts)


def _deadline_urgings(undone: list[Assignment], today: dt.date, now: dt.datetime, counts: SweepCounts) -> None:
    for a in undone:
        with isolated(a, step="deadline_urging", failures=counts.failures, now=now):
            if a.deadline >= today:
                continue
            _urge(a, subject=Subject.DEADLINE, obligation=None, due=a.deadline,
                  what_zh="任务超过完成时限未办结", what_en="the task is past its deadline and not done",
                  required="请说明未按期完成的原因、目前进展和完成时间，必要时申请延期。 / Explain why the deadline was "
                           "missed, where the work stands and when it will be done; request an extension if needed.",
                  key=f"urging:deadline:assignment={a.pk}:due={a.deadline}", today=today, now=now, counts=counts)


def _still_overdue(urging: Urging, today: dt.date) -> bool:
    a = urging.assignment
    if urging.obligation is not None:
        return urging.obligation.state == Obligation.State.MISSING and a.task.status in REPORTING_STATUSES
    return a.deadline == urging.due_date and a.deadline < today and not work_done(a, today=today)


def _escalations(today: dt.date, now: dt.datetime, counts: SweepCounts) -> None:
    cutoff = today - dt.timedelta(days=settings.ESCALATION_DAYS)
    candidates = (Urging.objects.filter(escalation__isnull=True, due_date__lte=cutoff)
                  .select_related("assignment__task", "assignment__unit", "obligation").order_by("pk"))
    for urging in candidates:
        with isolated(urging, step="escalation", failures=counts.failures, now=now):
            if not _still_overdue(urging, today):
                continue
            a = urging.assignment
            days_overdue = (today - urging.due_date).days
            if urging.obligation is not None:
                what_zh, what_en = f"{urging.obligation.period}期进展报告未报送", f"report for {urging.obligation.period} missing"
            else:
                what_zh, what_en = "任务超过完成时限未办结", "task past its deadline"
            text = messages.escalation(a, what_zh=what_zh, what_en=what_en, due=urging.due_date,
                                       days_overdue=days_overdue, urged_on=timezone.localdate(urging.created_at))
            create_keyed(Escalation, {"key": f"escalation:{urging.key}", "urging": urging, "days_overdue": days_overdue},
                    kind="escalation", text=text, recipients=partial(_escalated_to, a.unit_id), unit=a.unit, now=now,
                    counts=counts,
                    counter="escalations")


def _warned(unit_id: int, roles: tuple[str, ...]) -> list[Any]:
    """The unit's people with the roles; supervisors (who have no unit) when the roles name them."""
    found = people(unit_id, *(r for r in roles if r != Role.SUPERVISOR))
    return found + supervisors() if Role.SUPERVISOR in roles else found


def _warnings(undone: list[Assignment], today: dt.date, now: dt.datetime, counts: SweepCounts) -> None:
    for a in undone:
        with isolated(a, step="warning", failures=counts.failures, now=now):
            days_left = (a.deadline - today).days
            if days_left < 0:
                level = Warning.Level.RED
                reason_zh, reason_en = f"已超过完成时限{-days_left}天，尚未完成", f"{-days_left} days past the deadline, not done"
                roles: tuple[str, ...] = (Role.LIAISON, Role.UNIT_HEAD, Role.SUPERVISOR)
            elif days_left <= settings.YELLOW_WARNING_DAYS:
                level = Warning.Level.YELLOW
                reason_zh = "今天到期，尚未完成" if days_left == 0 else f"距完成时限还有{days_left}天，尚未完成"
                reason_en = "due today, not done" if days_left == 0 else f"{days_left} days to the deadline, not done"
                roles = (Role.LIAISON, Role.UNIT_HEAD)
            else:
                continue
            text = messages.warning(a, level=level, reason_zh=reason_zh, reason_en=reason_en, deadline=a.deadline)
            create_keyed(Warning, {"key": f"warning:{level}:assignment={a.pk}:deadline={a.deadline}", "assignment": a,
                              "level": level, "deadline": a.deadline, "reason": reason_zh, "reason_en": reason_en},
                    kind=f"warning_{level}", text=text, recipients=partial(_warned, a.unit_id, roles), unit=a.unit, now=now,
                    counts=counts, counter="warnings")
