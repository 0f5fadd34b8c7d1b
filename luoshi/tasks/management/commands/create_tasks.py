from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.decomposition.models import Plan
from luoshi.tasks.models import Task
from luoshi.tasks.services import TaskError, create_tasks_from_plan
from luoshi.tasks.validation import parse_date


class Command(LuoshiCommand):
    help = _(
        "Create assigned tasks (任务) from a confirmed task division plan; running it again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help=_("the id of a confirmed plan"))
        parser.add_argument("--start", required=True, help=_("start date of the tasks, YYYY-MM-DD"))
        parser.add_argument(
            "--deadline",
            required=True,
            help=_("deadline, YYYY-MM-DD, for tasks whose text names none; not in the past"),
        )
        parser.add_argument(
            "--cadence",
            default="quarterly",
            help=_("reporting cadence: monthly, quarterly (default), half_yearly or yearly"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        ref = str(opts["plan"]).strip()
        plan = Plan.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
        if plan is None:
            raise CommandError(f"任务分工方案 #{ref} 不存在 / plan #{ref} does not exist")
        try:
            start, deadline = parse_date(opts["start"]), parse_date(opts["deadline"])
            before = Task.objects.filter(plan_task__plan=plan).count()
            tasks = create_tasks_from_plan(
                plan=plan,
                start_date=start,
                default_deadline=deadline,
                cadence=opts["cadence"],
                today=timezone.localdate(),
            )
        except TaskError as exc:
            raise CommandError(str(exc)) from exc
        for task in tasks:
            self.stdout.write(
                f"{task.pk:>5} [{task.status}] {task.title}  → {task.lead_unit}  ({task.deadline})"
            )
        created = len(tasks) - before
        self.stdout.write(
            f"新建任务 {created} 项，此前已有 {before} 项 / "
            f"{created} task(s) created, {before} already existed"
        )
