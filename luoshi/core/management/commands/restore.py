from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import translation
from django.utils.translation import gettext

from luoshi.core.backup import check_backup, restore_backup
from luoshi.core.management.base import LuoshiCommand, _, cli_language


class Command(LuoshiCommand):
    help = _(
        "Restore a backup into the configured database and data dir: every hash is checked first; "
        "refused onto a non-empty database unless --force. Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the archive written by `luoshi backup`"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("replace the data already in the target database and data dir"),
        )
        parser.add_argument(
            "--check", action="store_true", help=_("only verify the archive (hashes, schema); change nothing")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override(cli_language()):
            if opts["check"]:
                manifest = check_backup(Path(opts["file"]))
                self.stdout.write(
                    gettext(
                        "The backup is intact: %(files)d members match the manifest "
                        "(luoshi %(version)s, %(created)s)."
                    )
                    % {
                        "files": len(manifest["files"]),
                        "version": manifest["luoshi_version"],
                        "created": manifest["created_at"],
                    }
                )
                return
            result = restore_backup(Path(opts["file"]), force=opts["force"])
            self.stdout.write(
                gettext(
                    "Restored the backup of %(created)s (luoshi %(version)s): database and "
                    "%(files)d stored files; the database is migrated to this version."
                )
                % {
                    "created": result.manifest["created_at"],
                    "version": result.manifest["luoshi_version"],
                    "files": result.files,
                }
            )
            if result.restored_key:
                self.stdout.write(gettext("The secret key in the backup was restored too."))
