from __future__ import annotations

from typing import Any

from luoshi import conf
from luoshi.core.management.base import LuoshiCommand, _


class Command(LuoshiCommand):
    help = _("List luoshi's settings: environment variable, current value, default and help.")

    def handle(self, *args: Any, **opts: Any) -> None:
        for s in conf.SETTINGS:
            value = s.raw()
            if s.name == "LUOSHI_SECRET_KEY":
                value = "(default, insecure)" if value == conf.DEFAULT_SECRET_KEY else "(set)"
            elif s.secret:
                value = "(set)" if value else "(empty)"
            self.stdout.write(f"{s.name}={value}")
            self.stdout.write(f"    default: {s.default!r}")
            self.stdout.write(f"    {s.help}")
