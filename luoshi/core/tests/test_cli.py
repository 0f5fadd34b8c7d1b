"""The `luoshi` command as a new user meets it: help without configuration, by locale, from one registry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

from luoshi.cli import overview
from luoshi.cli_commands import COMMANDS, GROUPS
from luoshi.core.management.base import LuoshiCommand, cli_language


def luoshi_argv() -> list[str]:
    script = Path(sys.executable).with_name("luoshi")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from luoshi.cli import main; main()"]


def run_luoshi(
    args: list[str], *, cwd: Path, lang: str = "C", **env: str
) -> subprocess.CompletedProcess[str]:
    """`luoshi ARGS` with nothing configured: no LUOSHI_* or Django variables, a temporary HOME and cwd."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "LANG": lang, **env}
    return subprocess.run(
        [*luoshi_argv(), *args], cwd=cwd, env=clean, capture_output=True, text=True, timeout=300
    )


def test_it_lists_luoshi_commands_with_descriptions_without_any_configuration(tmp_path: Path) -> None:
    result = run_luoshi(["--help"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for entry in COMMANDS:
        line = next(line for line in result.stdout.splitlines() if line.split()[:1] == [entry.name])
        assert entry.summary in line
    for group in GROUPS.values():
        assert group in result.stdout.splitlines()
    words = result.stdout.split()
    assert "flush" not in words and "startproject" not in words
    assert "luoshi help --all" in result.stdout
    assert not (tmp_path / "var").exists(), "the overview must not create a data dir"


def test_bare_luoshi_shows_the_same_overview(tmp_path: Path) -> None:
    assert run_luoshi([], cwd=tmp_path).stdout == run_luoshi(["--help"], cwd=tmp_path).stdout


def test_the_overview_is_chinese_under_a_chinese_locale(tmp_path: Path) -> None:
    zh = run_luoshi(["--help"], cwd=tmp_path, lang="zh_CN.UTF-8")
    assert zh.returncode == 0
    assert "用法" in zh.stdout
    for entry in COMMANDS:
        line = next(line for line in zh.stdout.splitlines() if line.split()[:1] == [entry.name])
        assert entry.summary not in line
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line), line


def test_a_command_help_follows_the_locale_without_configuration(tmp_path: Path) -> None:
    en = run_luoshi(["serve", "--help"], cwd=tmp_path)
    zh = run_luoshi(["serve", "--help"], cwd=tmp_path, lang="zh_CN.UTF-8")
    assert en.returncode == 0 and zh.returncode == 0, en.stderr + zh.stderr
    assert "usage:" in en.stdout and "port to listen on" in en.stdout
    assert "用法" in zh.stdout and "监听端口" in zh.stdout
    assert "show this help" not in zh.stdout and "port to listen on" not in zh.stdout
    assert "--pythonpath" not in en.stdout and "--skip-checks" not in en.stdout


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh-hans"),
        ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),
    ],
)
def test_it_reads_the_language_from_the_locale(env: dict[str, str], language: str) -> None:
    assert cli_language(env) == language


def test_the_registry_names_exactly_the_commands_of_luoshi_apps() -> None:
    commands = get_commands()
    ours = {name for name, app in commands.items() if app.startswith("luoshi.")}
    listed = {e.name for e in COMMANDS if not e.django}
    assert ours == listed, "add new commands to luoshi/cli_commands.py (and only real ones)"
    for entry in COMMANDS:
        assert entry.group in GROUPS
        if entry.django:
            assert not commands[entry.name].startswith("luoshi.")


def test_every_summary_and_command_help_is_translated() -> None:
    with translation.override("zh-hans"):
        untranslated = [
            t for t in [*GROUPS.values(), *(e.summary for e in COMMANDS)] if translation.gettext(t) == t
        ]
        assert untranslated == []
        for name, app in get_commands().items():
            if not app.startswith("luoshi."):
                continue
            command = load_command_class(app, name)
            assert isinstance(command, LuoshiCommand), name
            parser = command.create_parser("luoshi", name)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in parser.description or ""), name
            helps = [
                str(a.help)
                for a in parser._actions
                if a.help and a.help != "==SUPPRESS==" and "-h" not in a.option_strings
            ]
            english_only = [h for h in helps if not any("\u4e00" <= ch <= "\u9fff" for ch in h)]
            assert english_only == [], (name, english_only)


def test_overview_groups_follow_the_registry_order() -> None:
    text = overview("en")
    positions = [text.index(f"\n{label}\n") for label in GROUPS.values()]
    assert positions == sorted(positions)
