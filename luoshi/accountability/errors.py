"""``AccountabilityError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations


class AccountabilityError(Exception):
    """code: bad_kind, unit_required, reason_required, future_date, and the evidence codes
    (evidence_type, evidence_mismatch, evidence_too_large, evidence_empty, evidence_executable…)."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
