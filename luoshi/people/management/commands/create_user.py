from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.accounts.models import Role
from luoshi.core.management.base import LuoshiCommand, _
from luoshi.people.services import AccountError, create_user
from luoshi.units.cli import find_unit


class Command(LuoshiCommand):
    help = _("Create a user with a role and, for liaisons and unit heads, a unit.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", help=_("unit code (or name) from the unit table"))
        parser.add_argument("--catalog", help=_("the catalog the unit code belongs to, e.g. inner-mongolia"))
        parser.add_argument("--display-name", default="", help=_("the person's full name"))
        parser.add_argument(
            "--password-stdin", action="store_true", help=_("read the password from the first line of stdin")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = find_unit(opts["unit"], catalog=opts["catalog"]) if opts["unit"] else None
        password = self._password(opts["password_stdin"])
        try:
            user = create_user(
                username=opts["username"],
                password=password,
                role=opts["role"],
                unit=unit,
                display_name=opts["display_name"],
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        where = f" · {unit.name}" if unit else ""
        self.stdout.write(f"用户已创建 / user created: {user.get_username()} ({opts['role']}{where})")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CommandError(
                "没有终端，请用 --password-stdin / No terminal to ask on; use --password-stdin."
            )
        first = getpass.getpass("密码 / Password: ")
        if first != getpass.getpass("再次输入 / Password (again): "):
            raise CommandError("两次输入的密码不一致 / The passwords do not match.")
        return first
