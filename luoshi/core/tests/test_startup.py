"""Starting for real: `luoshi init`, then `luoshi serve` with no environment; every refusal one line."""

from __future__ import annotations

import gc
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from luoshi import conf
from luoshi.accounts.models import Role
from luoshi.core import startup
from luoshi.core.tests.test_cli import luoshi_argv, run_luoshi
from luoshi.documents.models import Document
from luoshi.people.services import create_user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_serve_without_a_key_refuses_in_one_line_by_locale(tmp_path: Path) -> None:
    en = run_luoshi(["serve", "--port", str(free_port())], cwd=tmp_path)
    assert en.returncode != 0
    assert "luoshi init" in one_line(en.stderr) and "LUOSHI_SECRET_KEY" in en.stderr
    zh = run_luoshi(["serve", "--port", str(free_port())], cwd=tmp_path, lang="zh_CN.UTF-8")
    assert zh.returncode != 0
    assert "密钥" in one_line(zh.stderr) and "luoshi init" in zh.stderr


def test_init_prepares_a_server_that_then_starts_without_environment(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("a-long-enough-password\n", encoding="utf-8")
    first = run_luoshi(["init", "--no-input", "--username", "boss", "--password-file", "pw"], cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    data = tmp_path / "var"
    key_file, settings_file = data / conf.SECRET_KEY_FILE, data / conf.SETTINGS_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text(encoding="utf-8")
    assert len(key.strip()) >= 50
    template = settings_file.read_text(encoding="utf-8")
    assert all(s.name in template for s in conf.SETTINGS)
    assert conf.parse_settings_file(template, where="template") == {}, "every line is commented out"
    assert (data / "luoshi.sqlite3").exists()
    assert "boss" in first.stdout

    second = run_luoshi(["init", "--no-input"], cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert key_file.read_text(encoding="utf-8") == key
    assert "existing secret key" in second.stdout
    assert "administrator exists already (boss)" in second.stdout

    # The start-up checks pass with no variable set: the key comes from the data dir.
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; from luoshi.core import startup; "
            "startup.server_checks(); startup.check_migrated(); print(settings.SECRET_KEY_SOURCE)",
        ],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "luoshi.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["file"]

    # One real start on a free port, stopped after the login page answered.
    port = free_port()
    server = subprocess.Popen(
        [*luoshi_argv(), "serve", "--port", str(port), "--no-migrate"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert 'name="password"' in page, (
            server.communicate(timeout=30)[1] if server.poll() is not None else "no answer"
        )
        assert "first-admin" not in page, "an administrator exists: no hint"

        # The same port again: one line naming it and how to choose another.
        busy = run_luoshi(["serve", "--port", str(port)], cwd=tmp_path)
        assert busy.returncode != 0
        line = one_line(busy.stderr)
        assert str(port) in line and "--port N" in line and "PORT=N" in line
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_busy_port_is_refused_in_one_line_naming_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(startup.StartupRefusal) as refusal:
            startup.check_port("127.0.0.1", port)
    assert refusal.value.code == "port_in_use"
    for message in (refusal.value.message_en, refusal.value.message_zh):
        assert str(port) in message and "--port N" in message and "\n" not in message


def test_a_free_port_passes_the_check() -> None:
    startup.check_port("127.0.0.1", free_port())


@pytest.mark.django_db
def test_demo_refuses_a_busy_port_before_loading_anything() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(startup.StartupRefusal, match="in use"):
            call_command("demo", serve=True, port=taken.getsockname()[1])
    assert not Document.objects.exists()


def test_an_unwritable_data_dir_is_refused(settings: object, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    settings.DATA_DIR = blocker / "data"  # type: ignore[attr-defined]
    with pytest.raises(startup.StartupRefusal) as refusal:
        startup.check_data_dir()
    assert refusal.value.code == "data_dir_not_writable" and "LUOSHI_DATA_DIR" in refusal.value.message_en


def test_an_unreachable_database_is_refused_without_its_password() -> None:
    from django.db import OperationalError

    refusal = startup.database_refusal(OperationalError("connection refused\nIs the server running?"))
    assert "connection refused" in refusal.message_en and "\n" not in refusal.message_en
    assert "DATABASE_URL" in refusal.message_en and "DATABASE_URL" in refusal.message_zh


@pytest.mark.django_db
def test_a_migrated_test_database_passes_the_checks() -> None:
    startup.server_checks()
    startup.check_migrated()


@pytest.mark.django_db
def test_the_login_page_says_how_to_create_the_first_admin_only_while_there_is_none() -> None:
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert "first-admin" in page and "luoshi init" in page and "--role admin" in page
    assert "管理员" in page  # the page's language (Chinese by default)
    english = Client(headers={"accept-language": "en"}).get("/accounts/login/").content.decode()
    assert "No administrator yet" in english and "尚无管理员" not in english

    create_user(username="someone", password="a-long-enough-password", role=Role.SUPERVISOR, unit=None)
    assert "first-admin" in client.get("/accounts/login/").content.decode()
    create_user(username="boss", password="a-long-enough-password", role=Role.ADMIN)
    assert "first-admin" not in client.get("/accounts/login/").content.decode()


def test_the_secret_key_comes_from_env_then_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LUOSHI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LUOSHI_SECRET_KEY", raising=False)
    missing_key, source = conf.secret_key(debug=False)
    assert source == "missing" and missing_key != conf.DEFAULT_SECRET_KEY
    assert conf.secret_key(debug=True) == (conf.DEFAULT_SECRET_KEY, "default")
    assert conf.write_secret_key() is True and conf.write_secret_key() is False
    from_file, source = conf.secret_key(debug=False)
    assert source == "file" and from_file == (tmp_path / "secret_key").read_text(encoding="utf-8").strip()
    monkeypatch.setenv("LUOSHI_SECRET_KEY", "k" * 50)
    assert conf.secret_key(debug=False) == ("k" * 50, "env")


def test_the_settings_file_is_read_below_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LUOSHI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LUOSHI_ESCALATION_DAYS", raising=False)
    (tmp_path / "luoshi.env").write_text("# comment\nLUOSHI_ESCALATION_DAYS='9'\n", encoding="utf-8")
    assert conf.get_int("LUOSHI_ESCALATION_DAYS") == 9
    monkeypatch.setenv("LUOSHI_ESCALATION_DAYS", "4")
    assert conf.get_int("LUOSHI_ESCALATION_DAYS") == 4
    with pytest.raises(conf.SettingsFileError, match=r"luoshi\.env:2"):
        conf.parse_settings_file("LUOSHI_DEBUG=1\nLUOSHI_NO_SUCH=1\n", where="luoshi.env")


def test_show_settings_says_where_the_key_and_file_values_come_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from io import StringIO

    monkeypatch.setenv("LUOSHI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LUOSHI_TICK_INTERVAL", raising=False)
    (tmp_path / "luoshi.env").write_text("LUOSHI_TICK_INTERVAL=60\n", encoding="utf-8")
    out = StringIO()
    call_command("show_settings", stdout=out)
    lines = out.getvalue().splitlines()
    assert "LUOSHI_SECRET_KEY=(set in the environment)" in lines
    assert f"LUOSHI_TICK_INTERVAL=60  # from {tmp_path / 'luoshi.env'}" in lines


def test_settle_memory_freezes_what_is_loaded_and_collects_less_often() -> None:
    before = gc.get_threshold()
    try:
        startup.settle_memory()
        assert gc.get_freeze_count() > 1000  # the loaded application is out of every later collection
        assert gc.get_threshold() == (startup.GC_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
