"""``SupervisionError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class SupervisionError(BilingualError):
    """A supervision operation refused.

    code: "not_liaison", "not_supervisor", "task_closed", "not_later", "in_the_past", "reason_required",
    "already_pending", "beyond_parent", "not_pending", "comment_required", "not_your_unit",
    "response_required", "already_responded".
    """

    # code -> the argument of ``request_extension`` it concerns.
    fields = {
        "not_later": "new_deadline",
        "in_the_past": "new_deadline",
        "beyond_parent": "new_deadline",
        "reason_required": "reason",
    }
