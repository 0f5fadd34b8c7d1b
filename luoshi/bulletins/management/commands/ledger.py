from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from luoshi.bulletins.management.commands.bulletin import document_arg, output_path
from luoshi.bulletins.services import render_ledger
from luoshi.core.management.base import LuoshiCommand, _, date_arg


class Command(LuoshiCommand):
    help = _("Write the ledger (台账) as an Excel workbook: one row per assignment, rated as of a date.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--document", type=int, help=_("decision document id (default: all decisions)"))
        parser.add_argument("--as-of", help=_("YYYY-MM-DD (default: today)"))
        parser.add_argument("--per-unit", action="store_true", help=_("add one sheet per unit"))
        parser.add_argument("-o", "--output", required=True, help=_("file to write (.xlsx)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path = output_path(opts["output"])
        document = document_arg(opts["document"])
        as_of = date_arg(opts["as_of"]) or timezone.localdate()
        path.write_bytes(render_ledger(document=document, as_of=as_of, per_unit_sheets=opts["per_unit"]))
        self.stdout.write(str(path))
