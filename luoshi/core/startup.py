"""What must hold before the server starts, each refusal one actionable line (`luoshi serve`, `demo`, `init`)."""

from __future__ import annotations

import errno
import gc
import os
import socket
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from luoshi.lib.errors import BilingualError


class StartupRefusal(BilingualError):
    pass


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else exc.__class__.__name__


def database_label() -> str:
    """The database without its password: "sqlite /path" or "postgresql db@host:port"."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    return f"{connection.vendor} {db.get('NAME')}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or '-'}"


def check_data_dir() -> Path:
    """The data dir exists (created when missing) and this user can write into it."""
    data_dir = Path(settings.DATA_DIR)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-check-"):
            pass
    except OSError:
        raise StartupRefusal(
            "data_dir_not_writable",
            f"数据目录 {data_dir} 不可写：请创建该目录并让运行 luoshi 的用户可写，或用 LUOSHI_DATA_DIR 另选目录。",
            f"The data dir {data_dir} is not writable: create it and let the user running luoshi write to it, "
            "or choose another with LUOSHI_DATA_DIR.",
        ) from None
    return data_dir


def secret_key_refusal() -> StartupRefusal:
    key_file = Path(settings.DATA_DIR) / "secret_key"
    return StartupRefusal(
        "secret_key_missing",
        f"没有密钥：请先运行 `luoshi init`（在 {key_file} 生成密钥），或设置 LUOSHI_SECRET_KEY。",
        f"No secret key: run `luoshi init` first (it writes {key_file}), or set LUOSHI_SECRET_KEY.",
    )


def check_secret_key() -> None:
    if getattr(settings, "SECRET_KEY_SOURCE", "env") == "missing":
        raise secret_key_refusal()


def database_refusal(exc: BaseException) -> StartupRefusal:
    where, reason = database_label(), _first_line(exc)
    return StartupRefusal(
        "database_unreachable",
        f"无法使用数据库（{where}）：{reason}。请检查 DATABASE_URL 和数据库服务；新数据库请先运行 `luoshi init` 或 `luoshi migrate`。",
        f"Cannot use the database ({where}): {reason}. Check DATABASE_URL and that the database server runs; "
        "a new database needs `luoshi init` or `luoshi migrate` first.",
    )


def check_database() -> None:
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise database_refusal(exc) from None


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def check_migrated() -> None:
    check_database()
    pending = pending_migrations()
    if pending:
        raise StartupRefusal(
            "database_not_migrated",
            f"数据库尚未迁移（{pending} 个迁移未应用）：请运行 `luoshi migrate`（或 `luoshi init`）。",
            f"The database is not migrated ({pending} migrations pending): run `luoshi migrate` (or `luoshi init`).",
        )


def port_refusal(host: str, port: int, exc: OSError) -> StartupRefusal:
    if exc.errno == errno.EADDRINUSE:
        return StartupRefusal(
            "port_in_use",
            f"端口 {port} 已被占用：请用 `luoshi serve --port N`（或 `make demo PORT=N`）另选端口。",
            f"port {port} is in use; choose another with `luoshi serve --port N` / `make demo PORT=N`.",
        )
    if exc.errno == errno.EACCES:
        return StartupRefusal(
            "port_not_allowed",
            f"无权监听端口 {port}（1024 以下的端口需要特权）：请用 `luoshi serve --port N` 另选端口。",
            f"Not allowed to listen on port {port} (ports below 1024 need privileges); "
            "choose another with `luoshi serve --port N`.",
        )
    return StartupRefusal(
        "cannot_listen",
        f"无法监听 {host}:{port}：{_first_line(exc)}。请检查 --host 与 --port。",
        f"Cannot listen on {host}:{port}: {_first_line(exc)}. Check --host and --port.",
    )


def open_listener(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound now: a busy port is refused before anything else runs,
    and nobody can take the port between this check and the server starting (waitress gets it)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise StartupRefusal(
            "bad_host",
            f"无法解析主机名 {host!r}：{_first_line(exc)}。请检查 --host。",
            f"Cannot resolve the host {host!r}: {_first_line(exc)}. Check --host.",
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # as waitress does: a port in TIME_WAIT is free, a listening one is not
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        raise port_refusal(host, port, exc) from None
    return sock


def check_port(host: str, port: int) -> None:
    open_listener(host, port).close()


def https_problem() -> tuple[str, str, str] | None:
    """(code, zh, en) of the first incoherence in the HTTPS/proxy settings, or None."""
    from urllib.parse import urlsplit

    from luoshi.core.proxy import parse_networks

    try:
        parse_networks(settings.TRUSTED_PROXIES)
    except ValueError as exc:
        return (
            "bad_trusted_proxy",
            f"{exc}（应为 IP 地址或网段，如 10.0.0.2 或 10.0.0.0/24）。",
            f"{exc} (expected an IP address or a network such as 10.0.0.2 or 10.0.0.0/24).",
        )
    ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not settings.HTTPS:
        if ssl_header and not settings.TRUSTED_PROXIES:
            return (
                "proxy_header_without_proxy",
                "设置了 LUOSHI_PROXY_SSL_HEADER 却没有 LUOSHI_TRUSTED_PROXIES：请填写反向代理的地址。",
                "LUOSHI_PROXY_SSL_HEADER is set but LUOSHI_TRUSTED_PROXIES is empty: list the reverse "
                "proxy's address.",
            )
        return None
    base = urlsplit(settings.BASE_URL)
    if base.scheme != "https" or not base.hostname:
        return (
            "https_base_url",
            f"LUOSHI_HTTPS=1 时 LUOSHI_BASE_URL 必须以 https:// 开头（现为 {settings.BASE_URL}）。",
            f"With LUOSHI_HTTPS=1, LUOSHI_BASE_URL must start with https:// (it is {settings.BASE_URL}).",
        )
    if not settings.TRUSTED_PROXIES:
        return (
            "https_no_proxy",
            "LUOSHI_HTTPS=1 时必须用 LUOSHI_TRUSTED_PROXIES 填写反向代理的地址。",
            "With LUOSHI_HTTPS=1, LUOSHI_TRUSTED_PROXIES must list the reverse proxy's address.",
        )
    if not ssl_header:
        return (
            "https_no_proxy_header",
            "LUOSHI_HTTPS=1 时必须设置 LUOSHI_PROXY_SSL_HEADER（如 X-Forwarded-Proto），否则会无限重定向。",
            "With LUOSHI_HTTPS=1, set LUOSHI_PROXY_SSL_HEADER (e.g. X-Forwarded-Proto), or every request "
            "is redirected forever.",
        )
    insecure = [o for o in settings.CSRF_TRUSTED_ORIGINS if not o.startswith("https://")]
    if insecure:
        return (
            "https_csrf_origin",
            f"LUOSHI_HTTPS=1 时 LUOSHI_CSRF_TRUSTED_ORIGINS 只能是 https:// 来源（{insecure[0]}）。",
            f"With LUOSHI_HTTPS=1, LUOSHI_CSRF_TRUSTED_ORIGINS must be https:// origins ({insecure[0]}).",
        )
    if "*" not in settings.ALLOWED_HOSTS and base.hostname not in settings.ALLOWED_HOSTS:
        return (
            "https_host_not_allowed",
            f"LUOSHI_BASE_URL 的主机 {base.hostname} 不在 LUOSHI_ALLOWED_HOSTS 中。",
            f"The host of LUOSHI_BASE_URL, {base.hostname}, is not in LUOSHI_ALLOWED_HOSTS.",
        )
    return None


def check_https() -> None:
    problem = https_problem()
    if problem is not None:
        raise StartupRefusal(*problem)


def server_checks() -> None:
    """Everything but the port and the migrations, in the order an operator would fix them."""
    check_data_dir()
    check_secret_key()
    check_https()
    check_database()


# The cyclic garbage collector's first-generation threshold in a server process (CPython's default is 700).
# A region's roll-up creates some 100,000 short-lived rows per request; with the default, collections over
# the process's long-lived objects (Django, the parsers' dictionaries) took a quarter of the dashboard.
GC_THRESHOLD = 50_000


def settle_memory() -> None:
    """Once the application is loaded: move what is alive to the collector's permanent generation
    (``gc.freeze``, made for long-running servers) and collect less often; memory is still freed by
    reference counting as before, only the search for cycles runs less."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
