from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.documents.services import IngestError, document_json, ingest_document


class Command(LuoshiCommand):
    help = _("Read a decision document (.txt/.docx/.pdf) into luoshi.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--title", default="")
        parser.add_argument("--json", action="store_true", help=_("print the structure as one JSON object"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror} / Cannot read {path}: {exc.strerror}") from exc
        try:
            outcome = ingest_document(data=data, filename=path.name, title=opts["title"])
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        doc = outcome.document
        if opts["json"]:
            payload = document_json(doc)
            payload["created"] = outcome.created
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        verb = "已导入 / ingested" if outcome.created else "已存在，未重复导入 / already stored, not duplicated"
        self.stdout.write(f"{verb}: #{doc.pk} {doc.title}")
        self.stdout.write(f"  编码 encoding: {doc.encoding}; 章节 sections: {doc.sections.count()}; "
                          f"问题 findings: {doc.findings.count()}")
        for f in doc.findings.all():
            self.stdout.write(f"  - [{f.kind}] {f.message}")
