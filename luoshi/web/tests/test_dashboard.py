"""The dashboard (一张蓝图): numbers from the roll-up, tables equal to CSVs, filters, unit scope."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.documents.models import Section
from luoshi.ratings.services import rollup
from luoshi.site.demo import DemoSummary
from luoshi.testing.demo import TODAY, lead_assignment
from luoshi.units.models import Unit
from luoshi.web.templatetags.web_nav import nav_for

CHARTS = ("rag", "units", "trend", "overdue", "tasks")


def _counts(page: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', page)}


def _table(page: str, name: str) -> list[list[str]]:
    """The table's rows as a user reads them (header first); the empty-table row is left out."""
    match = re.search(rf'<table class="dashboard-table" id="table-{name}">(.*?)</table>', page, re.S)
    assert match, f"no {name} table"
    rows = [
        [html.unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr(?! class=\"empty\")[^>]*>(.*?)</tr>", match.group(1), re.S)
    ]
    return rows


def _chart(page: str, name: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="dashboard-{name}-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, f"no {name} chart data"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _csv(client: Client, name: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/dashboard/{name}.csv{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_shows_the_rollups_counts_and_unit_rates(login: Callable[[str], Client]) -> None:
    expected = rollup(as_of=TODAY)
    page = login("lingdao").get("/dashboard/").content.decode()
    assert _counts(page) == {"total": 6, "green": 2, "amber": 0, "red": 4}
    assert _counts(page) == {
        "total": expected.counts.total,
        "green": expected.counts.green,
        "amber": expected.counts.amber,
        "red": expected.counts.red,
    }
    units = {row[0]: row for row in _table(page, "units")[1:]}
    for u in expected.units:
        row = units[u.name]
        assert row[6:10] == [
            str(u.reports_due),
            str(u.reports_on_time),
            str(u.reports_late),
            str(u.reports_missing),
        ]
        assert row[10] == f"{100 * u.on_time_rate:.1f}%" if u.on_time_rate is not None else "—"
    # Ranked by on-time rate: the energy bureau reported everything on time.
    assert _table(page, "units")[1][:6] == ["内蒙古自治区能源局", "2", "2", "0", "0", "100.0%"]
    assert "echarts.min.js" in page and "dashboard.js" in page


def test_the_tree_groups_tasks_by_part_and_item(login: Callable[[str], Client], demo: DemoSummary) -> None:
    page = login("duchashi").get("/dashboard/").content.decode()
    expected = rollup(as_of=TODAY).documents[0]
    for section in expected.sections:
        assert f"{section.number}、{section.heading}" in page
    assert "（十一）着力提质增量" in page and demo.document.title in page


def test_every_chart_has_json_and_its_csv_equals_its_table(login: Callable[[str], Client]) -> None:
    client = login("lingdao")
    page = client.get("/dashboard/?as_of=2026-11-26").content.decode()
    assert _chart(page, "rag") == {"labels": ["绿灯", "黄灯", "红灯"], "values": [2, 0, 4]}
    assert _chart(page, "units")["on_time"] == [100.0, 33.3, 33.3]
    trend = _chart(page, "trend")
    assert trend["dates"] == ["2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30", "2026-11-26"]
    # 40.0: 农牧厅's latest report awaits its unit head in the demo, so its earlier report counts.
    assert trend["progress"][-1] == rollup(as_of=TODAY).documents[0].average_progress == 40.0
    for name in CHARTS:
        assert _csv(client, name, "?as_of=2026-11-26") == _table(page, name), name


def test_filters_change_the_numbers_and_htmx_gets_the_body_only(login: Callable[[str], Client]) -> None:
    client = login("lingdao")
    energy = Unit.objects.get(code="energy")
    part = Section.objects.get(number="三", parent__isnull=True)
    assert _counts(client.get(f"/dashboard/?unit={energy.pk}").content.decode()) == {
        "total": 2,
        "green": 2,
        "amber": 0,
        "red": 0,
    }
    by_part = client.get(f"/dashboard/?part={part.pk}", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in by_part and _counts(by_part) == {"total": 3, "green": 2, "amber": 0, "red": 1}
    assert [r[0] for r in _table(by_part, "units")[1:]] == ["内蒙古自治区能源局", "内蒙古自治区农牧厅"]
    early = client.get("/dashboard/?as_of=2026-06-30").content.decode()
    assert _counts(early) == {"total": 6, "green": 5, "amber": 1, "red": 0}
    # The CSV follows the same filters.
    assert _csv(client, "rag", f"?part={part.pk}")[1:] == [["绿灯", "2"], ["黄灯", "0"], ["红灯", "1"]]


def test_the_overdue_list_shows_assignments_past_their_deadline(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    assert _table(client.get("/dashboard/").content.decode(), "overdue")[1:] == []
    later = client.get("/dashboard/?as_of=2028-01-31").content.decode()
    rows = _table(later, "overdue")[1:]
    assert len(rows) == 6 and {r[3] for r in rows} == {"31"} and {r[2] for r in rows} == {"2027-12-31"}


def test_a_liaison_sees_only_their_units_rows(login: Callable[[str], Client]) -> None:
    client = login("nengyuan")
    page = client.get("/dashboard/").content.decode()
    assert _counts(page) == {"total": 2, "green": 2, "amber": 0, "red": 0}
    assert [r[0] for r in _table(page, "units")[1:]] == ["内蒙古自治区能源局"]
    assert {r[1] for r in _table(page, "tasks")[1:]} == {"内蒙古自治区能源局"}
    assert "农牧厅" not in page and "民族事务委员会" not in page
    assert [r[0] for r in _csv(client, "units")[1:]] == ["内蒙古自治区能源局"]


def test_a_liaison_gets_404_for_another_units_filter(login: Callable[[str], Client]) -> None:
    client = login("nengyuan")
    other = Unit.objects.get(name="内蒙古自治区农牧厅")
    assert client.get(f"/dashboard/?unit={other.pk}").status_code == 404
    assert client.get(f"/dashboard/units.csv?unit={other.pk}").status_code == 404
    assert client.get(f"/dashboard/?unit={lead_assignment('energy').unit_id}").status_code == 200


def test_a_user_without_a_role_gets_404(demo: DemoSummary) -> None:
    stranger = get_user_model().objects.create_user("stranger", password="x")
    client = Client()
    client.force_login(stranger)
    assert client.get("/dashboard/").status_code == 404
    assert client.get("/dashboard/rag.csv").status_code == 404


def test_bad_filters_are_404(login: Callable[[str], Client]) -> None:
    client = login("lingdao")
    for query in ("as_of=yesterday", "part=999999", "unit=999999", "document=999999", "unit=x"):
        assert client.get(f"/dashboard/?{query}").status_code == 404, query
    assert client.get("/dashboard/nothing.csv").status_code == 404


def test_the_trend_costs_a_bounded_number_of_queries(login: Callable[[str], Client]) -> None:
    client = login("lingdao")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    # Five roll-ups of about ten queries each, plus the tree, options and session.
    assert len(queries) <= 90, len(queries)


def test_the_nav_offers_the_dashboard_to_units_and_bulletins_to_the_office(
    login: Callable[[str], Client],
) -> None:
    client = login("nongmu")
    assert client.get("/dashboard/").status_code == 200
    user = get_user_model().objects.get(username="nongmu")
    assert nav_for(user)["dashboard"] is True and nav_for(user)["bulletins"] is False
