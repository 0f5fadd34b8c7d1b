from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Obligation, Report
from luoshi.testing.api import Caller
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

ON_TIME = dt.datetime(2024, 4, 5, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2024, 4, 20, 9, 0, tzinfo=dt.UTC)


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["items"]}


def report_of(world: World, **extra: Any) -> dict[str, Any]:
    return {"obligation_id": world.obligation_b.pk, "progress": 20, "narrative": "完成实地调研。", **extra}


def test_it_lists_obligations_within_scope_and_by_state(world: World, api: Caller) -> None:
    assert len(ids(api.get(world.supervisor, "/api/obligations"))) == 3
    assert ids(api.get(world.liaison_b, "/api/obligations")) == {world.obligation_b.pk}
    assert ids(api.get(world.liaison_c, "/api/obligations")) == set()
    assert ids(api.get(world.liaison_a, "/api/obligations", state="submitted")) == {world.obligation_a.pk}
    assert ids(api.get(world.liaison_b, "/api/obligations", state="due")) == {world.obligation_b.pk}
    Obligation.objects.filter(pk=world.obligation_b.pk).update(state=Obligation.State.MISSING)
    assert ids(api.get(world.supervisor, "/api/obligations", state="missing")) == {world.obligation_b.pk}
    assert ids(api.get(world.supervisor, "/api/obligations", state="late")) == set()
    assert api.get(world.supervisor, "/api/obligations", state="lost").status_code == 422


def test_it_answers_404_for_obligations_reports_and_evidence_of_another_unit(
    world: World, api: Caller
) -> None:
    for user in (world.liaison_b, world.head_b, world.liaison_c):
        assert api.get(user, f"/api/obligations/{world.obligation_a.pk}").status_code == 404
        assert api.get(user, f"/api/reports/{world.report_a.pk}").status_code == 404
        assert api.get(user, f"/api/evidence/{world.evidence_a.pk}").status_code == 404
        assert api.get(user, f"/api/evidence/{world.evidence_a.pk}/file").status_code == 404
        assert ids(api.get(user, "/api/reports")) == set()


def test_it_shows_a_report_with_its_evidence_to_its_unit_and_supervisors(world: World, api: Caller) -> None:
    for user in (world.liaison_a, world.head_a, world.supervisor, world.leader):
        body = api.get(user, f"/api/reports/{world.report_a.pk}").json()
        assert (body["progress"], body["submitted_by"], body["period"]) == (30, "liaison_a", "2024-Q1")
        assert [e["original_name"] for e in body["evidence"]] == ["会议纪要.txt"]
    assert ids(api.get(world.head_a, "/api/reports", task=world.task.pk)) == {world.report_a.pk}


def test_it_serves_evidence_as_an_attachment_to_its_unit(world: World, api: Caller) -> None:
    response = api.get(world.head_a, f"/api/evidence/{world.evidence_a.pk}/file")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "会议纪要".encode()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(UNIT_HEAD_APPROVAL=False)
def test_it_takes_a_report_from_the_units_liaison(world: World, api: Caller) -> None:
    with time_machine.travel(ON_TIME, tick=False):
        response = api.post(world.liaison_b, "/api/reports", report_of(world, problems="资金未到位"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["progress"], body["problems"], body["counts"]) == (
        1,
        20,
        "资金未到位",
        True,
    )
    world.obligation_b.refresh_from_db()
    assert world.obligation_b.state == Obligation.State.SUBMITTED
    with time_machine.travel(LATE, tick=False):
        correction = api.post(world.head_b, "/api/reports", report_of(world, progress=25))
    assert (correction.json()["version"], correction.json()["supersedes_id"]) == (2, body["id"])


def test_it_refuses_reports_for_another_unit_or_from_other_roles(world: World, api: Caller) -> None:
    assert (
        api.post(
            world.liaison_b, "/api/reports", {**report_of(world), "obligation_id": world.obligation_a.pk}
        ).status_code
        == 404
    )
    for user in (world.supervisor, world.leader, world.admin):
        response = api.post(user, "/api/reports", report_of(world))
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert not Report.objects.filter(obligation=world.obligation_b).exists()


@override_settings(UNIT_HEAD_APPROVAL=False)
def test_it_passes_on_the_services_refusal_in_both_languages(world: World, api: Caller) -> None:
    with time_machine.travel(ON_TIME, tick=False):
        response = api.post(world.liaison_b, "/api/reports", report_of(world, progress=150))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_progress"
    assert "0 到 100" in body["message"]
    assert "0 to 100" in body["message_en"]


def test_it_names_each_invalid_field(world: World, api: Caller) -> None:
    response = api.post(
        world.liaison_b, "/api/reports", {"obligation_id": world.obligation_b.pk, "progress": "half"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {e["field"] for e in body["errors"]} == {"body.progress", "body.narrative"}
    assert all(e["message"] for e in body["errors"])


@override_settings(UNIT_HEAD_APPROVAL=True)
def test_it_lets_only_the_units_head_approve(world: World, api: Caller) -> None:
    with time_machine.travel(ON_TIME, tick=False):
        submitted = api.post(world.liaison_b, "/api/reports", report_of(world)).json()
    assert submitted["approval"] == "pending"
    url = f"/api/reports/{submitted['id']}/approval"
    for user in (world.liaison_b, world.supervisor, world.leader):
        assert api.post(user, url, {"approve": True}).status_code == 403
    assert api.post(world.head_a, url, {"approve": True}).status_code == 404
    returned = api.post(world.head_b, url, {"approve": False})
    assert (returned.status_code, returned.json()["code"]) == (400, "comment_required")
    approved = api.post(world.head_b, url, {"approve": True})
    assert approved.status_code == 200
    assert (approved.json()["approval"], approved.json()["approved_by"], approved.json()["counts"]) == (
        "approved",
        "head_b",
        True,
    )


@override_settings(UNIT_HEAD_APPROVAL=False)
def test_it_takes_evidence_files_as_multipart(world: World, api: Caller) -> None:
    api._as(world.liaison_b)
    form = {
        "obligation_id": world.obligation_b.pk,
        "progress": 20,
        "narrative": "完成实地调研。",
        "indicator_values": "",
        "evidence": [SimpleUploadedFile("调研报告.txt", "调研情况如下。".encode())],
    }
    with time_machine.travel(ON_TIME, tick=False):
        response = api.client.post("/api/reports/with-evidence", form)
    assert response.status_code == 201, response.content
    [evidence] = response.json()["evidence"]
    assert evidence["original_name"] == "调研报告.txt"
    file = api.client.get(evidence["download"])
    assert file.getvalue() == "调研情况如下。".encode()
    api._as(world.liaison_a)
    assert api.client.get(evidence["download"]).status_code == 404


def test_it_refuses_bad_indicator_json_and_foreign_evidence_types(world: World, api: Caller) -> None:
    api._as(world.liaison_b)
    form = {"obligation_id": world.obligation_b.pk, "progress": 20, "narrative": "完成实地调研。"}
    bad_json = api.client.post(
        "/api/reports/with-evidence",
        {
            **form,
            "indicator_values": "{3: }",
            "evidence": [SimpleUploadedFile("a.txt", b"ok")],
        },
    )
    assert bad_json.status_code == 422
    assert bad_json.json()["errors"][0]["field"] == "form.indicator_values"
    with time_machine.travel(ON_TIME, tick=False):
        exe = api.client.post(
            "/api/reports/with-evidence",
            {
                **form,
                "evidence": [SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64)],
            },
        )
    assert exe.status_code == 400
    assert exe.json()["code"].startswith("evidence_")
    assert not Report.objects.filter(obligation=world.obligation_b).exists()


@override_settings(UNIT_HEAD_APPROVAL=True)
def test_a_head_returns_with_a_comment_audited_and_sees_only_their_units_waiting(
    world: World, api: Caller
) -> None:
    with time_machine.travel(ON_TIME, tick=False):
        submitted = api.post(world.liaison_b, "/api/reports", report_of(world)).json()
    waiting = "/api/reports?approval=pending"
    assert ids(api.get(world.head_b, waiting)) == {submitted["id"]}
    assert ids(api.get(world.head_a, waiting)) == set()  # another unit's report is not theirs to see
    returned = api.post(
        world.head_b,
        f"/api/reports/{submitted['id']}/approval",
        {"approve": False, "comment": "请补充佐证材料。"},
    )
    assert (returned.json()["approval"], returned.json()["approval_comment"], returned.json()["counts"]) == (
        "returned",
        "请补充佐证材料。",
        False,
    )
    entry = AuditEntry.objects.get(action="approve", object_id=str(submitted["id"]))
    assert (entry.actor_label, entry.note, entry.changes["approval"]) == (
        "head_b",
        "请补充佐证材料。",
        ["pending", "returned"],
    )
    again = api.post(world.head_b, f"/api/reports/{submitted['id']}/approval", {"approve": True})
    assert (again.status_code, again.json()["code"]) == (400, "not_pending")
