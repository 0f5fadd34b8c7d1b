"""Issue 12: every JSON list pages by a cursor, costs the same queries at any size, and a walk along
its ``next`` links sees every item once, even while items are added."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.api import pagination
from luoshi.api.tests.growth import add_report, grow
from luoshi.reports.models import Obligation, Report
from luoshi.testing.api import Caller
from luoshi.testing.world import NOW, World

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC), tick=False),
]

LISTS = [
    "/api/tasks",
    "/api/assignments",
    "/api/obligations",
    "/api/reports",
    "/api/extensions",
    "/api/urgings",
    "/api/measures",
    "/api/bulletins",
    "/api/units",
    "/api/documents",
]


def queries(api: Caller, user: Any, path: str, **params: Any) -> tuple[int, Any]:
    api._as(user)
    with CaptureQueriesContext(connection) as captured:
        response = api.client.get(path, params)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def walk(api: Caller, user: Any, path: str, between: Any = None, **params: Any) -> list[int]:
    """The ids of every item along the next links (``between()`` runs after each page)."""
    api._as(user)
    ids: list[int] = []
    response = api.client.get(path, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        if between is not None:
            between()
        if body["next"] is None:
            return ids
        response = api.client.get(body["next"])


@pytest.mark.parametrize(
    ("who", "path"),
    [("supervisor", p) for p in LISTS] + [("liaison_a", p) for p in LISTS if p != "/api/bulletins"],
)  # bulletins: the office's
def test_a_list_costs_the_same_queries_at_two_sizes(world: World, api: Caller, path: str, who: str) -> None:
    user = getattr(world, who)
    grow(world, 2)  # one of each at least: a list's prefetches only run for a page with items
    small, first = queries(api, user, path)
    grow(world, 40)
    large, second = queries(api, user, path)
    assert (large, small) == (small, small), (
        f"{path}: {small} queries with {len(first['items'])} items, {large} with {len(second['items'])}"
    )
    assert small <= 9, small  # session, user, profile, count, page and what its items show
    assert first["items"], path
    if who == "supervisor":
        assert len(second["items"]) > len(first["items"])


def test_a_deep_page_costs_what_the_first_does(world: World, api: Caller) -> None:
    grow(world, 40)
    n, first = queries(api, world.supervisor, "/api/reports", limit=50)
    deep, second = queries(
        api,
        world.supervisor,
        first["next"].split("?")[0],
        **dict(p.split("=") for p in first["next"].split("?")[1].split("&")),
    )
    assert deep == n
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])


def test_a_walk_sees_every_report_once_while_reports_are_added(world: World, api: Caller) -> None:
    grow(world, 3)
    before = set(Report.objects.values_list("pk", flat=True))
    added: list[int] = []

    def submit() -> None:  # someone reports while the integration pages
        due = dt.date(2024, 1, 10) + dt.timedelta(days=len(added))
        owed = Obligation.objects.create(
            assignment=world.a2, period=f"added-{len(added)}", period_start=due, period_end=due, due_date=due
        )
        added.append(add_report(owed, world.liaison_a, at=NOW + dt.timedelta(hours=1)).pk)

    ids = walk(api, world.supervisor, "/api/reports", between=submit, limit=4)
    assert len(ids) == len(set(ids)), "an item twice"
    assert before <= set(ids), "an item left out"
    assert set(added[:-1]) <= set(ids)  # reports added before the last page are on a later page
    assert ids == sorted(ids)


def test_a_walk_by_due_date_never_repeats_or_skips_while_obligations_are_added(
    world: World, api: Caller
) -> None:
    grow(world, 3)
    before = set(Obligation.objects.values_list("pk", flat=True))
    counter = iter(range(100))

    def add() -> None:  # an obligation due before the page, one due after it
        k = next(counter)
        for due in (dt.date(2023, 1, 1), dt.date(2025, 1, 1)):
            Obligation.objects.create(
                assignment=world.a2,
                period=f"added-{k}-{due.year}",
                period_start=due,
                period_end=due,
                due_date=due,
            )

    ids = walk(api, world.supervisor, "/api/obligations", between=add, limit=3)
    assert len(ids) == len(set(ids))
    assert before <= set(ids)


def test_offset_paging_still_works_up_to_its_bound(world: World, api: Caller) -> None:
    grow(world, 3)
    all_ids = walk(api, world.supervisor, "/api/reports", limit=500)
    second = api.get(world.supervisor, "/api/reports", offset=5, limit=5).json()
    assert [i["id"] for i in second["items"]] == all_ids[5:10]
    assert second["count"] == len(all_ids)
    assert "offset" not in second["next"] and "cursor=" in second["next"] and "limit=5" in second["next"]
    assert api.get(world.supervisor, "/api/reports", offset=pagination.MAX_OFFSET).status_code == 200


@pytest.mark.parametrize(
    ("params", "field", "kind"),
    [
        ({"offset": pagination.MAX_OFFSET + 1}, "query.offset", "offset_too_large"),
        ({"limit": pagination.MAX_LIMIT + 1}, "query.limit", "limit_too_large"),
        ({"cursor": "not-a-cursor"}, "query.cursor", "bad_cursor"),
        ({"cursor": "W10"}, "query.cursor", "bad_cursor"),  # base64 of "[]"
        ({"cursor": "x" * 5000}, "query.cursor", "bad_cursor"),
    ],
)
def test_a_bad_page_request_is_422_with_its_field(
    world: World, api: Caller, params: dict[str, Any], field: str, kind: str
) -> None:
    response = api.get(world.supervisor, "/api/reports", **params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert (body["code"], [(e["field"], e["type"]) for e in body["errors"]]) == ("invalid", [(field, kind)])
    assert "/" in body["errors"][0]["message"]  # both languages


def test_a_cursor_of_another_list_or_with_an_offset_is_refused(world: World, api: Caller) -> None:
    grow(world, 2)
    tasks = api.get(world.supervisor, "/api/tasks", limit=1).json()
    refused = api.get(world.supervisor, "/api/reports", cursor=tasks["next_cursor"])
    assert [e["type"] for e in refused.json()["errors"]] == ["bad_cursor"]
    both = api.get(world.supervisor, "/api/tasks", cursor=tasks["next_cursor"], offset=1)
    assert [e["type"] for e in both.json()["errors"]] == ["offset_with_cursor"]


def test_the_next_link_keeps_the_filters(world: World, api: Caller) -> None:
    grow(world, 3)
    body = api.get(world.supervisor, "/api/obligations", task=world.task.pk, state="pending", limit=1).json()
    assert (
        body["count"] == Obligation.objects.filter(assignment__task=world.task, state="pending").count() == 1
    )
    assert body["next"] is None
    body = api.get(world.supervisor, "/api/obligations", state="pending", limit=2).json()
    assert "state=pending" in body["next"]
    ids = walk(api, world.supervisor, "/api/obligations", state="pending", limit=2)
    assert sorted(ids) == sorted(Obligation.objects.filter(state="pending").values_list("pk", flat=True))


def test_the_count_is_left_out_above_its_cap(
    world: World, api: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    grow(world, 2)
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    assert api.get(world.supervisor, "/api/reports").json()["count"] is None
    assert api.get(world.supervisor, "/api/tasks").json()["count"] == 4


def test_a_liaison_walks_only_their_own_units_reports(world: World, api: Caller) -> None:
    grow(world, 3)
    ids = walk(api, world.liaison_b, "/api/reports", limit=2)
    assert ids == list(
        Report.objects.filter(obligation__assignment__unit=world.unit_b)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    assert walk(api, world.liaison_c, "/api/reports") == []


def test_the_suggested_measures_cost_the_same_queries_at_two_sizes(world: World, api: Caller) -> None:
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):  # deadlines long past
        grow(world, 2)
        small, few = queries(api, world.supervisor, "/api/measures/suggestions")
        grow(world, 20)
        large, many = queries(api, world.supervisor, "/api/measures/suggestions")
    assert (large, len(many) > len(few) > 0) == (small, True)
