"""The one cell guard of every CSV and XLSX export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from luoshi.lib.tabular import csv_text, guard_cell, new_workbook, sheet_name, workbook_bytes, write_sheet


@pytest.mark.parametrize(
    "text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x","y")', "-", "+", "=", "-abc"]
)
def test_a_formula_like_text_gets_an_apostrophe(text: str) -> None:
    assert guard_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-5, -2.5, Decimal("-3.25"), 0, "-5", "-2.5", "+3", "-1e3", "12", "落实", "a=b", ""]
)
def test_numbers_and_plain_texts_are_left_alone(value: object) -> None:
    assert guard_cell(value) == value


def test_dates_and_none_are_written_plainly() -> None:
    assert guard_cell(dt.date(2026, 1, 2)) == "2026-01-02" and guard_cell(None) == ""


def test_the_csv_has_every_cell_guarded_headers_too() -> None:
    rows = list(csv.reader(io.StringIO(csv_text(["=h", "b"], [["=1+1", -5], ["ok", "@x"]]))))
    assert rows == [["'=h", "b"], ["'=1+1", "-5"], ["ok", "'@x"]]


def test_the_xlsx_keeps_formula_like_text_as_quoted_text_and_numbers_as_numbers() -> None:
    workbook, sheet = new_workbook()
    write_sheet(sheet, headers=["a", "b", "c"], rows=[["=1+1", -5, "-x\u0001"]], widths=[10, 10, 10])
    cells = openpyxl.load_workbook(io.BytesIO(workbook_bytes(workbook))).worksheets[0][2]
    assert (cells[0].value, cells[0].data_type, cells[0].quotePrefix) == ("=1+1", "s", True)
    assert (cells[1].value, cells[1].data_type) == (-5, "n")
    assert cells[2].value == "-x" and cells[2].quotePrefix  # illegal XML characters dropped


def test_sheet_names_are_valid_and_unique() -> None:
    assert sheet_name("a[b]:c*d?e/f\\g", taken=set()) == "abcdefg"
    assert sheet_name("'引号'", taken=set()) == "引号"
    assert sheet_name("///", taken=set()) == "其他"
    assert sheet_name("///", taken=set(), fallback="无") == "无"
    assert sheet_name("x" * 40, taken={"x" * 31}) == "x" * 28 + "(2)"
