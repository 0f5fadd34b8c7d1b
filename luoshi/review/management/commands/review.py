"""``luoshi review check PATH [--governing DOC_ID ...] [--json]``: the first pass, storing nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _, date_arg, read_file
from luoshi.documents.models import Document
from luoshi.documents.readers import IngestError
from luoshi.review.checks import DOC_KINDS, Meta
from luoshi.review.stored import check, read_draft


class Command(LuoshiCommand):
    help = _(
        "Pre-review and filing review: `review check PATH` runs the first pass on a draft and stores nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="check")
        run = sub.add_parser(
            "check", help=str(_("check a draft (.txt/.docx/.pdf) against the stored decisions"))
        )
        run.add_argument("path", help=_("the draft's file"))
        run.add_argument(
            "--governing",
            nargs="+",
            action="extend",
            type=int,
            default=[],
            metavar="DOC_ID",
            help=_("stored decisions the draft implements (default: align with every stored decision)"),
        )
        run.add_argument("--json", action="store_true", help=_("print the findings as JSON"))
        run.add_argument(
            "--kind",
            choices=DOC_KINDS,
            default="",
            help=_(
                "kind of document: regulation, normative, policy or plan (dates are checked for the first two)"
            ),
        )
        run.add_argument(
            "--published",
            type=date_arg,
            help=_("publication date, YYYY-MM-DD (default: the draft's date line)"),
        )
        run.add_argument(
            "--effective",
            type=date_arg,
            help=_("effective date, YYYY-MM-DD (default: the draft's own words)"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        data = read_file(path)
        governing: list[int] = list(dict.fromkeys(opts["governing"]))
        missing = sorted(
            set(governing) - set(Document.objects.filter(pk__in=governing).values_list("pk", flat=True))
        )
        if missing:
            ids = ", ".join(f"#{m}" for m in missing)
            raise CommandError(
                f"没有这些已存文件：{ids}（用 luoshi ingest 先存入决定）/ "
                f"No stored document {ids} (store the decision with luoshi ingest first)"
            )
        if not governing and not Document.objects.exists():
            raise CommandError(
                "还没有存入任何决定，无可比对（用 luoshi ingest 先存入）/ "
                "No decision is stored to align with (store one with luoshi ingest first)"
            )
        try:
            read = read_draft(data=data, filename=path.name, max_bytes=settings.MAX_UPLOAD_BYTES)
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        meta = Meta(kind=opts["kind"], published=opts["published"], effective=opts["effective"])
        result = check(draft=read.draft, governing=governing, meta=meta)
        if opts["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
            return
        for f in result.flags:
            self.stdout.write(f"[{f.cls}] {f.start}-{f.end} {f.sentence[:60]}\n    {f.basis}")
        counts = ", ".join(f"{k} {v}" for k, v in result.counts().items() if v)
        self.stdout.write(
            f"发现 {len(result.flags)} 处 / {len(result.flags)} findings" + (f": {counts}" if counts else "")
        )
