from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _, read_file
from luoshi.documents.models import Document
from luoshi.documents.services import IngestError, document_json, ingest_document


class Command(LuoshiCommand):
    help = _(
        "Read a decision document (.txt, .docx, .doc, .wps, .pdf, .ofd, or a scan or photo) into luoshi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--as-version-of",
            type=int,
            default=None,
            metavar="ID",
            help=_("store the file as a new version of stored document ID"),
        )
        parser.add_argument(
            "--keep-both",
            action="store_true",
            help=_("store the file beside a same or similar document (needs --title)"),
        )
        parser.add_argument("--json", action="store_true", help=_("print the structure as one JSON object"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        data = read_file(path)
        version_of = None
        if opts["as_version_of"] is not None:
            version_of = Document.objects.filter(pk=opts["as_version_of"]).first()
            if version_of is None:
                raise CommandError(
                    f"没有编号为 {opts['as_version_of']} 的文件 / No document #{opts['as_version_of']}"
                )
        try:
            outcome = ingest_document(
                data=data,
                filename=path.name,
                title=opts["title"],
                version_of=version_of,
                keep_both=opts["keep_both"],
            )
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        doc = outcome.document
        if opts["json"]:
            payload = document_json(doc)
            payload["created"] = outcome.created
            payload["match"] = outcome.match.to_dict() if outcome.match else None
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        if outcome.match is not None:
            m = outcome.match
            words = (
                "内容相同 / identical content"
                if m.same
                else "内容高度相似（修订版？） / highly similar (revised?)"
            )
            self.stdout.write(
                f"未导入 / not stored: {words} #{doc.pk} {doc.title} {doc.date or ''} ({m.similarity:.0%})"
            )
            self.stdout.write(
                f"  --as-version-of {doc.pk}: 作为新版本 / as a new version; "
                "--keep-both --title T: 保留两份 / keep both"
            )
            return
        verb = (
            "已导入 / ingested" if outcome.created else "已存在，未重复导入 / already stored, not duplicated"
        )
        self.stdout.write(f"{verb}: #{doc.pk} {doc.title}")
        self.stdout.write(
            f"  编码 encoding: {doc.encoding}; 章节 sections: {doc.sections.count()}; "
            f"问题 findings: {doc.findings.count()}"
        )
        for f in doc.findings.all():
            self.stdout.write(f"  - [{f.kind}] {f.message}")
