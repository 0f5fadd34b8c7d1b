"""After the work: effect evaluation (跟踪问效) of completed tasks and the accountability register (监督问责).

The supervision office (role action "rate") designates evaluators, records
measures and reads the suggested ones; the office or a designated evaluator
records an evaluation. A liaison or unit head sees the evaluations of its
unit's tasks and the measures naming its unit.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from luoshi.accountability import services as accountability
from luoshi.accountability.models import Measure
from luoshi.accounts.scope import RoleRequired, require, sees_all, unit_of
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt
from luoshi.api.schemas import ERRORS
from luoshi.api.schemas_followup import (
    EvaluationIn,
    EvaluationOut,
    EvaluatorIn,
    EvaluatorOut,
    MeasureFormIn,
    MeasureIn,
    MeasureOut,
    SuggestionOut,
)
from luoshi.evaluation import services as evaluation
from luoshi.evaluation.access import EVALUATION
from luoshi.evaluation.models import Evaluation, Evaluator
from luoshi.tasks.access import get_task_for
from luoshi.units.models import Unit

router = Router(tags=["evaluation and accountability"])


# --- evaluation ----------------------------------------------------------------------


@router.post("/tasks/{int:task_id}/evaluators", response={200: EvaluatorOut, 201: EvaluatorOut, **ERRORS})
def designate_evaluator(request: HttpRequest, task_id: BigInt, payload: EvaluatorIn) -> Status[Evaluator]:
    """The office lets one more person evaluate the task: 201 designated, 200 designated already.

    The person must be designable (``evaluation.be_designated``: active, a
    leader, or a liaison or unit head of one of the task's units; the office
    evaluates by role and is not designated); anyone else is refused (400
    ``bad_evaluator``).
    """
    user = request.auth  # type: ignore[attr-defined]
    task = get_task_for(user, task_id)
    EVALUATION["designate_evaluator"].require(user, task)
    designee = get_user_model().objects.filter(username=payload.username).first()
    if designee is None:
        raise evaluation.EvaluationError(
            "bad_evaluator",
            f"用户“{payload.username}”不存在。",
            f"User '{payload.username}' does not exist.",
        )
    already = Evaluator.objects.filter(task=task, user=designee).exists()
    evaluator = evaluation.designate_evaluator(task=task, user=designee, by=user)
    return Status(200 if already else 201, evaluator)


@router.get("/tasks/{int:task_id}/evaluations", response={200: list[EvaluationOut], **ERRORS})
def list_evaluations(request: HttpRequest, task_id: BigInt) -> list[Evaluation]:
    """Every evaluation of the task, oldest first; the last one is the task's current evaluation."""
    task = get_task_for(request.auth, task_id)  # type: ignore[attr-defined]
    return evaluation.evaluation_history(task=task)


@router.post("/tasks/{int:task_id}/evaluations", response={201: EvaluationOut, **ERRORS})
def record_evaluation(request: HttpRequest, task_id: BigInt, payload: EvaluationIn) -> Status[Evaluation]:
    """The office or a designated evaluator records the effect of a completed task.

    Every indicator of the task is answered once (reached or not); a missing
    ``final_value`` is taken from the lead unit's latest counting report.
    """
    user = request.auth  # type: ignore[attr-defined]
    task = get_task_for(user, task_id)
    EVALUATION["evaluate"].require(user, task)
    recorded = evaluation.record_evaluation(
        task=task,
        effect=payload.effect,
        user=user,
        comments=payload.comments,
        recheck_date=payload.recheck_date,
        indicators=[
            evaluation.IndicatorOutcome(
                indicator=o.indicator_id, reached=o.reached, final_value=o.final_value
            )
            for o in payload.indicators
        ],
    )
    return Status(201, recorded)


# --- accountability ------------------------------------------------------------------


def _require_office(user: Any) -> None:
    if not sees_all(user):
        raise RoleRequired(
            "office",
            "只有督查室人员和领导可以查看。",
            "Only the supervision office and leaders may see this.",
        )


def _unit_for(user: Any, pk: int) -> Unit:
    """Any unit for those who see everything; a liaison or unit head only their own (else 404)."""
    unit = get_object_or_404(Unit, pk=pk)
    if not sees_all(user) and unit_of(user) != unit:
        raise Http404
    return unit


@router.get("/measures", response={200: list[MeasureOut], **ERRORS})
@paginate(Keyset)
def list_measures(
    request: HttpRequest,
    task: BigInt | None = None,
    unit: BigInt | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Any:
    """Measures naming a task and/or a unit, dated from ``start`` to ``end`` (inclusive), oldest first.

    A liaison or unit head sees only the measures naming their own unit.
    """
    user = request.auth  # type: ignore[attr-defined]
    named = _unit_for(user, unit) if unit is not None else None if sees_all(user) else unit_of(user)
    if named is None and not sees_all(user):
        return Measure.objects.none().order_by("id")
    return accountability.measures(
        task=get_task_for(user, task) if task is not None else None, unit=named, start=start, end=end
    )


def _record(request: HttpRequest, payload: MeasureIn, attachments: list[UploadedFile]) -> Status[Measure]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, "rate")
    measure = accountability.record_measure(
        kind=payload.kind,
        units=[get_object_or_404(Unit, pk=pk) for pk in payload.unit_ids],
        tasks=[get_task_for(user, pk) for pk in payload.task_ids],
        reason=payload.reason,
        date=payload.date or timezone.localdate(),
        user=user,
        attachments=attachments,
    )
    return Status(201, measure)


@router.post("/measures", response={201: MeasureOut, **ERRORS})
def record_measure(request: HttpRequest, payload: MeasureIn) -> Status[Measure]:
    """The office records a measure (a suggested one or its own) for one or more units and tasks."""
    return _record(request, payload, [])


@router.post("/measures/with-attachments", response={201: MeasureOut, **ERRORS})
def record_measure_with_attachments(
    request: HttpRequest, payload: Form[MeasureFormIn], attachments: File[list[UploadedFile]]
) -> Status[Measure]:
    """The same as POST /measures, as multipart form data with the measure's documents (field
    ``attachments``, repeated); ``unit_ids`` and ``task_ids`` are then JSON lists, e.g. ``[3, 4]``."""
    return _record(request, payload, attachments)


@router.get("/measures/suggestions", response={200: list[SuggestionOut], **ERRORS})
def list_suggestions(request: HttpRequest, as_of: dt.date | None = None) -> list[accountability.Suggestion]:
    """The measures suggested as of a date (default today): never recorded automatically.

    One per unit and task at most, for red periods in a row or long overdue
    work, naming the next rung after the last measure taken.
    """
    _require_office(request.auth)  # type: ignore[attr-defined]
    return accountability.suggest_measures(as_of=as_of or timezone.localdate())
