"""The ingest service on a real database: what is stored, what is refused."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.documents.models import Document, Finding, Section
from luoshi.documents.services import IngestError, document_json, ingest_document
from luoshi.testing.fixtures import seed_docx_bytes
from luoshi.testing.paths import seed_path

pytestmark = pytest.mark.django_db

CJK_GAP = re.compile(r"[\u4e00-\u9fff][ \t\u3000\u00a0]+[\u4e00-\u9fff]")


def _tree(doc: Document) -> list[tuple[str, str, str]]:
    return [(s.path, s.number, s.heading) for s in doc.sections.all()]


def _seed_bytes() -> bytes:
    return seed_path().read_bytes()


def test_it_stores_the_seed_with_its_structure_and_findings() -> None:
    outcome = ingest_document(data=_seed_bytes(), filename="seed.txt")
    doc = outcome.document
    assert outcome.created
    assert bytes(doc.original) == _seed_bytes()
    assert doc.title == "内蒙古自治区党委关于全方位建设模范自治区的决定"
    assert doc.date is not None and doc.date.isoformat() == "2023-07-05"
    assert "第六次全体会议通过" in doc.date_line
    assert doc.encoding == "utf-8"
    assert not CJK_GAP.search(doc.text)
    parts = [s.number for s in doc.sections.filter(parent=None)]
    assert parts == ["一", "二", "三"]
    items = [
        (s.parent.number if s.parent else "", s.number)
        for s in doc.sections.filter(kind="item").select_related("parent")
    ]
    assert items == [
        ("一", "（一）"),
        ("一", "（二）"),
        ("一", "（三）"),
        ("二", "（四）"),
        ("二", "（五）"),
        ("二", "（七）"),
        ("三", "（九）"),
        ("三", "（十）"),
        ("三", "（十一）"),
    ]
    item10 = doc.sections.get(number="（十）")
    assert doc.text[item10.start :].startswith("（十）着眼培优增效")
    assert doc.text[item10.end :].lstrip().startswith("（十一）")
    kinds = list(doc.findings.values_list("kind", flat=True))
    assert kinds.count("numbering_gap") == 2
    assert {"page_jump", "truncated", "garbled", "starts_mid_sentence"} <= set(kinds)
    gaps = [f.message for f in doc.findings.filter(kind="numbering_gap")]
    assert any("（六）" in m for m in gaps) and any("（八）" in m for m in gaps)
    garbled = doc.findings.get(kind="garbled")
    assert "深植厚培忠力维护" in doc.text[garbled.start : garbled.end]


def test_offsets_map_back_to_the_source() -> None:
    from luoshi.documents.textproc.offsets import expand

    doc = ingest_document(data=_seed_bytes(), filename="seed.txt").document
    offsets = expand(doc.offset_runs)
    assert len(offsets) == len(doc.text) + 1
    item = doc.sections.get(number="（五）")
    assert doc.source_text[offsets[item.start]] in "(（"
    assert doc.source_text[offsets[item.start] + 1] == "五"


def test_it_recognises_the_same_bytes_and_creates_no_duplicate() -> None:
    first = ingest_document(data=_seed_bytes(), filename="a.txt")
    again = ingest_document(data=_seed_bytes(), filename="b.txt", title="another title")
    assert again.created is False
    assert again.document.pk == first.document.pk
    assert Document.objects.count() == 1


def test_gb18030_and_docx_copies_ingest_to_the_same_structure() -> None:
    text = _seed_bytes().decode("utf-8")
    utf8 = ingest_document(data=_seed_bytes(), filename="seed.txt").document
    # The same text under other files is a duplicate (test_duplicates.py); kept here to compare structures.
    gb = ingest_document(
        data=text.encode("gb18030"), filename="seed-gb.txt", keep_both=True, title="GB"
    ).document
    docx = ingest_document(
        data=seed_docx_bytes(), filename="seed.docx", keep_both=True, title="DOCX"
    ).document
    assert gb.encoding == "gb18030"
    assert docx.format == "docx"
    assert _tree(gb) == _tree(utf8)
    assert _tree(docx) == _tree(utf8)
    assert gb.structure["title"] == docx.structure["title"] == utf8.title
    assert sorted(gb.findings.values_list("kind", flat=True)) == sorted(
        utf8.findings.values_list("kind", flat=True)
    )


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.txt", "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 10, "x.txt", "binary"),
        (b"PK\x03\x04" + b"\x00" * 40, "fake.docx", "corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", "corrupt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "corrupt"),
        ("Élève à la récréation, très célèbre été français".encode("latin-1"), "fr.txt", "undecodable"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(IngestError) as info:
        ingest_document(data=data, filename=filename)
    assert info.value.code == code
    assert info.value.message_zh and info.value.message_en
    assert Document.objects.count() == 0 and Section.objects.count() == 0 and Finding.objects.count() == 0


def test_an_oversized_file_is_refused_before_anything_is_read() -> None:
    with pytest.raises(IngestError) as info:
        ingest_document(data=_seed_bytes(), filename="seed.txt", max_bytes=1000)
    assert info.value.code == "too_large"
    assert Document.objects.count() == 0


def _cli(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


def test_cli_json_has_the_documented_shape() -> None:
    payload: dict[str, Any] = json.loads(_cli(str(seed_path()), "--json"))
    assert {"title", "doc_number", "date", "encoding", "sections", "sentences", "findings"} <= set(payload)
    assert payload["encoding"] == "utf-8"
    node = payload["sections"][0]
    assert {"kind", "number", "heading", "start", "end", "children"} <= set(node)
    sentence = payload["sentences"][10]
    assert {"start", "end", "section_path"} <= set(sentence)
    finding = payload["findings"][0]
    assert {"kind", "message", "start", "end"} <= set(finding)
    assert payload == {**document_json(Document.objects.get()), "created": True, "match": None}


def test_cli_refuses_bad_input_with_a_bilingual_message(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError) as info:
        _cli(str(bad))
    assert "/" in str(info.value) and re.search(r"[\u4e00-\u9fff]", str(info.value))
    assert Document.objects.count() == 0
