from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from luoshi.accounts.scope import require
from luoshi.audit.context import acting_as
from luoshi.core.management.base import LuoshiCommand, _, named_user
from luoshi.lib.errors import BilingualError
from luoshi.reports import services as reports
from luoshi.reports.access import get_report_for, visible_reports
from luoshi.reports.models import Report


class Command(LuoshiCommand):
    help = _(
        "A unit head approves a report of their unit, or returns it with a comment (单位负责人审核); "
        "without a report id, lists the reports awaiting them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "report", nargs="?", type=int, help=_("the report's id (none: list those awaiting you)")
        )
        decision = parser.add_mutually_exclusive_group()
        decision.add_argument("--approve", action="store_true", help=_("approve: the report then counts"))
        decision.add_argument(
            "--return",
            dest="give_back",
            action="store_true",
            help=_("return it to the liaison (needs --comment)"),
        )
        parser.add_argument("--comment", default="", help=_("the head's comment (required when returning)"))
        parser.add_argument("--user", required=True, help=_("the unit head deciding"))

    def handle(self, *args: Any, **opts: Any) -> None:
        user = named_user(opts["user"])
        if opts["report"] is None:
            self._list(user)
            return
        if not (opts["approve"] or opts["give_back"]):
            raise CommandError("请选择 --approve 或 --return / choose --approve or --return")
        try:
            report = get_report_for(user, opts["report"])
            require(user, "approve_report")
            with acting_as(user=user):
                decided = reports.approve_report(
                    report=report, user=user, approve=opts["approve"], comment=opts["comment"]
                )
        except Http404 as exc:
            raise CommandError(
                f"报告 #{opts['report']} 不存在，或不是您单位的报告 / "
                f"report #{opts['report']} does not exist or is not your unit's"
            ) from exc
        except (BilingualError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        done = (
            ("已审核通过", "approved")
            if decided.approval == Report.Approval.APPROVED
            else ("已退回", "returned")
        )
        self.stdout.write(f"报告 #{decided.pk} {done[0]} / report #{decided.pk} {done[1]}")

    def _list(self, user: Any) -> None:
        waiting = (
            visible_reports(user)
            .filter(approval=Report.Approval.PENDING, superseded_by__isnull=True)
            .select_related("obligation__assignment__task", "submitted_by")
            .order_by("id")
        )
        for r in waiting:
            task = r.obligation.assignment.task
            self.stdout.write(
                f"{r.pk:>7}  {r.obligation.period:<10} {r.progress:>3}%  {task.title}  "
                f"({r.submitted_by.get_username()}, {r.submitted_at:%Y-%m-%d})"
            )
        self.stdout.write(f"待审核 {len(waiting)} 份 / {len(waiting)} report(s) awaiting approval")
