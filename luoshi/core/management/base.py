"""The base of luoshi's management commands: translatable help, Django's plumbing options kept out of it."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_lazy


def _(text: str) -> str:
    """A help text translated when argparse prints it, i.e. in the language active then (the shell's)."""
    return gettext_lazy(text)  # type: ignore[return-value]  # a lazy str: argparse only formats it


class LuoshiCommand(BaseCommand):
    # Still accepted (developers use --traceback, -v 2 …), just not listed in `luoshi COMMAND --help`.
    suppressed_base_arguments = {
        "--version",
        "-v",
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)  # a lazy translation, made text in the language now active
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for action in parser._actions:
            if "--skip-checks" in action.option_strings:  # added by Django without the suppression hook
                action.help = argparse.SUPPRESS
        return parser


def named_user(username: str) -> Any:
    """The active user a command acts as (``--user``); CommandError for an unknown or deactivated one."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有在用的用户 {username}。 / No active user {username!r}.")
    return user


def read_file(path: Path) -> bytes:
    """The bytes of a file named on the command line; CommandError (in both languages) when it cannot be read."""
    from django.core.management.base import CommandError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(
            f"无法读取文件 {path}：{exc.strerror} / Cannot read {path}: {exc.strerror}"
        ) from exc


def date_arg(raw: str | None, *, flag: str = "") -> dt.date | None:
    """A date given on the command line (YYYY-MM-DD), None when not given; CommandError in both languages."""
    from django.core.management.base import CommandError

    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        named = f"{flag} " if flag else ""
        raise CommandError(
            f"{named}日期格式应为 YYYY-MM-DD：{raw} / {named}Date must be YYYY-MM-DD: {raw}"
        ) from None


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """ "zh-hans" when the shell's locale is Chinese, else "en".

    LC_ALL, then LC_MESSAGES, then LANG name the locale; LANGUAGE (a GNU priority list) wins
    unless the locale is explicitly C/POSIX, as gettext does.
    """
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    language = locale
    if locale.split(".")[0] not in {"C", "POSIX"}:
        language = env.get("LANGUAGE", "").split(":")[0] or locale
    return "zh-hans" if language.lower().startswith("zh") else "en"
