from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.catalogs.catalog import CatalogError, load_catalog
from luoshi.core.management.base import LuoshiCommand, _, read_file
from luoshi.decomposition.services import decompose_document, propose_plan
from luoshi.documents.models import Document
from luoshi.documents.services import IngestError, ingest_document


class Command(LuoshiCommand):
    help = _("Propose the task division (任务分工) of a document: by id, or a file to ingest first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("document", help=_("a stored document id, or a .txt/.docx/.pdf path"))
        parser.add_argument(
            "--catalog",
            default="inner-mongolia",
            help=_("inner-mongolia, state-council, or a catalog file path"),
        )
        parser.add_argument("--json", action="store_true", help=_("print tasks and coverage as JSON"))
        parser.add_argument("--save", action="store_true", help=_("store the proposal as a draft plan"))

    def handle(self, *args: Any, **opts: Any) -> None:
        document = self._document(opts["document"])
        try:
            catalog = load_catalog(opts["catalog"])
        except (CatalogError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if opts["save"]:
            outcome = propose_plan(document=document, catalog_name=opts["catalog"])
            result, plan_id = outcome.decomposition, outcome.plan.pk
        else:
            result, plan_id = decompose_document(document=document, catalog=catalog), None
        if opts["json"]:
            payload = {"document": document.pk, "catalog": catalog.name, "plan": plan_id, **result.to_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        overall = result.coverage["overall"]
        for t in result.tasks:
            if t.kind in {"task", "recurring"}:
                lead = t.lead_suggestions[0]["unit"] if t.lead_suggestions else "—"
                self.stdout.write(f"{t.id:>5} [{t.kind}] {t.title}  → {lead}")
        self.stdout.write(
            f"覆盖率 coverage: {overall['covered']}/{overall['actionable']} = {overall['ratio']:.0%}"
        )
        if plan_id:
            self.stdout.write(f"草案已保存 / draft plan saved: #{plan_id}")

    def _document(self, ref: str) -> Document:
        if ref.isdigit():
            doc = Document.objects.filter(pk=int(ref)).first()
            if doc is None:
                raise CommandError(f"文件 #{ref} 不存在 / document #{ref} does not exist")
            return doc
        path = Path(ref)
        data = read_file(path)
        try:
            return ingest_document(data=data, filename=path.name).document
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
