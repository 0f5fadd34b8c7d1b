from __future__ import annotations

import os
from typing import Any

from django.conf import settings

from luoshi import conf
from luoshi.core.management.base import LuoshiCommand, _

KEY_SOURCES = {
    "env": "(set in the environment)",
    "file": "(read from {file})",
    "default": "(debug default, insecure)",
    "missing": "(missing: run `luoshi init`)",
}


class Command(LuoshiCommand):
    help = _("List luoshi's settings: environment variable, current value, default and help.")

    def handle(self, *args: Any, **opts: Any) -> None:
        from_file = conf.file_values()
        for s in conf.SETTINGS:
            value = s.raw()
            if s.name == "LUOSHI_SECRET_KEY":
                value = KEY_SOURCES[settings.SECRET_KEY_SOURCE].format(file=conf.secret_key_file())
            elif s.secret:
                value = "(set)" if value else "(empty)"
            origin = (
                f"  # from {conf.settings_file()}" if s.name not in os.environ and s.name in from_file else ""
            )
            self.stdout.write(f"{s.name}={value}{origin}")
            self.stdout.write(f"    default: {s.default!r}")
            self.stdout.write(f"    {s.help}")
