from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from luoshi import conf
from luoshi.accounts.models import Role
from luoshi.core import startup
from luoshi.core.management.base import LuoshiCommand, _, cli_language
from luoshi.people.services import admin_usernames, create_user


class Command(LuoshiCommand):
    help = _(
        "Prepare this server: a secret key file (owner-only) and a settings template in the data dir, "
        "the database tables, and the first administrator. Running it again keeps what exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", help=_("the first administrator's user name (asked when missing)"))
        parser.add_argument(
            "--password-file",
            help=_("read the administrator's password from this file's first line (- for stdin)"),
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help=_("ask nothing: without --username and --password-file no administrator is created"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override(cli_language()):
            self._init(opts)

    def _say(self, text: str, **values: Any) -> None:
        self.stdout.write(gettext(text) % values if values else gettext(text))

    def _init(self, opts: dict[str, Any]) -> None:
        data_dir = startup.check_data_dir()
        key_file = conf.secret_key_file()
        if conf.write_secret_key():
            self._say("Secret key written to %(path)s (readable by its owner only).", path=key_file)
        else:
            self._say("Keeping the existing secret key in %(path)s.", path=key_file)
        if settings.SECRET_KEY_SOURCE == "env":
            self._say("LUOSHI_SECRET_KEY is set in the environment: it wins over the key file.")
        elif settings.SECRET_KEY_SOURCE == "missing":
            settings.SECRET_KEY = key_file.read_text(encoding="utf-8").strip()
            settings.SECRET_KEY_SOURCE = "file"
        settings_file = conf.settings_file()
        if settings_file.exists():
            self._say("Keeping the existing settings file %(path)s.", path=settings_file)
        else:
            settings_file.write_text(conf.settings_template(), encoding="utf-8")
            settings_file.chmod(0o600)  # it may come to hold the SMTP password
            self._say(
                "Settings template written to %(path)s (every setting, commented out).", path=settings_file
            )
        startup.check_database()
        call_command("migrate", interactive=False, verbosity=0)
        self._say("Database ready: %(where)s.", where=startup.database_label())
        self._admin(opts)
        self._say(
            "Data dir: %(dir)s. Start the server with `luoshi serve [--host H] [--port P]`.", dir=data_dir
        )

    def _admin(self, opts: dict[str, Any]) -> None:
        admins = admin_usernames()
        if admins:
            self._say("An administrator exists already (%(names)s): none created.", names=", ".join(admins))
            return
        username = opts["username"]
        password = self._read_password_file(opts["password_file"]) if opts["password_file"] else None
        if password is None or not username:
            if opts["no_input"]:
                self._say(
                    "No administrator created (--no-input): create one with "
                    "`luoshi create_user NAME --role admin`, or run `luoshi init` again."
                )
                return
            if not sys.stdin.isatty():
                raise CommandError(
                    gettext("No terminal to ask on: give --username and --password-file, or --no-input.")
                )
        if not username:
            username = input(gettext("Administrator's user name [admin]: ")).strip() or "admin"
        if password is None:
            password = getpass.getpass(gettext("Password: "))
            if password != getpass.getpass(gettext("Password (again): ")):
                raise CommandError(
                    gettext("The passwords do not match; nothing was created. Run `luoshi init` again.")
                )
        user = create_user(username=username, password=password, role=Role.ADMIN)
        user.is_staff = user.is_superuser = True  # Django's admin pages too
        user.save(update_fields=["is_staff", "is_superuser"])
        self._say("Administrator %(name)s created.", name=username)

    def _read_password_file(self, path: str) -> str:
        try:
            text = sys.stdin.readline() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                gettext("Cannot read the password file %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror}
            ) from None
        lines = text.splitlines()
        return lines[0] if lines else ""
