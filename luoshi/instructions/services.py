"""Leaders' instructions (领导批示) and their handling (批示件办理). Errors: ``InstructionError``; a role that
may not act gets ``accounts.scope.RoleRequired`` (a ``PermissionDenied``).

1. A leader issues an instruction on a task, a unit's work, a report or a bulletin, with a due date
   (``issue_instruction``). It becomes one handling per owner — a task's lead unit, the unit, the
   report's unit, or for a bulletin the units the leader names (none: the supervision office) — and
   reaches the office and the owners as a notice.
2. The owner's liaison drafts the answer (``respond_to_instruction``). When the unit's reports need
   its head's approval (``reports.services.needs_head_approval``) the draft waits for the head, who
   approves it or returns it with a comment (``approve_response``); otherwise, or when the head
   writes it, it is the answer at once. The leader and the office are told.
3. The office chooses which instructions its bulletins cite (``cite_in_bulletin``).
4. ``luoshi tick`` reminds, urges and escalates the handlings not answered in time (``scan.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Role
from luoshi.audit.services import record
from luoshi.bulletins.models import Bulletin
from luoshi.instructions import access
from luoshi.instructions.errors import InstructionError
from luoshi.instructions.models import Handling, Instruction, Subject
from luoshi.instructions.words import excerpt, instruction_link, owner_words, person, subject_words
from luoshi.lib.bounds import check_date, clean_text
from luoshi.notifications.services import notify, post_to_unit
from luoshi.reports.models import Report
from luoshi.reports.services import needs_head_approval
from luoshi.supervision.scan import people, supervisors
from luoshi.tasks.models import Task
from luoshi.units.models import Unit

__all__ = [
    "STATES",
    "InstructionError",
    "answered_on",
    "approve_response",
    "cite_in_bulletin",
    "cited_instructions",
    "in_state",
    "instruction_state",
    "issue_instruction",
    "issued_by",
    "respond_to_instruction",
    "with_handlings",
]

# An instruction's state, from its handlings and its due date.
STATES = {
    "open": _("being handled"),
    "returned": _("answer returned for revision"),
    "awaiting_head": _("answer awaiting the unit head"),
    "overdue": _("overdue"),
    "done": _("answered"),
}


def instruction_state(instruction: Instruction, *, today: dt.date) -> str:
    """ "done" when every owner answered; else "overdue" past the due date; else the furthest step taken
    (an answer awaiting the head, one returned, or none yet: "open"). Reads the prefetched handlings."""
    states = {h.state for h in instruction.handlings.all()}
    if states <= {Handling.State.DONE}:
        return "done"
    if instruction.due_date < today:
        return "overdue"
    if Handling.State.AWAITING_HEAD in states:
        return "awaiting_head"
    if Handling.State.RETURNED in states:
        return "returned"
    return "open"


def in_state(instructions: QuerySet[Instruction], state: str, *, today: dt.date) -> QuerySet[Instruction]:
    """The instructions in a state as ``instruction_state`` says it, filtered in the database: "done",
    "overdue", "open" (not answered, due date not passed); any other state: all of them."""
    unanswered = Handling.objects.exclude(state=Handling.State.DONE).values("instruction_id")
    if state == "done":
        return instructions.exclude(pk__in=unanswered)
    if state == "overdue":
        return instructions.filter(pk__in=unanswered, due_date__lt=today)
    if state == "open":
        return instructions.filter(pk__in=unanswered, due_date__gte=today)
    return instructions


def with_handlings(instructions: QuerySet[Instruction]) -> QuerySet[Instruction]:
    """What every list shows of an instruction, in a fixed number of queries."""
    handlings = Handling.objects.select_related("unit", "drafted_by", "approved_by").order_by("id")
    return (
        instructions.select_related(
            "leader",
            "task",
            "unit",
            "bulletin",
            "report__obligation__assignment__unit",
            "report__obligation__assignment__task",
        )
        .defer("bulletin__data", "bulletin__docx")
        .prefetch_related(Prefetch("handlings", queryset=handlings))
    )


def _people(unit_id: int | None, *roles: str) -> list[Any]:
    """The unit's people in the roles; for the office's own handling (no unit), the supervisors."""
    return supervisors() if unit_id is None else people(unit_id, *roles)


def _owners(
    *,
    task: Task | None,
    unit: Unit | None,
    report: Report | None,
    bulletin: Bulletin | None,
    units: list[Unit],
) -> list[Unit | None]:
    if units and bulletin is None:
        raise InstructionError(
            "units_only_for_bulletin",
            "只有对通报的批示可以另行指定承办单位。",
            "Only an instruction on a bulletin names its owners; the others follow the subject.",
        )
    if report is not None:
        return [report.obligation.assignment.unit]
    if task is not None:
        return [task.lead_unit]
    if unit is not None:
        return [unit]
    return list({u.pk: u for u in units}.values()) or [None]


@transaction.atomic
def issue_instruction(
    *,
    leader: Any,
    text: str,
    due_date: dt.date,
    task: Task | None = None,
    unit: Unit | None = None,
    report: Report | None = None,
    bulletin: Bulletin | None = None,
    units: Iterable[Unit] = (),
    now: dt.datetime | None = None,
) -> Instruction:
    """A leader's instruction on exactly one subject, due by ``due_date``; see the module's step 1."""
    access.require_instruct(leader)
    now = now or timezone.now()
    today = timezone.localdate(now)
    given = [s for s in (task, unit, report, bulletin) if s is not None]
    if not given:
        raise InstructionError(
            "subject_required",
            "请指明批示对象：任务、单位工作、报告或通报。",
            "Say what the instruction is on: a task, a unit's work, a report or a bulletin.",
        )
    if len(given) > 1:
        raise InstructionError(
            "one_subject", "一条批示只针对一个对象。", "An instruction is on one subject only."
        )
    text = clean_text(
        text, error=InstructionError, field="text", what_zh="批示内容", what_en="instruction"
    ).strip()
    if not text:
        raise InstructionError("text_required", "请写明批示内容。", "Please write the instruction.")
    check_date(
        due_date,
        error=InstructionError,
        field="due_date",
        what_zh="办理时限",
        what_en="due date",
        today=today,
    )
    if due_date < today:
        raise InstructionError(
            "due_in_past", f"办理时限 {due_date} 早于今天。", f"The due date {due_date} is in the past."
        )
    owners = _owners(task=task, unit=unit, report=report, bulletin=bulletin, units=list(units))
    subject = (
        Subject.REPORT
        if report is not None
        else Subject.TASK
        if task is not None
        else Subject.UNIT
        if unit is not None
        else Subject.BULLETIN
    )
    instruction = Instruction.objects.create(
        subject=subject,
        task=task if report is None else report.obligation.assignment.task,
        unit=unit,
        report=report,
        bulletin=bulletin,
        text=text,
        due_date=due_date,
        leader=leader,
        created_at=now,
    )
    Handling.objects.bulk_create([Handling(instruction=instruction, unit=o) for o in owners])
    record(
        action="create",
        obj=instruction,
        actor=leader,
        at=now,
        note=text,
        changes={
            "subject": [None, subject],
            "due_date": [None, due_date],
            "units": [None, sorted(o.pk for o in owners if o is not None)],
        },
    )
    _tell_issued(instruction, owners, now=now)
    return instruction


def _tell_issued(instruction: Instruction, owners: list[Unit | None], *, now: dt.datetime) -> None:
    subject_zh, subject_en = subject_words(instruction)
    names = [owner_words(o) for o in owners]
    leader = person(instruction.leader)
    title = f"【领导批示】{leader}：{excerpt(instruction.text, 24)} / Instruction from {leader}"
    body = "\n".join(
        [
            f"批示对象 / On：{subject_zh} / {subject_en}",
            f"批示内容 / Instruction：{instruction.text}",
            f"承办 / Owners：{'、'.join(zh for zh, _ in names)} / {', '.join(en for _, en in names)}",
            f"办理时限 / Answer by：{instruction.due_date.isoformat()}",
        ]
    )
    link, key = instruction_link(instruction), f"instruction:{instruction.pk}:issued"
    recipients = _people(None) + [
        u for o in owners if o is not None for u in _people(o.pk, Role.LIAISON, Role.UNIT_HEAD)
    ]
    notify(recipients=recipients, kind="instruction", title=title, body=body, link=link, key=key, now=now)
    for owner in owners:
        if owner is not None:
            post_to_unit(unit=owner, kind="instruction", title=title, body=body, link=link, key=key, now=now)


def _lock(handling: Handling) -> Handling:
    # Lock the handling row only: its unit may be empty (the office), the nullable side of an outer join.
    return (
        Handling.objects.select_for_update(of=("self",))
        .select_related("instruction__leader", "unit")
        .get(pk=handling.pk)
    )


def _tell_answered(handling: Handling, *, now: dt.datetime) -> None:
    owner_zh, owner_en = owner_words(handling.unit if handling.unit_id else None)
    instruction = handling.instruction
    notify(
        recipients=[instruction.leader, *_people(None)],
        kind="instruction_answered",
        title=f"【批示办复】{owner_zh}已办复 / {owner_en} answered the instruction",
        body="\n".join(
            [f"批示内容 / Instruction：{instruction.text}", f"办理情况 / Answer：{handling.response}"]
        ),
        link=instruction_link(instruction),
        key=f"handling:{handling.pk}:answered",
        now=now,
    )


@transaction.atomic
def respond_to_instruction(
    *, handling: Handling, user: Any, text: str, now: dt.datetime | None = None
) -> Handling:
    """The owner drafts (or rewrites after a return) the answer; see the module's step 2."""
    access.require_respond(user, handling)
    now = now or timezone.now()
    locked = _lock(handling)
    if locked.state == Handling.State.AWAITING_HEAD:
        raise InstructionError(
            "awaiting_head",
            "办理情况已提交，正在等待单位负责人审核。",
            "The answer has been submitted and is awaiting the unit head.",
        )
    if locked.state == Handling.State.DONE:
        raise InstructionError(
            "already_answered", "该批示已办复。", "This instruction has been answered already."
        )
    text = clean_text(
        text, error=InstructionError, field="text", what_zh="办理情况", what_en="answer"
    ).strip()
    if not text:
        raise InstructionError("response_required", "请写明办理情况。", "Please write the answer.")
    before = locked.state
    by_head = access.may_approve(user, locked)
    waits = locked.unit_id is not None and not by_head and needs_head_approval(unit_id=locked.unit_id)
    locked.response, locked.drafted_by, locked.drafted_at = text, user, now
    locked.approved_by = locked.approved_at = None
    locked.approval_comment = ""
    if waits:
        locked.state = Handling.State.AWAITING_HEAD
    else:
        locked.state, locked.responded_at = Handling.State.DONE, now
        if by_head:  # a head's own answer is approved as it is written
            locked.approved_by, locked.approved_at = user, now
    locked.save()
    record(
        action="update", obj=locked, actor=user, at=now, note=text, changes={"state": [before, locked.state]}
    )
    if waits:
        assert locked.unit_id is not None
        notify(
            recipients=_people(locked.unit_id, Role.UNIT_HEAD),
            kind="instruction_approval",
            title=f"【批示办理待审核】{excerpt(locked.instruction.text, 24)} / An answer awaits your approval",
            body="\n".join(
                [
                    f"批示内容 / Instruction：{locked.instruction.text}",
                    f"办理情况 / Answer：{text}",
                    f"起草人 / Drafted by：{person(user)}",
                ]
            ),
            link=instruction_link(locked.instruction),
            key=f"handling:{locked.pk}:draft:{now.isoformat()}",
            now=now,
        )
    else:
        _tell_answered(locked, now=now)
    return locked


@transaction.atomic
def approve_response(
    *, handling: Handling, user: Any, approve: bool, comment: str = "", now: dt.datetime | None = None
) -> Handling:
    """The owning unit's head approves the drafted answer (it reaches the office and the leader) or returns
    it to the liaison with a comment."""
    access.require_approve(user, handling)
    now = now or timezone.now()
    locked = _lock(handling)
    comment = clean_text(
        comment, error=InstructionError, field="comment", what_zh="意见", what_en="comment"
    ).strip()
    if locked.state != Handling.State.AWAITING_HEAD:
        raise InstructionError(
            "not_pending", "该办理情况不在待审核状态。", "This answer is not awaiting approval."
        )
    if not approve and not comment:
        raise InstructionError(
            "comment_required", "退回办理情况时请写明理由。", "Please say why the answer is returned."
        )
    locked.approved_by, locked.approved_at, locked.approval_comment = user, now, comment
    locked.state = Handling.State.DONE if approve else Handling.State.RETURNED
    if approve:
        locked.responded_at = now
    locked.save()
    record(
        action="approve",
        obj=locked,
        actor=user,
        at=now,
        note=comment,
        changes={"state": [Handling.State.AWAITING_HEAD, locked.state]},
    )
    if approve:
        _tell_answered(locked, now=now)
    elif locked.drafted_by is not None:
        notify(
            recipients=[locked.drafted_by],
            kind="instruction_returned",
            title=f"【办理情况退回】{excerpt(locked.instruction.text, 24)} / Your answer was returned",
            body="\n".join(
                [f"批示内容 / Instruction：{locked.instruction.text}", f"意见 / Comment：{comment}"]
            ),
            link=instruction_link(locked.instruction),
            key=f"handling:{locked.pk}:returned:{now.isoformat()}",
            now=now,
        )
    return locked


def answered_on(instruction: Instruction, *, as_of: dt.date) -> dt.date | None:
    """The day the last owner's answer reached the office, when every owner had answered by ``as_of``."""
    days = [
        timezone.localdate(h.responded_at) if h.responded_at else None for h in instruction.handlings.all()
    ]
    if not days or any(d is None or d > as_of for d in days):
        return None
    return max(d for d in days if d is not None)


def cited_instructions(*, start: dt.date, end: dt.date, as_of: dt.date) -> list[Instruction]:
    """The instructions the office chose to cite that a bulletin of [start, end] as of ``as_of`` reports:
    issued by ``as_of`` and not all answered before ``start`` (oldest first, with their handlings)."""
    found = with_handlings(Instruction.objects.filter(in_bulletin=True, created_at__date__lte=as_of))
    return [
        i
        for i in found.order_by("created_at", "pk")
        if (day := answered_on(i, as_of=as_of)) is None or day >= start
    ]


def issued_by(*, as_of: dt.date) -> list[Instruction]:
    """Every instruction issued by the date, oldest first, with its handlings (the ledger's sheet)."""
    return list(
        with_handlings(Instruction.objects.filter(created_at__date__lte=as_of)).order_by("created_at", "pk")
    )


@transaction.atomic
def cite_in_bulletin(
    *, instruction: Instruction, user: Any, cited: bool, now: dt.datetime | None = None
) -> Instruction:
    """The office chooses whether the bulletins cite the instruction and its handling (领导批示办理情况)."""
    access.require_cite(user)
    locked = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if locked.in_bulletin != cited:
        Instruction.objects.filter(pk=locked.pk).update(in_bulletin=cited)
        locked.in_bulletin = cited
        record(
            action="update",
            obj=locked,
            actor=user,
            at=now or timezone.now(),
            changes={"in_bulletin": [not cited, cited]},
        )
    return locked
