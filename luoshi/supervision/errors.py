"""``SupervisionError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations


class SupervisionError(Exception):
    """A supervision operation refused.

    code: "not_liaison", "not_supervisor", "task_closed", "not_later", "in_the_past", "reason_required",
    "already_pending", "beyond_parent", "not_pending", "comment_required", "not_your_unit",
    "response_required", "already_responded".
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
