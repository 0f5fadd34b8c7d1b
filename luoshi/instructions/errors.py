"""The one refusal type of leaders' instructions and watch lists."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class InstructionError(BilingualError):
    """code: subject_required, one_subject, units_only_for_bulletin, text_required, due_in_past,
    date_out_of_range, text_too_long, response_required, awaiting_head, already_answered, not_pending,
    comment_required, watch_subject_required."""

    # code -> the argument of ``issue_instruction`` it concerns.
    fields = {"text_required": "text", "due_in_past": "due_date", "units_only_for_bulletin": "units"}
