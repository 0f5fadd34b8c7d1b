"""Supervision services: extension requests, responses to urgings, warnings per task or unit.

The periodic side (reminders, urgings, escalations, warnings, sending) is
``tick.run_pass``, which ``luoshi tick`` runs. Refusals raise
``SupervisionError`` (code, message_zh, message_en).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.lib.bounds import check_date, clean_text
from luoshi.notifications.services import notify
from luoshi.reports.services import ensure_obligations
from luoshi.supervision import messages
from luoshi.supervision.access import SUPERVISION
from luoshi.supervision.errors import SupervisionError
from luoshi.supervision.models import ExtensionRequest, Urging, Warning
from luoshi.supervision.scan import SweepCounts, people, supervisors, sweep
from luoshi.tasks.errors import TaskError
from luoshi.tasks.models import REPORTING_STATUSES, Assignment, Task
from luoshi.tasks.services import update_task
from luoshi.tasks.signals import inputs_changed
from luoshi.units.models import Unit

__all__ = [
    "SupervisionError",
    "SweepCounts",
    "decide_extension",
    "extension_history",
    "request_extension",
    "respond_to_urging",
    "sweep",
    "warnings_for",
]


def _latest_allowed(assignment: Assignment) -> dt.date | None:
    """The latest deadline a unit may get: a share's parent's, a co-unit's task's; None (no limit) for the lead."""
    if assignment.role == Assignment.Role.SHARE and assignment.parent is not None:
        return assignment.parent.deadline
    if assignment.role == Assignment.Role.CO:
        return assignment.task.deadline
    return None


def _check_new_deadline(assignment: Assignment, new_deadline: dt.date, *, today: dt.date) -> None:
    check_date(
        new_deadline,
        error=SupervisionError,
        field="new_deadline",
        what_zh="新的完成时限",
        what_en="new deadline",
        today=today,
    )
    if new_deadline <= assignment.deadline:
        raise SupervisionError(
            "not_later",
            f"新的完成时限须晚于现时限 {assignment.deadline}。",
            f"The new deadline must be after the current one, {assignment.deadline}.",
        )
    if new_deadline < today:
        raise SupervisionError(
            "in_the_past",
            f"新的完成时限 {new_deadline} 已经过去。",
            f"The new deadline {new_deadline} is in the past.",
        )
    limit = _latest_allowed(assignment)
    if limit is not None and new_deadline > limit:
        raise SupervisionError(
            "beyond_parent",
            f"新的完成时限不能晚于上级（牵头）时限 {limit}；如需更长时间，请由牵头单位申请延期。",
            f"The new deadline cannot be after the deadline above it, {limit}; the lead unit must ask for more time.",
        )


def request_extension(
    *, assignment: Assignment, user: Any, new_deadline: dt.date, reason: str, now: dt.datetime | None = None
) -> ExtensionRequest:
    """A liaison of the assignment's unit asks to move its deadline to ``new_deadline``.

    Refused: another user, a task not in progress, a date not after the
    current deadline or already past, a date beyond the deadline above
    (a share's parent, a co-unit's task), an empty reason, or a request
    already pending for the assignment.
    """
    now = now or timezone.now()
    assignment = Assignment.objects.select_related("task", "parent", "unit").get(pk=assignment.pk)
    if not SUPERVISION["request_extension"](user, assignment):
        raise SupervisionError(
            "not_liaison",
            "只有本单位联络员可以申请延期。",
            "Only a liaison of the responsible unit can request an extension.",
        )
    if assignment.task.status not in REPORTING_STATUSES:
        raise SupervisionError(
            "task_closed",
            "该任务不在办理中，不能申请延期。",
            "The task is not in progress; no extension can be requested.",
        )
    _check_new_deadline(assignment, new_deadline, today=timezone.localdate(now))
    reason = clean_text(
        reason, error=SupervisionError, field="reason", what_zh="延期理由", what_en="reason"
    ).strip()
    if not reason:
        raise SupervisionError(
            "reason_required", "请说明延期理由。", "Please give a reason for the extension."
        )
    pending = SupervisionError(
        "already_pending",
        "该任务已有待审批的延期申请。",
        "An extension request for this assignment is already waiting for a decision.",
    )
    if ExtensionRequest.objects.filter(
        assignment=assignment, status=ExtensionRequest.Status.PENDING
    ).exists():
        raise pending
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                assignment=assignment,
                old_deadline=assignment.deadline,
                new_deadline=new_deadline,
                reason=reason,
                requested_by=user,
                requested_at=now,
            )
    except IntegrityError:
        raise pending from None
    notify(
        recipients=supervisors(),
        kind="extension_requested",
        title=f"【延期申请】{assignment.unit.name}申请将完成时限延至{new_deadline} / Extension requested to {new_deadline}",
        body="\n".join(
            [
                f"任务 / Task：{assignment.task.title}",
                f"责任单位 / Unit：{assignment.unit.name}",
                f"现时限 / Current deadline：{assignment.deadline}",
                f"申请延至 / Requested：{new_deadline}",
                f"理由 / Reason：{reason}",
            ]
        ),
        link=messages.task_link(assignment),
        key=f"extension={request.pk}:requested",
        now=now,
    )
    return request


def decide_extension(
    *, request: ExtensionRequest, user: Any, approve: bool, comment: str = "", now: dt.datetime | None = None
) -> ExtensionRequest:
    """A supervisor approves or rejects a pending extension request.

    1. Refuse a user who is not a supervisor (or administrator), a
       rejection without a comment, and a request already decided.
    2. Approval moves the assignment's deadline to the new date. When the
       lead unit's new date is after the task's deadline, the task's deadline
       moves too, through ``tasks.services.update_task`` (which also moves the
       co-units' assignments, as it always does). The obligations follow
       (``reports.services.ensure_obligations``), and so do the planned
       trajectory and the rating, which read the assignment's deadline.
    3. Rejection changes nothing but the request.
    The request row keeps both dates, the decision, who and when.
    """
    now = now or timezone.now()
    if not SUPERVISION["decide_extension"](user):
        raise SupervisionError(
            "not_supervisor",
            "只有督查室人员可以审批延期申请。",
            "Only the supervision office can decide on extension requests.",
        )
    comment = clean_text(
        comment, error=SupervisionError, field="comment", what_zh="审批意见", what_en="comment"
    ).strip()
    if not approve and not comment:
        raise SupervisionError(
            "comment_required", "驳回延期申请须说明理由。", "Please say why the request is rejected."
        )
    with transaction.atomic():
        locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != ExtensionRequest.Status.PENDING:
            raise SupervisionError(
                "not_pending", "该延期申请已审批。", "This extension request was already decided."
            )
        if approve:
            _extend(locked, user=user, today=timezone.localdate(now))
        locked.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
        locked.decided_by, locked.decided_at, locked.comment = user, now, comment
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    assignment = locked.assignment
    verdict_zh, verdict_en = ("已批准", "approved") if approve else ("未批准", "rejected")
    notify(
        recipients=[locked.requested_by],
        kind="extension_decided",
        title=f"【延期申请{verdict_zh}】{locked.old_deadline} → {locked.new_deadline} / Extension {verdict_en}",
        body="\n".join(
            [
                f"任务 / Task：{assignment.task.title}",
                f"责任单位 / Unit：{assignment.unit.name}",
                f"完成时限 / Deadline：{assignment.deadline}",
            ]
            + ([f"意见 / Comment：{comment}"] if comment else [])
        ),
        link=messages.task_link(assignment),
        key=f"extension={locked.pk}:decided",
        now=now,
    )
    request.refresh_from_db()
    return request


def _extend(request: ExtensionRequest, *, user: Any, today: dt.date) -> None:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task", "parent")
        .get(pk=request.assignment_id)
    )
    new = request.new_deadline
    _check_new_deadline(assignment, new, today=today)
    task = assignment.task
    moved = [assignment]
    if assignment.role == Assignment.Role.LEAD and new > task.deadline:
        try:
            update_task(task=task, version=task.version, user=user, today=today, deadline=new)
        except TaskError as exc:
            raise SupervisionError(exc.code, exc.message_zh, exc.message_en) from exc
        moved = list(task.assignments.filter(deadline=new))
    Assignment.objects.filter(pk=assignment.pk).update(deadline=new)
    inputs_changed(assignment_ids=[assignment.pk])
    for a in moved:
        a.refresh_from_db()
        ensure_obligations(assignment=a)


def extension_history(*, assignment: Assignment) -> QuerySet[ExtensionRequest]:
    """Every request of the assignment, oldest first, with both dates and the decision."""
    return ExtensionRequest.objects.filter(assignment=assignment).order_by("requested_at", "id")


def extension_histories(*, assignments: list[Assignment]) -> dict[int, list[ExtensionRequest]]:
    """``extension_history`` of each assignment (with who asked and who decided), in one query."""
    found: dict[int, list[ExtensionRequest]] = {a.pk: [] for a in assignments}
    for request in (
        ExtensionRequest.objects.filter(assignment__in=assignments)
        .select_related("requested_by", "decided_by")
        .order_by("requested_at", "id")
    ):
        found[request.assignment_id].append(request)
    return found


def respond_to_urging(*, urging: Urging, user: Any, response: str, now: dt.datetime | None = None) -> Urging:
    """The urged unit's liaison or head answers a formal urging notice (once)."""
    now = now or timezone.now()
    if not SUPERVISION["respond_to_urging"](user, urging):
        raise SupervisionError(
            "not_your_unit",
            "只有被催办单位的联络员或负责人可以回复。",
            "Only a liaison or the head of the urged unit can respond.",
        )
    response = clean_text(
        response, error=SupervisionError, field="response", what_zh="回复内容", what_en="response"
    ).strip()
    if not response:
        raise SupervisionError("response_required", "请填写回复内容。", "Please write a response.")
    changed = Urging.objects.filter(pk=urging.pk, responded_at=None).update(
        response=response, responded_at=now, responded_by=user
    )
    if changed != 1:
        raise SupervisionError("already_responded", "该催办已回复。", "This urging was already answered.")
    urging.refresh_from_db()
    notify(
        recipients=people(None, Role.SUPERVISOR),
        kind="urging_response",
        title=f"【催办回复】{urging.assignment.unit.name} / Response to an urging",
        body=f"任务 / Task：{urging.assignment.task.title}\n回复 / Response：{response}",
        link=messages.task_link(urging.assignment),
        key=f"urging={urging.pk}:response",
        now=now,
    )
    return urging


def warnings_for(
    *, task: Task | None = None, unit: Unit | None = None, current: bool = False
) -> QuerySet[Warning]:
    """Warnings of a task and/or a unit, newest first.

    ``current=True`` keeps those about the assignment's present deadline (an
    approved extension retires the earlier ones) on tasks still open.
    """
    found = Warning.objects.select_related("assignment__task", "assignment__unit")
    if task is not None:
        found = found.filter(assignment__task=task)
    if unit is not None:
        found = found.filter(assignment__unit=unit)
    if current:
        found = found.filter(
            deadline=F("assignment__deadline"), assignment__task__status__in=REPORTING_STATUSES
        )
    return found
