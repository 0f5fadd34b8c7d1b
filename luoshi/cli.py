"""The ``luoshi`` command: one CLI for the whole product.

Every sub-command is a Django management command of one of luoshi's apps
(``luoshi ingest``, ``luoshi decompose``, ``luoshi serve``, ``luoshi demo`` …),
so the CLI, the web pages and the tests share the same service functions.

``luoshi`` alone (or ``--help``) lists luoshi's commands from ``luoshi.cli_commands`` without
loading Django's settings, so it works before anything is configured. Help texts and refusals
follow the shell's locale (zh* → Chinese, else English); a refusal is one line, never a traceback
(``--traceback`` shows it for developers).
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from luoshi.cli_commands import COMMANDS, GROUPS, gettext_noop
from luoshi.core.management.base import cli_language

LOCALE_DIR = Path(__file__).with_name("locale")
HELP_ARGS: tuple[list[str], ...] = ([], ["--help"], ["-h"], ["help"])

# argparse's own words, translated through django.po (marked here so makemessages keeps them).
ARGPARSE_TEXTS = [
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("%(prog)s: error: %(message)s\n"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("expected one argument"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("one of the arguments %s is required"),
]
OVERVIEW_TEXTS = {
    "title": gettext_noop("luoshi — policy-implementation tracking (督查督办)"),
    "usage": gettext_noop("Usage: luoshi COMMAND [options]; `luoshi COMMAND --help` explains one command."),
    "django": gettext_noop(
        "Django's administration commands (shell, check, createsuperuser…): luoshi help --all"
    ),
    "settings": gettext_noop("Settings: `luoshi show_settings`; a new server starts with `luoshi init`."),
}


def _stdlib_translator(language: str) -> Callable[[str], str]:
    """Translations straight from django.mo: the overview runs before (without) Django's settings."""
    if language != "zh-hans":
        return lambda text: text
    return stdlib_gettext.translation("django", LOCALE_DIR, languages=["zh_Hans"], fallback=True).gettext


def overview(language: str) -> str:
    _ = _stdlib_translator(language)
    width = max(len(e.name) for e in COMMANDS) + 2
    lines = [_(OVERVIEW_TEXTS["title"]), _(OVERVIEW_TEXTS["usage"])]
    for group, label in GROUPS.items():
        entries = [e for e in COMMANDS if e.group == group]
        if entries:
            lines += ["", _(label)]
            lines += [f"  {e.name.ljust(width)}{_(e.summary)}" for e in entries]
    lines += ["", _(OVERVIEW_TEXTS["settings"]), _(OVERVIEW_TEXTS["django"])]
    return "\n".join(lines) + "\n"


def refuse(message: str) -> NoReturn:
    """One line on stderr and a non-zero exit: what is wrong and what to do."""
    sys.stderr.write("luoshi: " + " ".join(message.split()) + "\n")
    raise SystemExit(1)


def _localize_argparse() -> None:
    import argparse

    from django.utils.translation import gettext, ngettext

    argparse._ = gettext  # type: ignore[attr-defined]  # argparse looks its words up at call time
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _run_commands_in_site_language() -> None:
    """Help and refusals follow the shell; what a command stores or writes keeps the site's language
    (LUOSHI_LANGUAGE), so a cron job under LANG=C does not file English labels into Chinese pages."""
    from django.conf import settings
    from django.core.management.base import BaseCommand
    from django.utils import translation

    original = BaseCommand.execute
    if getattr(original, "luoshi_site_language", False):
        return

    def execute(self: BaseCommand, *args: Any, **options: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return original(self, *args, **options)

    execute.luoshi_site_language = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute  # type: ignore[method-assign]


def _setup(language: str) -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    try:
        django.setup()
    except (ImproperlyConfigured, ValueError, OSError) as exc:
        where = "设置有误" if language == "zh-hans" else "bad setting"
        refuse(f"{where}: {exc}")
    from django.utils import translation

    translation.activate(language)
    _localize_argparse()
    _run_commands_in_site_language()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    language = cli_language()
    if args in HELP_ARGS:
        sys.stdout.write(overview(language))
        return
    if args == ["--version"]:
        from importlib.metadata import version

        sys.stdout.write(f"luoshi {version('luoshi')}\n")
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    _setup(language)

    from django.core.management import ManagementUtility
    from django.db import DatabaseError

    from luoshi.lib.errors import BilingualError

    try:
        ManagementUtility(["luoshi", *args]).execute()
    except BilingualError as exc:
        if "--traceback" in args:
            raise
        refuse(exc.message_zh if language == "zh-hans" else exc.message_en)
    except DatabaseError as exc:
        if "--traceback" in args:
            raise
        from luoshi.core.startup import database_refusal

        refusal = database_refusal(exc)
        refuse(refusal.message_zh if language == "zh-hans" else refusal.message_en)


if __name__ == "__main__":
    main()
