"""Who may see and do what in pre-review and filing review.

- Reviewers (审核员) and review heads see every submission; so do the supervision office, leaders
  and administrators (the office may also submit for a unit). A drafting unit's liaisons and heads
  see only their own unit's submissions; everybody else sees none.
- A drafting unit submits, completes its filing (限期补正) and uploads revisions of its own
  submissions; the office may do so on a unit's behalf.
- The review head assigns (and reassigns) a reviewer. The assigned reviewer — or a review head —
  decides findings, adds findings, returns the draft for revision and records the conclusion.
- The office (supervisors, administrators) and review heads keep the premise rules of decisions.

Every submission is fetched through ``get_submission_for`` (404 outside the user's scope).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import UNIT_ROLES, role_of, unit_of
from luoshi.accounts.scope import fetch_or_404 as _get
from luoshi.review.models import DraftVersion, ReviewFinding, Status, Submission
from luoshi.units.models import Unit

SEE_ALL = frozenset({Role.REVIEWER, Role.REVIEW_HEAD, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
OFFICE = frozenset({Role.SUPERVISOR, Role.ADMIN})  # submits on a unit's behalf
HEADS = frozenset({Role.REVIEW_HEAD, Role.ADMIN})
RULE_KEEPERS = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.REVIEW_HEAD})
REVIEWERS = frozenset({Role.REVIEWER, Role.REVIEW_HEAD})


def visible_submissions(user: Any) -> QuerySet[Submission]:
    role = role_of(user)
    if role in SEE_ALL:
        return Submission.objects.all()
    unit = unit_of(user)
    if role in UNIT_ROLES and unit is not None:
        return Submission.objects.filter(drafting_unit=unit)
    return Submission.objects.none()


def get_submission_for(user: Any, pk: Any) -> Submission:
    return _get(visible_submissions(user), pk)


def get_version_for(user: Any, pk: Any) -> DraftVersion:
    return _get(DraftVersion.objects.filter(submission__in=visible_submissions(user)), pk)


def get_finding_for(user: Any, pk: Any) -> ReviewFinding:
    return _get(
        ReviewFinding.objects.filter(version__submission__in=visible_submissions(user)).select_related(
            "version__submission"
        ),
        pk,
    )


def submitting_units(user: Any) -> QuerySet[Unit]:
    """The units ``user`` may submit for: their own, or (the office) every active unit."""
    role = role_of(user)
    if role in OFFICE:
        return Unit.objects.filter(active=True)
    unit = unit_of(user)
    if role in UNIT_ROLES and unit is not None:
        return Unit.objects.filter(pk=unit.pk)
    return Unit.objects.none()


def _has_unit(user: Any, _obj: Any = None) -> bool:
    return role_of(user) not in UNIT_ROLES or unit_of(user) is not None


def _submits_for(user: Any, unit: Unit) -> bool:
    return submitting_units(user).filter(pk=unit.pk).exists()


def _acts_for(user: Any, submission: Submission) -> bool:
    return submitting_units(user).filter(pk=submission.drafting_unit_id).exists()


def _assigned(user: Any, submission: Submission) -> bool:
    return role_of(user) in HEADS or (
        submission.reviewer_id is not None and submission.reviewer_id == user.pk
    )


REVIEW = table(
    Predicate(
        "review.see_reviews",
        SEE_ALL | UNIT_ROLES,
        "a unit's people: with a unit",
        "单位人员：须属某单位",
        _has_unit,
    ),
    Predicate(
        "review.submit",
        OFFICE | UNIT_ROLES,
        "a unit: its own; the office: any active unit",
        "单位：本单位；督查室：任一在用单位",
        _submits_for,
        "只有起草单位（或督查室代为）可以报送该单位的文件。",
        "Only the drafting unit (or the office on its behalf) may submit its documents.",
    ),
    Predicate(
        "review.act_for_unit",
        OFFICE | UNIT_ROLES,
        "the drafting unit (or the office on its behalf)",
        "起草单位（或督查室代为）",
        _acts_for,
        "只有起草单位（或督查室代为）可以补正或修改送审文件。",
        "Only the drafting unit (or the office on its behalf) may complete or revise it.",
    ),
    Predicate(
        "review.assign",
        HEADS,
        message_zh="只有审核负责人可以分配审核员。",
        message_en="Only the review head assigns reviewers.",
    ),
    Predicate(
        "review.review",
        REVIEWERS | HEADS,
        "a reviewer: the submissions assigned to them; heads: any",
        "审核员：分配给本人的；审核负责人：不限",
        _assigned,
        "只有承办该件的审核员或审核负责人可以进行此操作。",
        "Only the assigned reviewer or a review head may do this.",
    ),
    Predicate("review.review_any", REVIEWERS),
    Predicate(
        "review.keep_rules",
        RULE_KEEPERS,
        message_zh="只有督查室或审核负责人可以维护前提规则。",
        message_en="Only the office or the review head keeps premise rules.",
    ),
)


def may_see_reviews(user: Any) -> bool:
    """Whether the review pages are in the user's menu at all."""
    return REVIEW["see_reviews"](user)


def require_submitter(user: Any, unit: Unit) -> None:
    REVIEW["submit"].require(user, unit)


def may_act_for_unit(user: Any, submission: Submission) -> bool:
    """The drafting unit's people, or the office: complete the filing, upload a revision."""
    return REVIEW["act_for_unit"](user, submission)


def require_unit_side(user: Any, submission: Submission) -> None:
    REVIEW["act_for_unit"].require(user, submission)


def may_assign(user: Any) -> bool:
    return REVIEW["assign"](user)


def require_assigner(user: Any) -> None:
    REVIEW["assign"].require(user)


def may_review(user: Any, submission: Submission) -> bool:
    """The assigned reviewer, or a review head, while the submission is under review."""
    return REVIEW["review"](user, submission)


def require_reviewer(user: Any, submission: Submission) -> None:
    REVIEW["review"].require(user, submission)


def may_review_any(user: Any) -> bool:
    """A reviewer or review head (their list offers "assigned to me")."""
    return REVIEW["review_any"](user)


def may_keep_rules(user: Any) -> bool:
    return REVIEW["keep_rules"](user)


def require_rule_keeper(user: Any) -> None:
    REVIEW["keep_rules"].require(user)


def reviewer_candidates() -> QuerySet[Any]:
    """Active people who may be assigned a submission."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, profile__role__in=REVIEWERS).order_by("username")


def open_for_unit(submission: Submission) -> bool:
    """The drafting unit has something to do: complete the filing or revise the draft."""
    return submission.status in (Status.INCOMPLETE, Status.RETURNED)
