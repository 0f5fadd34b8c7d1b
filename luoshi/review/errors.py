"""``ReviewError``: a refused review operation, with its reason in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class ReviewError(BilingualError):
    """A pre-review or filing-review operation refused.

    code: "not_allowed", "bad_field", "no_file", "wrong_status", "reason_required", "open_findings",
    "bad_reviewer", "bad_span", "bad_rule", "same_draft".
    """

    fields = {"no_file": "file"}  # code -> the argument it concerns (the uploaded draft)
