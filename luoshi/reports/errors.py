"""``ReportError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations


class ReportError(Exception):
    """A report operation refused.

    code: "not_your_unit", "task_cancelled", "period_not_started", "bad_progress",
    "empty_narrative", "foreign_indicator", "bad_indicator_value",
    "progress_drop_unexplained", "evidence_empty", "evidence_too_large",
    "evidence_executable", "evidence_type", "evidence_mismatch",
    "not_unit_head", "not_pending", "superseded", "comment_required".
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
