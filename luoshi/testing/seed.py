"""The seed decision as the stages receive it: ingested (``documents.services``) and decomposed into a
proposed plan (``decomposition.services``, catalog inner-mongolia).

App tests that start from the seed take it from here; ``luoshi.testing.paths.seed_path`` is the file.
"""

from __future__ import annotations

from luoshi.decomposition.models import Plan
from luoshi.decomposition.services import propose_plan
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.testing.paths import seed_path

CATALOG = "inner-mongolia"


def seed_document() -> Document:
    """The seed, ingested as an upload named seed.txt (by no one in particular)."""
    return ingest_document(data=seed_path().read_bytes(), filename="seed.txt").document


def seed_plan(document: Document | None = None) -> Plan:
    """The plan decomposition proposes for the seed (``document``, else the seed ingested now), unreviewed."""
    return propose_plan(document=document or seed_document(), catalog_name=CATALOG).plan
