"""luoshi close_task: the office closes a completed, evaluated task (销号) with its evidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.evaluation.services import close_task, task_evidence
from luoshi.instructions.management.commands.instruction import _found, user_arg
from luoshi.lib.errors import BilingualError
from luoshi.tasks.models import Task


class Command(LuoshiCommand):
    help = _("Close a completed, evaluated task (销号) with the evidence of its reports")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task", type=int, help=_("task id"))
        parser.add_argument("--note", required=True, help=_("the closing note"))
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--evidence", type=int, action="append", help=_("evidence file id (repeatable)"))
        which.add_argument(
            "--all-evidence", action="store_true", help=_("cite every evidence file of the task's reports")
        )
        parser.add_argument("--user", required=True, help=_("an office or admin account"))

    def handle(self, *args: Any, **opts: Any) -> None:
        user = user_arg(opts["user"])
        task = _found(Task, opts["task"], "任务", "task")
        evidence = list(task_evidence(task)) if opts["all_evidence"] else opts["evidence"]
        try:
            closure = close_task(task=task, user=user, note=opts["note"], evidence=evidence)
        except (BilingualError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        files = closure.evidence.count()
        self.stdout.write(
            f"{task.pk}\t{closure.closed_at:%Y-%m-%d}\t"
            f"已销号，佐证材料{files}份 / closed with {files} evidence file(s)"
        )
