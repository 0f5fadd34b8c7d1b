"""The one shape of a refusal the user can act on."""

from __future__ import annotations


class BilingualError(Exception):
    """A refused operation: a stable ``code`` for programs (the API, tests) and the
    reason for people in Chinese and English; ``str()`` is "中文 / English".

    Every app's error type (IngestError, TaskError, ReportError…) derives from it,
    so the API and the pages handle them all in one place.
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
