from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from luoshi.core.management.base import LuoshiCommand, _, date_arg
from luoshi.reports.services import refresh_states


class Command(LuoshiCommand):
    help = _("Record which reports are due and which are missing as of today (idempotent).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help=_("YYYY-MM-DD (default: today)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        today = date_arg(opts["today"], flag="--today") or timezone.localdate()
        self.stdout.write(json.dumps(refresh_states(today=today)))
