from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.management.commands.bulletin import output_path
from luoshi.bulletins.services import (
    UrgingNoticeData,
    render_urging_notice,
    urging_for_assignment,
    urging_for_unit,
)
from luoshi.core.management.base import LuoshiCommand, _, date_arg
from luoshi.tasks.models import Assignment
from luoshi.units.cli import find_unit


class Command(LuoshiCommand):
    help = _(
        "Write an urging notice (催办单) as DOCX: everything overdue for one unit, or for one assignment, "
        "as of a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--unit", help=_("unit code (or name), e.g. ethnic-affairs: all its overdue assignments")
        )
        which.add_argument("--assignment", type=int, help=_("assignment id: that assignment only"))
        parser.add_argument("--catalog", help=_("the catalog of the unit code when several have it"))
        parser.add_argument("--as-of", help=_("YYYY-MM-DD (default: today)"))
        parser.add_argument(
            "--number",
            default="",
            help=_("document number printed under the title, e.g. 督催〔2026〕3号 (default: none)"),
        )
        parser.add_argument(
            "--respond-days",
            type=int,
            default=None,
            help=_("days the unit has to respond (default: LUOSHI_URGING_RESPONSE_DAYS)"),
        )
        parser.add_argument("-o", "--output", required=True, help=_("file to write (.docx)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path = writable(output_path(opts["output"]))
        as_of = date_arg(opts["as_of"]) or timezone.localdate()
        respond_days = settings.URGING_RESPONSE_DAYS if opts["respond_days"] is None else opts["respond_days"]
        if respond_days < 0:
            raise CommandError(
                f"回复天数不能为负数：{respond_days} / --respond-days must not be negative: {respond_days}"
            )
        number = opts["number"].strip()
        try:
            if opts["unit"]:
                unit = find_unit(opts["unit"], catalog=opts["catalog"])
                data = urging_for_unit(unit=unit, as_of=as_of, response_days=respond_days, number=number)
            else:
                data = urging_for_assignment(
                    assignment=assignment_arg(opts["assignment"]),
                    as_of=as_of,
                    response_days=respond_days,
                    number=number,
                )
        except BulletinError as exc:  # nothing overdue
            raise CommandError(str(exc)) from exc
        write_atomically(path, render_urging_notice(data))
        self.stderr.write(summary(data))
        self.stdout.write(str(path))


def assignment_arg(pk: int) -> Assignment:
    found = Assignment.objects.select_related("task", "unit").filter(pk=pk).first()
    if found is None:
        raise CommandError(f"任务分工不存在：#{pk} / No such assignment: #{pk}")
    return found


def writable(path: Path) -> Path:
    """Refuse (bilingually) an output that cannot be written, before anything is computed."""
    if path.is_dir():
        raise CommandError(f"输出路径是一个目录：{path} / The output is a folder: {path}")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"无法写入输出文件：{path} / Cannot write the output file: {path}")
    return path


def write_atomically(path: Path, content: bytes) -> None:
    """Write through a temporary file in the same folder, so a failed write leaves nothing behind.

    The file gets the mode a plain write would give it (the old file's, else 0666 less the umask).
    """
    umask = os.umask(0)
    os.umask(umask)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as out:
            tmp = Path(out.name)
            out.write(content)
        tmp.chmod(mode)
        tmp.replace(path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise CommandError(
            f"无法写入输出文件：{path}（{exc.strerror}） / Cannot write the output file: {path} "
            f"({exc.strerror})"
        ) from exc


def summary(data: UrgingNoticeData) -> str:
    number = f"{data.number} " if data.number else ""
    return (
        f"{number}{data.unit}: {len(data.items)} overdue, the oldest since {data.since.isoformat()} "
        f"({data.days_overdue} days), respond by {data.response_date.isoformat()}"
    )
