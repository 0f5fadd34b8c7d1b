"""The one error type of the tasks app."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class TaskError(BilingualError):
    """A task operation that cannot be done, with a bilingual message.

    ``code`` is stable for programs (the API, tests); ``str()`` is "中文 / English".
    """

    # code -> the argument it concerns, where one code always concerns the same one; a refusal whose
    # argument depends on the call (which date moved, which share, a number of which kind) names it
    # where it is raised. Arguments of a share are "shares.<index>.<argument>" (``cascade``).
    fields = {
        "empty_title": "title",
        "bad_weight": "weight",
        "bad_report_day": "report_day",
        "past_deadline": "deadline",
        "deadline_before_start": "deadline",
        "share_after_deadline": "deadline",
        "bad_cadence": "cadence",
        "custom_date_outside": "custom_dates",
        "custom_dates_missing": "custom_dates",
        "custom_dates_unused": "custom_dates",
        "bad_date": "custom_dates",
        "lead_missing": "lead_unit",
        "lead_has_shares": "lead_unit",
        "milestone_same_date": "date",
        "bad_progress": "expected_progress",
        "progress_decreases": "expected_progress",
        "empty_name": "name",
        "bad_direction": "direction",
        "target_before_baseline": "target_date",
        "target_not_better": "target",
        "reason_required": "reason",
        "other_catalog": "unit",
        "not_lower_level": "unit",
        "share_deadline": "deadline",
    }
