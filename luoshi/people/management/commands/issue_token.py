from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from luoshi.accounts.models import TokenScope
from luoshi.core.management.base import LuoshiCommand, _
from luoshi.people.services import AccountError, issue_token


class Command(LuoshiCommand):
    help = _("Issue an API token for a user and print it once (only its SHA-256 is stored).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help=_("what the token is for, e.g. the integrating system"))
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.WRITE,
            help=_("read: GET only; write: may also change data (default)"),
        )
        parser.add_argument(
            "--days", type=int, default=None, help=_("days the token lasts (default LUOSHI_TOKEN_DAYS)")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist:
            raise CommandError(f"没有用户“{opts['username']}” / No user '{opts['username']}'.") from None
        days = settings.TOKEN_DAYS if opts["days"] is None else opts["days"]
        try:
            raw = issue_token(user=user, name=opts["name"], scope=opts["scope"], days=days)
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"令牌只显示这一次，请妥善保存（权限 {opts['scope']}，{days} 天后过期） / "
            f"The token is shown only this once; keep it safe ({opts['scope']}, expires in {days} days):"
        )
        self.stdout.write(raw)
