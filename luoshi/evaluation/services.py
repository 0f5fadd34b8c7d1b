"""Effect evaluation (跟踪问效): record, re-check, roll up. Errors: ``EvaluationError``.

Who evaluates: the supervision office (accounts.scope "rate": supervisors and
administrators) or a user designated for the task (``Evaluator``). Only a
completed task is evaluated. The latest evaluation of a task is its current
one; earlier ones stay as history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.evaluation.access import EVALUATION, can_evaluate, may_be_designated
from luoshi.evaluation.closure import (
    ClosureCandidate,
    close_task,
    closed_on,
    closure_queue,
    latest_evaluation,
    not_closed,
    task_evidence,
)
from luoshi.evaluation.errors import EvaluationError
from luoshi.evaluation.models import Closure, Effect, Evaluation, Evaluator
from luoshi.evaluation.rollup import EvaluationRollup, evaluation_rollup
from luoshi.lib.bounds import check_date, clean_text
from luoshi.reports.models import IndicatorValue, Report
from luoshi.tasks.models import Assignment, Indicator, Status, Task

__all__ = [
    "Closure",
    "ClosureCandidate",
    "DueRecheck",
    "Effect",
    "EvaluationError",
    "EvaluationRollup",
    "IndicatorOutcome",
    "close_task",
    "closed_on",
    "closure_queue",
    "designate_evaluator",
    "due_rechecks",
    "evaluation_history",
    "evaluation_rollup",
    "latest_evaluation",
    "latest_evaluations",
    "not_closed",
    "record_evaluation",
    "task_evidence",
]


@dataclass(frozen=True)
class IndicatorOutcome:
    """Whether an indicator's target was reached; ``final_value`` None takes the lead's last reported value."""

    indicator: Indicator | int
    reached: bool
    final_value: Decimal | int | float | str | None = None


@dataclass(frozen=True)
class DueRecheck:
    task: Task
    evaluation: Evaluation  # the task's latest evaluation, whose re-check date has come
    recheck_date: dt.date
    days_waiting: int  # 0 on the re-check date itself


@transaction.atomic
def designate_evaluator(*, task: Task, user: Any, by: Any, now: dt.datetime | None = None) -> Evaluator:
    """Let ``user`` evaluate ``task``. Designating twice is harmless.

    1. ``by`` must be the supervision office (``evaluation.designate_evaluator``, else 403).
    2. ``user`` must be designable (``evaluation.be_designated``, else ``bad_evaluator``).
    """
    EVALUATION["designate_evaluator"].require(by, task)
    if not may_be_designated(user, task):
        name = user.get_username()
        raise EvaluationError(
            "bad_evaluator",
            f"用户“{name}”已停用、无权查看该任务或凭角色即可评估，无需指定。",
            f"User '{name}' is inactive, may not open this task or evaluates by role already.",
        )
    existing = Evaluator.objects.filter(task=task, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            evaluator = Evaluator.objects.create(
                task=task, user=user, designated_by=by, designated_at=now or timezone.now()
            )
    except IntegrityError:  # designated meanwhile
        return Evaluator.objects.get(task=task, user=user)
    record(
        action="create",
        obj=evaluator,
        actor=by,
        at=evaluator.designated_at,
        changes={"task": [None, task.pk], "user": [None, user.pk]},
    )
    return evaluator


@transaction.atomic
def record_evaluation(
    *,
    task: Task,
    effect: str,
    user: Any,
    indicators: Sequence[IndicatorOutcome] = (),
    comments: str = "",
    recheck_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Evaluation:
    """Record an evaluation of a completed task.

    1. Refuse a task that is not completed, a user who may not evaluate it,
       an unknown effect level, and a re-check date before today.
    2. Every indicator of the task must be answered once (reached or not);
       a missing final value is taken from the lead unit's latest counting report.
    3. Store it; it becomes the task's current evaluation and closes any
       re-check the previous one asked for.
    """
    now = now or timezone.now()
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Status.COMPLETED:
        raise EvaluationError(
            "not_completed", "只有已办结的任务才能评估成效。", "Only a completed task can be evaluated."
        )
    if not can_evaluate(user, task):
        raise EvaluationError(
            "not_allowed",
            "您不是督查室人员，也未被指定评估该任务。",
            "You are not in the supervision office nor designated to evaluate this task.",
        )
    if effect not in Effect.values:
        raise EvaluationError(
            "bad_effect",
            f"无效的成效等级：{effect}（可选：{'、'.join(Effect.values)}）。",
            f"Unknown effect level: {effect} (choose one of: {', '.join(Effect.values)}).",
        )
    if recheck_date is not None:
        check_date(
            recheck_date,
            error=EvaluationError,
            field="recheck_date",
            what_zh="复查日期",
            what_en="re-check date",
            today=timezone.localdate(now),
        )
    comments = clean_text(
        comments, error=EvaluationError, field="comments", what_zh="评估意见", what_en="comments"
    )
    if recheck_date is not None and recheck_date < timezone.localdate(now):
        raise EvaluationError(
            "recheck_in_past",
            f"复查日期 {recheck_date} 早于今天。",
            f"The re-check date {recheck_date} is in the past.",
        )
    rows = _indicator_rows(task, indicators)
    evaluation = Evaluation.objects.create(
        task=task,
        effect=effect,
        indicators=rows,
        comments=(comments or "").strip(),
        recheck_date=recheck_date,
        evaluated_by=user,
        evaluated_at=now,
    )
    reached = sum(1 for r in rows if r["reached"])
    record(
        action="create",
        obj=evaluation,
        actor=user,
        at=now,
        changes={
            "effect": [None, effect],
            "indicators_reached": [None, f"{reached}/{len(rows)}"],
            "recheck_date": [None, recheck_date],
        },
        note=evaluation.comments,
    )
    return evaluation


def _indicator_rows(task: Task, outcomes: Iterable[IndicatorOutcome]) -> list[dict[str, Any]]:
    own = {i.pk: i for i in task.indicators.all()}
    given: dict[int, IndicatorOutcome] = {}
    for outcome in outcomes:
        pk = outcome.indicator.pk if isinstance(outcome.indicator, Indicator) else int(outcome.indicator)
        if pk not in own:
            raise EvaluationError(
                "foreign_indicator",
                f"指标 #{pk} 不属于本任务。",
                f"Indicator #{pk} does not belong to this task.",
            )
        if pk in given:
            raise EvaluationError(
                "indicator_twice",
                f"指标“{own[pk].name}”填写了两次。",
                f"Indicator '{own[pk].name}' is given twice.",
            )
        given[pk] = outcome
    missing = [i for pk, i in own.items() if pk not in given]
    if missing:
        names = [i.name for i in missing]
        raise EvaluationError(
            "indicator_missing",
            f"请说明以下指标是否达到：{'、'.join(names)}。",
            f"Say whether these indicators were reached: {', '.join(names)}.",
            field=f"reached_{missing[0].pk}",
        )
    rows = []
    for pk, indicator in own.items():
        outcome = given[pk]
        value = (
            _final_value(indicator)
            if outcome.final_value is None
            else _number(outcome.final_value, indicator)
        )
        rows.append(
            {
                "indicator": pk,
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "target": _text(indicator.target),
                "final_value": _text(value) if value is not None else None,
                "reached": bool(outcome.reached),
            }
        )
    return rows


def _number(raw: Any, indicator: Indicator) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise EvaluationError(
            "bad_value",
            f"指标“{indicator.name}”的最终值“{raw}”无效。",
            f"The final value '{raw}' of indicator '{indicator.name}' is not a number.",
            field=f"final_{indicator.pk}",
        )
    return value


def _final_value(indicator: Indicator) -> Decimal | None:
    """The value in the lead unit's latest counting report that has one."""
    row = (
        IndicatorValue.objects.filter(
            indicator=indicator,
            report__obligation__assignment__role=Assignment.Role.LEAD,
            report__approval__in=(Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED),
        )
        .order_by("-report__obligation__period_end", "-report__version")
        .values_list("value", flat=True)
        .first()
    )
    return row


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def evaluation_history(*, task: Task) -> list[Evaluation]:
    """Every evaluation of the task, oldest first."""
    return list(
        Evaluation.objects.filter(task=task).select_related("evaluated_by").order_by("evaluated_at", "id")
    )


def latest_evaluations(*, as_of: dt.date) -> dict[int, Evaluation]:
    """Each task's latest evaluation made by the end of the date (local time), by task id: one query."""
    until = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    latest: dict[int, Evaluation] = {}
    for evaluation in Evaluation.objects.filter(evaluated_at__lt=until).order_by(
        "task_id", "evaluated_at", "id"
    ):
        latest[evaluation.task_id] = evaluation  # oldest first: the last one seen is the latest
    return latest


def due_rechecks(*, today: dt.date) -> list[DueRecheck]:
    """Tasks whose current (latest) evaluation asks for a re-check on or before ``today``, earliest first.

    Recording a new evaluation of the task closes the re-check (the new one
    is then the latest; its own re-check date, if any, counts instead).
    """
    latest: dict[int, Evaluation] = {}
    candidates = Evaluation.objects.filter(recheck_date__lte=today).values("task_id")
    rows = Evaluation.objects.filter(task_id__in=candidates).select_related("task")
    for evaluation in rows.order_by("task_id", "evaluated_at", "id"):
        latest[evaluation.task_id] = evaluation
    due = [
        DueRecheck(
            task=e.task, evaluation=e, recheck_date=e.recheck_date, days_waiting=(today - e.recheck_date).days
        )
        for e in latest.values()
        if e.recheck_date is not None and e.recheck_date <= today
    ]
    return sorted(due, key=lambda d: (d.recheck_date, d.task.pk))
