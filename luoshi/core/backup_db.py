"""The database half of `luoshi backup` / `luoshi restore`: one consistent snapshot per vendor.

- SQLite: Python's online backup API (``sqlite3.Connection.backup``), a page-exact copy taken in one
  read transaction, so it is consistent while the server writes (WAL mode).
- PostgreSQL with ``pg_dump``/``psql`` on the PATH: ``pg_dump --format=custom`` run on a snapshot
  exported from a REPEATABLE READ transaction, which also lists the stored files and the applied
  migrations, so the three agree. Restored with ``pg_restore`` into one ``psql --single-transaction``.
- Otherwise: Django's ``dumpdata`` in one REPEATABLE READ transaction, restored with ``flush`` +
  ``loaddata`` in one transaction (portable, but sequences are reset rather than copied and it is slow
  on large databases: docs/security.md "Backup and restore").
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import connection, models, transaction

from luoshi.lib.errors import BilingualError

SQLITE, PG_DUMP, JSON = "sqlite", "pg_dump", "json"
DUMP_NAMES = {SQLITE: "database.sqlite3", PG_DUMP: "database.pgdump", JSON: "database.json"}
# Re-created by `migrate` itself: never counted when deciding whether a target database is empty.
_SCAFFOLD = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(BilingualError):
    pass


@dataclass(frozen=True)
class Snapshot:
    method: str  # SQLITE, PG_DUMP or JSON
    dump: Path
    files: list[str]  # names of the stored files the snapshot refers to (FileField values)
    migrations: dict[str, list[str]]  # app label → applied migrations, in the snapshot


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of luoshi's models: where stored files are referenced."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model._meta.db_table, field.column))
    return sorted(found)


def _refs_and_migrations(cursor: Any, quote: Any) -> tuple[list[str], dict[str, list[str]]]:
    files: set[str] = set()
    for table, column in file_columns():
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
        files.update(row[0] for row in cursor.fetchall())
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return sorted(files), migrations


def method_for_vendor() -> str:
    if connection.vendor == "sqlite":
        return SQLITE
    if (
        connection.vendor == "postgresql"
        and shutil.which("pg_dump")
        and shutil.which("psql")
        and shutil.which("pg_restore")
    ):
        return PG_DUMP
    return JSON


def snapshot(folder: Path, *, method: str | None = None) -> Snapshot:
    """Dump the database into ``folder``; the stored files and migrations as of the same instant."""
    method = method or method_for_vendor()
    dump = folder / DUMP_NAMES[method]
    if method == SQLITE:
        return _sqlite_snapshot(dump)
    if method == PG_DUMP:
        return _pg_snapshot(dump)
    return _json_snapshot(dump)


def _sqlite_snapshot(dump: Path) -> Snapshot:
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)  # one step: every page under one read lock
        files, migrations = _refs_and_migrations(target.cursor(), connection.ops.quote_name)
    finally:
        target.close()
    os.chmod(dump, 0o600)
    return Snapshot(SQLITE, dump, files, migrations)


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], **kwargs: Any) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise BackupError(
            "database_tool_failed", f"{command[0]} 失败：{reason[0]}", f"{command[0]} failed: {reason[0]}"
        )


def _pg_snapshot(dump: Path) -> Snapshot:
    settings_dict = connection.settings_dict
    args, env = _pg_args(settings_dict)
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            files, migrations = _refs_and_migrations(cursor, connection.ops.quote_name)
            # pg_dump sees exactly what this transaction sees, while the transaction stays open
            _run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot_id}",
                    f"--file={dump}",
                    str(settings_dict["NAME"]),
                ],
                env,
            )
        raw.rollback()
    finally:
        raw.close()
    os.chmod(dump, 0o600)
    return Snapshot(PG_DUMP, dump, files, migrations)


@contextlib.contextmanager
def _repeatable_read() -> Iterator[None]:
    """One transaction that sees one instant (PostgreSQL's default, READ COMMITTED, would not)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _json_snapshot(dump: Path) -> Snapshot:
    with _repeatable_read():
        fd = os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            call_command("dumpdata", format="json", indent=None, stdout=out, verbosity=0)
        with connection.cursor() as cursor:
            files, migrations = _refs_and_migrations(cursor, connection.ops.quote_name)
    return Snapshot(JSON, dump, files, migrations)


def is_empty() -> bool:
    """Whether the configured database holds no data (missing tables count as empty)."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in _SCAFFOLD or model._meta.db_table not in tables:
            continue
        if model._default_manager.using(connection.alias).exists():
            return False
    return True


def restore(dump: Path, *, method: str) -> None:
    """Replace the configured database's content by the dump, in one transaction where the vendor allows."""
    if method == SQLITE:
        _need_vendor("sqlite", "SQLite")
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # the destination is replaced in one transaction
        finally:
            source.close()
    elif method == PG_DUMP:
        _need_vendor("postgresql", "PostgreSQL")
        _pg_restore(dump)
    else:
        _json_restore(dump)


def _need_vendor(vendor: str, label: str) -> None:
    if connection.vendor != vendor:
        raise BackupError(
            "wrong_database",
            f"此备份是 {label} 数据库的，而本服务器配置的是 {connection.vendor}：请用同类数据库恢复。",
            f"This backup is of a {label} database but this server uses {connection.vendor}: "
            "restore it onto the same kind of database.",
        )


def _pg_restore(dump: Path) -> None:
    settings_dict = connection.settings_dict
    args, env = _pg_args(settings_dict)
    script = dump.with_suffix(".sql")
    _run(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(dump)], env)
    tables = connection.introspection.table_names()
    connection.close()  # nothing of ours holds a lock on the tables about to be dropped
    drop = "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in tables)
    prelude = script.with_name("drop.sql")
    prelude.write_text(drop, encoding="utf-8")
    _run(
        [
            "psql",
            *args,
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(prelude),
            "-f",
            str(script),
            "-d",
            str(settings_dict["NAME"]),
        ],
        env,
        stdin=subprocess.DEVNULL,
    )


def _json_restore(dump: Path) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        call_command("loaddata", str(dump), verbosity=0)
