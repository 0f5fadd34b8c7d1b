from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.catalogs.catalog import CatalogError
from luoshi.core.management.base import LuoshiCommand, _
from luoshi.units.services import load_units


class Command(LuoshiCommand):
    help = _(
        "Load a unit catalog (inner-mongolia, state-council, or a .yaml/.csv path) into the unit table; "
        "run again to refresh it, leagues/cities and counties from the installed division data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("catalog")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = load_units(catalog=opts["catalog"])
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        line = f"单位已载入 / units loaded: {report.created} new, {report.updated} updated"
        if report.deactivated:
            line += f", {report.deactivated} no longer in the division data (deactivated)"
        self.stdout.write(line)
