"""Task-division tables in Word files become the proposed tasks, one per row (decomposition/tables.py)."""

from __future__ import annotations

import pytest

from luoshi.catalogs.catalog import load_catalog
from luoshi.decomposition.builder import ACTIONABLE, Decomposition, ProposedTask, decompose
from luoshi.decomposition.models import PlanTask
from luoshi.decomposition.services import propose_plan
from luoshi.decomposition.table_columns import header_role
from luoshi.decomposition.tables import parse_deadline
from luoshi.documents.docx_tables import read_docx_tables
from luoshi.documents.readers import read_document
from luoshi.documents.services import ingest_document
from luoshi.documents.textproc.pipeline import analyse
from luoshi.testing.tables import make_division_docx

CATALOG = load_catalog("state-council")
MAIN = [
    "国务院办公厅关于加快发展体育竞赛表演产业的指导意见",
    "一、主要任务",
    "（一）完善体育赛事体系。积极发展职业联赛，推动赛事专业化运营。",
    "（二）培育市场主体。支持企业做大做强，鼓励社会资本进入。",
    "（三）加强赛事监管。建立赛事活动信用体系，依法查处违法行为。",
    "附件",
    "重点任务分工",
]
HEADER = ["序号", "重点任务", "主要内容", "牵头单位", "配合单位", "完成时限"]


def _decompose(data: bytes) -> tuple[Decomposition, str]:
    read = read_document(data, filename="分工.docx", max_bytes=10_000_000)
    analysis = analyse(read.text)
    return decompose(analysis.text, analysis.structure, CATALOG, tables=read_docx_tables(data)), analysis.text


def _rows(result: Decomposition) -> list[ProposedTask]:
    return [t for t in result.tasks if t.table_source]


def _leads(task: ProposedTask) -> list[str]:
    return [s["unit"] for s in task.lead_suggestions]


def _cos(task: ProposedTask) -> list[str]:
    return [s["unit"] for s in task.co_suggestions]


def test_it_makes_one_task_per_row_with_its_units_deadline_and_cells() -> None:
    data = make_division_docx(
        MAIN,
        [
            HEADER,
            [
                "1",
                "完善体育赛事体系",
                "积极发展职业联赛。",
                "体育总局",
                "发展改革委、财政部",
                "2019年6月底前",
            ],
            ["2", "培育市场主体", "支持企业做大做强。", "体育总局", "市场监管总局", "2019年12月"],
            ["3", "加强赛事监管", "建立赛事活动信用体系。", "公安部", "体育总局", "长期坚持"],
        ],
    )
    result, text = _decompose(data)
    rows = _rows(result)
    assert [t.title for t in rows] == ["完善体育赛事体系", "培育市场主体", "加强赛事监管"]
    assert [_leads(t)[0] for t in rows] == ["国家体育总局", "国家体育总局", "公安部"]
    assert _cos(rows[0]) == ["国家发展和改革委员会", "财政部"]
    assert [s["source"] for s in rows[0].lead_suggestions] == ["table"]
    assert [next((d["end_date"] for d in t.deadlines if d.get("end_date")), None) for t in rows] == [
        "2019-06-30",
        "2019-12-31",
        None,
    ]
    assert rows[2].deadlines[0]["recurrence"] == "ongoing"
    cells = rows[0].table_source["cells"]
    assert text[cells["lead"][0] : cells["lead"][1]] == "体育总局"
    assert text[cells["deadline"][0] : cells["deadline"][1]] == "2019年6月底前"
    assert text[rows[0].start : rows[0].end].startswith("1 | 完善体育赛事体系 | ")


def test_it_links_rows_to_the_items_of_the_main_text_which_are_not_proposed_again() -> None:
    data = make_division_docx(
        MAIN,
        [
            HEADER,
            ["1", "（一）完善体育赛事体系", "积极发展职业联赛。", "体育总局", "", ""],
            ["2", "（二）培育市场主体", "支持企业做大做强。", "体育总局", "", ""],
        ],
    )
    result, text = _decompose(data)
    rows = _rows(result)
    assert [[d["number"] for d in t.table_source["linked"]] for t in rows] == [["（一）"], ["（二）"]]
    proposed = [t.text for t in result.tasks if t.kind in ACTIONABLE and not t.table_source]
    # （三） has no row: it is still proposed from the text, alone.
    assert len(proposed) == 1 and proposed[0].startswith("（三）加强赛事监管")
    first = rows[0].table_source["linked"][0]
    assert text[first["start"] : first["end"]].startswith("（一）完善体育赛事体系")


def test_merged_cells_give_their_value_to_every_row_they_cover() -> None:
    data = make_division_docx(
        MAIN,
        [
            HEADER,
            ["1", "完善体育赛事体系", "积极发展职业联赛。", "体育总局", "财政部", "2019年底前"],
            ["2", "完善体育赛事体系", "推动赛事专业化运营。", "体育总局", "教育部", "2019年底前"],
            ["3", "培育市场主体", "支持企业做大做强。", "市场监管总局", "", "2020年底前"],
        ],
        vmerge=[1, 3, 5],
    )
    result, _text = _decompose(data)
    rows = _rows(result)
    assert len(rows) == 3
    assert [t.title for t in rows] == ["完善体育赛事体系", "完善体育赛事体系", "培育市场主体"]
    assert [_leads(t)[0] for t in rows] == ["国家体育总局", "国家体育总局", "国家市场监督管理总局"]
    assert [_cos(t) for t in rows] == [["财政部"], ["教育部"], []]
    assert rows[1].text == "完善体育赛事体系\n推动赛事专业化运营。"
    assert [d["end_date"] for d in rows[1].deadlines] == ["2019-12-31"]


def test_two_header_rows_and_headers_repeated_further_down_are_read_as_headers() -> None:
    top = ["序号", "重点任务", "责任单位", "", "完成时限"]
    second = ["", "", "牵头单位", "配合单位", ""]
    data = make_division_docx(
        MAIN,
        [
            top,
            second,
            ["1", "完善体育赛事体系", "体育总局", "财政部", "2019年底前"],
            top,
            second,  # the header again, as a converted file prints it on the next page
            ["2", "培育市场主体", "商务部", "体育总局", "2020年底前"],
        ],
        header_rows=2,
        hspan={(0, 2): 2, (3, 2): 2},
        repeat_header_flag=True,
    )
    rows = _rows(_decompose(data)[0])
    assert [t.title for t in rows] == ["完善体育赛事体系", "培育市场主体"]
    assert [(_leads(t)[0], _cos(t)) for t in rows] == [
        ("国家体育总局", ["财政部"]),
        ("商务部", ["国家体育总局"]),
    ]


def test_cells_with_several_lines_list_one_unit_a_line() -> None:
    data = make_division_docx(
        MAIN,
        [
            HEADER,
            [
                "1",
                "完善体育赛事体系",
                "积极发展职业联赛。\n推动赛事专业化运营。",
                "体育总局\n教育部",
                "财政部\n人力资源社会保障部",
                "",
            ],
        ],
    )
    [row] = _rows(_decompose(data)[0])
    assert _leads(row) == ["国家体育总局", "教育部"]  # two lead units: joint leads, the first leads
    assert _cos(row) == ["教育部", "财政部", "人力资源和社会保障部"]
    assert row.text == "完善体育赛事体系\n积极发展职业联赛。 推动赛事专业化运营。"


def test_one_units_column_leads_with_the_unit_marked_lead_else_the_first() -> None:
    data = make_division_docx(
        MAIN,
        [
            ["序号", "工作任务", "责任单位", "时间进度"],
            ["1", "完善体育赛事体系", "财政部、体育总局（牵头）", "2019年"],
            ["2", "培育市场主体", "商务部、体育总局", "2020年"],
        ],
    )
    rows = _rows(_decompose(data)[0])
    assert [(_leads(t)[0], _cos(t)) for t in rows] == [
        ("国家体育总局", ["财政部"]),
        ("商务部", ["国家体育总局"]),
    ]


def test_group_rows_head_the_rows_below_and_unknown_units_are_kept_by_name() -> None:
    data = make_division_docx(
        MAIN,
        [
            ["序号", "改革举措", "主要内容", "负责指导或推广的部门", "推广范围"],
            ["一、投资管理领域", "", "", "", ""],
            ["1", "外商投资备案", "推行备案管理。", "商务部、试点城市推进办公室", "全国"],
            ["二、贸易便利化领域", "", "", "", ""],
            ["2", "国际贸易单一窗口", "推广单一窗口。", "海关总署", "自由贸易试验区"],
        ],
        hspan={(1, 0): 5, (3, 0): 5},
    )
    rows = _rows(_decompose(data)[0])
    assert [t.title for t in rows] == ["外商投资备案", "国际贸易单一窗口"]
    assert [t.heading_path[-1] for t in rows] == ["一、投资管理领域", "二、贸易便利化领域"]
    assert rows[0].table_source["unmatched"] == ["试点城市推进办公室"]
    assert [t.table_source["scope"] for t in rows] == ["全国", "自由贸易试验区"]


def test_a_row_without_a_known_lead_gets_suggestions_from_its_words() -> None:
    data = make_division_docx(MAIN, [HEADER, ["1", "加强体育赛事活动监管", "推动全民健身。", "", "", ""]])
    [row] = _rows(_decompose(data)[0])
    assert row.lead_suggestions[0]["unit"] == "国家体育总局"
    assert row.lead_suggestions[0]["source"] == "content"


def test_a_seventeen_row_reform_table_gives_seventeen_tasks() -> None:
    rows = [["序号", "改革举措", "主要内容", "负责指导或推广的部门", "推广范围"]]
    units = ["商务部", "海关总署", "税务总局", "市场监管总局"]
    for i in range(1, 18):
        rows.append([str(i), f"改革举措第{i}项", f"在试验区内推广第{i}项经验。", units[i % 4], "全国"])
    result, _text = _decompose(
        make_division_docx(["关于做好自由贸易试验区改革试点经验复制推广工作的通知"], rows)
    )
    tasks = _rows(result)
    assert len(tasks) == 17
    assert [t.lead_suggestions[0]["code"] for t in tasks] == [
        CATALOG.resolve(units[i % 4]).code  # type: ignore[union-attr]
        for i in range(1, 18)
    ]


def test_tables_that_are_not_divisions_stay_text() -> None:
    data = make_division_docx(MAIN, [["指标", "2020年", "2025年"], ["体育产业总规模", "3万亿元", "5万亿元"]])
    result, _text = _decompose(data)
    assert _rows(result) == []


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("序号", "number"),
        ("重点任务", "task"),
        ("改革举措", "task"),
        ("主要内容", "content"),
        ("牵头单位", "lead"),
        ("负责指导或推广的部门", "lead"),
        ("责任单位", "units"),
        ("配合单位", "co"),
        ("完成时限", "deadline"),
        ("时间进度", "deadline"),
        ("推广范围", "scope"),
        ("牵头领导", "leader"),
        ("财政部", None),
        ("积极发展职业联赛，推动赛事专业化运营", None),
    ],
)
def test_header_words_say_what_a_column_holds(header: str, role: str | None) -> None:
    assert header_role(header) == role


@pytest.mark.parametrize(
    ("cell", "end_date"),
    [
        ("2019年6月底前", "2019-06-30"),
        ("2019年12月", "2019-12-31"),
        ("2020年", "2020-12-31"),
        ("2019年2月", "2019-02-28"),
        ("长期坚持", None),
    ],
)
def test_deadline_cells_are_read_as_office_write_them(cell: str, end_date: str | None) -> None:
    found = parse_deadline(cell, 2019)
    assert next((d["end_date"] for d in found if d.get("end_date")), None) == end_date
    assert found, cell


@pytest.mark.django_db
def test_a_stored_plan_keeps_the_rows_owners_deadline_and_cells() -> None:
    data = make_division_docx(
        MAIN,
        [
            HEADER,
            [
                "1",
                "（一）完善体育赛事体系",
                "积极发展职业联赛。",
                "体育总局",
                "财政部、教育部",
                "2027年6月底前",
            ],
        ],
    )
    document = ingest_document(data=data, filename="分工方案.docx").document
    plan = propose_plan(document=document, catalog_name="state-council").plan
    task = plan.tasks.get(table_source__number="1")
    assert task.lead_unit is not None and task.lead_unit.name == "国家体育总局"
    assert sorted(u.name for u in task.co_units.all()) == ["教育部", "财政部"]
    assert task.deadline is not None and task.deadline.isoformat() == "2027-06-30"
    spans = {tuple(s) for s in task.spans}
    lead = task.table_source["cells"]["lead"]
    assert tuple(lead) in spans and document.text[lead[0] : lead[1]] == "体育总局"
    linked = task.table_source["linked"][0]
    assert (linked["start"], linked["end"]) in spans
    from_text = PlanTask.objects.filter(plan=plan).exclude(table_source__has_key="table")
    assert not from_text.filter(text__contains="积极发展职业联赛").exists()


def test_a_reference_column_links_rows_to_the_items_they_carry_out() -> None:
    data = make_division_docx(
        MAIN,
        [
            ["序号", "工作任务", "对应条目", "牵头单位"],
            ["1", "办好职业联赛", "（一）", "体育总局"],
            ["2", "做大做强企业", "（二）、（三）", "体育总局"],
        ],
    )
    rows = _rows(_decompose(data)[0])
    assert [[d["number"] for d in t.table_source["linked"]] for t in rows] == [
        ["（一）"],
        ["（二）", "（三）"],
    ]


def test_a_ruled_table_in_a_text_pdf_gives_its_rows_across_pages() -> None:
    from luoshi.documents.pdf_tables import read_pdf_tables
    from luoshi.testing.tables import make_division_pdf

    data = make_division_pdf(
        MAIN,
        [
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            [
                "1",
                "完善体育赛事体系，积极发展职业联赛，推动赛事专业化运营",
                "体育总局",
                "发展改革委、财政部",
                "2019年6月底前",
            ],
            ["2", "培育市场主体", "体育总局", "市场监管总局", "2019年12月"],
            ["3", "加强赛事监管", "公安部", "体育总局", "长期坚持"],
        ],
        widths=[30, 200, 80, 120, 80],
        vmerge=[2],
        rows_per_page=2,
    )  # the header again on page 2
    read = read_document(data, filename="分工.pdf", max_bytes=10_000_000)
    analysis = analyse(read.text)
    tables = read_pdf_tables(data)
    assert len(tables) == 2 and tables[0].rows[2].cells[2].continues_above
    result = decompose(analysis.text, analysis.structure, CATALOG, tables=tables)
    rows = _rows(result)
    assert [t.title for t in rows] == [
        "完善体育赛事体系，积极发展职业联赛，推动赛事专业化运营",
        "培育市场主体",
        "加强赛事监管",
    ]
    assert [(_leads(t)[0], _cos(t)) for t in rows] == [
        ("国家体育总局", ["国家发展和改革委员会", "财政部"]),
        ("国家体育总局", ["国家市场监督管理总局"]),
        ("公安部", ["国家体育总局"]),
    ]
    cells = rows[0].table_source["cells"]
    assert analysis.text[cells["co"][0] : cells["co"][1]] == "发展改革委、财政部"
    assert [d["number"] for d in rows[0].table_source["linked"]] == ["（一）"]
