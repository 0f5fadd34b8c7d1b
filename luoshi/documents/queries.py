"""Reading documents for other stages' pages: titles without the heavy fields."""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi.documents.models import Document, without_heavy

# ``without_heavy`` is the one way another stage defers a document's heavy fields on its own relations.
__all__ = ["governing_decisions", "without_heavy"]


def governing_decisions() -> QuerySet[Document]:
    """The decisions a draft may name as governing: every stored decision (titles only), newest first."""
    return Document.objects.defer(*without_heavy()).order_by("-created_at")
