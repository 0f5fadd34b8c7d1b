"""The web pages and the API agree on every permission both expose, and both agree with the predicate.

For each case below and each person of the test world, the same write is tried through a page
(session login, form POST) and through the API (a token, JSON POST; a multipart form where the
write uploads a file), each inside a savepoint that is rolled back afterwards. "Allowed" is whether the write happened (a refusal by the task's state
would be allowed-but-refused, so each case sets up a state where an allowed user succeeds).
Then web allowed == API allowed == the predicate's answer for that person.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import all_predicates, may
from luoshi.bulletins.models import Bulletin
from luoshi.evaluation.models import Closure, Evaluation, Evaluator
from luoshi.evaluation.services import record_evaluation
from luoshi.instructions.models import Handling, Instruction, Watch
from luoshi.instructions.services import issue_instruction, respond_to_instruction
from luoshi.people.services import issue_token
from luoshi.reports.models import Report
from luoshi.review import services as review
from luoshi.review.models import DocKind, FindingStatus, ReviewFinding, ReviewKind, Submission
from luoshi.supervision.models import ExtensionRequest, Urging
from luoshi.tasks.models import Status, Task
from luoshi.testing.world import World, make_user
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

LATER = (timezone.localdate() + dt.timedelta(days=200)).isoformat()


@dataclass(frozen=True)
class Case:
    """One permission: how to ask the page and the API, and how to see whether the write happened.

    ``setup`` prepares the state and returns the object the write is about (inside the savepoint);
    ``expected`` is the predicate's answer for (world, user, object).
    """

    predicate: str
    setup: Callable[[World], Any]
    web: Callable[[World, Any, Any], tuple[str, dict[str, Any]]]  # (world, object, user) -> (path, form)
    api: Callable[[World, Any, Any], tuple[str, dict[str, Any]]]  # -> (path, JSON body)
    happened: Callable[[World, Any, Any], bool]
    expected: Callable[[World, Any, Any], bool]
    multipart: bool = False  # the API's body is a form with a file (as the web's always is)


def _urging(world: World) -> Urging:
    now = timezone.now()
    return Urging.objects.create(
        key="agreement",
        subject="report",
        assignment=world.a,
        obligation=world.obligation_a,
        due_date=dt.date(2024, 4, 10),
        days_overdue=5,
        required_response="请说明原因。",
        respond_by=dt.date(2024, 4, 20),
        created_at=now,
    )


def _pending_extension(world: World) -> ExtensionRequest:
    return ExtensionRequest.objects.create(
        assignment=world.a,
        old_deadline=world.a.deadline,
        new_deadline=dt.date.fromisoformat(LATER),
        reason="工期调整",
        requested_by=world.liaison_a,
        requested_at=timezone.now(),
    )


def _pending_report(world: World) -> Report:
    Report.objects.filter(pk=world.report_a.pk).update(approval=Report.Approval.PENDING)
    return world.report_a


def _completed_with_an_evaluator(world: World) -> Task:
    """Task 2 (A alone) completed, A's head designated to evaluate it."""
    Task.objects.filter(pk=world.task_a.pk).update(status=Status.COMPLETED)
    Evaluator.objects.create(
        task=world.task_a, user=world.head_a, designated_by=world.supervisor, designated_at=timezone.now()
    )
    return Task.objects.get(pk=world.task_a.pk)


def _instruction(world: World) -> Instruction:
    """A leader's instruction on task 2 (A alone): A's handling is open."""
    return issue_instruction(
        leader=world.leader, text="请加快推进。", due_date=dt.date.fromisoformat(LATER), task=world.task_a
    )


def _handling(world: World) -> Handling:
    return _instruction(world).handlings.get()


def _assigned(world: World) -> Task:
    Task.objects.filter(pk=world.task_a.pk).update(status=Status.ASSIGNED)
    return Task.objects.get(pk=world.task_a.pk)


def _closable(world: World) -> Task:
    """Task 1 completed and evaluated by the office; A's report on it has an evidence file to cite."""
    Task.objects.filter(pk=world.task.pk).update(status=Status.COMPLETED)
    record_evaluation(task=world.task, effect="good", user=world.supervisor)
    return Task.objects.get(pk=world.task.pk)


def _awaiting_head(world: World) -> Handling:
    """A's handling of an instruction, its answer drafted by A's liaison and waiting for A's head."""
    Unit.objects.filter(pk=world.unit_a.pk).update(requires_head_approval=True)
    handling = _handling(world)
    return respond_to_instruction(handling=handling, user=world.liaison_a, text="已召开专题会议推进。")


def _draft(text: str = "某市实施方案\n一、主要任务\n大力发展新能源装备制造业。") -> io.BytesIO:
    f = io.BytesIO(text.encode())
    f.name = "draft.txt"
    return f


SUBMISSION: dict[str, Any] = {
    "review_kind": ReviewKind.PRE,
    "title": "某市新能源发展实施方案",
    "doc_kind": DocKind.PLAN,
    "issuing_body": "某市人民政府",
    "explanation": "起草说明：依据自治区决定制定。",
}


def _person(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _received(world: World) -> Submission:
    """A's draft submitted for pre-review, complete (so received for assignment)."""
    submission = review.submit(
        user=world.liaison_a,
        unit=world.unit_a,
        data=_draft().getvalue(),
        filename="draft.txt",
        governing=[world.document],
        legality_review_filed=True,
        consultation_filed=True,
        **SUBMISSION,
    )
    assert submission.status == "received", submission.missing
    return submission


def _in_review(world: World) -> tuple[Submission, ReviewFinding]:
    """A's draft assigned to the reviewer, with a finding of the reviewer's own."""
    submission = review.assign(
        submission=_received(world), user=_person("review_head"), reviewer=_person("reviewer")
    )
    version = submission.latest
    assert version is not None
    start = version.text.index("大力发展")
    finding = review.add_finding(
        version=version,
        user=_person("reviewer"),
        cls="other",
        start=start,
        end=start + 4,
        basis="表述待斟酌。",
    )
    return submission, finding


def _returned(world: World) -> Submission:
    """A's draft returned by the reviewer for revision (every finding decided first)."""
    submission, _finding = _in_review(world)
    latest = submission.latest
    assert latest is not None
    for open_finding in latest.findings.filter(status=FindingStatus.OPEN):
        review.decide_finding(finding=open_finding, user=_person("reviewer"), accept=True)
    return review.return_for_revision(submission=submission, user=_person("reviewer"), comment="请修改表述。")


REVISED = "某市实施方案（修改稿）\n一、主要任务\n加快发展新能源装备制造业。"

CASES: list[Case] = [
    Case(
        "evaluation.designate_evaluator",
        lambda w: w.task_a,
        web=lambda w, task, u: (f"/tasks/{task.pk}/evaluators", {"user": w.leader.pk}),
        api=lambda w, task, u: (f"/api/tasks/{task.pk}/evaluators", {"username": "leader"}),
        happened=lambda w, task, u: Evaluator.objects.filter(task=task, user=w.leader).exists(),
        expected=lambda w, task, u: may(u, "evaluation.designate_evaluator", task),
    ),
    # The person designated varies here; the office designates.
    Case(
        "evaluation.be_designated",
        lambda w: w.task,
        web=lambda w, task, u: (f"/tasks/{task.pk}/evaluators", {"user": u.pk}),
        api=lambda w, task, u: (f"/api/tasks/{task.pk}/evaluators", {"username": u.username}),
        happened=lambda w, task, u: Evaluator.objects.filter(task=task, user=u).exists(),
        expected=lambda w, task, u: may(u, "evaluation.be_designated", task),
    ),
    Case(
        "evaluation.evaluate",
        _completed_with_an_evaluator,
        web=lambda w, task, u: (f"/tasks/{task.pk}/evaluations", {"effect": "good", "comments": "成效明显"}),
        api=lambda w, task, u: (
            f"/api/tasks/{task.pk}/evaluations",
            {"effect": "good", "comments": "成效明显"},
        ),
        happened=lambda w, task, u: Evaluation.objects.filter(task=task).exists(),
        expected=lambda w, task, u: may(u, "evaluation.evaluate", task),
    ),
    Case(
        "supervision.request_extension",
        lambda w: w.a,
        web=lambda w, a, u: (f"/assignments/{a.pk}/extension", {"new_deadline": LATER, "reason": "工期调整"}),
        api=lambda w, a, u: (
            f"/api/assignments/{a.pk}/extensions",
            {"new_deadline": LATER, "reason": "工期调整"},
        ),
        happened=lambda w, a, u: ExtensionRequest.objects.filter(assignment=a).exists(),
        expected=lambda w, a, u: may(u, "supervision.request_extension", a),
    ),
    Case(
        "supervision.decide_extension",
        _pending_extension,
        web=lambda w, e, u: (
            f"/office/extensions/{e.pk}/decide",
            {"decision": "reject", "comment": "理由不足"},
        ),
        api=lambda w, e, u: (f"/api/extensions/{e.pk}/decision", {"approve": False, "comment": "理由不足"}),
        happened=lambda w, e, u: (
            ExtensionRequest.objects.get(pk=e.pk).status != ExtensionRequest.Status.PENDING
        ),
        expected=lambda w, e, u: may(u, "supervision.decide_extension", e),
    ),
    Case(
        "supervision.respond_to_urging",
        _urging,
        web=lambda w, urging, u: (f"/urgings/{urging.pk}/", {"response": "已加快推进。"}),
        api=lambda w, urging, u: (f"/api/urgings/{urging.pk}/response", {"response": "已加快推进。"}),
        happened=lambda w, urging, u: Urging.objects.get(pk=urging.pk).responded_at is not None,
        expected=lambda w, urging, u: may(u, "supervision.respond_to_urging", urging),
    ),
    Case(
        "reports.submit",
        lambda w: w.obligation_b,
        web=lambda w, o, u: (f"/obligations/{o.pk}/report/", {"progress": 20, "narrative": "已完成调研。"}),
        api=lambda w, o, u: (
            "/api/reports",
            {"obligation_id": o.pk, "progress": 20, "narrative": "已完成调研。"},
        ),
        happened=lambda w, o, u: Report.objects.filter(obligation=o).exists(),
        expected=lambda w, o, u: may(u, "reports.submit", o),
    ),
    Case(
        "reports.approve",
        _pending_report,
        web=lambda w, r, u: (f"/reports/{r.pk}/approve", {"decision": "approve"}),
        api=lambda w, r, u: (f"/api/reports/{r.pk}/approval", {"approve": True}),
        happened=lambda w, r, u: Report.objects.get(pk=r.pk).approval == Report.Approval.APPROVED,
        expected=lambda w, r, u: may(u, "reports.approve", r),
    ),
    Case(
        "instructions.instruct",
        lambda w: w.task_a,
        web=lambda w, t, u: (f"/instructions/new/?task={t.pk}", {"text": "请加快推进。", "due_date": LATER}),
        api=lambda w, t, u: (
            "/api/instructions",
            {"subject": "task", "subject_id": t.pk, "text": "请加快推进。", "due_date": LATER},
        ),
        happened=lambda w, t, u: Instruction.objects.filter(task=t).exists(),
        expected=lambda w, t, u: may(u, "instructions.instruct"),
    ),
    Case(
        "instructions.watch",
        lambda w: w.task_a,
        web=lambda w, t, u: ("/leader/watch", {"task": t.pk}),
        api=lambda w, t, u: ("/api/watch", {"task_id": t.pk}),
        happened=lambda w, t, u: Watch.objects.filter(task=t).exists(),
        expected=lambda w, t, u: may(u, "instructions.watch"),
    ),
    Case(
        "instructions.cite",
        _instruction,
        web=lambda w, i, u: (f"/instructions/{i.pk}/cite", {"cited": "1"}),
        api=lambda w, i, u: (f"/api/instructions/{i.pk}/bulletin", {"cited": True}),
        happened=lambda w, i, u: Instruction.objects.get(pk=i.pk).in_bulletin,
        expected=lambda w, i, u: may(u, "instructions.cite", i),
    ),
    Case(
        "instructions.respond",
        _handling,
        web=lambda w, h, u: (f"/handlings/{h.pk}/respond", {"text": "已召开专题会议推进。"}),
        api=lambda w, h, u: (f"/api/handlings/{h.pk}/response", {"text": "已召开专题会议推进。"}),
        happened=lambda w, h, u: Handling.objects.get(pk=h.pk).response != "",
        expected=lambda w, h, u: may(u, "instructions.respond", h),
    ),
    Case(
        "bulletins.edit",
        lambda w: None,
        web=lambda w, _none, u: ("/bulletins/issue", {"period": "2024-Q1"}),
        api=lambda w, _none, u: ("/api/bulletins", {"period": "2024-Q1"}),
        happened=lambda w, _none, u: Bulletin.objects.exists(),
        expected=lambda w, _none, u: may(u, "bulletins.edit"),
    ),
    Case(
        "evaluation.close",
        _closable,
        web=lambda w, t, u: (
            f"/tasks/{t.pk}/close",
            {"note": "任务完成，予以销号。", "evidence": [w.evidence_a.pk]},
        ),
        api=lambda w, t, u: (
            f"/api/tasks/{t.pk}/closure",
            {"note": "任务完成，予以销号。", "evidence_ids": [w.evidence_a.pk]},
        ),
        happened=lambda w, t, u: Closure.objects.filter(task=t).exists(),
        expected=lambda w, t, u: may(u, "evaluation.close", t),
    ),
    Case(
        "instructions.approve",
        _awaiting_head,
        web=lambda w, h, u: (f"/handlings/{h.pk}/approve", {"decision": "approve"}),
        api=lambda w, h, u: (f"/api/handlings/{h.pk}/approval", {"approve": True}),
        happened=lambda w, h, u: Handling.objects.get(pk=h.pk).state == Handling.State.DONE,
        expected=lambda w, h, u: may(u, "instructions.approve", h),
    ),
    Case(
        "review.submit",
        lambda w: w.unit_a,
        web=lambda w, unit, u: ("/review/new/", {**SUBMISSION, "unit": unit.pk, "file": _draft()}),
        api=lambda w, unit, u: (
            "/api/review/submissions",
            {**SUBMISSION, "unit_id": unit.pk, "file": _draft()},
        ),
        happened=lambda w, unit, u: Submission.objects.filter(drafting_unit=unit).exists(),
        expected=lambda w, unit, u: may(u, "review.submit", unit),
        multipart=True,
    ),
    # The unit's side: a revised draft (completing a filing, 限期补正, is the same rule but a page only).
    Case(
        "review.act_for_unit",
        _returned,
        web=lambda w, s, u: (f"/review/{s.pk}/revise", {"file": _draft(REVISED), "note": "已修改。"}),
        api=lambda w, s, u: (
            f"/api/review/submissions/{s.pk}/versions",
            {"file": _draft(REVISED), "note": "已修改。"},
        ),
        happened=lambda w, s, u: s.versions.count() == 2,
        expected=lambda w, s, u: may(u, "review.act_for_unit", s),
        multipart=True,
    ),
    Case(
        "review.assign",
        _received,
        web=lambda w, s, u: (f"/review/{s.pk}/assign", {"reviewer": _person("reviewer").pk}),
        api=lambda w, s, u: (
            f"/api/review/submissions/{s.pk}/assign",
            {"reviewer_id": _person("reviewer").pk},
        ),
        happened=lambda w, s, u: Submission.objects.get(pk=s.pk).reviewer_id is not None,
        expected=lambda w, s, u: may(u, "review.assign", s),
    ),
    # Deciding a finding (here: dismissing the reviewer's own, with a reason).
    Case(
        "review.review",
        _in_review,
        web=lambda w, sf, u: (
            f"/review/{sf[0].pk}/findings/{sf[1].pk}/decide",
            {"decision": "dismiss", "reason": "表述无误。"},
        ),
        api=lambda w, sf, u: (
            f"/api/review/findings/{sf[1].pk}/decision",
            {"accept": False, "reason": "表述无误。"},
        ),
        happened=lambda w, sf, u: ReviewFinding.objects.get(pk=sf[1].pk).status == FindingStatus.DISMISSED,
        expected=lambda w, sf, u: may(u, "review.review", sf[0]),
    ),
    # Accepting a task (签收): the lead unit's own step, or the office's ("roles.assign").
    Case(
        "tasks.unit_step",
        _assigned,
        web=lambda w, t, u: (f"/tasks/{t.pk}/transition", {"to_status": "in_progress", "version": t.version}),
        api=lambda w, t, u: (
            f"/api/tasks/{t.pk}/transition",
            {"to_status": "in_progress", "version": t.version},
        ),
        happened=lambda w, t, u: Task.objects.get(pk=t.pk).status == Status.IN_PROGRESS,
        expected=lambda w, t, u: may(u, "tasks.unit_step", t) or may(u, "roles.assign"),
    ),
]

# Predicates only one side exposes (or that no write of its own stands for), with the reason.
NOT_ON_BOTH: dict[str, str] = {
    "accounts.manage_account": "web only: the people pages; the API manages no accounts",
    "accounts.manage_accounts": "web only: the people pages; the API manages no accounts",
    "people.manage_units": "web only: the people pages; the API keeps no units",
    "tasks.divide": "web only: the API divides no assignments (cascade)",
    "bulletins.issue_urging_notice": "web only: the API downloads an issued urging notice, it issues none",
    "review.see_reviews": "a menu entry of the web; the API's review lists use visible_submissions",
    "review.review_any": "a filter of the web list (assigned to me); the API has none",
    "review.keep_rules": "web only: the premise rules pages",
    "roles.admin": "the Django admin only",
    "roles.approve_report": "read as reports.approve, which adds the unit condition",
    "roles.report": "read as reports.submit / supervision.*, which add the unit condition",
    "roles.rate": "many pages and endpoints: checked route by route by test_authorization_matrix",
    "roles.plan": "many pages and endpoints: checked route by route by test_authorization_matrix",
    "roles.approve_completion": "read through tasks.access.require_transition; closing is evaluation.close",
    "roles.assign": "read through tasks.access.require_transition (the tasks.unit_step case)",
}
# Exposed on both sides but no write to walk here (a read), with where each side is tested.
ELSEWHERE: dict[str, str] = {
    "bulletins.read": "a read, not a write: web/tests/test_bulletins_ui (the page's 403), "
    "api/tests/test_bulletins_api and test_authorization_matrix (every route by role)",
}


def everyone(world: World) -> list[Any]:
    """Each role of the test world (and the pre-review's two, whom none of these rules admit)."""
    return [
        world.supervisor,
        world.leader,
        world.admin,
        world.superuser,
        world.nobody,
        world.liaison_a,
        world.head_a,
        world.liaison_b,
        world.head_b,
        world.liaison_c,
        make_user("reviewer", Role.REVIEWER),
        make_user("review_head", Role.REVIEW_HEAD),
    ]


def test_every_predicate_is_walked_here_or_says_why_not() -> None:
    walked = {case.predicate for case in CASES}
    assert not walked & (set(NOT_ON_BOTH) | set(ELSEWHERE))
    assert walked | set(NOT_ON_BOTH) | set(ELSEWHERE) == {p.name for p in all_predicates()}


@pytest.mark.parametrize("case", CASES, ids=[c.predicate for c in CASES])
def test_the_web_and_the_api_agree_with_the_predicate(world: World, case: Case) -> None:
    people = everyone(world)
    tokens = {u.pk: issue_token(user=u, name="agreement") for u in people}
    # evaluation.be_designated: the office acts, the person varies; elsewhere the person acts.
    acting = (lambda u: world.supervisor) if case.predicate == "evaluation.be_designated" else (lambda u: u)
    answers = {}
    for user in people:
        sid = transaction.savepoint()
        expected = case.expected(world, case.setup(world), user)
        transaction.savepoint_rollback(sid)
        web = _tried_as(world, case, user, acting(user), "web", tokens)
        api = _tried_as(world, case, user, acting(user), "api", tokens)
        answers[user.username] = (web, api, expected)
    disagreeing = {name: a for name, a in answers.items() if len(set(a)) != 1}
    assert not disagreeing, f"(web, api, predicate) differ for {disagreeing}"
    assert any(a[2] for a in answers.values()) and not all(a[2] for a in answers.values())


def _tried_as(
    world: World, case: Case, subject_user: Any, actor: Any, side: str, tokens: dict[int, str]
) -> bool:
    """As ``_tried``, with the page/API called by ``actor`` about ``subject_user``."""
    sid = transaction.savepoint()
    try:
        subject = case.setup(world)
        client = Client()
        if side == "web":
            path, form = case.web(world, subject, subject_user)
            client.force_login(actor)
            response = client.post(path, form)
        elif case.multipart:
            path, body = case.api(world, subject, subject_user)
            response = client.post(path, body, HTTP_AUTHORIZATION=f"Bearer {tokens[actor.pk]}")
        else:
            path, body = case.api(world, subject, subject_user)
            response = client.post(
                path,
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {tokens[actor.pk]}",
            )
        assert response.status_code < 500, (
            case.predicate,
            side,
            subject_user.username,
            response.content[:300],
        )
        return case.happened(world, subject, subject_user)
    finally:
        transaction.savepoint_rollback(sid)
