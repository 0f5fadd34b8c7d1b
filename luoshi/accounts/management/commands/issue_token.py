from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from luoshi.accounts.services import AccountError, issue_token
from luoshi.core.management.base import LuoshiCommand, _


class Command(LuoshiCommand):
    help = _("Issue an API token for a user and print it once (only its SHA-256 is stored).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help=_("what the token is for, e.g. the integrating system"))

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist:
            raise CommandError(f"没有用户“{opts['username']}” / No user '{opts['username']}'.") from None
        try:
            raw = issue_token(user=user, name=opts["name"])
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write("令牌只显示这一次，请妥善保存 / The token is shown only this once; keep it safe:")
        self.stdout.write(raw)
