"""``RatingError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations


class RatingError(Exception):
    """A rating operation refused.

    code: "not_rated" (cancelled task), "not_allowed" (override by a non-supervisor),
    "reason_required", "bad_rag", "bad_confidence".
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
