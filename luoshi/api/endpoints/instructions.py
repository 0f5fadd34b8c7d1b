"""Leaders' instructions (领导批示) and their handling, a leader's watch list (关注事项), closing a task (销号).

The same services and scope helpers as the pages: an instruction or handling outside the caller's
scope is 404; a role that may not act is 403 (``RoleRequired``); a refusal of the service is 400.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt
from luoshi.api.schemas import ERRORS
from luoshi.api.schemas_followup import DecisionIn
from luoshi.api.schemas_instructions import (
    CiteIn,
    ClosureIn,
    ClosureOut,
    HandlingOut,
    InstructionIn,
    InstructionOut,
    InstructionStateName,
    ResponseIn,
    SeenOut,
    WatchIn,
    WatchListOut,
    WatchOut,
)
from luoshi.bulletins.access import get_bulletin_for
from luoshi.evaluation import services as evaluation
from luoshi.evaluation.models import Closure
from luoshi.instructions import access
from luoshi.instructions import services as instructions
from luoshi.instructions import watch as watching
from luoshi.instructions.models import Handling, Instruction, Watch
from luoshi.reports.access import get_report_for
from luoshi.tasks.access import get_task_for
from luoshi.units.models import Unit

router = Router(tags=["leaders' instructions and closing"])


def _one(instruction_id: int) -> Instruction:
    return instructions.with_handlings(Instruction.objects.filter(pk=instruction_id)).get()


@router.get("/instructions", response={200: list[InstructionOut], **ERRORS})
@paginate(Keyset)
def list_instructions(
    request: HttpRequest, state: InstructionStateName | None = None, mine: bool = False
) -> Any:
    """The instructions the caller sees (a unit: those it handles), newest first; ``state`` open (due
    date not passed), overdue or done; ``mine`` a leader's own."""
    user = request.auth  # type: ignore[attr-defined]
    found = access.visible_instructions(user)
    if mine:
        found = found.filter(leader_id=user.pk)
    if state is not None:
        found = instructions.in_state(found, state, today=timezone.localdate())
    return instructions.with_handlings(found).order_by("-created_at", "-pk")


@router.post("/instructions", response={201: InstructionOut, **ERRORS})
def issue_instruction(request: HttpRequest, payload: InstructionIn) -> Status[Instruction]:
    """A leader writes an instruction on a task, a unit's work, a report or a bulletin; the office and
    the owners are told."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_instruct(user)
    subject: dict[str, Any]
    if payload.subject == "task":
        subject = {"task": get_task_for(user, payload.subject_id)}
    elif payload.subject == "report":
        subject = {"report": get_report_for(user, payload.subject_id)}
    elif payload.subject == "unit":
        subject = {"unit": get_object_or_404(Unit, pk=payload.subject_id)}
    else:
        subject = {"bulletin": get_bulletin_for(user, payload.subject_id)}
    units = [get_object_or_404(Unit, pk=pk) for pk in payload.unit_ids]
    created = instructions.issue_instruction(
        leader=user, text=payload.text, due_date=payload.due_date, units=units, **subject
    )
    return Status(201, _one(created.pk))


@router.get("/instructions/{int:instruction_id}", response={200: InstructionOut, **ERRORS})
def get_instruction(request: HttpRequest, instruction_id: BigInt) -> Instruction:
    return _one(access.get_instruction_for(request.auth, instruction_id).pk)  # type: ignore[attr-defined]


@router.post("/instructions/{int:instruction_id}/bulletin", response={200: InstructionOut, **ERRORS})
def cite_instruction(request: HttpRequest, instruction_id: BigInt, payload: CiteIn) -> Instruction:
    """The office chooses whether the bulletins cite the instruction (领导批示办理情况)."""
    user = request.auth  # type: ignore[attr-defined]
    found = access.get_instruction_for(user, instruction_id)
    instructions.cite_in_bulletin(instruction=found, user=user, cited=payload.cited)
    return _one(found.pk)


def _handling(handling_id: int) -> Handling:
    return Handling.objects.select_related("unit", "drafted_by", "approved_by").get(pk=handling_id)


@router.post("/handlings/{int:handling_id}/response", response={200: HandlingOut, **ERRORS})
def respond_to_instruction(request: HttpRequest, handling_id: BigInt, payload: ResponseIn) -> Handling:
    """The owner's liaison (or head) answers; with the unit's head-approval step on, the answer waits
    for the head (state awaiting_head), else it is done."""
    user = request.auth  # type: ignore[attr-defined]
    found = access.get_handling_for(user, handling_id)
    instructions.respond_to_instruction(handling=found, user=user, text=payload.text)
    return _handling(found.pk)


@router.post("/handlings/{int:handling_id}/approval", response={200: HandlingOut, **ERRORS})
def approve_instruction_response(request: HttpRequest, handling_id: BigInt, payload: DecisionIn) -> Handling:
    """The owning unit's head approves the answer, or returns it with a comment."""
    user = request.auth  # type: ignore[attr-defined]
    found = access.get_handling_for(user, handling_id)
    instructions.approve_response(handling=found, user=user, approve=payload.approve, comment=payload.comment)
    return _handling(found.pk)


# --- the watch list -------------------------------------------------------------------


@router.get("/watch", response={200: WatchListOut, **ERRORS})
def get_watch_list(request: HttpRequest) -> watching.WatchList:
    """A leader's watched tasks and units, each with its changes since the last visit."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_watch(user)
    return watching.watch_list(user=user)


@router.post("/watch", response={200: WatchOut, 201: WatchOut, **ERRORS})
def add_watch(request: HttpRequest, payload: WatchIn) -> Status[Watch]:
    """Watch a task or a unit: 201 added, 200 watched already."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_watch(user)
    task = get_task_for(user, payload.task_id) if payload.task_id is not None else None
    unit = get_object_or_404(Unit, pk=payload.unit_id) if payload.unit_id is not None else None
    already = (
        Watch.objects.filter(leader_id=user.pk, task=task, unit=unit).exists() if (task or unit) else False
    )
    watched = watching.watch(user=user, task=task, unit=unit)
    return Status(200 if already else 201, watched)


@router.post("/watch/{int:watch_id}/remove", response={204: None, **ERRORS})
def remove_watch(request: HttpRequest, watch_id: BigInt) -> Status[None]:
    user = request.auth  # type: ignore[attr-defined]
    watching.unwatch(user=user, watched=access.get_watch_for(user, watch_id))
    return Status(204, None)


@router.post("/watch/seen", response={200: SeenOut, **ERRORS})
def mark_watch_seen(request: HttpRequest) -> dict[str, dt.datetime]:
    """The leader has seen the changes: from now on they are counted from this moment."""
    visit = watching.mark_seen(user=request.auth)  # type: ignore[attr-defined]
    return {"seen_at": visit.seen_at}


# --- closing a task (销号) ----------------------------------------------------------------


@router.get("/tasks/{int:task_id}/closure", response={200: ClosureOut, **ERRORS})
def get_closure(request: HttpRequest, task_id: BigInt) -> Closure:
    """The task's closure; 404 while it is not closed."""
    task = get_task_for(request.auth, task_id)  # type: ignore[attr-defined]
    return get_object_or_404(
        Closure.objects.select_related("closed_by").prefetch_related("evidence"), task=task
    )


@router.post("/tasks/{int:task_id}/closure", response={201: ClosureOut, **ERRORS})
def close_task(request: HttpRequest, task_id: BigInt, payload: ClosureIn) -> Status[Closure]:
    """The office closes a completed, evaluated task, citing evidence files of its reports."""
    user = request.auth  # type: ignore[attr-defined]
    task = get_task_for(user, task_id)
    closure = evaluation.close_task(task=task, user=user, note=payload.note, evidence=payload.evidence_ids)
    return Status(201, closure)
