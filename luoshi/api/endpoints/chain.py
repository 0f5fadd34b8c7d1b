"""Tasks (任务) and assignments (承办): within the caller's scope."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from luoshi.accounts.scope import require
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt, filter_given
from luoshi.api.schemas import (
    ERRORS,
    AssignmentOut,
    ErrorOut,
    PlanToTasksIn,
    StatusName,
    TaskDetailOut,
    TaskOut,
    TransitionIn,
)
from luoshi.decomposition.access import get_plan_for
from luoshi.evaluation.services import not_closed
from luoshi.tasks import services as tasks
from luoshi.tasks.access import (
    get_assignment_for,
    get_task_for,
    visible_assignments,
    visible_tasks,
)
from luoshi.tasks.models import Assignment, Task

router = Router(tags=["tasks"])


def _task_detail(user: Any, pk: int) -> Task:
    task = get_task_for(user, pk)
    return (
        Task.objects.select_related("lead_unit")
        .prefetch_related("co_units", "milestones", "indicators", "transitions__by")
        .get(pk=task.pk)
    )


@router.get("/tasks", response={200: list[TaskOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Keyset)
def list_tasks(
    request: HttpRequest,
    document: BigInt | None = None,
    status: StatusName | None = None,
    unit: BigInt | None = None,
    active: bool | None = None,
) -> Any:
    """Tasks the caller may see; ``unit`` keeps tasks with an assignment for that unit; ``active=true``
    leaves out the closed ones (销号), ``active=false`` keeps only them."""
    user = request.auth  # type: ignore[attr-defined]
    found = visible_tasks(user).select_related("lead_unit").order_by("document_id", "id")
    found = filter_given(found, document_id=document, status=status)
    if unit is not None:
        found = found.filter(pk__in=visible_assignments(user).filter(unit_id=unit).values("task_id"))
    if active is not None:
        found = not_closed(found) if active else found.filter(closure__isnull=False)
    return found


@router.get("/tasks/{int:task_id}", response={200: TaskDetailOut, **ERRORS})
def get_task(request: HttpRequest, task_id: BigInt) -> Task:
    """A task with its milestones, indicators, history and the assignments the caller may see."""
    return _task_detail(request.auth, task_id)  # type: ignore[attr-defined]


@router.post("/tasks/from-plan", response={201: list[TaskOut], **ERRORS})
def create_from_plan(request: HttpRequest, payload: PlanToTasksIn) -> Status[list[Task]]:
    """Create the tasks of a confirmed plan (supervisors); running it twice creates nothing new.

    Deadlines before today are refused. Answers with all of the plan's tasks.
    """
    user = request.auth  # type: ignore[attr-defined]
    require(user, "plan")
    plan = get_plan_for(user, payload.plan_id)
    created = tasks.create_tasks_from_plan(
        plan=plan,
        start_date=payload.start_date,
        default_deadline=payload.default_deadline,
        cadence=payload.cadence,
        user=user,
        today=timezone.localdate(),
    )
    return Status(201, created)


@router.post("/tasks/{int:task_id}/transition", response={200: TaskDetailOut, **ERRORS})
def transition_task(request: HttpRequest, task_id: BigInt, payload: TransitionIn) -> Task:
    """Move a task along its lifecycle (交办, 签收, 申请办结, 办结, 退回, 撤销)."""
    user = request.auth  # type: ignore[attr-defined]
    task = get_task_for(user, task_id)
    tasks.transition(
        task=task, to_status=payload.to_status, user=user, reason=payload.reason, version=payload.version
    )
    return _task_detail(user, task_id)


@router.get("/assignments", response={200: list[AssignmentOut], 401: ErrorOut})
@paginate(Keyset)
def list_assignments(request: HttpRequest, task: BigInt | None = None, unit: BigInt | None = None) -> Any:
    found = visible_assignments(request.auth).select_related("unit")  # type: ignore[attr-defined]
    return filter_given(found, task_id=task, unit_id=unit).order_by("task_id", "id")


@router.get("/assignments/{int:assignment_id}", response={200: AssignmentOut, **ERRORS})
def get_assignment(request: HttpRequest, assignment_id: BigInt) -> Assignment:
    return get_assignment_for(request.auth, assignment_id)  # type: ignore[attr-defined]
