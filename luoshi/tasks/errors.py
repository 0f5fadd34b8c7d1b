"""The one error type of the tasks app."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class TaskError(BilingualError):
    """A task operation that cannot be done, with a bilingual message.

    ``code`` is stable for programs (the API, tests); ``str()`` is "中文 / English".
    """
