"""A long decision through the ingest service: every section stored under its parent, with bulk inserts
rather than a statement per section (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.documents.models import Section
from luoshi.documents.services import ingest_document
from luoshi.documents.textproc.model import Section as Node
from luoshi.testing.long_documents import clean_sentences, long_decision
from luoshi.testing.paths import DOCUMENTS, seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCUMENTS.glob("*.txt")) if "gbk" not in p.name]
    return clean_sentences([*texts, seed_text()])


def preorder(nodes: list[Node], prefix: str = "", parent: str | None = None) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for i, n in enumerate(nodes):
        path = f"{prefix}{i}"
        out.append((path, parent, n.kind, n.number, n.heading, n.level, n.start, n.end))
        out.extend(preorder(n.children, path + ".", path))
    return out


def ingest(sentences: list[str], size: int, shape: str) -> tuple[Any, int]:
    text = long_decision(sentences=sentences, target_bytes=size, shape=shape).text
    with CaptureQueriesContext(connection) as queries:
        document = ingest_document(data=text.encode("utf-8"), filename=f"{shape}-{size}.txt").document
    return document, len(queries)


@pytest.mark.parametrize("shape", ["report", "regulation"])
def test_every_section_is_stored_under_its_parent_in_document_order(sentences: list[str], shape: str) -> None:
    from luoshi.decomposition.services import structure_from_json

    document, _ = ingest(sentences, 40_000, shape)
    rows = list(Section.objects.filter(document=document).select_related("parent").order_by("order"))
    tree = structure_from_json(document.structure, document.text).sections
    expected = preorder(tree)
    assert len(rows) == len(expected) > 250
    assert [
        (r.path, r.parent.path if r.parent else None, r.kind, r.number, r.heading, r.level, r.start, r.end)
        for r in rows
    ] == expected
    assert [r.order for r in rows] == list(range(len(rows)))


def test_sections_are_inserted_in_batches_not_one_statement_each(sentences: list[str]) -> None:
    small, few = ingest(sentences, 10_000, "articles")
    large, many = ingest(sentences, 120_000, "articles")
    added = large.sections.count() - small.sections.count()
    assert added > 600
    # SQLite caps a bulk insert at 999 parameters (99 sections of 10 columns), PostgreSQL takes 500.
    assert many - few <= added / 90 + 2
