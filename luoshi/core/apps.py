from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def owner_only_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The SQLite file (and its -wal/-shm) readable by the server's user only, whatever the umask."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(name + "-wal"), Path(name + "-shm")):
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:  # not there (yet), or not ours: nothing to tighten
            continue


class CoreConfig(AppConfig):
    name = "luoshi.core"
    verbose_name = "luoshi"

    def ready(self) -> None:
        connection_created.connect(owner_only_sqlite, dispatch_uid="luoshi-owner-only-sqlite")
