"""Who may see documents (文件): everyone who sees all tasks and the reviewers; a unit, its tasks' documents.

Every document is fetched through ``get_document_for`` (404 outside the user's scope).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.scope import REVIEW_ROLES, fetch_or_404, role_of, scoped_unit_id, sees_all
from luoshi.documents.models import Document


def visible_documents(user: Any) -> QuerySet[Document]:
    """All documents for those who see everything and reviewers; for a unit, the documents of its tasks."""
    if sees_all(user) or role_of(user) in REVIEW_ROLES:
        return Document.objects.all()
    unit_id = scoped_unit_id(user)
    if unit_id is None:
        return Document.objects.none()
    # The tasks stage stands above documents: its rows are reached through the relation, not its module.
    return Document.objects.filter(tasks__assignments__unit_id=unit_id).distinct()


def get_document_for(user: Any, pk: Any) -> Document:
    return fetch_or_404(visible_documents(user), pk)
