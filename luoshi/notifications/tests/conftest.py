from __future__ import annotations

from typing import Any

import pytest

from luoshi.units.models import Unit


@pytest.fixture
def unit(db: None) -> Unit:
    return Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        username="liaison", password="x", email="liaison@example.gov.cn"
    )


@pytest.fixture
def stranger(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="stranger", password="x")
