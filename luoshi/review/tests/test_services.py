"""The review's services: intake and completion, assignment, decisions, revision, conclusion, audit, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.notifications.models import Notice
from luoshi.review import access, services
from luoshi.review.compare import compare
from luoshi.review.errors import ReviewError
from luoshi.review.models import Conclusion, FindingStatus, ReviewKind, Status
from luoshi.review.tests.passages import FAITHFUL, faithful_with
from luoshi.review.tests.world import NOW, ReviewWorld, build, submit

pytestmark = pytest.mark.django_db
WEAK = faithful_with("普及率达到90%以上", "普及率达到85%以上")


@pytest.fixture
def world() -> ReviewWorld:
    return build()


def test_a_complete_submission_is_received_checked_and_told_to_the_head(world: ReviewWorld) -> None:
    s = submit(world, WEAK)
    assert (
        s.status == Status.RECEIVED
        and s.number == f"审2024-{s.pk:04d}"
        and s.received_on == dt.date(2024, 9, 2)
    )
    (finding,) = s.latest.findings.all()  # type: ignore[union-attr]
    assert finding.cls == "lower_target" and finding.status == FindingStatus.OPEN
    assert finding.governing_document == world.decision and finding.governing_label == "二、（一）"
    assert Notice.objects.filter(recipient=world.head, kind="review_received").count() == 1
    assert AuditEntry.objects.filter(
        object_type="review.submission", object_id=str(s.pk), action="create"
    ).exists()


def test_an_incomplete_filing_is_held_with_a_date_to_complete_it(world: ReviewWorld) -> None:
    s = submit(world, FAITHFUL, explanation="", legality_review_filed=False)
    assert s.status == Status.INCOMPLETE and s.missing == ["explanation", "legality_review"]
    assert s.completion_due == dt.date(2024, 9, 9)  # five working days after Monday 2 September
    notice = Notice.objects.get(recipient=world.liaison, kind="review_incomplete")
    assert "起草说明、合法性审核意见" in notice.body and "2024-09-09" in notice.body
    assert {f.rule for f in s.latest.findings.all()} == {  # type: ignore[union-attr]
        "procedure:no_explanation",
        "procedure:no_legality_review",
    }
    with pytest.raises(ReviewError) as refused:
        services.assign(submission=s, user=world.head, reviewer=world.reviewer)
    assert refused.value.code == "wrong_status"
    services.complete_filing(
        submission=s,
        user=world.liaison,
        explanation="起草说明。",
        legality_review_filed=True,
        now=NOW + dt.timedelta(days=1),
    )
    s.refresh_from_db()
    assert s.status == Status.RECEIVED and s.missing == [] and s.completion_due is None
    assert not s.latest.findings.exists()  # the procedure flags went with the gaps


def test_bad_metadata_is_refused_before_anything_is_written(world: ReviewWorld) -> None:
    for overrides, code in (
        ({"title": " "}, "bad_field"),
        ({"doc_kind": "poem"}, "bad_field"),
        ({"review_kind": ReviewKind.FILING, "published_on": None}, "bad_field"),
        ({"effective_on": dt.date(2024, 1, 1)}, "bad_field"),
        ({"data": b""}, "no_file"),
    ):
        with pytest.raises(ReviewError) as refused:
            submit(world, FAITHFUL, **overrides)
        assert refused.value.code == code
    assert not access.visible_submissions(world.head).exists()


def test_only_the_unit_or_the_office_submits_for_a_unit(world: ReviewWorld) -> None:
    with pytest.raises(PermissionDenied):
        submit(world, FAITHFUL, user=world.other_liaison)
    with pytest.raises(PermissionDenied):
        submit(world, FAITHFUL, user=world.reviewer)
    assert submit(world, FAITHFUL, user=world.supervisor).drafting_unit == world.unit


def test_drafting_units_see_only_their_own_submissions(world: ReviewWorld) -> None:
    s = submit(world, FAITHFUL)
    assert list(access.visible_submissions(world.liaison)) == [s]
    assert not access.visible_submissions(world.other_liaison).exists()
    assert list(access.visible_submissions(world.reviewer)) == [s]
    assert list(access.visible_submissions(world.supervisor)) == [s]


def test_the_head_assigns_and_the_review_clock_starts(world: ReviewWorld) -> None:
    s = submit(world, WEAK)
    with pytest.raises(PermissionDenied):
        services.assign(submission=s, user=world.reviewer, reviewer=world.reviewer)
    with pytest.raises(ReviewError):
        services.assign(submission=s, user=world.head, reviewer=world.liaison)
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    s.refresh_from_db()
    assert s.status == Status.IN_REVIEW and s.review_due == dt.date(2024, 9, 23)  # 15 working days
    assert Notice.objects.filter(recipient=world.reviewer, kind="review_assigned").exists()


def test_the_whole_review_return_revise_and_conclude(world: ReviewWorld) -> None:
    s = submit(world, WEAK)
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    (finding,) = s.latest.findings.all()  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):  # another reviewer is not assigned
        services.decide_finding(finding=finding, user=world.second_reviewer, accept=True)
    with pytest.raises(ReviewError) as no_reason:
        services.decide_finding(finding=finding, user=world.reviewer, accept=False)
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ReviewError) as still_open:
        services.conclude(submission=s, user=world.reviewer, conclusion=Conclusion.PASS)
    assert still_open.value.code == "open_findings"
    services.decide_finding(
        finding=finding, user=world.reviewer, accept=True, opinion="请按决定要求不低于90%。"
    )
    own = services.add_finding(
        version=s.latest,  # type: ignore[arg-type]
        user=world.reviewer,
        cls="other",
        start=0,
        end=12,
        basis="标题应与决定保持一致。",
    )
    assert own.status == FindingStatus.ACCEPTED and own.sentence == s.latest.text[:12]  # type: ignore[union-attr]
    services.return_for_revision(submission=s, user=world.reviewer, comment="请按审核意见修改。", now=NOW)
    s.refresh_from_db()
    assert s.status == Status.RETURNED and s.revision_due == dt.date(2024, 9, 16)
    with pytest.raises(PermissionDenied):
        services.revise(submission=s, user=world.other_liaison, data=FAITHFUL.encode(), filename="v2.txt")
    with pytest.raises(ReviewError) as same:
        services.revise(submission=s, user=world.liaison, data=WEAK.encode(), filename="v2.txt")
    assert same.value.code == "same_draft"
    v2 = services.revise(
        submission=s, user=world.liaison, data=FAITHFUL.encode(), filename="v2.txt", note="按意见修改"
    )
    s.refresh_from_db()
    assert s.status == Status.IN_REVIEW and v2.number == 2 and not v2.findings.exists()
    comparison = compare(old=s.versions.get(number=1), new=v2)
    assert [c.kind for c in comparison.changes] == ["changed"] and "90%" in comparison.changes[0].new
    resolved = {o.finding.cls: o.resolved for o in comparison.outcomes}
    assert resolved == {"lower_target": True, "other": False}  # the title is unchanged
    with pytest.raises(ReviewError) as correct:
        services.conclude(submission=s, user=world.reviewer, conclusion=Conclusion.CORRECT, reason="x")
    assert correct.value.code == "bad_field"  # 纠正 is for filing review
    services.conclude(
        submission=s,
        user=world.reviewer,
        conclusion=Conclusion.PASS_WITH_CHANGES,
        reason="已按意见修改。",
        opinion="同意印发。",
    )
    s.refresh_from_db()
    assert s.status == Status.CONCLUDED and s.conclusion == Conclusion.PASS_WITH_CHANGES
    assert Notice.objects.filter(recipient=world.liaison, kind="review_concluded").exists()
    actions = list(
        AuditEntry.objects.filter(object_type="review.submission", object_id=str(s.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update", "create", "transition", "create", "approve"]


def test_a_decision_carries_over_to_an_unchanged_finding(world: ReviewWorld) -> None:
    two = faithful_with("普及率达到90%以上", "普及率达到85%以上").replace("必须严格落实", "鼓励落实")
    s = submit(world, two)
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    for f in s.latest.findings.all():  # type: ignore[union-attr]
        services.decide_finding(
            finding=f,
            user=world.reviewer,
            accept=f.cls == "lower_target",
            reason="" if f.cls == "lower_target" else "本地已有专人管护制度。",
        )
    services.return_for_revision(submission=s, user=world.reviewer, comment="修改目标。")
    v2 = services.revise(
        submission=s, user=world.liaison, data=two.replace("85%", "90%").encode(), filename="v2.txt"
    )
    (kept,) = v2.findings.all()
    assert (
        kept.cls == "softened_obligation" and kept.status == FindingStatus.DISMISSED and kept.carried_from_id
    )
    services.conclude(submission=s, user=world.reviewer, conclusion=Conclusion.PASS)


def test_a_filing_review_has_its_statutory_filing_date(world: ReviewWorld) -> None:
    s = submit(
        world,
        FAITHFUL,
        review_kind=ReviewKind.FILING,
        doc_number="某政发〔2024〕8号",
        published_on=dt.date(2024, 7, 15),
        effective_on=dt.date(2024, 8, 15),
    )
    assert s.number.startswith("备2024-") and s.filing_due == dt.date(2024, 8, 14)
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    s.refresh_from_db()
    assert s.review_due == dt.date(2024, 9, 30)  # 20 working days for a filing review
    services.conclude(
        submission=s, user=world.reviewer, conclusion=Conclusion.CORRECT, reason="第五条无上位法依据。"
    )
    s.refresh_from_db()
    assert s.get_conclusion_display()  # recorded
