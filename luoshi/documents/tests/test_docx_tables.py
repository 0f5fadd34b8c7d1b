"""Tables of a Word file read as grids (documents/docx_tables.py)."""

from __future__ import annotations

from luoshi.documents.docx_reader import read_docx
from luoshi.documents.docx_tables import SourceTable, read_docx_tables
from luoshi.testing.tables import make_division_docx


def test_it_reads_merged_cells_header_flags_and_lines_and_renders_rows_as_the_reader_does() -> None:
    data = make_division_docx(
        ["通知"],
        [
            ["序号", "责任单位", "", "完成时限"],
            ["", "牵头单位", "配合单位", ""],
            ["1", "财政部", "教育部\n科技部", "2019年"],
            ["2", "财政部", "商务部", "2020年"],
        ],
        header_rows=2,
        hspan={(0, 1): 2},
        vmerge=[1],
        repeat_header_flag=True,
    )
    [table] = read_docx_tables(data)
    top, second, first, last = table.rows
    assert [(c.text, c.column, c.span) for c in top.cells] == [
        ("序号", 0, 1),
        ("责任单位", 1, 2),
        ("完成时限", 3, 1),
    ]
    assert top.repeated_header and second.repeated_header and not first.repeated_header
    assert [c.continues_above for c in second.cells] == [True, False, False, True]
    assert first.cell_at(2) is not None and first.cell_at(2).lines == ["教育部", "科技部"]  # type: ignore[union-attr]
    assert last.cell_at(1) is not None and last.cell_at(1).continues_above  # type: ignore[union-attr]
    assert table.columns == 4
    text, _warnings = read_docx(data)
    assert [SourceTable.row_line(r) for r in table.rows] == text.split("\n")[1:]


def test_a_table_nested_in_a_cell_is_part_of_that_cell() -> None:
    import io

    import docx

    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "甲"
    inner = outer.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "乙"
    buffer = io.BytesIO()
    document.save(buffer)
    [table] = read_docx_tables(buffer.getvalue())
    assert [c.lines for c in table.rows[0].cells] == [["甲"], ["乙"]]
