"""Property tests of the task-division import: any workbook → row errors or a clean import, never a crash.

Workbooks are built with openpyxl from generated cells: text with control characters (those XML can
hold: openpyxl refuses the others, and so does every real spreadsheet), huge and tiny numbers, dates
from year 1 to 9999, formulas, booleans, empty rows, task numbers that exist, do not, or overflow.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from luoshi.decomposition.excel_export import COLUMNS
from luoshi.decomposition.excel_import import import_plan_xlsx
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.lib.errors import BilingualError
from luoshi.testing.properties import any_date, any_text, db_state, rolled_back
from luoshi.testing.world import make_document
from luoshi.units.models import Unit

HEADERS = [c.header for c in COLUMNS]  # spelled out, and checked against COLUMNS, in test_excel
TODAY = dt.date(2026, 3, 1)
UNITS = ["自治区发展改革委", "自治区财政厅", "不存在的单位"]

xml_text = any_text.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
cell = st.one_of(
    st.none(),
    xml_text,
    st.sampled_from([*UNITS, "2025年底前", "2025-06-30", "长期坚持", "=SUM(A1:A3)", "=1/0", "#REF!", " "]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    any_date,
    any_date.map(lambda d: dt.datetime(d.year, d.month, d.day, 23, 59)),
)


@st.composite
def workbooks(draw: st.DrawFn, task_ids: list[int]) -> tuple[bytes, list[Any]]:
    """A workbook with the exported header and generated rows; also each row's task-number cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["任务分工", "Sheet1", "三、模范"]))
    ws.append(HEADERS)
    ids: list[Any] = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        row = [draw(cell) for _ in HEADERS]
        row[4] = draw(st.one_of(st.sampled_from(UNITS), cell))
        row[8] = draw(st.one_of(st.sampled_from(task_ids), cell))
        ids.append(row[8])
        ws.append(row)
    out = io.BytesIO()
    try:
        wb.save(out)
    except (ValueError, TypeError, OverflowError):
        assume(False)  # openpyxl cannot write it (a date before its epoch…): no workbook can hold it
    return out.getvalue(), ids


@pytest.fixture
def plan(db: None) -> Plan:
    for i, name in enumerate(UNITS[:2]):
        Unit.objects.create(code=f"u{i}", name=name, level="region", catalog="test")
    plan = Plan.objects.create(document=make_document("关于推进新能源发展的决定", "e"), catalog="test")
    lead = Unit.objects.get(code="u0")
    for order, title in enumerate(["发展现代能源经济", "建设高标准农田"], start=1):
        PlanTask.objects.create(
            plan=plan,
            order=order,
            kind="task",
            title=title,
            text=title + "。",
            spans=[[0, 4]],
            heading_path=["一、总体要求"],
            lead_unit=lead,
            deadline=dt.date(2026, 6, 30),
        )
    return plan


def _task_rows(plan: Plan) -> dict[int, dict[str, Any]]:
    return {t["id"]: dict(t) for t in PlanTask.objects.filter(plan=plan).values()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_any_workbook_imports_cleanly_or_reports_row_errors(plan: Plan, data: st.DataObject) -> None:
    ids = sorted(_task_rows(plan))
    content, row_ids = data.draw(workbooks(ids))
    with rolled_back():
        before = _task_rows(plan)
        everything = db_state([Plan, PlanTask])
        try:
            report = import_plan_xlsx(plan=plan, data=content, today=TODAY)
        except BilingualError as exc:
            assert exc.message_zh and exc.message_en
            assert db_state([Plan, PlanTask]) == everything  # refused whole: nothing written
            return
        after = _task_rows(plan)
        for error in report.errors:
            assert error.message_zh and error.message_en and error.row_number >= 2
            task_id = row_ids[error.row_number - 2] if error.row_number - 2 < len(row_ids) else None
            # A row with an error leaves its task exactly as it was, unless another row of the sheet names the
            # same task: the first row that changes a task is imported, a later different one is refused.
            if task_id in before and row_ids.count(task_id) == 1:
                assert after[task_id] == before[task_id]
        assert len(after) == len(before) + report.created
        for row in after.values():  # what was written is whole: a title, a deadline that is a date
            assert row["title"].strip()
            assert row["deadline"] is None or isinstance(row["deadline"], dt.date)
