"""``AccountabilityError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class AccountabilityError(BilingualError):
    """code: bad_kind, unit_required, reason_required, future_date, and the evidence codes
    (evidence_type, evidence_mismatch, evidence_too_large, evidence_empty, evidence_executable…)."""

    # code -> the argument of ``record_measure`` it concerns (the evidence codes: the attachments).
    fields = {
        "bad_kind": "kind",
        "unit_required": "units",
        "reason_required": "reason",
        "future_date": "date",
        "evidence_type": "attachments",
        "evidence_mismatch": "attachments",
        "evidence_executable": "attachments",
        "evidence_too_large": "attachments",
        "evidence_empty": "attachments",
    }
