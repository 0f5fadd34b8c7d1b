"""The rating rule (对标对表): inputs in, RAG, confidence and reasons out. No database here.

``evaluate`` is the one rule; ``services.rate`` gathers its inputs and calls
it. Thresholds are the constants below; docs/ratings.md explains each one and
the exact wording. Comparisons use the whole numbers the reasons show, so the
words always agree with the colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

GREEN, AMBER, RED = "green", "amber", "red"

RED_OVERDUE_DAYS = 1  # any day past the deadline, task not completed, progress < 100%
RED_BEHIND_POINTS = 20  # percentage points behind the planned trajectory
AMBER_BEHIND_POINTS = 10
RED_MISSED_REPORTS = 2  # consecutive missed reports, counted back from the latest due one
AMBER_MISSED_REPORTS = 1
RED_INDICATOR_SHORTFALL = 20  # percent of the indicator's whole planned change (target - baseline)
AMBER_INDICATOR_SHORTFALL = 10
NEAR_DEADLINE_DAYS = 30  # amber when the deadline is this close …
NEAR_DEADLINE_MIN_PROGRESS = 90  # … and progress is below this
LOWEST_CONFIDENCE_BEHIND_POINTS = 30  # red with this gap (or overdue, or this many missed) → confidence 1
LOWEST_CONFIDENCE_MISSED_REPORTS = 3

CONFIDENCE_LABELS: dict[int, tuple[str, str]] = {
    5: ("很可能按期完成", "highly likely"),
    4: ("较可能按期完成", "probable"),
    3: ("有可能按期完成，需关注", "feasible, with attention"),
    2: ("能否按期完成存疑", "in doubt"),
    1: ("很难按期完成", "highly unlikely"),
}

# Finding levels: "info" and "caution" leave the assignment green ("caution" lowers confidence to 4).
INFO, CAUTION = "info", "caution"
_SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}


class TaskState:
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class IndicatorInput:
    indicator_id: int
    name: str
    unit_of_measure: str
    direction: str  # "increase" or "decrease"
    baseline: Decimal
    target: Decimal
    expected: Decimal  # on the trajectory as of the rating date
    actual: Decimal | None  # latest value in a counting report, None if never reported
    started: bool  # the rating date is after the baseline date


@dataclass(frozen=True)
class RatingInputs:
    as_of: dt.date
    deadline: dt.date
    state: str  # TaskState, as of the rating date
    planned: float  # planned progress, percent
    actual: int | None  # latest counting report's progress; None: no counting report yet
    missed_reports: int  # consecutive missed reports back from the latest due one
    indicators: tuple[IndicatorInput, ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str  # completed, overdue, reported_complete, progress, no_report, missed_reports,
    # indicator, indicator_no_value, near_deadline
    level: str  # info, caution, amber, red
    zh: str
    en: str


@dataclass
class RatingResult:
    rag: str
    confidence: int
    planned: float  # one decimal place
    actual: float
    reasons_zh: list[str]
    reasons_en: list[str]
    findings: list[Finding] = field(default_factory=list)
    overdue_days: int = 0
    behind_points: int = 0  # negative when ahead
    missed_reports: int = 0

    def to_dict(self) -> dict[str, Any]:
        label_zh, label_en = CONFIDENCE_LABELS[self.confidence]
        return {
            "rag": self.rag,
            "confidence": self.confidence,
            "confidence_label": label_zh,
            "confidence_label_en": label_en,
            "planned": self.planned,
            "actual": self.actual,
            "reasons": list(self.reasons_zh),
            "reasons_en": list(self.reasons_en),
            "overdue_days": self.overdue_days,
            "behind_points": self.behind_points,
            "missed_reports": self.missed_reports,
            "findings": [{"code": f.code, "level": f.level} for f in self.findings],
        }


def evaluate(inputs: RatingInputs) -> RatingResult:
    """Rate one assignment from its inputs.

    Findings are collected in a fixed order (overdue, progress, missed
    reports, indicators in their order, near deadline); the RAG is the worst
    level among them; confidence follows from the RAG and the findings.
    Cancelled tasks are not rated: the caller refuses them first.
    """
    planned = _one_place(inputs.planned)
    if inputs.state == TaskState.COMPLETED:
        done = Finding("completed", INFO, "已办结", "Completed")
        return RatingResult(GREEN, 5, planned, 100.0, [done.zh], [done.en], [done])

    actual = inputs.actual if inputs.actual is not None else 0
    planned_whole = half_up(Decimal(str(inputs.planned)))
    behind = planned_whole - actual
    overdue = max(0, (inputs.as_of - inputs.deadline).days)
    if actual >= 100:
        overdue = 0
    findings = [
        *_deadline_findings(inputs, actual, overdue),
        _progress_finding(actual, planned_whole, behind),
    ]
    if inputs.actual is None:
        findings.append(
            Finding(
                "no_report",
                CAUTION if inputs.planned >= 0.5 else INFO,
                "尚无计入的报告，进度按0%计",
                "No counting report yet: progress taken as 0%",
            )
        )
    findings.extend(_missed_findings(inputs.missed_reports))
    for indicator in inputs.indicators:
        findings.extend(_indicator_findings(indicator))
    findings.extend(_near_deadline_findings(inputs, actual))

    rag = max((_level_rag(f.level) for f in findings), key=lambda r: _SEVERITY[r])
    return RatingResult(
        rag=rag,
        confidence=_confidence(rag, findings, behind=behind, overdue=overdue, missed=inputs.missed_reports),
        planned=planned,
        actual=float(actual),
        reasons_zh=[f.zh for f in findings],
        reasons_en=[f.en for f in findings],
        findings=findings,
        overdue_days=overdue,
        behind_points=behind,
        missed_reports=inputs.missed_reports,
    )


def _deadline_findings(inputs: RatingInputs, actual: int, overdue: int) -> list[Finding]:
    if overdue >= RED_OVERDUE_DAYS:
        return [Finding("overdue", RED, f"已逾期{overdue}天", f"{_plural(overdue, 'day')} overdue")]
    if inputs.as_of > inputs.deadline and actual >= 100:
        return [
            Finding("reported_complete", INFO, "已报告完成，待办结", "Reported complete, awaiting closure")
        ]
    return []


def _progress_finding(actual: int, planned: int, behind: int) -> Finding:
    if behind >= RED_BEHIND_POINTS:
        level = RED
    elif behind >= AMBER_BEHIND_POINTS:
        level = AMBER
    else:
        level = CAUTION if behind > 0 else INFO
    head_zh, head_en = f"进度{actual}%，按计划应达{planned}%", f"Progress {actual}%, planned {planned}%"
    if behind > 0:
        return Finding(
            "progress",
            level,
            f"{head_zh}，落后{behind}个百分点",
            f"{head_en}: {_plural(behind, 'point')} behind",
        )
    if behind < 0:
        return Finding(
            "progress",
            level,
            f"{head_zh}，超前{-behind}个百分点",
            f"{head_en}: {_plural(-behind, 'point')} ahead",
        )
    return Finding("progress", level, f"{head_zh}，符合计划", f"{head_en}: on plan")


def _missed_findings(missed: int) -> list[Finding]:
    if missed >= RED_MISSED_REPORTS:
        return [
            Finding("missed_reports", RED, f"连续{missed}期未报送", f"{missed} consecutive reports missing")
        ]
    if missed >= AMBER_MISSED_REPORTS:
        return [Finding("missed_reports", AMBER, "最近1期未报送", "The latest report is missing")]
    return []


def _indicator_findings(ind: IndicatorInput) -> list[Finding]:
    uom_en = f" {ind.unit_of_measure}" if ind.unit_of_measure else ""
    if ind.actual is None:
        if not ind.started:
            return []
        return [
            Finding(
                "indicator_no_value",
                CAUTION,
                f"指标“{ind.name}”尚未报送数值",
                f'Indicator "{ind.name}": no value reported yet',
            )
        ]
    places = display_places(ind.baseline, ind.target)
    actual, expected = format_value(ind.actual, places), format_value(ind.expected, places)
    head_zh = f"指标“{ind.name}”实际{actual}{ind.unit_of_measure}，按进度应达{expected}{ind.unit_of_measure}"
    head_en = f'Indicator "{ind.name}": {actual}{uom_en}, expected {expected}{uom_en} by now'
    shortfall = ind.expected - ind.actual if ind.direction != "decrease" else ind.actual - ind.expected
    change = abs(ind.target - ind.baseline)
    if shortfall <= 0:
        return [Finding("indicator", INFO, f"{head_zh}，达到进度要求", f"{head_en}: on track")]
    if change == 0:
        return [Finding("indicator", CAUTION, f"{head_zh}，未达到", f"{head_en}: not reached")]
    percent = half_up(shortfall / change * 100)
    if percent <= 0:  # behind by less than half a percent: the words must agree with the colour
        return [Finding("indicator", INFO, f"{head_zh}，达到进度要求", f"{head_en}: on track")]
    if percent >= RED_INDICATOR_SHORTFALL:
        level = RED
    elif percent >= AMBER_INDICATOR_SHORTFALL:
        level = AMBER
    else:
        level = CAUTION
    return [
        Finding(
            "indicator",
            level,
            f"{head_zh}，落后计划变化量的{percent}%",
            f"{head_en}: {percent}% of the planned change behind",
        )
    ]


def _near_deadline_findings(inputs: RatingInputs, actual: int) -> list[Finding]:
    days_left = (inputs.deadline - inputs.as_of).days
    if not (0 <= days_left <= NEAR_DEADLINE_DAYS) or actual >= NEAR_DEADLINE_MIN_PROGRESS:
        return []
    if days_left == 0:
        return [
            Finding(
                "near_deadline", AMBER, f"今天截止，进度仅{actual}%", f"Due today, progress only {actual}%"
            )
        ]
    return [
        Finding(
            "near_deadline",
            AMBER,
            f"距截止还有{days_left}天，进度仅{actual}%",
            f"{_plural(days_left, 'day')} to the deadline, progress only {actual}%",
        )
    ]


def _confidence(rag: str, findings: list[Finding], *, behind: int, overdue: int, missed: int) -> int:
    if rag == RED:
        worst = (
            overdue > 0
            or behind >= LOWEST_CONFIDENCE_BEHIND_POINTS
            or missed >= LOWEST_CONFIDENCE_MISSED_REPORTS
        )
        return 1 if worst else 2
    if rag == AMBER:
        return 3
    return 4 if any(f.level == CAUTION for f in findings) else 5


def _level_rag(level: str) -> str:
    return level if level in (AMBER, RED) else GREEN


def half_up(value: Decimal) -> int:
    """Round to a whole number, halves away from zero (59.5 → 60), as people read percentages."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def display_places(*values: Decimal) -> int:
    """Decimal places to show an indicator's values: at least 2, more if its baseline or target has more."""
    places = [max(0, -int(v.normalize().as_tuple().exponent)) for v in values]
    return max([2, *places])


def format_value(value: Decimal, places: int) -> str:
    """1.2000 → "1.2", 1.3500 → "1.35", 5000 → "5000"."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:f}"


def _one_place(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
