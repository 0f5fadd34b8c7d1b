""".doc/.wps (LibreOffice → .docx → the Word reader) and OFD (its XML read directly): text, numbering,
tables, structure, and clear refusals.

The .doc is ``luoshi/testing/documents/notice_numbered.doc`` (made with LibreOffice from a .docx with
automatic numbering and a table, see that folder's README); the OFD files are built by
``luoshi.testing.ofd``.  The .doc tests need LibreOffice: skipped without it, failed under `make test`
(LUOSHI_REQUIRE_CONVERTER=1), which installs it.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import olefile
import pytest

from luoshi.documents.doc_reader import soffice_path
from luoshi.documents.readers import TABLE_CELL_SEPARATOR, IngestError, ReadResult, read_document
from luoshi.documents.textproc.pipeline import analyse
from luoshi.testing.ofd import Placed, column_lines, make_ofd
from luoshi.testing.paths import document_path, document_text

LIMIT = 20 * 1024 * 1024


def refusal(data: bytes, filename: str) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_document(data, filename=filename, max_bytes=LIMIT)
    assert caught.value.message_zh and caught.value.message_en
    return caught.value


@pytest.fixture(scope="module")
def converter() -> None:
    if soffice_path() is None:
        message = (
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui; `make test` does it)"
        )
        if os.environ.get("LUOSHI_REQUIRE_CONVERTER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def doc_read(converter: None) -> ReadResult:
    return read_document(
        document_path("notice_numbered.doc").read_bytes(), filename="通知.doc", max_bytes=LIMIT
    )


# --- .doc and .wps ------------------------------------------------------------------


def test_a_doc_keeps_its_automatic_numbering_and_its_table(doc_read: ReadResult) -> None:
    assert (doc_read.format, doc_read.encoding) == ("doc", "doc")
    lines = doc_read.text.splitlines()
    assert "一、总体要求" in lines and "二、重点任务" in lines and "三、保障措施" in lines
    assert "（一）完善农机装备创新体系。支持企业建设农机试验基地，开展关键部件攻关。" in lines
    assert "（一）加大资金支持。市财政统筹安排资金，支持农机装备升级。" in lines  # restarts under 三、
    assert TABLE_CELL_SEPARATOR.join(["1", "建设农机试验基地", "市农牧局", "2031年底"]) in lines


def test_a_doc_gives_the_structure_of_its_text(doc_read: ReadResult) -> None:
    result = analyse(doc_read.text)
    parts = result.structure.sections
    assert [s.number for s in parts] == ["一", "二", "三", "附件"]
    assert [c.number for c in parts[1].children] == ["（一）", "（二）"]
    assert result.structure.doc_number == "临政办发〔2030〕8号"


def test_a_wps_file_with_a_word_body_is_read_the_same_way(converter: None, doc_read: ReadResult) -> None:
    result = read_document(
        document_path("notice_numbered.doc").read_bytes(), filename="通知.wps", max_bytes=LIMIT
    )
    assert result.format == "wps" and result.text == doc_read.text


def test_a_password_protected_doc_is_refused_before_conversion(tmp_path: Path) -> None:
    copy = tmp_path / "locked.doc"
    shutil.copy(document_path("notice_numbered.doc"), copy)
    with olefile.OleFileIO(str(copy), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[11] |= 0x01  # fEncrypted: bit 8 of the FIB flags word at 0x0A
        ole.write_stream("WordDocument", bytes(stream))
    error = refusal(copy.read_bytes(), "locked.doc")
    assert error.code == "encrypted" and "密码" in error.message_zh


def test_a_damaged_doc_is_refused_as_damaged() -> None:
    data = document_path("notice_numbered.doc").read_bytes()
    assert refusal(data[:3000], "通知.doc").code == "corrupt"
    assert refusal(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024), "通知.doc").code == "corrupt"


def test_without_libreoffice_the_refusal_says_how_to_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOSHI_SOFFICE", "/nonexistent/soffice")
    error = refusal(document_path("notice_numbered.doc").read_bytes(), "通知.doc")
    assert error.code == "converter_missing"
    assert ".docx" in error.message_zh and "libreoffice-writer-nogui" in error.message_en


# --- OFD ------------------------------------------------------------------------------


def notice() -> list[str]:
    return [line for line in document_text("notice_stripped.txt").splitlines() if line.strip()]


@pytest.mark.parametrize(
    "per_char", [False, True], ids=["a text object per line", "one per character, shuffled"]
)
def test_an_ofd_reads_as_its_text_in_reading_order(per_char: bool) -> None:
    pages = column_lines(notice(), left=28, top=40, width=156, bottom=250)
    assert len(pages) == 2
    data = make_ofd(pages, per_char=per_char, template=[Placed(55, 25, "国务院办公厅文件", 10.0)])
    result = read_document(data, filename="通知.ofd", max_bytes=LIMIT)
    assert (result.format, result.encoding) == ("ofd", "ofd")
    assert result.text.splitlines()[0] == "国务院办公厅文件"  # the template page's red header
    text_version, ofd = analyse("\n".join(notice()) + "\n"), analyse(result.text)
    assert [(s.number, s.heading) for s in ofd.structure.sections] == [
        (s.number, s.heading) for s in text_version.structure.sections
    ]
    assert "（七）规范市场秩序。加强养老服务收费监管，依法查处虚假宣传、价格欺诈等违法行为。" in ofd.text


def test_an_ofd_with_two_columns_is_read_column_by_column() -> None:
    left = column_lines(
        ["　左栏的第一段文字，写满了整整三行，用来检查栏目的阅读顺序是否正确。"],
        left=15,
        top=40,
        width=80,
        indent=False,
    )[0]
    right = column_lines(
        ["右栏的第一段文字，同样写满了三行，不能和左栏的文字交错在一起读出来。"],
        left=110,
        top=40,
        width=80,
        indent=False,
    )[0]
    result = read_document(make_ofd([[*right, *left]]), filename="版面.ofd", max_bytes=LIMIT)
    first, second = result.text.index("左栏的第一段"), result.text.index("右栏的第一段")
    assert first < second
    assert "用来检查栏目的阅读顺序是否正确。" in result.text[:second]


def test_an_encrypted_ofd_is_refused() -> None:
    pages = column_lines(notice()[:3], left=28, top=40, width=156)
    assert refusal(make_ofd(pages, encrypted=True), "密件.ofd").code == "encrypted"


def test_an_ofd_without_text_objects_is_refused_as_a_scan() -> None:
    error = refusal(make_ofd([[]]), "扫描.ofd")
    assert error.code == "empty" and "扫描件" in error.message_zh


def test_an_ofd_whose_page_is_missing_is_refused_as_damaged() -> None:
    data = make_ofd(column_lines(notice()[:3], left=28, top=40, width=156))
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            if "Pages/" not in item.filename:
                archive.writestr(item, source.read(item))
    assert refusal(buffer.getvalue(), "缺页.ofd").code == "corrupt"


def test_a_file_named_ofd_that_is_not_one_says_so() -> None:
    error = refusal("普通文字".encode(), "通知.ofd")
    assert error.code == "corrupt" and ".ofd" in error.message_zh
