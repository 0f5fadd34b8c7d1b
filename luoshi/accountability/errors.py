"""``AccountabilityError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class AccountabilityError(BilingualError):
    """code: bad_kind, unit_required, reason_required, future_date, and the evidence codes
    (evidence_type, evidence_mismatch, evidence_too_large, evidence_empty, evidence_executable…)."""
