from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from luoshi.audit.context import acting_as
from luoshi.core.management.base import LuoshiCommand, _, named_user
from luoshi.decomposition import services as plans
from luoshi.decomposition.access import get_plan_for, get_plan_task, get_plan_to_change
from luoshi.decomposition.builder import ACTIONABLE
from luoshi.decomposition.models import Plan
from luoshi.lib.errors import BilingualError

ACTIONS = ("show", "accept", "reject", "merge", "accept-rest", "confirm")


class Command(LuoshiCommand):
    help = _(
        "Review a task division plan (任务分工方案): show it, accept, reject or merge items, accept the rest, "
        "confirm. The same steps as the review page, audited under --user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", type=int, help=_("the plan's id (luoshi decompose --save prints it)"))
        parser.add_argument(
            "action", choices=ACTIONS, help=_("show; accept, reject or merge ITEM ids; accept-rest; confirm")
        )
        parser.add_argument("items", nargs="*", type=int, help=_("item ids (for accept, reject and merge)"))
        parser.add_argument("--user", required=True, help=_("who reviews (a supervision office account)"))
        parser.add_argument(
            "--accept-remaining",
            action="store_true",
            help=_("with confirm: accept every item still awaiting review first"),
        )
        parser.add_argument("--json", action="store_true", help=_("print the plan as JSON"))

    def handle(self, *args: Any, **opts: Any) -> None:
        user, action, ids = named_user(opts["user"]), opts["action"], opts["items"]
        if (action in {"accept", "reject"} and not ids) or (action == "merge" and len(set(ids)) < 2):
            raise CommandError(
                f"{action} 需要条目编号（合并至少两个） / {action} needs item ids (merge: two or more)"
            )
        try:
            plan = (
                get_plan_for(user, opts["plan"])
                if action == "show"
                else get_plan_to_change(user, opts["plan"])
            )
            with acting_as(user=user):
                if action in {"accept", "reject"}:
                    status = "accepted" if action == "accept" else "rejected"
                    for pk in ids:
                        plans.set_task_status(task=get_plan_task(plan, pk), status=status)
                elif action == "merge":
                    kept = plans.merge_tasks(tasks=[get_plan_task(plan, pk) for pk in dict.fromkeys(ids)])
                    self.stdout.write(f"已合并为 #{kept.pk} / merged into #{kept.pk}")
                elif action == "accept-rest":
                    n = plans.accept_rest(plan=plan, user=user)
                    self.stdout.write(f"已接受其余 {n} 项 / accepted the remaining {n} item(s)")
                elif action == "confirm":
                    plans.confirm_plan(plan=plan, user=user, accept_remaining=opts["accept_remaining"])
        except Http404 as exc:
            raise CommandError(
                f"任务分工方案 #{opts['plan']} 或其条目不存在，或您无权查看 / "
                f"plan #{opts['plan']} or an item of it does not exist, or is not yours to see"
            ) from exc
        except (BilingualError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        self._show(Plan.objects.get(pk=plan.pk), as_json=opts["json"])

    def _show(self, plan: Plan, *, as_json: bool) -> None:
        items = list(plan.tasks.filter(parent=None).select_related("lead_unit").order_by("order", "id"))
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "plan": plan.pk,
                        "status": plan.status,
                        "unreviewed": plans.unreviewed(plan),
                        "items": [
                            {
                                "id": t.pk,
                                "kind": t.kind,
                                "status": t.status,
                                "title": t.title,
                                "version": t.version,
                                "lead_unit": t.lead_unit.code if t.lead_unit else None,
                            }
                            for t in items
                        ],
                    },
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        for t in items:
            mark = {"accepted": "✓", "rejected": "✗"}.get(t.status, "?") if t.kind in ACTIONABLE else " "
            self.stdout.write(
                f"{t.pk:>6} {mark} [{t.kind}] {t.title}  → {t.lead_unit.name if t.lead_unit else '—'}"
            )
        self.stdout.write(
            f"方案 #{plan.pk}：{'已确认' if not plan.is_draft else '草案'}，待审核 {plans.unreviewed(plan)} 项 / "
            f"plan #{plan.pk}: {plan.status}, {plans.unreviewed(plan)} item(s) awaiting review"
        )
