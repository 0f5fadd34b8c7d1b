from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import translation
from django.utils.translation import gettext

from luoshi.core.backup import create_backup
from luoshi.core.management.base import LuoshiCommand, _, cli_language


class Command(LuoshiCommand):
    help = _(
        "Back up the database and every stored file into one archive (.tar.gz, readable by its owner only), "
        "with a manifest of hashes; consistent while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help=_("the archive to write, e.g. /backups/luoshi-2026-12-06.tar.gz (never overwritten)")
        )
        parser.add_argument(
            "--include-key",
            action="store_true",
            help=_("also put the secret key in the archive (then keep the archive as safe as the key)"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override(cli_language()):
            if opts["include_key"]:
                self.stderr.write(
                    gettext(
                        "Warning: the archive holds the secret key: whoever reads it can forge sessions and "
                        "password-reset links. Keep it as safe as the key file itself."
                    )
                )
            result = create_backup(Path(opts["file"]), include_key=opts["include_key"])
            manifest = result.manifest
            stored = sum(1 for e in manifest["files"] if e["path"].startswith("files/"))
            self.stdout.write(
                gettext("Backup written to %(path)s: database (%(method)s), %(files)d stored files.")
                % {"path": result.path, "method": manifest["database_method"], "files": stored}
            )
            self.stdout.write(gettext("SHA-256 of the archive: %(sha)s") % {"sha": result.sha256})
            for name in result.missing:
                self.stderr.write(
                    gettext(
                        "Warning: %(name)s is referenced by the database but missing from the "
                        "data dir; it is not in the backup."
                    )
                    % {"name": name}
                )
