from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from luoshi.core import startup
from luoshi.core.management.base import LuoshiCommand, _, cli_language, date_arg
from luoshi.site import server
from luoshi.site.demo import load_demo


def cli_hints() -> list[str]:
    """How to reach the `luoshi` command and this demo's data from the shell, when it is not obvious."""
    hints = []
    bin_dir = Path(sys.executable).parent
    found = shutil.which("luoshi")
    if found is None or Path(found).parent.resolve() != bin_dir.resolve():
        activate = os.path.relpath(bin_dir / "activate")
        hints.append(
            gettext("The luoshi command: run `. %(activate)s` once in this shell, then `luoshi --help`.")
            % {"activate": activate}
        )
    data_dir = Path(settings.DATA_DIR)
    if data_dir != (Path.cwd() / "var").resolve():
        hints.append(
            gettext(
                "This demo's data is in %(dir)s: `export LUOSHI_DATA_DIR=%(dir)s` to use it from the CLI."
            )
            % {"dir": data_dir}
        )
    return hints


class Command(LuoshiCommand):
    help = _("Prepare a demo database: the seed decision, demo users (logins printed).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help=_("serve on 127.0.0.1:8000 afterwards"))
        parser.add_argument(
            "--port", type=int, default=8000, help=_("port to serve on with --serve (default 8000)")
        )
        parser.add_argument(
            "--region",
            action="store_true",
            help=_("build a whole generated region instead (an empty database; see docs/web.md)"),
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help=_("with --region: 0.1, 1 (220 units) or 3")
        )
        parser.add_argument("--seed", type=int, default=12, help=_("with --region: the random seed"))
        parser.add_argument("--today", help=_("YYYY-MM-DD (default: today)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["region"]:
            call_command("migrate", interactive=False, verbosity=0)
            self._region(opts)
            return
        sock = None
        if opts["serve"]:  # refuse a busy port before loading anything or printing "serving"
            startup.server_checks()
            sock = startup.open_listener("127.0.0.1", opts["port"])
        try:
            call_command("migrate", interactive=False, verbosity=0)
            summary = load_demo()
        except BaseException:
            if sock is not None:
                sock.close()
            raise
        self.stdout.write("luoshi demo ready / 演示数据已就绪")
        for line in summary.lines():
            self.stdout.write("  " + line)
        with translation.override(cli_language()):
            for hint in cli_hints():
                self.stdout.write("  " + hint)
        if sock is not None:
            self.stdout.write(f"  open http://127.0.0.1:{opts['port']}/ and log in with an account above")
            self.stdout.write(f"luoshi serving on http://127.0.0.1:{opts['port']}/ (Ctrl+C to stop)")
            self.stdout.flush()
            server.run(sock, threads=8)

    def _region(self, opts: dict[str, Any]) -> None:
        from luoshi.site.region import RegionError, build_region

        today = date_arg(opts["today"], flag="--today")
        try:
            summary = build_region(
                scale=opts["scale"], seed=opts["seed"], today=today, echo=self.stdout.write
            )
        except RegionError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from None
        self.stdout.write("luoshi region ready / 区域数据已就绪")
        for line in summary.lines():
            self.stdout.write("  " + line)
        self.stdout.write(
            "  logins: r-supervisor1, r-leader1, r-admin, r-liaison-<unit code> / luoshi-region-2026"
        )
