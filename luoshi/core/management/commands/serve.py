from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve luoshi with a production WSGI server (waitress), static files included."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")

    def handle(self, *args: Any, **opts: Any) -> None:
        from waitress import serve

        from luoshi.wsgi import application

        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"luoshi serving on http://{opts['host']}:{opts['port']}/ (Ctrl+C to stop)")
        serve(application, host=opts["host"], port=opts["port"], threads=opts["threads"], ident="luoshi")
