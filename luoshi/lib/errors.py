"""The one shape of a refusal the user can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django.utils.translation import get_language


def is_chinese(language: str | None = None) -> bool:
    """Whether ``language`` (default: the active one) is Chinese; the site's default when none is active."""
    language = language if language is not None else get_language()
    return not language or language.lower().startswith("zh")


def pick(message_zh: str, message_en: str, language: str | None = None) -> str:
    """The one message of a Chinese/English pair that a page in ``language`` (default: active) shows."""
    return message_zh if is_chinese(language) or not message_en else message_en


class BilingualError(Exception):
    """A refused operation: a stable ``code`` for programs (the API, tests) and the
    reason for people in Chinese and English.

    ``message()`` is the one a page shows (the active language's); ``str()`` is
    "中文 / English" and is for logs and the command line, never for a page.

    Every app's error type (IngestError, TaskError, ReportError…) derives from it,
    so the API and the pages handle them all in one place.

    ``field`` names the argument the refusal is about ("deadline", "reason"…), which is also
    the name of the form field that takes it, so a page shows the reason next to that field
    (``luoshi.web.answer.place``). The raise gives it where only the service knows it (which of
    two dates, which indicator); otherwise it comes from the error type's ``fields``, the map
    code → field kept beside the app's errors. None: the refusal concerns no one field.
    """

    fields: ClassVar[Mapping[str, str]] = {}

    def __init__(self, code: str, message_zh: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field if field is not None else self.fields.get(code)

    def message(self, language: str | None = None) -> str:
        """The reason in ``language`` (default: the active language), for pages, forms and messages."""
        return pick(self.message_zh, self.message_en, language)

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def localized(exc: BaseException, language: str | None = None) -> str:
    """The user-facing text of any refusal: one language for BilingualError and the like
    (anything with ``message_zh``/``message_en``), else ``str(exc)``."""
    zh, en = getattr(exc, "message_zh", None), getattr(exc, "message_en", None)
    if isinstance(zh, str) and isinstance(en, str):
        return pick(zh, en, language)
    return str(exc)
