from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from luoshi.audit.services import search
from luoshi.core.management.base import LuoshiCommand, _, date_arg


class Command(LuoshiCommand):
    help = _("Search the audit trail (supervisors and administrators).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as", dest="username", required=True, help=_("the supervisor running the search")
        )
        parser.add_argument("--text", help=_("words in the object, the note or the actor"))
        parser.add_argument(
            "--action", help=_("create, update, transition, override, approve, export, import…")
        )
        parser.add_argument("--object-type", help=_("e.g. tasks.task, reports.report"))
        parser.add_argument("--from", dest="date_from", help=_("YYYY-MM-DD"))
        parser.add_argument("--to", dest="date_to", help=_("YYYY-MM-DD"))
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{opts['username']} / No such user: {opts['username']}")
        try:
            entries = search(
                user=user,
                text=opts["text"],
                action=opts["action"],
                object_type=opts["object_type"],
                date_from=date_arg(opts["date_from"], flag="--from"),
                date_to=date_arg(opts["date_to"], flag="--to"),
            )[: opts["limit"]]
        except PermissionDenied as exc:
            raise CommandError(f"无权查询审计记录 / Not allowed to search the audit trail: {exc}") from exc
        rows = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor_label,
                "ip": e.ip,
                "action": e.action,
                "object": f"{e.object_type}#{e.object_id}",
                "repr": e.object_repr,
                "changes": e.changes,
                "note": e.note,
            }
            for e in entries
        ]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in rows:
            self.stdout.write(f"{r['at']}  {r['actor']:<12} {r['action']:<10} {r['object']:<24} {r['repr']}")
