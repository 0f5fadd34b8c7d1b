"""The review over the JSON API: the same services and scope as the pages."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from luoshi.people.services import issue_token
from luoshi.review.models import Status, Submission
from luoshi.review.tests.passages import FAITHFUL, faithful_with
from luoshi.review.tests.world import ReviewWorld, build, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ReviewWorld:
    return build()


_tokens: dict[int, str] = {}


def api(user: object) -> Client:
    """A client with the user's token (one per user and test: the database rolls back between tests)."""
    key = id(user)
    if key not in _tokens or not _tokens[key].startswith("ls_"):
        _tokens[key] = issue_token(user=user, name=f"t{len(_tokens)}")
    return Client(HTTP_AUTHORIZATION=f"Bearer {_tokens[key]}")


@pytest.fixture(autouse=True)
def _fresh_tokens() -> None:
    _tokens.clear()


def upload(text: str, name: str = "draft.txt") -> io.BytesIO:
    f = io.BytesIO(text.encode())
    f.name = name
    return f


def test_a_unit_submits_and_the_reviewer_takes_it_to_a_conclusion(world: ReviewWorld) -> None:
    created = api(world.liaison).post(
        "/api/review/submissions",
        {
            "file": upload(faithful_with("到2025年底前", "到2026年底前")),
            "unit_id": world.unit.pk,
            "review_kind": "pre_review",
            "title": "某市方案",
            "doc_kind": "plan",
            "issuing_body": "某市人民政府",
            "governing_ids": [world.decision.pk],
            "explanation": "起草说明。",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "received" and body["governing_ids"] == [world.decision.pk]
    (finding,) = body["findings"]
    assert finding["cls"] == "later_deadline" and finding["governing_label"] == "二、（一）"
    sid = body["id"]
    assert (
        api(world.head)
        .post(
            f"/api/review/submissions/{sid}/assign",
            json.dumps({"reviewer_id": world.reviewer.pk}),
            content_type="application/json",
        )
        .json()["status"]
        == "in_review"
    )
    refused = api(world.reviewer).post(
        f"/api/review/findings/{finding['id']}/decision",
        json.dumps({"accept": False}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    decided = api(world.reviewer).post(
        f"/api/review/findings/{finding['id']}/decision",
        json.dumps({"accept": True, "opinion": "按决定时限"}),
        content_type="application/json",
    )
    assert decided.json()["findings"][0]["status"] == "accepted"
    assert (
        api(world.reviewer)
        .post(
            f"/api/review/submissions/{sid}/return",
            json.dumps({"comment": "请修改时限。"}),
            content_type="application/json",
        )
        .json()["status"]
        == "returned"
    )
    revised = api(world.liaison).post(
        f"/api/review/submissions/{sid}/versions", {"file": upload(FAITHFUL, "v2.txt")}
    )
    assert revised.status_code == 201 and [v["number"] for v in revised.json()["versions"]] == [1, 2]
    done = api(world.reviewer).post(
        f"/api/review/submissions/{sid}/conclusion",
        json.dumps({"conclusion": "pass_with_changes", "reason": "已改。"}),
        content_type="application/json",
    )
    assert done.json()["status"] == "concluded" and done.json()["conclusion"] == "pass_with_changes"
    docx = api(world.liaison).get(f"/api/review/submissions/{sid}/opinion")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_a_unit_sees_only_its_own_and_cannot_submit_for_another(world: ReviewWorld) -> None:
    s = submit(world, FAITHFUL)
    other = api(world.other_liaison)
    assert other.get("/api/review/submissions").json()["items"] == []
    assert other.get(f"/api/review/submissions/{s.pk}").status_code == 404
    refused = other.post(
        "/api/review/submissions",
        {
            "file": upload(FAITHFUL),
            "unit_id": world.unit.pk,
            "review_kind": "pre_review",
            "title": "x",
            "doc_kind": "plan",
            "issuing_body": "y",
        },
    )
    assert refused.status_code == 403 and Submission.objects.count() == 1
    assert [r["id"] for r in api(world.reviewer).get("/api/review/submissions").json()["items"]] == [s.pk]


def test_check_stores_nothing_and_answers_like_the_command(world: ReviewWorld) -> None:
    before = Submission.objects.count()
    answer = api(world.reviewer).post(
        "/api/review/check",
        {
            "file": upload(faithful_with("严禁在饮用水", "尽量避免在饮用水")),
            "governing_ids": [world.decision.pk],
        },
    )
    assert answer.status_code == 200 and Submission.objects.count() == before
    assert [f["class"] for f in answer.json()["findings"]] == ["softened_obligation"]
    missing = api(world.reviewer).post(
        "/api/review/check", {"file": upload(FAITHFUL), "governing_ids": [987654]}
    )
    assert missing.status_code == 400
    # A number beyond 64 bits is refused as a bad field (it reached the database as a 500 before).
    huge = api(world.reviewer).post(
        "/api/review/check", {"file": upload(FAITHFUL), "governing_ids": [-13994788909243730637618428248064]}
    )
    assert huge.status_code == 422 and Submission.objects.count() == before


def test_the_register_answers_with_deadlines(world: ReviewWorld) -> None:
    import datetime as dt

    s = submit(
        world,
        FAITHFUL,
        review_kind="filing",
        doc_number="某政发〔2024〕8号",
        published_on=dt.date(2024, 8, 20),
    )
    (row,) = api(world.head).get("/api/review/register?period=2024-Q3").json()
    assert row["number"] == s.number and row["filing_due"] == "2024-09-19" and row["days_late"] == 0
    assert row["status"] == Status.RECEIVED
    assert api(world.head).get("/api/review/register?period=bad").status_code == 400
