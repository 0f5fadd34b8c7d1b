"""The one refusal type of effect evaluation and closing (销号)."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class EvaluationError(BilingualError):
    """code: not_completed, not_allowed, bad_effect, foreign_indicator, indicator_twice,
    indicator_missing, bad_value, recheck_in_past; closing: already_closed, not_evaluated,
    recheck_pending, note_required, foreign_evidence, evidence_required."""

    # code -> the argument it concerns; an indicator's answer is "reached_<id>" or "final_<id>", named
    # where it is raised.
    fields = {
        "bad_effect": "effect",
        "recheck_in_past": "recheck_date",
        "note_required": "note",
        "evidence_required": "evidence",
        "foreign_evidence": "evidence",
    }
