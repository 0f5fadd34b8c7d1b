"""One sweep of supervision: create the reminders, urgings, escalations and warnings now due.

Each record has a natural key under a unique constraint; it is created with
its notices and group messages in one savepoint, and a key that exists
already (an earlier pass, or another process right now) is skipped. So a
sweep can run any number of times, in any number of processes.

Set-wise: each step lists the keys it would create from rows read in one
query, asks which exist in one query (per ``KEY_CHUNK`` keys), and creates the
others ``reports.isolation.BATCH_SIZE`` to a transaction, each in its own
savepoint (one failing row is rolled back and recorded, the others go on).
A pass with nothing new reads a fixed number of queries whatever the size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.notifications.channels import Message
from luoshi.notifications.models import UnitChannel
from luoshi.notifications.services import notify, post_to_unit
from luoshi.reports.isolation import Failures, isolated, run_batched
from luoshi.reports.models import Obligation
from luoshi.reports.services import latest_counting
from luoshi.supervision import messages
from luoshi.supervision.models import Escalation, Reminder, Subject, Urging, Warning
from luoshi.supervision.policies import offsets, stage
from luoshi.tasks.models import REPORTING_STATUSES, Assignment, Status
from luoshi.units.models import Unit

KEY_CHUNK = 5000  # keys per existence query (SQLite binds at most 250,000 values; PostgreSQL any)

# Tasks whose deadlines are watched; a task awaiting closure (申请办结) is done as far as deadlines go.
DEADLINE_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)


@dataclass
class ChaseCounts:
    """What a chase created: the records, and the notices and group messages they sent."""

    reminders: int = 0
    urgings: int = 0
    escalations: int = 0
    warnings: int = 0
    notices: int = 0
    unit_messages: int = 0

    def add(self, other: ChaseCounts) -> None:
        """Add the other's counts to these (a tick adds up the supervision and the instruction sweeps)."""
        for name in (f.name for f in fields(ChaseCounts)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SweepCounts(ChaseCounts):
    failures: Failures = field(default_factory=Failures)  # rows skipped after a failure (reports.isolation)


def people(unit_id: int | None, *roles: str) -> list[Any]:
    """Active users of the unit (any unit when ``unit_id`` is None) with one of the roles."""
    profiles = Profile.objects.filter(role__in=roles, user__is_active=True).select_related("user")
    if unit_id is not None:
        profiles = profiles.filter(unit_id=unit_id)
    return [p.user for p in profiles.order_by("user_id")]


def supervisors() -> list[Any]:
    return people(None, Role.SUPERVISOR)


def liaisons(unit_id: int) -> list[Any]:
    """The unit's liaisons, else its head (``Audience.liaisons`` outside a pass)."""
    return Audience().liaisons(unit_id)


class Audience:
    """Who gets a sweep's notices, and the units' group channels: each looked up once per pass."""

    def __init__(self) -> None:
        self._people: dict[tuple[int | None, tuple[str, ...]], list[Any]] = {}
        self._channels: dict[int, list[UnitChannel]] | None = None

    def people(self, unit_id: int | None, *roles: str) -> list[Any]:
        key = (unit_id, roles)
        if key not in self._people:
            self._people[key] = people(unit_id, *roles)
        return self._people[key]

    def liaisons(self, unit_id: int) -> list[Any]:
        return self.people(unit_id, Role.LIAISON) or self.people(unit_id, Role.UNIT_HEAD)

    def escalated_to(self, unit_id: int) -> list[Any]:
        return self.people(None, Role.SUPERVISOR) + self.people(unit_id, Role.UNIT_HEAD)

    def warned(self, unit_id: int, roles: tuple[str, ...]) -> list[Any]:
        """The unit's people with the roles; supervisors (who have no unit) when the roles name them."""
        found = self.people(unit_id, *(r for r in roles if r != Role.SUPERVISOR))
        return found + self.people(None, Role.SUPERVISOR) if Role.SUPERVISOR in roles else found

    def channels(self, unit_id: int) -> list[UnitChannel]:
        """The unit's active group channels, as ``post_to_unit`` reads them (every unit's in one query)."""
        if self._channels is None:
            self._channels = {}
            for channel in UnitChannel.objects.filter(active=True):
                self._channels.setdefault(channel.unit_id, []).append(channel)
        return self._channels.get(unit_id, [])


@dataclass
class Due:
    """A record a step would create: its model and fields (with the natural ``key``), and what to tell whom."""

    about: Model  # the row it is about: the one a failure is recorded on
    model: type[Model]
    fields: dict[str, Any]
    kind: str
    text: Callable[[Any], Message]  # the words, from the new record (the urging's 催办单 link names it)
    recipients: Callable[[], list[Any]]
    unit: Unit
    counter: str


@dataclass
class Sweep:
    now: dt.datetime
    today: dt.date
    counts: SweepCounts
    audience: Audience

    def candidates(self, rows: Iterable[Any], step: str, due: Callable[[Any], Due | None]) -> list[Due]:
        """``due(row)`` for each row, each in isolation (no query, so no savepoint either)."""
        found = []
        for row in rows:
            with isolated(row, step=step, failures=self.counts.failures, now=self.now, savepoint=False):
                if (item := due(row)) is not None:
                    found.append(item)
        return found

    def create(self, step: str, dues: list[Due]) -> None:
        """Create the records whose keys do not exist yet, with their notices, many to a transaction."""
        if not dues:
            return
        keys = [d.fields["key"] for d in dues]
        manager = dues[0].model._default_manager
        existing: set[str] = set()
        for start in range(0, len(keys), KEY_CHUNK):
            existing.update(
                manager.filter(key__in=keys[start : start + KEY_CHUNK]).values_list("key", flat=True)
            )
        new = [d for d in dues if d.fields["key"] not in existing]
        created = run_batched(
            [(d.about, partial(self._create_one, d)) for d in new],
            step=step,
            failures=self.counts.failures,
            now=self.now,
        )
        for due, notices, message in created:
            if notices is None:
                continue  # another process created it a moment ago, with its notices
            setattr(self.counts, due.counter, getattr(self.counts, due.counter) + 1)
            self.counts.notices += notices
            self.counts.unit_messages += message

    def _create_one(self, due: Due) -> tuple[Due, int | None, int]:
        """The record, its notices and group message in one savepoint; notices None when the key was taken."""
        key = due.fields["key"]
        try:
            with transaction.atomic():
                record = due.model._default_manager.create(created_at=self.now, **due.fields)
                text = due.text(record)
                created = notify(
                    recipients=due.recipients(),
                    kind=due.kind,
                    title=text.title,
                    body=text.body,
                    link=text.link,
                    key=key,
                    now=self.now,
                )
                message = post_to_unit(
                    unit=due.unit,
                    kind=due.kind,
                    title=text.title,
                    body=text.body,
                    link=text.link,
                    key=key,
                    now=self.now,
                    channels=self.audience.channels(due.unit.pk),
                )
        except IntegrityError:
            return due, None, 0
        return due, len(created), int(message is not None)


def create_keyed(
    model: type[Model],
    fields: dict[str, Any],
    *,
    kind: str,
    text: Message | Callable[[Any], Message],
    recipients: Callable[[], list[Any]],
    unit: Unit | None,
    now: dt.datetime,
    counts: SweepCounts,
    counter: str,
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
            created = notify(
                recipients=recipients(),
                kind=kind,
                title=text.title,
                body=text.body,
                link=text.link,
                key=key,
                now=now,
            )
            message = (
                None
                if unit is None
                else post_to_unit(
                    unit=unit, kind=kind, title=text.title, body=text.body, link=text.link, key=key, now=now
                )
            )
    except IntegrityError:
        return  # another process created it a moment ago, with its notices
    setattr(counts, counter, getattr(counts, counter) + 1)
    counts.notices += len(created)
    counts.unit_messages += message is not None


def sweep(*, now: dt.datetime | None = None) -> SweepCounts:
    """Create what is due as of ``now``; see docs/supervision.md for the rules."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = Sweep(now=now, today=today, counts=SweepCounts(), audience=Audience())
    policy = offsets()
    _report_reminders(run, policy.report)
    open_assignments = (
        Assignment.objects.filter(task__status__in=DEADLINE_STATUSES)
        .select_related("task", "unit")
        .annotate(standing_progress=latest_counting(as_of=today, field="progress"))
        .order_by("pk")
    )
    # The unit's part is done when it reported 100% (tasks awaiting closure or closed are not read at all).
    undone: list[Assignment] = [
        a for a in open_assignments if a.standing_progress is None or a.standing_progress < 100
    ]
    _deadline_reminders(run, undone, policy.deadline)
    _report_urgings(run)
    _deadline_urgings(run, undone)
    _escalations(run, {a.pk for a in undone})
    _warnings(run, undone)
    return run.counts


def _report_reminders(run: Sweep, days: dict[str, list[int]]) -> None:
    horizon = max((max(v) for v in days.values() if v), default=-1)
    if horizon < 0:
        return
    today = run.today
    due_soon = (
        Obligation.objects.filter(
            state=Obligation.State.PENDING,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=horizon),
            assignment__task__status__in=REPORTING_STATUSES,
        )
        .select_related("assignment__task", "assignment__unit")
        .order_by("pk")
    )

    def due(ob: Obligation) -> Due | None:
        a = ob.assignment
        days_left = (ob.due_date - today).days
        at = stage(days_left, days.get(a.task.cadence, []))
        if at is None:
            return None
        return Due(
            about=ob,
            model=Reminder,
            fields={
                "key": f"reminder:report:obligation={ob.pk}:due={ob.due_date}:days={at}",
                "subject": Subject.REPORT,
                "assignment": a,
                "obligation": ob,
                "due_date": ob.due_date,
                "days_before": at,
            },
            kind="reminder",
            text=lambda _r: messages.report_reminder(
                a, period=ob.period, due=ob.due_date, days_left=days_left
            ),
            recipients=lambda: run.audience.liaisons(a.unit_id),
            unit=a.unit,
            counter="reminders",
        )

    run.create("report_reminder", run.candidates(due_soon, "report_reminder", due))


def _deadline_reminders(run: Sweep, undone: list[Assignment], days: list[int]) -> None:
    def due(a: Assignment) -> Due | None:
        days_left = (a.deadline - run.today).days
        at = stage(days_left, days)
        if at is None:
            return None
        return Due(
            about=a,
            model=Reminder,
            fields={
                "key": f"reminder:deadline:assignment={a.pk}:due={a.deadline}:days={at}",
                "subject": Subject.DEADLINE,
                "assignment": a,
                "obligation": None,
                "due_date": a.deadline,
                "days_before": at,
            },
            kind="reminder",
            text=lambda _r: messages.deadline_reminder(a, deadline=a.deadline, days_left=days_left),
            recipients=lambda: run.audience.liaisons(a.unit_id),
            unit=a.unit,
            counter="reminders",
        )

    run.create("deadline_reminder", run.candidates(undone, "deadline_reminder", due))


def _urging(
    run: Sweep,
    a: Assignment,
    *,
    about: Model,
    subject: str,
    obligation: Obligation | None,
    due: dt.date,
    what_zh: str,
    what_en: str,
    required: str,
    key: str,
) -> Due:
    days_overdue = (run.today - due).days
    respond_by = run.today + dt.timedelta(days=settings.URGING_RESPONSE_DAYS)

    def text(urging: Urging) -> Message:
        return messages.urging(
            a,
            what_zh=what_zh,
            what_en=what_en,
            due=due,
            days_overdue=days_overdue,
            required=required,
            respond_by=respond_by,
            urging_id=urging.pk,
        )

    return Due(
        about=about,
        model=Urging,
        fields={
            "key": key,
            "subject": subject,
            "assignment": a,
            "obligation": obligation,
            "due_date": due,
            "days_overdue": days_overdue,
            "required_response": required,
            "respond_by": respond_by,
        },
        kind="urging",
        text=text,
        recipients=lambda: run.audience.people(a.unit_id, Role.LIAISON, Role.UNIT_HEAD),
        unit=a.unit,
        counter="urgings",
    )


def _report_urgings(run: Sweep) -> None:
    missing = (
        Obligation.objects.filter(
            state=Obligation.State.MISSING,
            due_date__lt=run.today,
            assignment__task__status__in=REPORTING_STATUSES,
        )
        .select_related("assignment__task", "assignment__unit")
        .order_by("pk")
    )

    def due(ob: Obligation) -> Due:
        return _urging(
            run,
            ob.assignment,
            about=ob,
            subject=Subject.REPORT,
            obligation=ob,
            due=ob.due_date,
            what_zh=f"{ob.period}期进展报告未报送",
            what_en=f"the report for {ob.period} is missing",
            required="请立即补报本期进展报告，并书面说明逾期原因。 / Submit the report now and explain the delay in writing.",
            key=f"urging:report:obligation={ob.pk}:due={ob.due_date}",
        )

    run.create("report_urging", run.candidates(missing, "report_urging", due))


def _deadline_urgings(run: Sweep, undone: list[Assignment]) -> None:
    def due(a: Assignment) -> Due | None:
        if a.deadline >= run.today:
            return None
        return _urging(
            run,
            a,
            about=a,
            subject=Subject.DEADLINE,
            obligation=None,
            due=a.deadline,
            what_zh="任务超过完成时限未办结",
            what_en="the task is past its deadline and not done",
            required="请说明未按期完成的原因、目前进展和完成时间，必要时申请延期。 / Explain why the deadline was "
            "missed, where the work stands and when it will be done; request an extension if needed.",
            key=f"urging:deadline:assignment={a.pk}:due={a.deadline}",
        )

    run.create("deadline_urging", run.candidates(undone, "deadline_urging", due))


def _still_overdue(urging: Urging, today: dt.date, undone: set[int]) -> bool:
    a = urging.assignment
    if urging.obligation is not None:
        return urging.obligation.state == Obligation.State.MISSING and a.task.status in REPORTING_STATUSES
    return a.deadline == urging.due_date and a.deadline < today and a.pk in undone


def _escalations(run: Sweep, undone: set[int]) -> None:
    cutoff = run.today - dt.timedelta(days=settings.ESCALATION_DAYS)
    candidates = (
        Urging.objects.filter(escalation__isnull=True, due_date__lte=cutoff)
        .select_related("assignment__task", "assignment__unit", "obligation")
        .order_by("pk")
    )

    def due(urging: Urging) -> Due | None:
        if not _still_overdue(urging, run.today, undone):
            return None
        a = urging.assignment
        days_overdue = (run.today - urging.due_date).days
        if urging.obligation is not None:
            what_zh, what_en = (
                f"{urging.obligation.period}期进展报告未报送",
                f"report for {urging.obligation.period} missing",
            )
        else:
            what_zh, what_en = "任务超过完成时限未办结", "task past its deadline"
        return Due(
            about=urging,
            model=Escalation,
            fields={"key": f"escalation:{urging.key}", "urging": urging, "days_overdue": days_overdue},
            kind="escalation",
            text=lambda _r: messages.escalation(
                a,
                what_zh=what_zh,
                what_en=what_en,
                due=urging.due_date,
                days_overdue=days_overdue,
                urged_on=timezone.localdate(urging.created_at),
            ),
            recipients=lambda: run.audience.escalated_to(a.unit_id),
            unit=a.unit,
            counter="escalations",
        )

    run.create("escalation", run.candidates(candidates, "escalation", due))


def _warnings(run: Sweep, undone: list[Assignment]) -> None:
    def due(a: Assignment) -> Due | None:
        days_left = (a.deadline - run.today).days
        if days_left < 0:
            level = Warning.Level.RED
            reason_zh, reason_en = (
                f"已超过完成时限{-days_left}天，尚未完成",
                f"{-days_left} days past the deadline, not done",
            )
            roles: tuple[str, ...] = (Role.LIAISON, Role.UNIT_HEAD, Role.SUPERVISOR)
        elif days_left <= settings.YELLOW_WARNING_DAYS:
            level = Warning.Level.YELLOW
            reason_zh = "今天到期，尚未完成" if days_left == 0 else f"距完成时限还有{days_left}天，尚未完成"
            reason_en = (
                "due today, not done" if days_left == 0 else f"{days_left} days to the deadline, not done"
            )
            roles = (Role.LIAISON, Role.UNIT_HEAD)
        else:
            return None
        return Due(
            about=a,
            model=Warning,
            fields={
                "key": f"warning:{level}:assignment={a.pk}:deadline={a.deadline}",
                "assignment": a,
                "level": level,
                "deadline": a.deadline,
                "reason": reason_zh,
                "reason_en": reason_en,
            },
            kind=f"warning_{level}",
            text=lambda _r: messages.warning(
                a, level=level, reason_zh=reason_zh, reason_en=reason_en, deadline=a.deadline
            ),
            recipients=lambda: run.audience.warned(a.unit_id, roles),
            unit=a.unit,
            counter="warnings",
        )

    run.create("warning", run.candidates(undone, "warning", due))
