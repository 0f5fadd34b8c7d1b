from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.reports.services import refresh_states


class Command(LuoshiCommand):
    help = _("Record which reports are due and which are missing as of today (idempotent).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help=_("YYYY-MM-DD (default: today)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            today = dt.date.fromisoformat(opts["today"]) if opts["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{opts['today']} / Date must be YYYY-MM-DD") from exc
        self.stdout.write(json.dumps(refresh_states(today=today)))
