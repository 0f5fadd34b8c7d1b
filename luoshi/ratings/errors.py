"""``RatingError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class RatingError(BilingualError):
    """A rating operation refused.

    code: "not_rated" (cancelled task), "not_allowed" (override by a non-supervisor),
    "reason_required", "bad_rag", "bad_confidence".
    """

    # code -> the argument of ``override_rating`` it concerns.
    fields = {"reason_required": "reason", "bad_rag": "rag", "bad_confidence": "confidence"}
