"""``BulletinError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class BulletinError(BilingualError):
    """A bulletin, ledger or urging-notice operation refused.

    code: "bad_period", "bad_level", "bad_format", "not_allowed", "empty_excerpt",
    "excerpt_not_in_report", "bad_sentences", "immutable", "busy", "nothing_overdue",
    "no_weasyprint", "no_cjk_font".
    """
