from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from luoshi.core import startup
from luoshi.core.management.base import LuoshiCommand, _
from luoshi.site import server


class Command(LuoshiCommand):
    help = _("Serve luoshi with a production WSGI server (waitress), static files included.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help=_("address to listen on (0.0.0.0: every interface)")
        )
        parser.add_argument("--port", type=int, default=8000, help=_("port to listen on (default 8000)"))
        parser.add_argument("--threads", type=int, default=8, help=_("worker threads (default 8)"))
        parser.add_argument("--no-migrate", action="store_true", help=_("do not apply migrations first"))

    def handle(self, *args: Any, **opts: Any) -> None:
        startup.server_checks()
        sock = startup.open_listener(opts["host"], opts["port"])
        try:
            if opts["no_migrate"]:
                startup.check_migrated()
            else:
                call_command("migrate", interactive=False, verbosity=0)
        except BaseException:
            sock.close()
            raise
        self.stdout.write(f"luoshi serving on http://{opts['host']}:{opts['port']}/ (Ctrl+C to stop)")
        self.stdout.flush()
        server.run(sock, threads=opts["threads"])
