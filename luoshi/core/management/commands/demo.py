from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from luoshi.core.demo import load_demo


class Command(BaseCommand):
    help = "Prepare a demo database: the seed decision, demo users (logins printed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="serve on 127.0.0.1:8000 afterwards")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_demo()
        self.stdout.write("luoshi demo ready / 演示数据已就绪")
        for line in summary.lines():
            self.stdout.write("  " + line)
        if opts["serve"]:
            self.stdout.write(f"  open http://127.0.0.1:{opts['port']}/ and log in with an account above")
            call_command("serve", host="127.0.0.1", port=opts["port"], no_migrate=True)
