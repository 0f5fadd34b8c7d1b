from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.lib.errors import BilingualError
from luoshi.people.units import set_head_approval
from luoshi.units.models import Unit


class Command(LuoshiCommand):
    help = _("Switch the unit head's approval of reports on or off for a unit")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", help=_("unit code"))
        parser.add_argument("state", choices=["on", "off"])
        parser.add_argument(
            "--catalog", default="", help=_("the unit's catalog (when the code is not unique)")
        )
        parser.add_argument(
            "--user", required=True, help=_("who makes the change (an office or admin account)")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        units = Unit.objects.filter(code=opts["unit"])
        if opts["catalog"]:
            units = units.filter(catalog=opts["catalog"])
        found = list(units[:2])
        if len(found) != 1:
            raise CommandError(
                f"找不到唯一的单位“{opts['unit']}”（可用 --catalog 指定）。 / "
                f"No single unit with code {opts['unit']!r} (use --catalog)."
            )
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"没有用户 {opts['user']}。 / No user {opts['user']!r}.")
        try:
            unit = set_head_approval(actor=user, unit=found[0], required=opts["state"] == "on")
        except (BilingualError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{unit.name}: 单位负责人审核 {'开启' if unit.requires_head_approval else '关闭'} / "
            f"head approval {'on' if unit.requires_head_approval else 'off'}"
        )
