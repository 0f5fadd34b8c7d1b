"""Uploaded DOCX and XLSX files are bounded before parsing: zip bombs, entity declarations, huge trees, time."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from openpyxl import Workbook

from luoshi.decomposition.excel_read import ExcelImportError, read_rows
from luoshi.documents.readers import IngestError, read_document
from luoshi.lib import package_limits
from luoshi.lib.package_limits import TimeBudgetExceeded, check_time, time_budget

MB = 1024 * 1024
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with_body(body: bytes) -> bytes:
    """A real DOCX (python-docx's template) whose word/document.xml is replaced."""
    out = io.BytesIO()
    docx.Document().save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = body if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    return bomb.getvalue()


def _runs(megabytes: int) -> bytes:
    run = b"<w:r><w:t>\xe8\x90\xbd\xe5\xae\x9e</w:t></w:r>"
    count = megabytes * MB // len(run)
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
        + _W.encode()
        + b"><w:body><w:p>"
        + run * count
        + b"</w:p></w:body></w:document>"
    )


def _refusal(data: bytes, filename: str = "bomb.docx") -> IngestError:
    with pytest.raises(IngestError) as refused:
        read_document(data, filename=filename, max_bytes=20 * MB)
    return refused.value


def test_a_docx_of_twenty_megabytes_of_repeated_runs_is_refused_as_a_zip_bomb() -> None:
    data = _docx_with_body(_runs(20))
    assert len(data) < 200 * 1024  # small on the wire
    error = _refusal(data)
    assert error.code == "zip_bomb" and "压缩" in error.message_zh and "zip bomb" in error.message_en


def test_a_docx_unpacking_past_the_limit_is_refused_while_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOSHI_PARSE_MAX_RATIO", "100000")
    monkeypatch.setenv("LUOSHI_PARSE_MAX_UNPACKED_MB", "5")
    error = _refusal(_docx_with_body(_runs(8)))
    assert error.code == "too_large" and "5 MB" in error.message_zh


def test_a_docx_with_too_many_elements_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOSHI_PARSE_MAX_RATIO", "100000")
    monkeypatch.setenv("LUOSHI_PARSE_MAX_ELEMENTS", "10000")
    assert _refusal(_docx_with_body(_runs(2))).code == "too_complex"


def test_a_docx_declaring_entities_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<w:document " + _W.encode() + b"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    error = _refusal(_docx_with_body(body))
    assert error.code == "xml_entities" and "DTD" in error.message_en


def test_a_docx_with_thousands_of_parts_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", _runs(0))
        for n in range(2100):
            z.writestr(f"word/media/p{n}.bin", b"x")
    assert _refusal(out.getvalue()).code == "too_many_parts"


def test_an_ordinary_docx_still_reads() -> None:
    document = docx.Document()
    for n in range(200):
        document.add_paragraph(f"第{n}条 各地区各部门要结合实际认真贯彻落实。")
    out = io.BytesIO()
    document.save(out)
    assert "第199条" in read_document(out.getvalue(), filename="ok.docx", max_bytes=20 * MB).text


def test_the_time_budget_stops_a_long_read(monkeypatch: pytest.MonkeyPatch) -> None:
    document = docx.Document()
    document.add_paragraph("落实")
    out = io.BytesIO()
    document.save(out)
    monkeypatch.setenv("LUOSHI_PARSE_TIME_LIMIT", "0")
    monkeypatch.setattr(package_limits.time, "monotonic", iter(range(0, 10**6, 10)).__next__)
    error = _refusal(out.getvalue(), filename="slow.docx")
    assert error.code == "too_slow" and "0 秒" in error.message_zh


def test_a_nested_budget_keeps_the_earlier_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 0.0, 5.0]).__next__
    monkeypatch.setattr(package_limits.time, "monotonic", clock)
    with time_budget(1), time_budget(100), pytest.raises(TimeBudgetExceeded):
        check_time()


@pytest.mark.django_db
def test_a_task_division_workbook_bomb_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "任务名称"])
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b"<row><c><v>1</v></c></row>" * 800_000 + b"</sheetData>"
                )
            target.writestr(item.filename, data)
    with pytest.raises(ExcelImportError) as refused:
        read_rows(bomb.getvalue())
    assert refused.value.code == "zip_bomb"
