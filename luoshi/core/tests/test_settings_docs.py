from __future__ import annotations

import os
import subprocess
import sys

import pytest

from luoshi import conf
from luoshi.testing.paths import REPO


def test_it_documents_every_setting() -> None:
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [s.name for s in conf.SETTINGS if f"`{s.name}`" not in doc]
    assert missing == []


def test_every_setting_has_help() -> None:
    assert all(len(s.help) > 20 for s in conf.SETTINGS)


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LUOSHI_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import luoshi.settings"], env=clean, cwd=REPO, capture_output=True, text=True
    )


def test_it_refuses_default_secret_without_debug() -> None:
    result = _import_settings({})
    assert result.returncode != 0
    assert "LUOSHI_SECRET_KEY" in result.stderr
    assert "拒绝启动" in result.stderr


def test_it_starts_with_debug_or_a_real_key() -> None:
    assert _import_settings({"LUOSHI_DEBUG": "1"}).returncode == 0
    assert _import_settings({"LUOSHI_SECRET_KEY": "x" * 50}).returncode == 0


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
