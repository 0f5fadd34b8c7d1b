"""The refusal of a task division operation."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class PlanError(BilingualError):
    """A plan operation that cannot be done, with a bilingual message."""

    # code -> the argument of ``add_plan_milestone`` / ``add_plan_indicator`` it concerns.
    fields = {
        "milestone_past": "date",
        "milestone_far": "date",
        "milestone_after_deadline": "date",
        "milestone_same_date": "date",
        "bad_progress": "expected_progress",
        "progress_decreases": "expected_progress",
        "empty_name": "name",
        "indicator_same_name": "name",
        "bad_direction": "direction",
        "bad_baseline": "baseline",
        "bad_target": "target",
        "target_not_better": "target",
    }
