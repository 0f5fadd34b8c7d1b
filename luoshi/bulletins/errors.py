"""``BulletinError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations


class BulletinError(Exception):
    """A bulletin, ledger or urging-notice operation refused.

    code: "bad_period", "bad_level", "not_allowed", "empty_excerpt",
    "excerpt_not_in_report", "immutable", "no_weasyprint", "no_cjk_font".
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
