"""luoshi instruction issue|list|respond|approve|cite: leaders' instructions (领导批示) from the command line,
through the same services as the pages and the API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.http import Http404
from django.utils import timezone

from luoshi.bulletins.models import Bulletin
from luoshi.core.management.base import LuoshiCommand, _, date_arg
from luoshi.instructions import access
from luoshi.instructions.models import Handling, Instruction
from luoshi.instructions.services import (
    STATES,
    approve_response,
    cite_in_bulletin,
    in_state,
    instruction_state,
    issue_instruction,
    respond_to_instruction,
    with_handlings,
)
from luoshi.instructions.words import owner_words, subject_words
from luoshi.lib.errors import BilingualError
from luoshi.reports.models import Report
from luoshi.tasks.models import Task
from luoshi.units.cli import find_unit


def user_arg(name: str) -> Any:
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise CommandError(f"没有用户“{name}”（或已停用）。 / No active user '{name}'.")
    return user


def _handling(user: Any, pk: int) -> Handling:
    """The handling in the user's scope (the CLI says so instead of a 404)."""
    try:
        return access.get_handling_for(user, pk)
    except Http404:
        raise CommandError(
            f"批示办理事项不存在，或不在您的范围内：#{pk} / No such handling within your scope: #{pk}"
        ) from None


def _found(model: type[Any], pk: int, what_zh: str, what_en: str) -> Any:
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise CommandError(f"{what_zh}不存在：#{pk} / No such {what_en}: #{pk}")
    return found


class Command(LuoshiCommand):
    help = _(
        "Leaders' instructions (领导批示): issue one, list them, answer, approve an answer, cite in bulletins"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="issue|list|respond|approve|cite"
        )
        issue = actions.add_parser("issue", help=_("a leader writes an instruction on one subject"))
        on = issue.add_mutually_exclusive_group(required=True)
        on.add_argument("--task", type=int, help=_("task id"))
        on.add_argument("--unit", help=_("unit code (or name): the unit's work"))
        on.add_argument("--report", type=int, help=_("report id"))
        on.add_argument("--bulletin", help=_("issued bulletin: its number (2024年第1期) or id"))
        issue.add_argument("--catalog", help=_("the catalog of the unit code when several have it"))
        issue.add_argument("--text", required=True, help=_("the instruction"))
        issue.add_argument(
            "--due", help=_("answer by YYYY-MM-DD (default: LUOSHI_INSTRUCTION_DUE_DAYS from today)")
        )
        issue.add_argument(
            "--owner",
            action="append",
            default=[],
            help=_("for a bulletin: a unit code to handle it (repeatable; none: the office)"),
        )
        issue.add_argument("--user", required=True, help=_("the leader's user name"))
        listing = actions.add_parser("list", help=_("the instructions a user sees, with their state"))
        listing.add_argument(
            "--user", required=True, help=_("whose view (a leader, the office, a unit's liaison)")
        )
        listing.add_argument("--state", choices=["open", "overdue", "done"], help=_("keep one state"))
        listing.add_argument("--json", action="store_true", help=_("print JSON instead of lines"))
        respond = actions.add_parser(
            "respond", help=_("the owner answers (waits for its head when the unit needs it)")
        )
        respond.add_argument("handling", type=int, help=_("handling id (one owner's part of an instruction)"))
        respond.add_argument("--text", required=True, help=_("how it was handled"))
        respond.add_argument("--user", required=True, help=_("the owner's liaison or head"))
        approve = actions.add_parser("approve", help=_("the unit head approves an answer or sends it back"))
        approve.add_argument("handling", type=int, help=_("handling id (one owner's part of an instruction)"))
        decision = approve.add_mutually_exclusive_group(required=True)
        decision.add_argument("--approve", action="store_true", help=_("approve the answer"))
        decision.add_argument(
            "--return", dest="send_back", action="store_true", help=_("send it back (with --comment)")
        )
        approve.add_argument("--comment", default="", help=_("comment (required to send back)"))
        approve.add_argument("--user", required=True, help=_("the unit head"))
        cite = actions.add_parser("cite", help=_("the office chooses whether bulletins cite an instruction"))
        cite.add_argument("instruction", type=int, help=_("instruction id"))
        cite.add_argument("state", choices=["on", "off"])
        cite.add_argument("--user", required=True, help=_("an office or admin account"))

    def handle(self, *args: Any, **opts: Any) -> None:
        user = user_arg(opts["user"])
        try:
            getattr(self, f"_{opts['action']}")(user, opts)
        except (BilingualError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc

    def _issue(self, user: Any, opts: dict[str, Any]) -> None:
        subject: dict[str, Any]
        if opts["task"] is not None:
            subject = {"task": _found(Task, opts["task"], "任务", "task")}
        elif opts["report"] is not None:
            subject = {"report": _found(Report, opts["report"], "报告", "report")}
        elif opts["unit"]:
            subject = {"unit": find_unit(opts["unit"], catalog=opts["catalog"])}
        else:
            key = opts["bulletin"]
            found = Bulletin.objects.defer("data", "docx").filter(number=key).first() or (
                Bulletin.objects.defer("data", "docx").filter(pk=int(key)).first() if key.isdigit() else None
            )
            if found is None:
                raise CommandError(f"没有期号或编号为“{key}”的通报。 / No issued bulletin '{key}'.")
            subject = {"bulletin": found}
        due = date_arg(opts["due"]) or timezone.localdate() + dt.timedelta(days=settings.INSTRUCTION_DUE_DAYS)
        owners = [find_unit(code, catalog=opts["catalog"]) for code in opts["owner"]]
        created = issue_instruction(leader=user, text=opts["text"], due_date=due, units=owners, **subject)
        self.stdout.write(
            f"{created.pk}\t{created.due_date}\t"
            + "、".join(owner_words(h.unit)[0] for h in created.handlings.select_related("unit"))
        )

    def _list(self, user: Any, opts: dict[str, Any]) -> None:
        today = timezone.localdate()
        found = in_state(access.visible_instructions(user), opts["state"] or "", today=today)
        rows: list[dict[str, Any]] = []
        for i in with_handlings(found).order_by("-created_at", "-pk"):
            rows.append(
                {
                    "id": i.pk,
                    "subject": i.subject,
                    "on": subject_words(i)[0],
                    "text": i.text,
                    "leader": i.leader.get_username(),
                    "created": i.created_at.date().isoformat(),
                    "due_date": i.due_date.isoformat(),
                    "state": instruction_state(i, today=today),
                    "in_bulletin": i.in_bulletin,
                    "handlings": [
                        {
                            "id": h.pk,
                            "owner": owner_words(h.unit)[0],
                            "state": h.state,
                            "response": h.response,
                        }
                        for h in i.handlings.all()
                        if access.sees_handling(user, h)
                    ],
                }
            )
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            owners = "；".join(
                f"{h['id']} {h['owner']} {Handling.State(h['state']).label}" for h in row["handlings"]
            )
            self.stdout.write(
                f"{row['id']}\t{row['due_date']}\t{STATES[row['state']]}\t{row['on']}\t{owners}"
            )

    def _respond(self, user: Any, opts: dict[str, Any]) -> None:
        handling = _handling(user, opts["handling"])
        done = respond_to_instruction(handling=handling, user=user, text=opts["text"])
        self.stdout.write(f"{done.pk}\t{done.state}")

    def _approve(self, user: Any, opts: dict[str, Any]) -> None:
        handling = _handling(user, opts["handling"])
        done = approve_response(
            handling=handling, user=user, approve=bool(opts["approve"]), comment=opts["comment"]
        )
        self.stdout.write(f"{done.pk}\t{done.state}")

    def _cite(self, user: Any, opts: dict[str, Any]) -> None:
        instruction = _found(Instruction, opts["instruction"], "批示", "instruction")
        done = cite_in_bulletin(instruction=instruction, user=user, cited=opts["state"] == "on")
        self.stdout.write(f"{done.pk}\t{'on' if done.in_bulletin else 'off'}")
