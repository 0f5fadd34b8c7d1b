from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import openpyxl
import pytest
from django.test import Client

from luoshi.bulletins.models import Bulletin
from luoshi.testing.api import Caller
from luoshi.testing.world import World

TODAY = dt.datetime(2024, 4, 20, 9, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(TODAY, tick=False)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def issue(api: Caller, user: Any, **payload: Any) -> Any:
    return api.post(user, "/api/bulletins", {"period": "2024-Q1", **payload})


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_the_office_issues_a_numbered_bulletin(world: World, api: Caller) -> None:
    response = issue(api, world.supervisor, as_of="2024-04-15")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["version"], body["period"], body["as_of"], body["issued_by"]) == (
        "2024年第1期",
        1,
        "2024-Q1",
        "2024-04-15",
        "supervisor",
    )
    assert body["title"] == "关于2024年第一季度重点任务落实情况的通报"
    assert (body["supersedes_id"], body["superseded_by_id"]) == (None, None)
    bulletin = Bulletin.objects.get()
    assert body["docx_sha256"] == bulletin.docx_sha256
    assert body["download"] == f"/api/bulletins/{bulletin.pk}/file?format=docx"


def test_reissuing_supersedes_the_earlier_bulletin(world: World, api: Caller) -> None:
    first = issue(api, world.supervisor).json()
    again = issue(api, world.admin, period="2024-q1", title="关于一季度重点任务的通报（更正）").json()
    assert (again["number"], again["version"], again["supersedes_id"]) == ("2024年第2期", 2, first["id"])
    listed = api.get(world.leader, "/api/bulletins", period="2024-q1").json()["items"]
    assert [(b["id"], b["superseded_by_id"]) for b in listed] == [
        (again["id"], None),
        (first["id"], again["id"]),
    ]
    assert (
        api.get(world.supervisor, f"/api/bulletins/{first['id']}").json()["superseded_by_id"] == again["id"]
    )


def test_only_the_office_issues_and_only_readers_read(world: World, api: Caller) -> None:
    for user in (world.leader, world.liaison_a, world.head_a):
        refused = issue(api, user)
        assert refused.status_code == 403
        assert refused.json()["message_en"] == "Only the supervision office issues bulletins."
    assert not Bulletin.objects.exists()
    bulletin_id = issue(api, world.supervisor).json()["id"]
    for user in (world.liaison_a, world.head_b, world.liaison_c, world.nobody):
        assert api.get(user, "/api/bulletins").status_code == 403
        assert api.get(user, f"/api/bulletins/{bulletin_id}").status_code == 403
        assert api.get(user, f"/api/bulletins/{bulletin_id}/file").status_code == 403
        assert api.get(user, "/api/ledger").status_code == 403
    assert ids(api.get(world.leader, "/api/bulletins")) == [bulletin_id]


def test_it_refuses_a_bad_period_or_scope(world: World, api: Caller) -> None:
    bad = issue(api, world.supervisor, period="2024-Q5")
    assert bad.status_code == 400
    assert (bad.json()["code"], bad.json()["message_en"]) == (
        "bad_period",
        "Bad period '2024-Q5': use 2024-Q1, 2024-03, 2024-H1 or 2024.",
    )
    assert bad.json()["message"].startswith("通报期次格式不正确")
    level = issue(api, world.supervisor, level="galaxy")
    assert (level.status_code, level.json()["code"]) == (400, "bad_level")
    assert api.post(world.supervisor, "/api/bulletins", {"title": "无期次"}).status_code == 422
    assert issue(api, world.supervisor, document_id=999999).status_code == 404
    assert not Bulletin.objects.exists()


def test_it_issues_for_one_document_and_filters_by_it(world: World, api: Caller) -> None:
    scoped = issue(api, world.supervisor, document_id=world.document.pk).json()
    whole = issue(api, world.supervisor).json()
    assert scoped["document_id"] == world.document.pk and whole["document_id"] is None
    assert ids(api.get(world.supervisor, "/api/bulletins", document=world.document.pk)) == [scoped["id"]]
    assert ids(api.get(world.supervisor, "/api/bulletins")) == [whole["id"], scoped["id"]]
    assert api.get(world.supervisor, "/api/bulletins", document=999999).status_code == 404


def test_it_serves_an_issued_bulletin_in_each_format(world: World, api: Caller) -> None:
    bulletin_id = issue(api, world.supervisor).json()["id"]
    url = f"/api/bulletins/{bulletin_id}/file"
    as_issued = api.get(world.leader, url)
    assert as_issued.status_code == 200, as_issued.content
    assert as_issued["Content-Type"] == DOCX
    assert as_issued["Content-Disposition"] == 'attachment; filename="bulletin-2024-1.docx"'
    assert as_issued.content == bytes(Bulletin.objects.get().docx)
    text = "".join(p.text for p in docx.Document(io.BytesIO(as_issued.content)).paragraphs)
    assert "2024年第1期" in text
    page = api.get(world.supervisor, url, format="html")
    assert page["Content-Type"].startswith("text/html") and "2024年第1期" in page.content.decode()
    sheet = api.get(world.supervisor, url, format="xlsx")
    assert openpyxl.load_workbook(io.BytesIO(sheet.content)).sheetnames
    odd = api.get(world.supervisor, url, format="odt")
    assert (odd.status_code, [e["field"] for e in odd.json()["errors"]]) == (422, ["query.format"])
    assert api.get(world.supervisor, "/api/bulletins/999999/file").status_code == 404
    assert api.get(world.supervisor, "/api/bulletins/999999").status_code == 404


def test_it_serves_the_ledger_as_a_workbook(world: World, api: Caller) -> None:
    response = api.get(world.leader, "/api/ledger", as_of="2024-04-15", document=world.document.pk)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="ledger-2024-04-15.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"推进新能源装备制造", "完善能源价格机制"} <= cells
    today = api.get(world.supervisor, "/api/ledger")
    assert today["Content-Disposition"] == 'attachment; filename="ledger-2024-04-20.xlsx"'
    assert api.get(world.supervisor, "/api/ledger", as_of="someday").status_code == 422
    assert api.get(world.supervisor, "/api/ledger", document=999999).status_code == 404


def test_the_openapi_schema_lists_the_bulletin_paths(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/bulletins"]) == {"get", "post"}
    assert set(paths["/api/bulletins/{bulletin_id}"]) == {"get"}
    assert set(paths["/api/bulletins/{bulletin_id}/file"]) == {"get"}
    assert set(paths["/api/ledger"]) == {"get"}
