"""``ReportError``: a refusal with a reason for the user in Chinese and English."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class ReportError(BilingualError):
    """A report operation refused.

    code: "not_your_unit", "task_cancelled", "period_not_started", "bad_progress",
    "empty_narrative", "foreign_indicator", "bad_indicator_value",
    "progress_drop_unexplained", "evidence_empty", "evidence_too_large",
    "evidence_executable", "evidence_type", "evidence_mismatch",
    "not_unit_head", "not_pending", "superseded", "comment_required".
    """

    # code -> the argument of ``submit_report`` it concerns; an indicator's value is "indicator_<id>",
    # named where it is raised.
    fields = {
        "bad_progress": "progress",
        "progress_drop_unexplained": "problems",
        "empty_narrative": "narrative",
        "evidence_empty": "evidence",
        "evidence_too_large": "evidence",
        "evidence_executable": "evidence",
        "evidence_type": "evidence",
        "evidence_mismatch": "evidence",
    }
