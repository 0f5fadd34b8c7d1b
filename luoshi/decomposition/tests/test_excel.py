"""The task-division workbook: export it, edit it as a person would, import it again."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import docx
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.decomposition.excel import (
    COLUMNS,
    ExcelImportError,
    PlanLocked,
    export_plan_xlsx,
    import_plan_xlsx,
    parse_date,
)
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.documents.services import ingest_document
from luoshi.testing.paths import seed_path
from luoshi.units.models import Unit
from luoshi.units.services import load_units

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 1)
HEADERS = [
    "序号",
    "任务名称",
    "任务内容",
    "原文出处",
    "牵头单位",
    "配合单位",
    "完成时限",
    "量化指标",
    "任务编号",
]
PART_3 = "三、在民族地区推进中国式现代化建设中作模范"
ITEM_10 = "（十）着眼培优增效，把国家重要能源和战略资源基地建设得势强劲足"
PART_2 = "二、在铸牢中华民族共同体意识上作模范"
PART_ODD = "四、名称含/非法:字符*且" + "很长" * 15


@dataclass
class Fixture:
    plan: Plan
    energy: PlanTask  # full row: lead, co-units, date, targets
    schools: PlanTask  # recurring duty
    grain: PlanTask  # deadline only as words ("2025年底前")
    odd: PlanTask  # part heading needing a sanitized sheet name
    principle: PlanTask
    rejected: PlanTask
    subtask: PlanTask


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def make_task(plan: Plan, order: int, **fields: Any) -> PlanTask:
    co = fields.pop("co_units", [])
    defaults: dict[str, Any] = {"kind": "task", "text": fields.get("title", "") + "。", "spans": [[0, 10]]}
    task = PlanTask.objects.create(plan=plan, order=order, **(defaults | fields))
    task.co_units.set(co)
    return task


@pytest.fixture
def fx() -> Fixture:
    document = ingest_document(data=seed_path().read_bytes(), filename=seed_path().name).document
    load_units(catalog="inner-mongolia")
    plan = Plan.objects.create(document=document, catalog="inner-mongolia")
    energy = make_task(
        plan,
        1,
        title="发展现代能源经济",
        text="坚持把发展现代能源经济作为重中之重，实施新能源倍增行动。",
        heading_path=[PART_3, ITEM_10],
        lead_unit=unit("drc"),
        co_units=[unit("finance"), unit("education")],
        deadline=dt.date(2026, 6, 30),
        targets=[{"text": "新能源装机规模超过1.35亿千瓦", "value": 1.35}],
        deadlines=[{"text": "到2025年", "kind": "deadline", "start_date": None, "end_date": "2025-12-31"}],
    )
    schools = make_task(
        plan,
        2,
        kind="recurring",
        title="开展民族团结进步教育",
        heading_path=[PART_2],
        lead_unit=unit("education"),
    )
    grain = make_task(
        plan,
        3,
        title="建设高标准农田",
        heading_path=[PART_3, "（十一）着力提质增量"],
        lead_unit=unit("agriculture-animal"),
        deadlines=[{"text": "2025年底前", "kind": "deadline", "start_date": None, "end_date": "2025-12-31"}],
    )
    odd = make_task(plan, 4, title="推进文旅融合", heading_path=[PART_ODD], lead_unit=unit("culture-tourism"))
    principle = make_task(plan, 5, kind="principle", title="坚持以人民为中心", heading_path=[PART_3])
    rejected = make_task(plan, 6, title="已驳回的任务", status=PlanTask.REJECTED, heading_path=[PART_3])
    subtask = make_task(plan, 7, title="实施新能源倍增行动", parent=energy, heading_path=[PART_3, ITEM_10])
    return Fixture(plan, energy, schools, grain, odd, principle, rejected, subtask)


def open_xlsx(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def row_of(ws: Worksheet, task: PlanTask) -> int:
    id_col = HEADERS.index("任务编号") + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, id_col).value == task.pk)


def set_cell(ws: Worksheet, task: PlanTask, header: str, value: Any) -> int:
    row = row_of(ws, task)
    ws.cell(row, HEADERS.index(header) + 1).value = value
    return row


# ------------------------------------------------------------------ export
def test_it_exports_one_row_per_top_level_actionable_task(fx: Fixture) -> None:
    ws = open_xlsx(export_plan_xlsx(plan=fx.plan)).active
    assert ws.title == "全部任务"
    assert [c.value for c in ws[1]] == HEADERS
    data = rows(ws)
    assert [r["任务编号"] for r in data] == [fx.energy.pk, fx.schools.pk, fx.grain.pk, fx.odd.pk]
    assert [r["序号"] for r in data] == [1, 2, 3, 4]
    energy = data[0]
    assert energy["任务名称"] == "发展现代能源经济"
    assert energy["任务内容"] == fx.energy.text
    assert energy["原文出处"] == f"{PART_3} / {ITEM_10}"
    assert energy["牵头单位"] == "内蒙古自治区发展和改革委员会"
    assert energy["配合单位"] == "内蒙古自治区教育厅、内蒙古自治区财政厅"
    assert energy["完成时限"] == dt.datetime(2026, 6, 30)
    assert energy["量化指标"] == "新能源装机规模超过1.35亿千瓦"
    assert data[1]["完成时限"] is None and data[1]["配合单位"] is None
    assert data[2]["完成时限"] == "2025年底前"  # no date set: the words from the text


def test_it_formats_the_sheet_for_excel_and_wps(fx: Fixture) -> None:
    ws = open_xlsx(export_plan_xlsx(plan=fx.plan)).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I5"
    assert all(c.font.bold and c.fill.fgColor.rgb == "FFD9E1F2" for c in ws[1])
    assert ws.column_dimensions["C"].width == 60 and ws.column_dimensions["A"].width == 6
    assert ws.column_dimensions["I"].hidden
    assert all(c.alignment.wrap_text for row in ws.iter_rows(min_row=2) for c in row)
    assert ws["G2"].number_format == "yyyy-mm-dd"


def test_it_adds_the_other_kinds_on_request(fx: Fixture) -> None:
    ws = open_xlsx(export_plan_xlsx(plan=fx.plan, include_all_kinds=True)).active
    ids = [r["任务编号"] for r in rows(ws)]
    assert fx.principle.pk in ids
    assert fx.rejected.pk not in ids and fx.subtask.pk not in ids


def test_it_writes_a_sheet_per_part(fx: Fixture) -> None:
    wb = open_xlsx(export_plan_xlsx(plan=fx.plan, sheet_per_part=True))
    odd_name = ("四、名称含非法字符且" + "很长" * 15)[:31]
    assert wb.sheetnames == ["全部任务", PART_3, PART_2, odd_name]
    assert len(odd_name) == 31
    assert [r["任务编号"] for r in rows(wb[PART_3])] == [fx.energy.pk, fx.grain.pk]
    assert [r["序号"] for r in rows(wb[PART_3])] == [1, 2]
    assert all(wb[name].freeze_panes == "A2" for name in wb.sheetnames)


# ------------------------------------------------------------------ import
def test_an_unchanged_workbook_changes_nothing(fx: Fixture) -> None:
    data = export_plan_xlsx(plan=fx.plan, sheet_per_part=True)
    report = import_plan_xlsx(plan=fx.plan, data=data, today=TODAY)
    assert (report.updated, report.created, report.unchanged, report.rejected) == (0, 0, 4, 0)
    assert report.errors == []
    assert set(PlanTask.objects.filter(plan=fx.plan).values_list("version", flat=True)) == {1}
    fx.grain.refresh_from_db()
    assert fx.grain.deadline is None and fx.grain.status == PlanTask.PROPOSED


def test_it_applies_valid_rows_and_reports_broken_ones(fx: Fixture) -> None:
    wb = open_xlsx(export_plan_xlsx(plan=fx.plan))
    ws = wb.active
    set_cell(ws, fx.energy, "牵头单位", "财政厅")  # another unit, by alias
    set_cell(ws, fx.schools, "完成时限", "2025年6月底")
    grain_row = set_cell(ws, fx.grain, "完成时限", "2025-13-45")
    set_cell(ws, fx.grain, "任务名称", "改了名字但日期坏了")
    odd_row = set_cell(ws, fx.odd, "配合单位", "自治区教育厅、火星开发署")
    ws.append(
        [
            5,
            "新增：建设草原生态监测网络",
            "在重点牧区布设监测站点。",
            PART_3,
            "自然资源厅",
            "农牧厅，财政厅",
            dt.datetime(2025, 12, 31),
            "监测站点100个；覆盖率90%",
            None,
        ]
    )
    ws.append([None] * len(HEADERS))  # an empty row is skipped silently
    ws.append([7] + [None] * (len(HEADERS) - 1))  # a numbered but empty row too

    report = import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)

    assert (report.updated, report.created, report.unchanged, report.rejected) == (2, 1, 0, 0)
    assert [(e.sheet, e.row_number, e.column) for e in report.errors] == [
        ("全部任务", grain_row, "完成时限"),
        ("全部任务", odd_row, "配合单位"),
    ]
    assert report.errors[0].message_zh == "完成时限无法识别：2025-13-45（请填写如 2025-06-30、2025年6月底）"
    assert "Cannot read the deadline: 2025-13-45" in report.errors[0].message_en
    assert report.errors[1].message_zh == "单位不存在：火星开发署"
    assert report.errors[1].message_en == "Unknown unit: 火星开发署"

    energy = PlanTask.objects.get(pk=fx.energy.pk)
    assert energy.lead_unit == unit("finance")
    assert set(energy.co_units.all()) == {unit("education")}  # the new lead leaves the co-units
    assert (energy.status, energy.version) == (PlanTask.ACCEPTED, 2)
    assert energy.targets == [{"text": "新能源装机规模超过1.35亿千瓦", "value": 1.35}]
    assert energy.spans == [[0, 10]]
    schools = PlanTask.objects.get(pk=fx.schools.pk)
    assert (schools.deadline, schools.version, schools.status) == (dt.date(2025, 6, 30), 2, PlanTask.ACCEPTED)
    for broken in (fx.grain, fx.odd):  # nothing half-applied
        after = PlanTask.objects.get(pk=broken.pk)
        assert (after.title, after.deadline, after.version, after.status) == (
            broken.title,
            broken.deadline,
            1,
            PlanTask.PROPOSED,
        )
        assert list(after.co_units.all()) == []
    new = PlanTask.objects.get(plan=fx.plan, origin="imported")
    assert (new.kind, new.status, new.spans, new.heading_path) == ("task", PlanTask.ACCEPTED, [], [PART_3])
    assert (new.title, new.text, new.deadline) == (
        "新增：建设草原生态监测网络",
        "在重点牧区布设监测站点。",
        dt.date(2025, 12, 31),
    )
    assert new.lead_unit == unit("natural-resources")
    assert set(new.co_units.all()) == {unit("agriculture-animal"), unit("finance")}
    assert new.targets == [{"text": "监测站点100个"}, {"text": "覆盖率90%"}]
    assert new.order > fx.subtask.order
    fx.plan.refresh_from_db()
    assert fx.plan.version == 2


def test_it_reports_each_kind_of_bad_row(fx: Fixture) -> None:
    other_plan = Plan.objects.create(document=fx.plan.document, catalog="inner-mongolia")
    stranger = make_task(other_plan, 1, title="别的方案的任务")
    wb = open_xlsx(export_plan_xlsx(plan=fx.plan))
    ws = wb.active
    set_cell(ws, fx.energy, "完成时限", "2024-12-31")
    set_cell(ws, fx.schools, "任务名称", None)
    set_cell(ws, fx.schools, "任务内容", "  ")
    set_cell(ws, fx.grain, "牵头单位", "农牧厅、财政厅")
    set_cell(ws, fx.odd, "任务编号", "abc")
    ws.append([5, "别人的", "内容", None, None, None, None, None, stranger.pk])

    report = import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)

    assert [(e.row_number, e.column, e.message_zh) for e in report.errors] == [
        (2, "完成时限", "完成时限早于今天：2024-12-31"),
        (3, "任务名称", "任务内容为空"),
        (4, "牵头单位", "牵头单位只能填写一个：农牧厅、财政厅（其余请填入配合单位）"),
        (5, "任务编号", "任务编号无效：abc"),
        (6, "任务编号", f"任务编号不属于本方案：{stranger.pk}"),
    ]
    assert all(e.message_en for e in report.errors)
    assert (report.updated, report.created) == (0, 0)
    # The odd row lost its task number: which task it was is unknown, so nothing is rejected.
    assert report.rejected == 0
    assert PlanTask.objects.get(pk=fx.odd.pk).status != PlanTask.REJECTED
    assert PlanTask.objects.get(pk=stranger.pk).title == "别的方案的任务"


def test_a_deleted_row_rejects_its_task(fx: Fixture) -> None:
    wb = open_xlsx(export_plan_xlsx(plan=fx.plan))
    ws = wb.active
    ws.delete_rows(row_of(ws, fx.grain))
    report = import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)
    assert (report.rejected, report.unchanged) == (1, 3)
    grain = PlanTask.objects.get(pk=fx.grain.pk)
    assert (grain.status, grain.version) == (PlanTask.REJECTED, 2)
    assert PlanTask.objects.get(pk=fx.principle.pk).status == PlanTask.PROPOSED  # never exported


def test_an_edit_in_a_part_sheet_wins_over_the_untouched_copy(fx: Fixture) -> None:
    wb = open_xlsx(export_plan_xlsx(plan=fx.plan, sheet_per_part=True))
    set_cell(wb[PART_3], fx.grain, "完成时限", "2025年底")
    set_cell(wb[PART_3], fx.energy, "完成时限", "2026/3/31")
    set_cell(wb["全部任务"], fx.energy, "完成时限", "2026年9月30日")
    report = import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)
    assert PlanTask.objects.get(pk=fx.grain.pk).deadline == dt.date(2025, 12, 31)
    assert PlanTask.objects.get(pk=fx.energy.pk).deadline == dt.date(2026, 9, 30)  # the first edit
    assert [(e.sheet, e.column) for e in report.errors] == [(PART_3, "任务编号")]
    assert "不同内容" in report.errors[0].message_zh
    assert report.updated == 2


def test_reordered_columns_and_a_title_row_still_import(fx: Fixture) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["任务分工方案（修改稿）"])
    order = ["任务编号", "牵头单位", "完成时限", "任务名称", "配合单位"]
    ws.append([f"{h}*" if h == "任务名称" else h for h in order])
    ws.append([fx.energy.pk, "自治区发改委", "2026-12-31", "发展现代能源经济", "财政厅、教育厅"])
    ws.append([None, "教育厅", None, None, None])  # a unit but no task
    report = import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)
    assert [(e.row_number, e.column, e.message_zh) for e in report.errors] == [
        (4, "任务名称*", "任务内容为空")
    ]
    energy = PlanTask.objects.get(pk=fx.energy.pk)
    assert energy.deadline == dt.date(2026, 12, 31)
    assert energy.text.startswith("坚持把发展现代能源经济")  # no 任务内容 column: kept
    assert energy.heading_path == [PART_3, ITEM_10]
    assert report.updated == 1
    assert report.rejected == 3  # the other exported tasks are not in this workbook


def test_a_confirmed_plan_is_locked(fx: Fixture) -> None:
    data = export_plan_xlsx(plan=fx.plan)
    wb = open_xlsx(data)
    set_cell(wb.active, fx.energy, "任务名称", "改名")
    Plan.objects.filter(pk=fx.plan.pk).update(status=Plan.CONFIRMED)
    with pytest.raises(PlanLocked) as info:
        import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)
    assert info.value.code == "locked"
    assert "已确认" in info.value.message_zh and "confirmed" in info.value.message_en
    assert PlanTask.objects.get(pk=fx.energy.pk).title == "发展现代能源经济"
    assert not PlanTask.objects.filter(plan=fx.plan, version__gt=1).exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        ("序号,任务名称,牵头单位\n1,任务,财政厅\n".encode(), "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "xls"),
        (b"PK\x03\x04 this is not really a zip", "corrupt"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(fx: Fixture, data: bytes, code: str) -> None:
    with pytest.raises(ExcelImportError) as info:
        import_plan_xlsx(plan=fx.plan, data=data, today=TODAY)
    assert info.value.code == code
    assert info.value.message_zh and info.value.message_en
    assert not PlanTask.objects.filter(plan=fx.plan, version__gt=1).exists()


def test_a_truncated_workbook_or_a_word_file_is_refused(fx: Fixture) -> None:
    data = export_plan_xlsx(plan=fx.plan)
    word = io.BytesIO()
    docx.Document().save(word)
    for damaged in (data[: len(data) // 2], word.getvalue()):
        with pytest.raises(ExcelImportError) as info:
            import_plan_xlsx(plan=fx.plan, data=damaged, today=TODAY)
        assert info.value.code == "corrupt"


def test_a_workbook_without_the_header_is_refused(fx: Fixture) -> None:
    wb = Workbook()
    wb.active.append(["序号", "任务名称", "负责人"])
    wb.active.append([1, "发展现代能源经济", "张三"])
    with pytest.raises(ExcelImportError) as info:
        import_plan_xlsx(plan=fx.plan, data=save(wb), today=TODAY)
    assert info.value.code == "no_header"
    assert "牵头单位" in info.value.message_zh and "牵头单位" in info.value.message_en


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-30", dt.date(2025, 6, 30)),
        ("2025/6/30", dt.date(2025, 6, 30)),
        ("２０２５－０６－３０", dt.date(2025, 6, 30)),
        ("2025年6月30日", dt.date(2025, 6, 30)),
        ("2025年6月30日前", dt.date(2025, 6, 30)),
        ("2025年6月底", dt.date(2025, 6, 30)),
        ("2024年2月底", dt.date(2024, 2, 29)),
        ("2025年底", dt.date(2025, 12, 31)),
        ("2025年底前", dt.date(2025, 12, 31)),
        ("2025", dt.date(2025, 12, 31)),
        (dt.datetime(2025, 6, 30, 0, 0), dt.date(2025, 6, 30)),
        (dt.date(2025, 6, 30), dt.date(2025, 6, 30)),
        (45838, dt.date(2025, 6, 30)),  # an Excel serial number in a General cell
        ("2025-13-45", None),
        ("2025年13月底", None),
        ("下半年", None),
        ("常态化", None),
        (True, None),
    ],
)
def test_it_reads_the_deadlines_people_type(value: Any, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_the_columns_are_the_documented_ones() -> None:
    assert [c.header for c in COLUMNS] == HEADERS
