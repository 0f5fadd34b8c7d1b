"""The one error type of the tasks app."""

from __future__ import annotations


class TaskError(Exception):
    """A task operation that cannot be done, with a bilingual message.

    ``code`` is stable for programs (the API, tests); ``str()`` is "中文 / English".
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
