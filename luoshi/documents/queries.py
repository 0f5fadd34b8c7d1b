"""Reading documents for other stages' pages: titles without the heavy fields."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from luoshi.documents.models import Document, Section, without_heavy

# ``without_heavy`` is the one way another stage defers a document's heavy fields on its own relations.
__all__ = ["document_titles", "governing_decisions", "parts_of", "without_heavy"]


def governing_decisions() -> QuerySet[Document]:
    """The decisions a draft may name as governing: every stored decision (titles only), newest first."""
    return Document.objects.defer(*without_heavy()).order_by("-created_at")


def document_titles(ids: Iterable[int]) -> dict[int, str]:
    """The titles of the given documents, by id (one query)."""
    return dict(Document.objects.filter(pk__in=set(ids)).values_list("pk", "title"))


def parts_of(documents: QuerySet[Document] | Iterable[int]) -> QuerySet[Section]:
    """The top-level sections (parts, 一、) of the given documents, in each document's order."""
    return Section.objects.filter(document__in=documents, parent__isnull=True).order_by(
        "document_id", "order"
    )
