from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.accounts.predicates import access_table_markdown, with_access_table
from luoshi.core.management.base import LuoshiCommand, _


class Command(LuoshiCommand):
    help = _(
        "Print the table of every access predicate (who may do what); --write DOC puts it between "
        "the access-table markers of DOC (docs/administration.md), --check DOC fails when DOC differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", metavar="DOC", help=_("rewrite the generated section of DOC"))
        group.add_argument(
            "--check", metavar="DOC", help=_("exit with an error when DOC's section is not current")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = opts["write"] or opts["check"]
        if path is None:
            self.stdout.write(access_table_markdown(), ending="")
            return
        doc = Path(path)
        try:
            current = doc.read_text(encoding="utf-8")
            wanted = with_access_table(current)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{doc}: {exc}") from exc
        if opts["check"]:
            if wanted != current:
                raise CommandError(
                    f"{doc} 的权限表不是最新的 / {doc}'s access table is not current: "
                    f"run `luoshi access_table --write {doc}`"
                )
            self.stdout.write(f"权限表是最新的 / access table current: {doc}")
            return
        doc.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"已写入 / written: {doc}")
