from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.periods import as_of_warning, default_as_of, parse_period
from luoshi.bulletins.query import LEVELS
from luoshi.bulletins.services import (
    FORMATS,
    bulletin_data,
    issue_bulletin,
    masthead,
    pdf_unavailable,
    render,
    render_issued,
)
from luoshi.core.management.base import LuoshiCommand, _, date_arg
from luoshi.documents.models import Document


def output_path(raw: str) -> Path:
    """The output file, refused (bilingually) when its folder does not exist."""
    path = Path(raw)
    if not path.parent.is_dir():
        raise CommandError(f"输出目录不存在：{path.parent} / The output folder does not exist: {path.parent}")
    return path


def document_arg(raw: int | None) -> Document | None:
    if raw is None:
        return None
    found = Document.objects.filter(pk=raw).first()
    if found is None:
        raise CommandError(f"文件不存在：#{raw} / No such document: #{raw}")
    return found


class Command(LuoshiCommand):
    help = _(
        "Write the inspection bulletin (检查通报) of a period as DOCX, HTML, XLSX or PDF; "
        "with --issue, number and store it first (immutable)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help=_("2024-Q1, 2024-03, 2024-H1 or 2024"))
        parser.add_argument("--document", type=int, help=_("decision document id (default: all decisions)"))
        parser.add_argument("--level", choices=sorted(LEVELS), help=_("only units of this level"))
        parser.add_argument("--as-of", help=_("YYYY-MM-DD (default: the period's last day)"))
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="docx",
            help=_("docx (default), html, xlsx, or pdf (needs the pdf extra and a CJK font)"),
        )
        parser.add_argument("-o", "--output", required=True, help=_("file to write"))
        parser.add_argument("--issue", action="store_true", help=_("issue it: number, store, never change"))
        parser.add_argument("--user", default="", help=_("issuing user name (required with --issue)"))
        parser.add_argument("--title", help=_("title (default: generated)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path = output_path(opts["output"])
        document = document_arg(opts["document"])
        as_of = date_arg(opts["as_of"])
        if opts["format"] == "pdf" and (missing := pdf_unavailable()) is not None:
            # Before anything else, so that --issue never stores a bulletin it then cannot write.
            raise CommandError(str(missing))
        today = timezone.localdate()
        try:
            span = parse_period(opts["period"])
            if as_of is None:
                as_of = default_as_of(span, today=today)
            warning = as_of_warning(span, as_of=as_of, today=today)
            if warning is not None:
                self.stderr.write(f"注意 / Note: {warning[0]} / {warning[1]}")
            self.stderr.write(f"截至 / as of {as_of.isoformat()}")
            if opts["issue"]:
                user = (
                    get_user_model().objects.filter(username=opts["user"]).first() if opts["user"] else None
                )
                if user is None:
                    raise CommandError(
                        "印发通报须用 --user 指定督查室用户。 / --issue needs --user NAME "
                        "of a supervision office account."
                    )
                bulletin = issue_bulletin(
                    period=opts["period"],
                    document=document,
                    level=opts["level"],
                    user=user,
                    title=opts["title"],
                    as_of=as_of,
                )
                content = render_issued(bulletin=bulletin, fmt=opts["format"])
                self.stderr.write(f"issued {bulletin.number} (version {bulletin.version})")
            else:
                data = bulletin_data(
                    period=opts["period"], document=document, level=opts["level"], as_of=as_of
                )
                content = render(data, fmt=opts["format"], head=masthead(data, title=opts["title"]))
        except BulletinError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(content)
        self.stdout.write(str(path))
