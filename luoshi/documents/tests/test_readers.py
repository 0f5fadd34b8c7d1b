"""read_document(): text, Word and PDF files in; text or a clear refusal out."""

from __future__ import annotations

import io
import os
import zipfile

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml

from luoshi.documents.readers import (
    TABLE_CELL_SEPARATOR,
    IngestError,
    ReadResult,
    common_cjk_share,
    format_number,
    read_document,
)
from luoshi.testing.fixtures import (
    Numbered,
    add_chinese_list,
    add_list_instance,
    make_docx,
    make_docx_blocks,
    make_drawing_only_pdf,
    make_encrypted_pdf,
    make_pdf,
    number_paragraph,
    pdf_text_chars,
    seed_docx_bytes,
    seed_paragraphs,
    seed_pdf_bytes,
)
from luoshi.testing.paths import document_path, seed_text

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MB = 1024 * 1024
LIMIT = 20 * MB

# Accented French where every accented letter is followed by a letter, so that
# the Latin-1 bytes happen to decode as GB18030 (into nonsense hanzi).
FRENCH_GB_DECODABLE = "Le déménagement était très préoccupant pour les élèves. Ça coûte cher."
FRENCH = "Le gouvernement a décidé d'élargir la réforme, à Noël, près de la forêt."


def read(data: bytes, filename: str = "upload.txt", max_bytes: int = LIMIT) -> ReadResult:
    return read_document(data, filename=filename, max_bytes=max_bytes)


def refusal(data: bytes, filename: str = "upload.txt", max_bytes: int = LIMIT) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read(data, filename, max_bytes)
    error = caught.value
    assert error.message_zh and error.message_en
    assert str(error) == f"{error.message_zh} / {error.message_en}"
    return error


# --- text files ---------------------------------------------------------------


def test_it_reads_utf8_seed_unchanged() -> None:
    result = read(seed_text().encode("utf-8"))
    assert (result.text, result.encoding, result.format) == (seed_text(), "utf-8", "txt")
    assert result.warnings == []


def test_it_strips_the_utf8_bom() -> None:
    result = read(b"\xef\xbb\xbf" + seed_text().encode("utf-8"))
    assert (result.text, result.encoding) == (seed_text(), "utf-8-sig")


def test_it_reads_gb18030_seed() -> None:
    result = read(seed_text().encode("gb18030"))
    assert (result.text, result.encoding) == (seed_text(), "gb18030")


def test_it_reads_gbk_encoded_text_as_gb18030() -> None:
    text = "关于开展2024年度督查检查工作的通知\n各旗县区人民政府：\n（一）加强组织领导，明确牵头单位。\n"
    result = read(text.encode("gbk"))
    assert (result.text, result.encoding) == (text, "gb18030")


def test_it_reads_the_gbk_test_document() -> None:
    # A notice saved as GBK by a Windows editor, kept as bytes in luoshi/testing/documents/.
    data = document_path("notice_gbk.txt").read_bytes()
    result = read(data, "notice_gbk.txt")
    assert (result.text, result.encoding, result.format) == (data.decode("gbk"), "gb18030", "txt")
    assert result.text.startswith(
        "临江市人民政府办公室关于做好今冬明春供暖保障工作的通知\n临政办发〔2030〕5号\n"
    )


def test_it_keeps_line_endings_and_spaces_as_decoded() -> None:
    text = "一、总体要求\r\n\r\n  （一）指导思想。 \r\n"
    assert read(text.encode("utf-8")).text == text


def test_it_reads_utf16_with_bom() -> None:
    result = read(b"\xff\xfe" + seed_text().encode("utf-16-le"))
    assert (result.text, result.encoding) == (seed_text(), "utf-16-le")


def test_it_refuses_random_high_bytes() -> None:
    data = bytes(0x80 | b for b in os.urandom(4000))
    assert refusal(data).code == "undecodable"


def test_it_refuses_mixed_utf8_and_gbk() -> None:
    data = "第一部分是UTF-8编码。".encode() + "第二部分是GBK编码。".encode("gbk")
    assert refusal(data).code == "undecodable"


def test_it_refuses_latin1_french_that_decodes_as_gb18030_nonsense() -> None:
    data = FRENCH_GB_DECODABLE.encode("latin-1")
    nonsense = data.decode("gb18030")  # the trap: strict GB18030 accepts these bytes
    assert common_cjk_share(nonsense) < 0.5
    error = refusal(data)
    assert error.code == "undecodable"
    assert "乱码" in error.message_zh


def test_it_refuses_latin1_french() -> None:
    assert refusal(FRENCH.encode("latin-1")).code == "undecodable"


def test_it_refuses_big5_rather_than_returning_mojibake() -> None:
    text = "中華民國憲法第一條：中華民國基於三民主義，為民有民治民享之民主共和國。第二條：主權屬於國民全體。"
    assert refusal(text.encode("big5")).code == "undecodable"


def test_it_refuses_a_bom_that_lies() -> None:
    assert refusal(b"\xef\xbb\xbf" + "正文".encode("gbk")).code == "undecodable"


def test_it_refuses_binary_with_nul_bytes() -> None:
    data = os.urandom(2000) + b"\x00\x00" + os.urandom(2000)
    assert refusal(data, "data.txt").code == "binary"


def test_it_refuses_text_full_of_control_characters() -> None:
    assert refusal(b"abc\x01\x02\x03\x04\x05def" * 20).code == "binary"


def test_a_png_is_read_as_an_image_whatever_its_name_and_a_broken_one_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64)
    error = refusal(png, "scan.txt")
    assert error.code == "corrupt"
    assert "图片" in error.message_zh


# --- size and emptiness -------------------------------------------------------


def test_it_refuses_an_empty_file() -> None:
    assert refusal(b"").code == "empty"


def test_it_refuses_a_whitespace_only_file() -> None:
    assert refusal(b" \r\n\t\n").code == "empty"


def test_it_refuses_a_file_over_the_limit_and_says_both_sizes() -> None:
    data = "测".encode() * (1024 * 1024)  # 3 MB
    error = refusal(data, max_bytes=2 * MB)
    assert error.code == "too_large"
    assert "3.0 MB" in error.message_zh and "2.0 MB" in error.message_zh
    assert "3.0 MB" in error.message_en and "2.0 MB" in error.message_en


def test_it_accepts_a_file_exactly_at_the_limit() -> None:
    data = seed_text().encode("utf-8")
    assert read(data, max_bytes=len(data)).text == seed_text()


# --- unsupported and broken containers ----------------------------------------


def test_an_ole_file_that_does_not_open_is_refused_as_damaged() -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024)
    error = refusal(ole, "通知.doc")
    assert error.code == "corrupt"
    assert "旧版 Word 文档" in error.message_zh


@pytest.mark.parametrize("filename", ["报表.xls", "page.html", "说明.rtf"])
def test_it_refuses_unsupported_extensions(filename: str) -> None:
    assert refusal("内容".encode(), filename).code == "unsupported"


@pytest.mark.parametrize("filename", ["文件.wps", "通知.doc", "通知.ofd"])
def test_a_file_named_as_a_read_format_but_holding_text_is_refused(filename: str) -> None:
    error = refusal("内容".encode(), filename)
    assert error.code == "corrupt" and filename.rsplit(".", 1)[1] in error.message_zh


def test_it_refuses_a_zip_that_is_not_a_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = refusal(buffer.getvalue(), "决定.docx")
    assert error.code == "not_docx"
    assert "word/document.xml" in error.message_en


def test_it_names_a_spreadsheet_uploaded_as_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = refusal(buffer.getvalue(), "台账.docx")
    assert error.code == "unsupported"
    assert "Excel" in error.message_zh


def test_it_refuses_a_truncated_docx() -> None:
    data = seed_docx_bytes()
    assert refusal(data[: len(data) // 2], "决定.docx").code == "corrupt"


def test_it_refuses_a_docx_with_broken_xml() -> None:
    source = zipfile.ZipFile(io.BytesIO(seed_docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            body = source.read(item)
            archive.writestr(item, body[:200] if item.filename == "word/document.xml" else body)
    assert refusal(buffer.getvalue(), "决定.docx").code == "corrupt"


def test_it_refuses_text_named_docx() -> None:
    assert refusal("这不是Word文档".encode(), "决定.docx").code == "corrupt"


# --- .docx --------------------------------------------------------------------


def test_it_reads_the_seed_docx_paragraphs_in_order() -> None:
    result = read(seed_docx_bytes(), "决定.docx")
    assert (result.encoding, result.format, result.warnings) == ("docx", "docx", [])
    assert result.text.split("\n") == seed_paragraphs()


def test_it_renders_word_automatic_numbering_and_tables_in_order() -> None:
    data = make_docx_blocks(
        [
            "关于全方位建设模范自治区的决定",
            Numbered(0, "在感党恩听党话上作模范"),
            "模范就模范在听党的话上。",
            Numbered(1, "始终同党中央保持高度一致。"),
            Numbered(1, "坚定不移走中国特色社会主义道路。"),
            Numbered(2, "健全制度机制。"),
            Numbered(3, "细化责任清单。"),
            Numbered(0, "在维护国家安全上作模范"),
            Numbered(1, "筑牢安全屏障。"),
            Numbered(2, "加强风险研判。"),
            [["序号", "任务", "牵头单位"], ["1", "建设北疆文化", "宣传部"]],
            "附则",
        ]
    )
    lines = read(data, "决定.docx").text.split("\n")
    assert lines == [
        "关于全方位建设模范自治区的决定",
        "一、在感党恩听党话上作模范",
        "模范就模范在听党的话上。",
        "（一）始终同党中央保持高度一致。",
        "（二）坚定不移走中国特色社会主义道路。",
        "1. 健全制度机制。",
        "（1）细化责任清单。",
        "二、在维护国家安全上作模范",
        "（一）筑牢安全屏障。",
        "1. 加强风险研判。",
        f"序号{TABLE_CELL_SEPARATOR}任务{TABLE_CELL_SEPARATOR}牵头单位",
        f"1{TABLE_CELL_SEPARATOR}建设北疆文化{TABLE_CELL_SEPARATOR}宣传部",
        "附则",
    ]


def test_make_docx_puts_numbered_paragraphs_after_plain_ones_then_the_table() -> None:
    data = make_docx(
        ["前言"],
        numbered=[(0, "总体要求"), (1, "指导思想"), (0, "主要任务")],
        table=[["任务", "责任单位"]],
    )
    assert read(data, "a.docx").text.split("\n") == [
        "前言",
        "一、总体要求",
        "（一）指导思想",
        "二、主要任务",
        "任务 | 责任单位",
    ]


def test_it_counts_numbering_defined_by_a_paragraph_style() -> None:
    document = docx.Document()
    for text in ("第一项", "第二项", "第三项"):
        document.add_paragraph(text, style="List Number")
    assert read(_save(document), "a.docx").text.split("\n") == ["1. 第一项", "2. 第二项", "3. 第三项"]


def test_it_continues_a_shared_list_unless_word_restarts_it() -> None:
    document = docx.Document()
    first = add_chinese_list(document)
    restarted = add_list_instance(document, like_num_id=first, restart=True)
    continued = add_list_instance(document, like_num_id=first, restart=False)
    for num_id, text in (
        (first, "甲"),
        (first, "乙"),
        (restarted, "丙"),
        (restarted, "丁"),
        (continued, "戊"),
    ):
        number_paragraph(document.add_paragraph(text), num_id=num_id, level=0)
    assert read(_save(document), "a.docx").text.split("\n") == [
        "一、甲",
        "二、乙",
        "一、丙",
        "二、丁",
        "三、戊",
    ]


def test_it_reports_tracked_changes_and_skips_deleted_text() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("保留")
    paragraph._p.append(parse_xml(f'<w:ins {W_NS} w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'))
    paragraph._p.append(
        parse_xml(f'<w:del {W_NS} w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>')
    )
    result = read(_save(document), "a.docx")
    assert result.text == "保留新增"
    assert any("修订" in warning for warning in result.warnings)


def test_it_skips_hidden_text() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("可见")
    paragraph.add_run("隐藏").font.hidden = True
    assert read(_save(document), "a.docx").text == "可见"


def test_it_refuses_a_docx_without_text() -> None:
    document = docx.Document()
    document.add_paragraph("")
    assert refusal(_save(document), "a.docx").code == "empty"


def _save(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("value", "num_fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (35, "chineseCountingThousand", "三十五"),
        (105, "chineseCountingThousand", "一百零五"),
        (110, "chineseCountingThousand", "一百一十"),
        (10001, "chineseCountingThousand", "一万零一"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "ideographTraditional", "丙"),
        (12, "ideographDigital", "一二"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "decimalZero", "07"),
        (5, "somethingNew", "5"),
    ],
)
def test_format_number_matches_word(value: int, num_fmt: str, expected: str) -> None:
    assert format_number(value, num_fmt) == expected


# --- .pdf ---------------------------------------------------------------------


def test_it_reads_chinese_from_a_pdf_text_layer() -> None:
    data = make_pdf([["关于开展督查工作的通知", "一、总体要求"], ["二、主要任务"]])
    result = read(data, "通知.pdf")
    assert (result.encoding, result.format, result.warnings) == ("pdf", "pdf", [])
    assert "关于开展督查工作的通知" in result.text
    assert result.text.index("一、总体要求") < result.text.index("二、主要任务")
    assert "\f" not in result.text


def test_it_reads_the_seed_pdf_with_every_character() -> None:
    result = read(seed_pdf_bytes(), "决定.pdf")
    assert pdf_text_chars(result.text) == pdf_text_chars(seed_text())


def test_it_detects_pdf_by_magic_whatever_the_name() -> None:
    assert read(make_pdf([["督查通知"]]), "upload.bin").format == "pdf"


def test_it_refuses_a_pdf_without_text_layer() -> None:
    error = refusal(make_drawing_only_pdf(page_count=2), "扫描件.pdf")
    assert error.code == "pdf_no_text"
    assert "OCR" in error.message_zh and "OCR" in error.message_en


def test_it_refuses_a_password_protected_pdf() -> None:
    assert refusal(make_encrypted_pdf(), "a.pdf").code == "pdf_encrypted"


def test_it_refuses_a_truncated_pdf() -> None:
    data = seed_pdf_bytes()
    assert refusal(data[:40], "a.pdf").code == "corrupt"
