from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from luoshi import conf


def test_it_documents_every_setting() -> None:
    from luoshi.testing.paths import REPO

    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [s.name for s in conf.SETTINGS if f"`{s.name}`" not in doc]
    assert missing == []


def test_every_setting_has_help() -> None:
    assert all(len(s.help) > 20 for s in conf.SETTINGS)


def _run(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LUOSHI_", "DJANGO_"))}
    clean.update({"LUOSHI_DATA_DIR": str(cwd / "data"), **env})
    return subprocess.run([sys.executable, "-c", code], env=clean, cwd=cwd, capture_output=True, text=True)


def test_without_a_key_commands_get_a_throw_away_one_and_the_wsgi_entry_refuses(tmp_path: Path) -> None:
    settings = _run(
        "import luoshi.settings as s; print(s.SECRET_KEY_SOURCE, s.SECRET_KEY == s.conf.DEFAULT_SECRET_KEY)",
        {},
        tmp_path,
    )
    assert settings.stdout.split() == ["missing", "False"], settings.stderr
    wsgi = _run("import luoshi.wsgi", {}, tmp_path)
    assert wsgi.returncode != 0
    assert "luoshi init" in wsgi.stderr and "LUOSHI_SECRET_KEY" in wsgi.stderr


def test_it_starts_with_debug_or_a_real_key(tmp_path: Path) -> None:
    assert _run("import luoshi.wsgi", {"LUOSHI_DEBUG": "1"}, tmp_path).returncode == 0
    assert _run("import luoshi.wsgi", {"LUOSHI_SECRET_KEY": "x" * 50}, tmp_path).returncode == 0


def test_show_settings_lists_every_setting_without_leaking_the_key() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("show_settings", stdout=out)
    text = out.getvalue()
    assert all(s.name in text for s in conf.SETTINGS)
    assert "luoshi-test-secret-key" not in text


def test_show_settings_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    from io import StringIO

    from django.core.management import call_command

    secrets = [s for s in conf.SETTINGS if s.secret]
    assert secrets, "the SMTP password is a secret setting"
    for s in secrets:
        monkeypatch.setenv(s.name, "hunter2-secret-value")
    out = StringIO()
    call_command("show_settings", stdout=out)
    assert "hunter2-secret-value" not in out.getvalue()
