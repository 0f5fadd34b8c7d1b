"""The ``luoshi`` command: one CLI for the whole product.

Every sub-command is a Django management command of one of luoshi's apps
(``luoshi ingest``, ``luoshi decompose``, ``luoshi serve``, ``luoshi demo`` …),
so the CLI, the web pages and the tests share the same service functions.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["luoshi", *args])


if __name__ == "__main__":
    main()
