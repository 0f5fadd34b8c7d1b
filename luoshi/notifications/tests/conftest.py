from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from luoshi.notifications.tests.robots import robots  # noqa: F401  (fixture)
from luoshi.units.models import Unit

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 9, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute, second), tzinfo=SHANGHAI)


@pytest.fixture
def unit(db: None) -> Unit:
    return Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="liaison", password="x", email="liaison@example.gov.cn")


@pytest.fixture
def stranger(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="stranger", password="x")
