"""``luoshi tick``: the supervision clock (督办), once or in a loop.

Run it from cron every few minutes, or once as a service with ``--loop``.
Each pass is idempotent and may overlap with another process's pass.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.site.tick import run_pass


class Command(LuoshiCommand):
    help = _(
        "Refresh report states, create due reminders, urgings, escalations and warnings, and send pending "
        "notices; --loop repeats until SIGTERM/SIGINT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help=_("repeat until stopped (SIGTERM or Ctrl-C)"))
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help=_("seconds between passes with --loop (default: LUOSHI_TICK_INTERVAL)"),
        )
        parser.add_argument(
            "--json", action="store_true", help=_("print each pass's counts as one JSON object")
        )
        parser.add_argument(
            "--now", help=_("ISO date-time to run as of (testing, catching up); default: now")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["now"] and opts["loop"]:
            raise CommandError("--now 不能与 --loop 同时使用。 / --now cannot be combined with --loop.")
        now = _parse_now(opts["now"]) if opts["now"] else None
        interval = opts["interval"] if opts["interval"] is not None else settings.TICK_INTERVAL
        if interval <= 0:
            raise CommandError("--interval 须大于 0。 / --interval must be positive.")
        stop = threading.Event()
        previous: dict[signal.Signals, Any] = {}
        if opts["loop"]:

            def request_stop(signum: int, frame: FrameType | None) -> None:
                stop.set()

            for stop_signal in (signal.SIGTERM, signal.SIGINT):
                previous[stop_signal] = signal.signal(stop_signal, request_stop)
        try:
            while True:
                result = run_pass(now=now)
                self.stdout.write(
                    json.dumps(result.to_dict(), ensure_ascii=False) if opts["json"] else result.summary()
                )
                self.stdout.flush()
                # A signal only sets the flag: the pass in progress always finishes.
                if not opts["loop"] or stop.wait(interval):
                    break
                if not connection.in_atomic_block:  # (tests run the loop inside a transaction)
                    close_old_connections()  # drop a connection that broke or aged between passes
        finally:
            for stop_signal, handler in previous.items():
                signal.signal(stop_signal, handler)


def _parse_now(raw: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--now 须为 ISO 日期时间：{raw} / --now must be an ISO date-time") from exc
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
