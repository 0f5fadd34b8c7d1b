from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.people.services import unlock_account


class Command(LuoshiCommand):
    help = _("Lift the login lockout of an account after too many failed logins (all its addresses).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"没有用户“{opts['username']}” / No user '{opts['username']}'.")
        removed = unlock_account(actor=None, user=user)
        if removed:
            self.stdout.write(f"已解除锁定 / unlocked: {user.get_username()}")
        else:
            self.stdout.write(f"未被锁定 / not locked: {user.get_username()}")
