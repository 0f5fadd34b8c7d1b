"""Two sections of the task page: the leaders' instructions on the task (with a leader's "write an
instruction" and "watch"), and closing the task (销号)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from luoshi.evaluation.access import may_close
from luoshi.evaluation.models import Closure, Evaluation
from luoshi.evaluation.services import latest_evaluation
from luoshi.instructions import access
from luoshi.instructions.models import Watch
from luoshi.instructions.services import with_handlings
from luoshi.reports.models import Report
from luoshi.tasks.models import Status, Task
from luoshi.web.instructions.pages import InstructionView, instruction_view

REPORTS_OFFERED = 8  # the latest reports a leader may write an instruction on from the task page


@dataclass
class ClosureSection:
    task: Task
    closure: Closure | None
    evaluation: Evaluation | None
    may_close: bool

    @property
    def waits_for(self) -> str:
        """What closing still waits for: "completion", "evaluation", "recheck", or "" (it may be closed)."""
        if self.task.status != Status.COMPLETED:
            return "completion"
        if self.evaluation is None:
            return "evaluation"
        if self.evaluation.recheck_date is not None:
            return "recheck"
        return ""


def closure_section(*, user: Any, task: Task) -> ClosureSection:
    closure = Closure.objects.filter(task=task).select_related("closed_by", "evaluation").first()
    return ClosureSection(
        task,
        closure,
        latest_evaluation(task=task) if closure is None else closure.evaluation,
        may_close(user),
    )


@dataclass
class TaskInstructions:
    task: Task
    rows: list[InstructionView]
    may_instruct: bool
    may_watch: bool
    watched: Watch | None
    reports: list[Report] = field(default_factory=list)  # latest reports, to instruct on one


def task_instructions(*, user: Any, task: Task, today: dt.date) -> TaskInstructions:
    """The instructions on the task or its reports that the user sees, newest first."""
    found = with_handlings(access.visible_instructions(user).filter(task=task)).order_by("-created_at", "-pk")
    may_instruct, may_watch = access.may_instruct(user), access.may_watch(user)
    reports = (
        list(
            Report.objects.filter(obligation__assignment__task=task, superseded_by__isnull=True)
            .select_related("obligation__assignment__unit")
            .order_by("-submitted_at", "-pk")[:REPORTS_OFFERED]
        )
        if may_instruct
        else []
    )
    return TaskInstructions(
        task=task,
        rows=[instruction_view(user=user, instruction=i, today=today) for i in found],
        may_instruct=may_instruct,
        may_watch=may_watch,
        watched=Watch.objects.filter(leader_id=user.pk, task=task).first() if may_watch else None,
        reports=reports,
    )
