"""Property tests of ingest: any bytes, any text, any mix of encodings → a document or an IngestError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.documents.models import Document, Finding, Section
from luoshi.documents.readers import read_document
from luoshi.documents.services import IngestError, ingest_document
from luoshi.documents.tests.test_normalize import assert_maps_back
from luoshi.documents.textproc import offsets
from luoshi.documents.textproc.normalize import normalize
from luoshi.lib.errors import BilingualError
from luoshi.testing.properties import any_char, db_state, rolled_back

MODELS = (Document, Section, Finding)
LIMIT = 64 * 1024
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_POLICY = st.sampled_from(
    ["一、总体要求\n", "（一）推进新能源发展。", "各地区各部门要抓好落实。\n", "2024年底前完成。"]
)
policy_text = st.lists(st.one_of(_POLICY, st.text(alphabet=any_char, max_size=20)), max_size=12).map("".join)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-32", "big5", "latin-1", "shift_jis")


@st.composite
def mixed_encodings(draw: st.DrawFn) -> bytes:
    """Pieces of text each encoded in its own encoding (what a badly merged file looks like)."""
    pieces = draw(st.lists(st.tuples(policy_text, st.sampled_from(ENCODINGS)), min_size=1, max_size=4))
    return b"".join(text.encode(enc, errors="replace") for text, enc in pieces)


any_upload = st.one_of(
    st.binary(max_size=2048),
    policy_text.map(lambda t: t.encode("utf-8")),
    mixed_encodings(),
    st.binary(max_size=64).map(lambda b: b"%PDF-1.4\n" + b),  # looks like a PDF, is not
    st.binary(max_size=64).map(lambda b: b"PK\x03\x04" + b),  # looks like a DOCX, is not
)
filenames = st.sampled_from(["决定.txt", "decision.docx", "x.pdf", "notes", "表.xls", "a.TXT"])


def _check_stored(document: Document) -> None:
    document.refresh_from_db()
    source_offsets = offsets.expand(document.offset_runs)
    assert_maps_back(document.source_text, document.text, source_offsets)
    for section in document.sections.all():
        assert 0 <= section.start <= section.end <= len(document.text)


@pytest.mark.django_db
@FAST
@given(data=any_upload, filename=filenames)
def test_any_upload_is_a_document_or_an_ingest_error(data: bytes, filename: str) -> None:
    with rolled_back():
        before = db_state(MODELS)
        try:
            outcome = ingest_document(data=data, filename=filename, max_bytes=LIMIT)
        except IngestError as exc:
            assert exc.message_zh and exc.message_en
            assert db_state(MODELS) == before
        else:
            _check_stored(outcome.document)


@pytest.mark.django_db
@FAST
@given(text=policy_text, encoding=st.sampled_from(("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-32")))
def test_any_text_in_a_supported_encoding_ingests_or_is_refused_in_words(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # gb18030 covers all of Unicode; kept for safety
    with rolled_back():
        before = db_state(MODELS)
        try:
            outcome = ingest_document(data=data, filename="决定.txt", max_bytes=LIMIT)
        except IngestError:
            assert db_state(MODELS) == before
        else:
            _check_stored(outcome.document)


@settings(max_examples=150, deadline=None)
@given(data=any_upload, filename=filenames)
def test_the_readers_answer_text_or_an_ingest_error(data: bytes, filename: str) -> None:
    try:
        result = read_document(data, filename=filename, max_bytes=LIMIT)
    except BilingualError as exc:
        assert isinstance(exc, IngestError)
    else:
        assert "\x00" not in result.text
        normalized = normalize(result.text)
        assert_maps_back(result.text, normalized.text, normalized.source_offsets)
