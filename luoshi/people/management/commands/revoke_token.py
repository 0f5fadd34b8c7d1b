from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.accounts.models import ApiToken
from luoshi.core.management.base import LuoshiCommand, _
from luoshi.people.services import revoke_token


class Command(LuoshiCommand):
    help = _("Revoke a user's live API token by its name.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name")

    def handle(self, *args: Any, **opts: Any) -> None:
        token = ApiToken.objects.filter(
            user__username=opts["username"], name=opts["name"], revoked_at=None
        ).first()
        if token is None:
            raise CommandError(
                f"“{opts['username']}”没有名为“{opts['name']}”的有效令牌 / "
                f"'{opts['username']}' has no live token named '{opts['name']}'."
            )
        revoke_token(token=token)
        self.stdout.write(f"令牌已吊销 / token revoked: {opts['name']} ({opts['username']})")
