"""The admin lists ratings read-only: history is written only by the services."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.documents.models import Document
from luoshi.ratings.services import record_rating
from luoshi.ratings.tests.builders import D, task
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_it_lists_ratings_and_offers_no_edit(admin_client: Client, document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, title="推进新能源倍增行动")
    rating = record_rating(assignment=lead, as_of=D(2024, 3, 1))

    page = admin_client.get(reverse("admin:ratings_rating_changelist"))
    assert page.status_code == 200
    assert "推进新能源倍增行动" in page.content.decode()
    assert admin_client.get(reverse("admin:ratings_rating_add")).status_code == 403
    detail = admin_client.post(reverse("admin:ratings_rating_change", args=[rating.pk]), {"rag": "red"})
    assert detail.status_code == 403
    rating.refresh_from_db()
    assert rating.rag == "amber"  # 16 points behind, as recorded
