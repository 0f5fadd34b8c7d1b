"""The demo chain (load_demo with a fixed date) loaded once per test module, rolled back afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from luoshi.site.demo import DemoSummary, load_demo

TODAY = dt.date(2024, 4, 5)  # a Q1 bulletin is written in early April
PERIOD = "2024-Q1"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """Each test runs in its own savepoint inside this module-wide transaction, which is rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_demo(today=TODAY)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def supervisor(demo: DemoSummary, db: None) -> Any:
    return get_user_model().objects.get(username="duchashi")


@pytest.fixture
def liaison(demo: DemoSummary, db: None) -> Any:
    return get_user_model().objects.get(username="nongmu")
