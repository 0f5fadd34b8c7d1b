"""The rule: RAG, confidence and the exact reasons a supervisor reads, at fixed dates."""

from __future__ import annotations

from typing import Any

import pytest

from luoshi.documents.models import Document
from luoshi.ratings.services import RatingError, rate
from luoshi.ratings.tests.builders import (
    START,
    D,
    at,
    capacity_indicator,
    intensity_indicator,
    mark_missing,
    monthly,
    obligation,
    submit,
    task,
)
from luoshi.reports.models import Report
from luoshi.reports.services import latest_counting_report
from luoshi.tasks.models import Status, Transition
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

HUNDRED_DAYS = D(2024, 4, 10)


def test_it_rates_18_points_behind_a_linear_plan_amber(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc, deadline=HUNDRED_DAYS)
    jan, feb = monthly(lead, 1, 2)
    submit(jan, liaison, progress=20, on=D(2024, 1, 30))
    submit(feb, liaison, progress=42, on=D(2024, 2, 28))

    result = rate(assignment=lead, as_of=D(2024, 3, 1))

    assert (result.rag, result.confidence, result.planned, result.actual) == ("amber", 3, 60.0, 42.0)
    assert result.reasons_zh == ["进度42%，按计划应达60%，落后18个百分点"]
    assert result.reasons_en == ["Progress 42%, planned 60%: 18 points behind"]
    assert result.behind_points == 18


def test_it_rates_against_the_milestone_plan(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc, milestones=[(D(2024, 3, 31), 40), (D(2024, 6, 30), 50)])
    (march,) = monthly(lead, 3)
    submit(march, liaison, progress=38, on=D(2024, 3, 29))

    result = rate(assignment=lead, as_of=D(2024, 3, 31))

    assert result.rag == "green" and result.confidence == 4
    assert result.reasons_zh == ["进度38%，按计划应达40%，落后2个百分点"]
    assert result.reasons_en == ["Progress 38%, planned 40%: 2 points behind"]


def test_it_rates_12_days_overdue_red(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc, deadline=HUNDRED_DAYS)
    jan, feb, mar = monthly(lead, 1, 2, 3)
    april = obligation(lead, "2024-04", D(2024, 4, 1), HUNDRED_DAYS)
    for ob, progress in ((jan, 20), (feb, 45), (mar, 70), (april, 80)):
        submit(ob, liaison, progress=progress, on=ob.due_date)

    result = rate(assignment=lead, as_of=D(2024, 4, 22))

    assert (result.rag, result.confidence, result.overdue_days) == ("red", 1, 12)
    assert result.reasons_zh == ["已逾期12天", "进度80%，按计划应达100%，落后20个百分点"]
    assert result.reasons_en == ["12 days overdue", "Progress 80%, planned 100%: 20 points behind"]


def test_it_rates_two_consecutive_missed_reports_red(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc)
    jan, feb, mar = monthly(lead, 1, 2, 3)
    submit(jan, liaison, progress=30, on=D(2024, 1, 30))
    mark_missing(feb, mar)

    result = rate(assignment=lead, as_of=D(2024, 4, 1))  # day 91 of 365: 24.9% → 25

    assert (result.rag, result.confidence, result.missed_reports) == ("red", 2, 2)
    assert result.reasons_zh == ["进度30%，按计划应达25%，超前5个百分点", "连续2期未报送"]
    assert result.reasons_en == ["Progress 30%, planned 25%: 5 points ahead", "2 consecutive reports missing"]


def test_a_late_report_breaks_the_run_of_missed_ones(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc)
    jan, feb, mar = monthly(lead, 1, 2, 3)
    mark_missing(jan, mar)
    submit(feb, liaison, progress=25, on=D(2024, 3, 5))  # due 29 February: late

    result = rate(assignment=lead, as_of=D(2024, 4, 1))

    assert result.rag == "amber" and result.missed_reports == 1
    assert result.reasons_zh == ["进度25%，按计划应达25%，符合计划", "最近1期未报送"]
    assert result.reasons_en == ["Progress 25%, planned 25%: on plan", "The latest report is missing"]


def test_a_report_due_today_is_not_yet_missing(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc)
    jan, _feb = monthly(lead, 1, 2)
    submit(jan, liaison, progress=17, on=D(2024, 1, 31))
    assert rate(assignment=lead, as_of=D(2024, 2, 29)).missed_reports == 0
    assert rate(assignment=lead, as_of=D(2024, 3, 1)).missed_reports == 1


def test_it_rates_an_indicator_behind_its_trajectory_red(document: Document, drc: Unit, liaison: Any) -> None:
    t, lead = task(document, drc)
    capacity = capacity_indicator(t)
    q1 = obligation(lead, "2024-Q1", START, D(2024, 3, 31), due=D(2024, 4, 5))
    submit(q1, liaison, progress=28, on=D(2024, 4, 3), values={capacity: "1.2"})

    result = rate(assignment=lead, as_of=HUNDRED_DAYS)  # expected 1.35; 0.15 short of a 0.7 change: 21%

    assert result.rag == "red" and result.confidence == 2
    assert result.reasons_zh == [
        "进度28%，按计划应达27%，超前1个百分点",
        "指标“新能源装机”实际1.2亿千瓦，按进度应达1.35亿千瓦，落后计划变化量的21%",
    ]
    assert (
        result.reasons_en[1] == 'Indicator "新能源装机": 1.2 亿千瓦, expected 1.35 亿千瓦 by now: '
        "21% of the planned change behind"
    )


def test_a_decreasing_indicator_is_behind_when_above_its_trajectory(
    document: Document, drc: Unit, liaison: Any
) -> None:
    t, lead = task(document, drc)
    intensity = intensity_indicator(t)
    q1 = obligation(lead, "2024-Q1", START, D(2024, 3, 31), due=D(2024, 4, 5))
    submit(q1, liaison, progress=27, on=D(2024, 4, 3), values={intensity: "0.92"})

    result = rate(assignment=lead, as_of=HUNDRED_DAYS)  # expected 0.9; 0.02 of a 0.2 change: 10%

    assert result.rag == "amber"
    assert (
        result.reasons_zh[1]
        == "指标“单位GDP能耗”实际0.92吨标准煤/万元，按进度应达0.9吨标准煤/万元，落后计划变化量的10%"
    )


def test_an_indicator_ahead_of_its_trajectory_is_on_track(
    document: Document, drc: Unit, liaison: Any
) -> None:
    t, lead = task(document, drc)
    capacity = capacity_indicator(t)
    q1 = obligation(lead, "2024-Q1", START, D(2024, 3, 31), due=D(2024, 4, 5))
    submit(q1, liaison, progress=27, on=D(2024, 4, 3), values={capacity: "1.4"})

    result = rate(assignment=lead, as_of=HUNDRED_DAYS)

    assert (result.rag, result.confidence) == ("green", 5)
    assert result.reasons_zh[1] == "指标“新能源装机”实际1.4亿千瓦，按进度应达1.35亿千瓦，达到进度要求"


def test_a_completed_task_is_green(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, deadline=HUNDRED_DAYS, status=Status.COMPLETED)

    result = rate(assignment=lead, as_of=D(2024, 6, 1))

    assert (result.rag, result.confidence, result.actual) == ("green", 5, 100.0)
    assert (result.reasons_zh, result.reasons_en) == (["已办结"], ["Completed"])


def test_a_task_completed_later_is_rated_as_open_before_that_day(
    document: Document, drc: Unit, liaison: Any
) -> None:
    t, lead = task(document, drc, deadline=HUNDRED_DAYS, status=Status.COMPLETED)
    Transition.objects.create(
        task=t,
        from_status=Status.COMPLETION_REQUESTED,
        to_status=Status.COMPLETED,
        by=liaison,
        at=at(D(2024, 5, 1)),
    )
    assert rate(assignment=lead, as_of=D(2024, 4, 20)).reasons_zh[0] == "已逾期10天"
    assert rate(assignment=lead, as_of=D(2024, 5, 1)).reasons_zh == ["已办结"]


def test_a_cancelled_task_is_not_rated(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, status=Status.CANCELLED)
    with pytest.raises(RatingError) as refused:
        rate(assignment=lead, as_of=D(2024, 3, 1))
    assert refused.value.code == "not_rated"


def test_with_no_counting_report_progress_is_zero_and_says_so(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc)

    result = rate(assignment=lead, as_of=D(2024, 1, 20))  # day 19 of 365: 5.2% → 5

    assert (result.rag, result.confidence, result.actual) == ("green", 4, 0.0)
    assert result.reasons_zh == ["进度0%，按计划应达5%，落后5个百分点", "尚无计入的报告，进度按0%计"]
    assert result.reasons_en[1] == "No counting report yet: progress taken as 0%"


def test_a_report_counts_only_once_approved(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc, deadline=HUNDRED_DAYS)
    jan, feb = monthly(lead, 1, 2)
    submit(jan, liaison, progress=30, on=D(2024, 1, 31))
    submit(
        feb,
        liaison,
        progress=60,
        on=D(2024, 2, 29),
        approval=Report.Approval.APPROVED,
        approved_on=D(2024, 3, 2),
    )
    assert rate(assignment=lead, as_of=D(2024, 3, 1)).actual == 30.0
    assert rate(assignment=lead, as_of=D(2024, 3, 2)).actual == 60.0
    returned = monthly(lead, 3)[0]
    submit(returned, liaison, progress=90, on=D(2024, 3, 30), approval=Report.Approval.RETURNED)
    assert rate(assignment=lead, as_of=D(2024, 4, 1)).actual == 60.0


def test_the_latest_period_wins_over_a_later_correction_of_an_older_one(
    document: Document, drc: Unit, liaison: Any
) -> None:
    _, lead = task(document, drc)
    jan, feb = monthly(lead, 1, 2)
    submit(jan, liaison, progress=10, on=D(2024, 1, 31))
    submit(feb, liaison, progress=20, on=D(2024, 2, 29))
    submit(jan, liaison, progress=12, on=D(2024, 3, 1), version=2)  # correction of January
    assert rate(assignment=lead, as_of=D(2024, 3, 1)).actual == 20.0


def test_the_near_deadline_with_low_progress_is_amber(document: Document, drc: Unit, liaison: Any) -> None:
    _, lead = task(document, drc)
    (nov,) = monthly(lead, 11)
    submit(nov, liaison, progress=88, on=D(2024, 11, 30))

    result = rate(assignment=lead, as_of=D(2024, 12, 11))  # day 345: 94.5% → 95

    assert result.rag == "amber"
    assert result.reasons_zh == ["进度88%，按计划应达95%，落后7个百分点", "距截止还有20天，进度仅88%"]
    assert result.reasons_en[1] == "20 days to the deadline, progress only 88%"


def test_reported_complete_after_the_deadline_is_not_overdue(
    document: Document, drc: Unit, liaison: Any
) -> None:
    _, lead = task(document, drc, deadline=HUNDRED_DAYS)
    final = obligation(lead, "2024-04", D(2024, 4, 1), HUNDRED_DAYS)
    submit(final, liaison, progress=100, on=HUNDRED_DAYS)

    result = rate(assignment=lead, as_of=D(2024, 4, 22))

    assert result.rag == "green" and result.overdue_days == 0
    assert result.reasons_zh == ["已报告完成，待办结", "进度100%，按计划应达100%，符合计划"]


def test_a_report_submitted_after_the_rating_date_is_not_seen(
    document: Document, drc: Unit, liaison: Any
) -> None:
    _, lead = task(document, drc, deadline=HUNDRED_DAYS)
    jan, feb = monthly(lead, 1, 2)
    submit(jan, liaison, progress=20, on=D(2024, 1, 30))
    submit(feb, liaison, progress=42, on=D(2024, 3, 20))  # after the rating date: does not count yet
    assert rate(assignment=lead, as_of=D(2024, 3, 1)).to_dict()["reasons"] == [
        "进度20%，按计划应达60%，落后40个百分点",
        "最近1期未报送",
    ]


def test_it_counts_the_report_reports_services_would_count(
    document: Document, drc: Unit, liaison: Any
) -> None:
    """The bulk reader used by rate and rollup agrees with reports.services.latest_counting_report."""
    _, lead = task(document, drc)
    jan, feb, mar = monthly(lead, 1, 2, 3)
    submit(jan, liaison, progress=10, on=D(2024, 1, 31))
    submit(
        feb,
        liaison,
        progress=20,
        on=D(2024, 2, 29),
        approval=Report.Approval.APPROVED,
        approved_on=D(2024, 3, 4),
    )
    submit(jan, liaison, progress=12, on=D(2024, 3, 2), version=2)
    submit(mar, liaison, progress=35, on=D(2024, 3, 30), approval=Report.Approval.PENDING)
    for day in (D(2024, 1, 30), D(2024, 1, 31), D(2024, 3, 1), D(2024, 3, 3), D(2024, 3, 4), D(2024, 4, 1)):
        expected = latest_counting_report(assignment=lead, as_of=day)
        assert rate(assignment=lead, as_of=day).actual == (expected.progress if expected else 0), day
