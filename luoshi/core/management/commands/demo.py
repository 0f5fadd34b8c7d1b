from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.core.demo import load_demo


class Command(BaseCommand):
    help = "Prepare a demo database: the seed decision, demo users (logins printed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="serve on 127.0.0.1:8000 afterwards")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--region", action="store_true",
                            help="build a whole generated region instead (an empty database; see docs/web.md)")
        parser.add_argument("--scale", type=float, default=1.0, help="with --region: 0.1, 1 (220 units) or 3")
        parser.add_argument("--seed", type=int, default=12, help="with --region: the random seed")

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if opts["region"]:
            self._region(opts)
            return
        summary = load_demo()
        self.stdout.write("luoshi demo ready / 演示数据已就绪")
        for line in summary.lines():
            self.stdout.write("  " + line)
        if opts["serve"]:
            self.stdout.write(f"  open http://127.0.0.1:{opts['port']}/ and log in with an account above")
            call_command("serve", host="127.0.0.1", port=opts["port"], no_migrate=True)

    def _region(self, opts: dict[str, Any]) -> None:
        from luoshi.core.region import RegionError, build_region

        try:
            summary = build_region(scale=opts["scale"], seed=opts["seed"], echo=self.stdout.write)
        except RegionError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from None
        self.stdout.write("luoshi region ready / 区域数据已就绪")
        for line in summary.lines():
            self.stdout.write("  " + line)
        self.stdout.write("  logins: r-supervisor1, r-leader1, r-admin, r-liaison-<unit code> / luoshi-region-2026")
